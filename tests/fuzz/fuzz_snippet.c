/* libFuzzer harness: the snippet builder (lib/civ_snippet.c) on arbitrary
 * queries and passages.
 *
 * The input's first line is the query: words, a word starting with 'Z'
 * being a stemmed term, and words between two '"' a phrase. Its first
 * byte also chooses French elisions (low bit) and the snippet length. The
 * rest is the passage. The stemmer strips a final "s".
 *
 * The snippet must be valid UTF-8, with balanced, unnested <mark> tags and
 * no other markup, within the length; and its text, with the tags
 * removed, the entities and the ellipses at its ends undone, must be a
 * piece of the passage as shown: white space runs as one space, bytes
 * that are not UTF-8 as U+FFFD. Told that the stemmer keeps words' first
 * bytes (it does), the builder must make the same snippet. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "civ_snippet.h"
#include "fuzz_snippet_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PHRASE 8

static const char *strip_s(void *ctx, const char *word, size_t len, size_t *stem_len)
{
    (void)ctx;
    *stem_len = len > 1 && word[len - 1] == 's' ? len - 1 : len;
    return word;
}

/* The passage as a snippet shows it: white space runs as one space (none
 * at the ends), NUL as white space, bad bytes as U+FFFD. */
static GString *shown(const char *s, size_t len)
{
    GString *out = g_string_new(NULL);
    int space = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0 || c == ' ' || (c >= '\t' && c <= '\r')) {
            space = out->len > 0;
            i++;
            continue;
        }
        if (space)
            g_string_append_c(out, ' ');
        space = 0;
        if (c < 0x80) {
            g_string_append_c(out, (char)c);
            i++;
            continue;
        }
        gunichar u = g_utf8_get_char_validated(s + i, (gssize)(len - i));
        if (u == (gunichar)-1 || u == (gunichar)-2) {
            g_string_append(out, "\xef\xbf\xbd");
            i++;
        } else {
            size_t n = (size_t)g_utf8_skip[c];
            g_string_append_len(out, s + i, (gssize)n);
            i += n;
        }
    }
    return out;
}

/* Adds the query on line (len bytes) to q. */
static void add_query(civ_snippet_query *q, const char *line, size_t len)
{
    char *copy = g_strndup(line, len);
    char **words = g_strsplit(copy, " ", 64);
    g_free(copy);
    const char *phrase[MAX_PHRASE];
    size_t n_phrase = 0;
    int in_phrase = 0;
    for (char **w = words; *w; w++) {
        char *word = *w;
        if (!g_utf8_validate(word, -1, NULL))
            continue;
        int starts = word[0] == '"', ends = word[0] && word[strlen(word) - 1] == '"';
        if (starts)
            word++, in_phrase = 1;
        if (ends && word[0] && word[strlen(word) - 1] == '"')
            word[strlen(word) - 1] = '\0';
        if (in_phrase) {
            if (word[0] && n_phrase < MAX_PHRASE)
                phrase[n_phrase++] = word;
            if (ends) {
                civ_snippet_query_add_phrase(q, phrase, n_phrase, 1.5);
                n_phrase = 0;
                in_phrase = 0;
            }
        } else if (word[0]) {
            civ_snippet_query_add_term(q, word, (double)(strlen(word) % 4));
        }
    }
    if (n_phrase)
        civ_snippet_query_add_phrase(q, phrase, n_phrase, 1.5);
    g_strfreev(words);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *in = (const char *)data;
    const char *nl = memchr(in, '\n', size);
    size_t qlen = nl ? (size_t)(nl - in) : size;
    const char *text = nl ? nl + 1 : in + size;
    size_t tlen = size - (size_t)(text - in);
    size_t max_chars = 20 + (size_t)(data[0] >> 1) * 3; /* 20 to 401 */

    civ_snippet_query *q = civ_snippet_query_new(strip_s, NULL, data[0] & 1);
    civ_snippet_query *kq = civ_snippet_query_new(strip_s, NULL, data[0] & 1);
    if (!q || !kq) {
        civ_snippet_query_free(q);
        civ_snippet_query_free(kq);
        return 0;
    }
    add_query(q, in + 1, qlen ? qlen - 1 : 0);
    add_query(kq, in + 1, qlen ? qlen - 1 : 0);
    /* strip_s keeps first bytes: told so, the builder stems fewer words
     * and must make the very same snippet. */
    civ_snippet_query_stems_keep_first_byte(kq);
    char *snippet = civ_snippet_make(q, text, tlen, max_chars);
    char *kept = civ_snippet_make(kq, text, tlen, max_chars);
    civ_snippet_query_free(q);
    civ_snippet_query_free(kq);
    if (snippet && kept && strcmp(snippet, kept) != 0)
        __builtin_trap();
    free(kept);
    if (!snippet)
        return 0; /* out of memory */
    size_t chars;
    GString *got = snippet_text(snippet, &chars);
    if (chars > max_chars + 8)
        __builtin_trap();
    GString *passage = shown(text, tlen);
    if (!strstr(passage->str, got->str))
        __builtin_trap();
    g_string_free(passage, TRUE);
    g_string_free(got, TRUE);
    free(snippet);
    return 0;
}
