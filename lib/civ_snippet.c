/* civ_snippet.c: highlighted excerpts of passages (see civ_snippet.h).
 *
 * One pass splits the passage into words and looks each up among the
 * query's terms (stemming it only when the query has stemmed terms, one
 * of which begins as the word does when the stemmer keeps first bytes,
 * and through the caller's stemmer, which remembers its answers); a second
 * marks the phrases; a sliding window over the matched words finds the
 * densest stretch of at most max_chars characters; the output is the
 * stretch widened with context, escaped and marked.
 */
#include "civ_snippet.h"

#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The term generator drops words longer than this, so they match nothing. */
#define MAX_TERM_BYTES 64
/* Characters of punctuation kept before the first word or after the last
 * word shown. */
#define MAX_EDGE_CHARS 8
#define ELLIPSIS "\xe2\x80\xa6"

typedef struct plain_word {
    char *s;
    size_t len;
    int loose;     /* matched alone, not only inside a phrase */
    double weight; /* when loose */
} plain_word;

typedef struct stem_term {
    char *s; /* without the "Z" */
    size_t len;
    double weight;
} stem_term;

typedef struct phrase {
    int *words; /* plain_word ids, in order */
    size_t n;
    double weight;
} phrase;

struct civ_snippet_query {
    civ_snippet_stem_fn stem;
    void *stem_ctx;
    int elision;
    int keep_first;          /* civ_snippet_query_stems_keep_first_byte */
    uint8_t stem_starts[32]; /* bit b: a stemmed term begins with byte b */
    plain_word *plain;
    size_t n_plain, cap_plain;
    stem_term *stems;
    size_t n_stems, cap_stems;
    phrase *phrases;
    size_t n_phrases, cap_phrases;
};

/* Ensure room for one more element of size in *arr. */
static int reserve_one(void **arr, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *p = realloc(*arr, ncap * size);
    if (!p)
        return -1;
    *arr = p;
    *cap = ncap;
    return 0;
}

civ_snippet_query *civ_snippet_query_new(civ_snippet_stem_fn stem, void *stem_ctx, int elision)
{
    civ_snippet_query *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->stem = stem;
    q->stem_ctx = stem_ctx;
    q->elision = elision;
    return q;
}

void civ_snippet_query_stems_keep_first_byte(civ_snippet_query *q)
{
    q->keep_first = 1;
}

void civ_snippet_query_free(civ_snippet_query *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n_plain; i++)
        free(q->plain[i].s);
    for (size_t i = 0; i < q->n_stems; i++)
        free(q->stems[i].s);
    for (size_t i = 0; i < q->n_phrases; i++)
        free(q->phrases[i].words);
    free(q->plain);
    free(q->stems);
    free(q->phrases);
    free(q);
}

static int find_plain(const civ_snippet_query *q, const char *s, size_t len)
{
    for (size_t i = 0; i < q->n_plain; i++)
        if (q->plain[i].len == len && memcmp(q->plain[i].s, s, len) == 0)
            return (int)i;
    return -1;
}

static int find_stem(const civ_snippet_query *q, const char *s, size_t len)
{
    for (size_t i = 0; i < q->n_stems; i++)
        if (q->stems[i].len == len && memcmp(q->stems[i].s, s, len) == 0)
            return (int)i;
    return -1;
}

/* The plain word's id, added if new. -1 out of memory. */
static int intern_plain(civ_snippet_query *q, const char *s)
{
    size_t len = strlen(s);
    int id = find_plain(q, s, len);
    if (id >= 0)
        return id;
    if (reserve_one((void **)&q->plain, &q->cap_plain, q->n_plain, sizeof *q->plain))
        return -1;
    char *copy = strndup(s, len);
    if (!copy)
        return -1;
    q->plain[q->n_plain] = (plain_word){copy, len, 0, 0};
    return (int)q->n_plain++;
}

/* A term's first byte tells its kind: terms are lower case, prefixes
 * upper case ASCII. */
static int is_prefixed(const char *term)
{
    return term[0] >= 'A' && term[0] <= 'Z';
}

int civ_snippet_query_add_term(civ_snippet_query *q, const char *term, double weight)
{
    if (weight <= 0)
        weight = 1;
    if (term[0] == 'Z') {
        size_t len = strlen(term + 1);
        if (len == 0 || find_stem(q, term + 1, len) >= 0)
            return 0;
        if (reserve_one((void **)&q->stems, &q->cap_stems, q->n_stems, sizeof *q->stems))
            return -1;
        char *copy = strndup(term + 1, len);
        if (!copy)
            return -1;
        q->stems[q->n_stems++] = (stem_term){copy, len, weight};
        unsigned char b = (unsigned char)copy[0];
        q->stem_starts[b >> 3] |= (uint8_t)(1u << (b & 7));
        return 0;
    }
    if (!term[0] || is_prefixed(term))
        return 0;
    int id = intern_plain(q, term);
    if (id < 0)
        return -1;
    q->plain[id].loose = 1;
    q->plain[id].weight = weight;
    return 0;
}

int civ_snippet_query_add_phrase(civ_snippet_query *q, const char *const *terms, size_t n,
                                 double weight)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!terms[i][0] || is_prefixed(terms[i]))
            return 0; /* a field's phrase: never in the passage text */
    if (reserve_one((void **)&q->phrases, &q->cap_phrases, q->n_phrases, sizeof *q->phrases))
        return -1;
    int *words = malloc(n * sizeof *words);
    if (!words)
        return -1;
    for (size_t i = 0; i < n; i++) {
        words[i] = intern_plain(q, terms[i]);
        if (words[i] < 0) {
            free(words);
            return -1;
        }
    }
    q->phrases[q->n_phrases++] = (phrase){words, n, weight > 0 ? weight : 1};
    return 0;
}

int civ_snippet_elided(const char *word, size_t len)
{
    static const char *const elided[] = {"l",      "d",      "j",      "m",      "n",
                                         "s",      "t",      "c",      "qu",     "jusqu",
                                         "lorsqu", "puisqu", "quoiqu", "presqu", NULL};
    for (size_t k = 0; elided[k]; k++)
        if (strlen(elided[k]) == len && g_ascii_strncasecmp(elided[k], word, len) == 0)
            return 1;
    return 0;
}

/* ---- characters --------------------------------------------------------- */

#define BAD_CHAR 0xFFFFFFFFu /* a byte that does not start valid UTF-8 */

/* The character at s[i] and its length in *n (1 for a bad byte); 0 and
 * *n = 0 past the end. */
static uint32_t char_at(const unsigned char *s, size_t len, size_t i, size_t *n)
{
    if (i >= len) {
        *n = 0;
        return 0;
    }
    if (s[i] < 0x80) {
        *n = 1;
        return s[i];
    }
    gunichar c = g_utf8_get_char_validated((const char *)s + i, (gssize)(len - i));
    if (c == (gunichar)-1 || c == (gunichar)-2) {
        *n = 1;
        return BAD_CHAR;
    }
    *n = (size_t)g_utf8_skip[s[i]];
    return c;
}

/* The ASCII word characters: letters, digits and "_" (is_word_char). */
static const unsigned char ascii_word[256] = {
    ['0' ... '9'] = 1,
    ['A' ... 'Z'] = 1,
    ['a' ... 'z'] = 1,
    ['_'] = 1,
};

static int is_word_char(uint32_t c)
{
    if (c < 0x80)
        return ascii_word[c];
    if (c == BAD_CHAR)
        return 0;
    switch (g_unichar_type(c)) {
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
    case G_UNICODE_CONNECT_PUNCTUATION:
        return 1;
    default:
        return 0;
    }
}

static int is_digit(uint32_t c)
{
    return c < 0x80 ? g_ascii_isdigit((int)c) : c != BAD_CHAR && g_unichar_isdigit(c);
}

static int is_upper(uint32_t c)
{
    return c < 0x80 ? g_ascii_isupper((int)c) : c != BAD_CHAR && g_unichar_isupper(c);
}

/* Zero-width characters the term generator skips inside a word. */
static int is_ignorable(uint32_t c)
{
    return (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;
}

static int is_apostrophe(uint32_t c)
{
    return c == '\'' || c == 0x2019 || c == 0x201B;
}

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0;
}

static int ends_sentence(uint32_t c)
{
    return c == '.' || c == '!' || c == '?' || c == 0x061F || c == 0x3002 || c == 0xFF01 ||
           c == 0xFF1F;
}

/* Closing quotes and brackets that may follow a sentence's full stop. */
static int is_closer(uint32_t c)
{
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D || c == 0x2019 ||
           c == 0x00BB;
}

/* ---- words -------------------------------------------------------------- */

typedef struct token {
    size_t start, end;   /* bytes */
    size_t cstart, cend; /* characters */
    int plain;           /* plain_word id, or -1 */
    int unit;            /* what it matched, counted for the window; -1 */
    double weight;       /* the unit's weight, counted at this word */
    unsigned char sentence, mark;
    unsigned char join; /* marked with the word before: a phrase's later word */
} token;

typedef struct term_buf {
    char s[MAX_TERM_BYTES + 8];
    size_t len;
    int too_long;
} term_buf;

static void term_add(term_buf *t, uint32_t c)
{
    if (c < 0x80) {
        if (t->len + 1 > MAX_TERM_BYTES)
            t->too_long = 1;
        else
            t->s[t->len++] = (char)(c - 'A' < 26 ? c | 0x20 : c);
        return;
    }
    char tmp[8];
    int n = g_unichar_to_utf8(g_unichar_tolower(c), tmp);
    if (t->len + (size_t)n > MAX_TERM_BYTES) {
        t->too_long = 1;
        return;
    }
    memcpy(t->s + t->len, tmp, (size_t)n);
    t->len += (size_t)n;
}

typedef struct scanner {
    const unsigned char *s;
    size_t len;
    size_t i, chars; /* position, in bytes and characters */
} scanner;

/* Reads one word starting at the scanner's position (a word character),
 * leaving the scanner after it; the lower-case term in *t. */
static void read_word(scanner *sc, const civ_snippet_query *q, term_buf *t)
{
    size_t n, n2, n3;
    uint32_t c = char_at(sc->s, sc->len, sc->i, &n);
    t->len = 0;
    t->too_long = 0;

    /* "U.N.": capitals each followed by a full stop, at least two. */
    if (is_upper(c) && char_at(sc->s, sc->len, sc->i + n, &n2) == '.' &&
        is_upper(char_at(sc->s, sc->len, sc->i + n + 1, &n3)) &&
        char_at(sc->s, sc->len, sc->i + n + 1 + n3, &n2) == '.') {
        while (is_upper(c) && char_at(sc->s, sc->len, sc->i + n, &n2) == '.') {
            term_add(t, c);
            sc->i += n + 1;
            sc->chars += 2;
            c = char_at(sc->s, sc->len, sc->i, &n);
        }
        return;
    }

    for (;;) {
        term_add(t, c);
        sc->i += n;
        sc->chars++;
        /* Most of a word: ASCII letters and digits, a byte each. */
        while (sc->i < sc->len && ascii_word[sc->s[sc->i]]) {
            c = sc->s[sc->i++];
            term_add(t, c);
            sc->chars++;
        }
        uint32_t next = char_at(sc->s, sc->len, sc->i, &n2);
        if (n2 == 0)
            return;
        if (is_word_char(next)) {
            c = next;
            n = n2;
            continue;
        }
        uint32_t after = char_at(sc->s, sc->len, sc->i + n2, &n3);
        if (!is_word_char(after))
            break;
        int joins = 0;
        if (is_ignorable(next)) {
            joins = 2; /* skipped */
        } else if (is_apostrophe(next)) {
            if (q->elision && civ_snippet_elided(t->s, t->len))
                return; /* "l'" ends here; the apostrophe separates */
            joins = 1;
            next = '\'';
        } else if (next == '&' || next == 0xB7 || next == 0x2027) {
            joins = 1;
        } else if ((next == '.' || next == ',' || next == ';') && is_digit(c) && is_digit(after)) {
            joins = 1;
        }
        if (!joins)
            break;
        if (joins == 1)
            term_add(t, next);
        sc->i += n2;
        sc->chars++;
        c = after;
        n = n3;
    }

    /* "C++", "C#": up to three '+' or '#' not followed by a word character. */
    size_t k = 0;
    while (k < 3 && sc->i + k < sc->len && (sc->s[sc->i + k] == '+' || sc->s[sc->i + k] == '#'))
        k++;
    if (k && !is_word_char(char_at(sc->s, sc->len, sc->i + k, &n2))) {
        for (size_t j = 0; j < k; j++)
            term_add(t, sc->s[sc->i + j]);
        sc->i += k;
        sc->chars += k;
    }
}

/* How a word matches: a loose plain term first, then its stem. */
static void match_word(const civ_snippet_query *q, const term_buf *t, token *tok)
{
    tok->plain = -1;
    tok->unit = -1;
    tok->weight = 0;
    if (t->too_long || t->len == 0)
        return;
    tok->plain = find_plain(q, t->s, t->len);
    if (tok->plain >= 0 && q->plain[tok->plain].loose) {
        tok->unit = tok->plain;
        tok->weight = q->plain[tok->plain].weight;
        tok->mark = 1;
        return;
    }
    if (q->n_stems == 0 || !q->stem)
        return;
    unsigned char b = (unsigned char)t->s[0];
    if (q->keep_first && !(q->stem_starts[b >> 3] & (1u << (b & 7))))
        return; /* its stem would begin with b too: no stemmed term does */
    size_t slen;
    const char *stem = q->stem(q->stem_ctx, t->s, t->len, &slen);
    int id = stem ? find_stem(q, stem, slen) : -1;
    if (id >= 0) {
        tok->unit = (int)q->n_plain + id;
        tok->weight = q->stems[id].weight;
        tok->mark = 1;
    }
}

typedef struct tokens {
    token *v;
    size_t n, cap;
    size_t chars; /* characters in the whole text */
} tokens;

static int tokenize(const civ_snippet_query *q, const char *text, size_t len, tokens *out)
{
    scanner sc = {(const unsigned char *)text, len, 0, 0};
    int stop = 1, spaced = 1; /* the text starts a sentence */
    term_buf t;
    while (sc.i < len) {
        size_t n;
        uint32_t c = char_at(sc.s, len, sc.i, &n);
        if (!is_word_char(c)) {
            if (ends_sentence(c))
                stop = 1, spaced = 0;
            else if (is_space(c))
                spaced = 1;
            else if (!is_closer(c))
                stop = 0;
            sc.i += n;
            sc.chars++;
            continue;
        }
        if (reserve_one((void **)&out->v, &out->cap, out->n, sizeof *out->v))
            return -1;
        token *tok = &out->v[out->n++];
        memset(tok, 0, sizeof *tok);
        tok->start = sc.i;
        tok->cstart = sc.chars;
        tok->sentence = (unsigned char)(stop && spaced);
        read_word(&sc, q, &t);
        tok->end = sc.i;
        tok->cend = sc.chars;
        match_word(q, &t, tok);
        stop = 0;
        spaced = 0;
    }
    out->chars = sc.chars;
    return 0;
}

/* Marks every place a phrase's words stand in order; the phrase counts
 * once, at its first word. */
static void mark_phrases(const civ_snippet_query *q, tokens *tk)
{
    for (size_t p = 0; p < q->n_phrases; p++) {
        const phrase *ph = &q->phrases[p];
        for (size_t i = 0; i + ph->n <= tk->n; i++) {
            size_t j = 0;
            while (j < ph->n && tk->v[i + j].plain == ph->words[j])
                j++;
            if (j < ph->n)
                continue;
            for (j = 0; j < ph->n; j++) {
                tk->v[i + j].mark = 1;
                tk->v[i + j].join = j > 0;
            }
            tk->v[i].unit = (int)(q->n_plain + q->n_stems + p);
            tk->v[i].weight = ph->weight;
        }
    }
}

/* ---- the window --------------------------------------------------------- */

/* A unit seen count times adds weight * (1 + 1/2 + ... + 1/2^(count-1)). */
static double worth(double weight, unsigned count)
{
    return count ? weight * (2.0 - ldexp(1.0, 1 - (int)(count < 64 ? count : 64))) : 0.0;
}

/* The first and last word of the densest stretch of matches at most
 * max_chars long; 0 when nothing matched. */
static int best_stretch(const civ_snippet_query *q, const tokens *tk, size_t max_chars,
                        size_t *first, size_t *last)
{
    size_t n_units = q->n_plain + q->n_stems + q->n_phrases;
    unsigned *count = calloc(n_units ? n_units : 1, sizeof *count);
    double *weight = calloc(n_units ? n_units : 1, sizeof *weight);
    int found = 0;
    if (!count || !weight) {
        free(count);
        free(weight);
        return -1;
    }
    double score = 0, best = 0;
    size_t a = 0; /* left end: a matched word (or any word, skipped) */
    for (size_t b = 0; b < tk->n; b++) {
        const token *tb = &tk->v[b];
        if (tb->unit < 0)
            continue;
        unsigned u = (unsigned)tb->unit;
        weight[u] = tb->weight;
        score += worth(weight[u], count[u] + 1) - worth(weight[u], count[u]);
        count[u]++;
        while (tb->cend - tk->v[a].cstart > max_chars && a < b) {
            const token *ta = &tk->v[a++];
            if (ta->unit < 0)
                continue;
            unsigned v = (unsigned)ta->unit;
            score -= worth(weight[v], count[v]) - worth(weight[v], count[v] - 1);
            count[v]--;
        }
        while (tk->v[a].unit < 0 && a < b)
            a++;
        if (score > best + 1e-9) {
            best = score;
            *first = a;
            *last = b;
            found = 1;
        }
    }
    free(count);
    free(weight);
    return found;
}

/* Widens [*first, *last] to about max_chars characters: back to the start
 * of the sentence when that leaves room for the rest, else a third of the
 * room before and the rest after. */
static void widen(const tokens *tk, size_t max_chars, size_t *first, size_t *last)
{
    const token *v = tk->v;
    size_t a = *first, b = *last;
    size_t span = v[b].cend - v[a].cstart;
    size_t room = span < max_chars ? max_chars - span : 0;
    size_t s = a;
    while (s > 0 && !v[s].sentence)
        s--;
    if (v[s].sentence && v[a].cstart - v[s].cstart <= room * 2 / 3) {
        a = s;
    } else {
        while (a > 0 && v[*first].cstart - v[a - 1].cstart <= room / 3)
            a--;
    }
    while (b + 1 < tk->n && v[b + 1].cend - v[a].cstart <= max_chars)
        b++;
    while (a > 0 && v[b].cend - v[a - 1].cstart <= max_chars)
        a--;
    *first = a;
    *last = b;
}

/* ---- output ------------------------------------------------------------- */

typedef struct out_buf {
    char *p;
    size_t len, cap;
    int oom;
    size_t chars, max_chars; /* characters written, and the cap */
    int space;               /* a space is pending */
    int capped;
} out_buf;

static void put(out_buf *o, const char *s, size_t n)
{
    if (o->oom)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t ncap = (o->len + n + 1) * 2;
        char *p = realloc(o->p, ncap);
        if (!p) {
            o->oom = 1;
            return;
        }
        o->p = p;
        o->cap = ncap;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

#define PUT_LIT(o, lit) put((o), (lit), sizeof(lit) - 1)

static void put_pending_space(out_buf *o)
{
    if (o->space) {
        PUT_LIT(o, " ");
        o->chars++;
        o->space = 0;
    }
}

/* Whether one more character fits, after the pending space. */
static int has_room(const out_buf *o)
{
    return o->chars + (o->space ? 1 : 0) < o->max_chars;
}

/* Whether the byte c is written as it is: ASCII, neither white space nor
 * escaped. */
static int is_plain(unsigned char c)
{
    return c > ' ' && c < 0x7F && c != '&' && c != '<' && c != '>' && c != '"';
}

/* Appends text[from, to) escaped, runs of white space as one space; stops
 * at the cap. Runs of plain bytes are copied whole. */
static void emit(out_buf *o, const unsigned char *text, size_t from, size_t to)
{
    size_t n;
    for (size_t i = from; i < to && !o->capped; i += n) {
        if (is_plain(text[i])) {
            /* A run of plain bytes and single spaces between them: the
             * spaces are written as they are. */
            size_t end = i + 1;
            while (end < to && (is_plain(text[end]) ||
                                (text[end] == ' ' && end + 1 < to && is_plain(text[end + 1]))))
                end++;
            if (!has_room(o)) {
                o->capped = 1;
                return;
            }
            put_pending_space(o);
            size_t fits = end - i;
            if (fits > o->max_chars - o->chars) {
                fits = o->max_chars - o->chars;
                o->capped = 1;
                if (text[i + fits - 1] == ' ')
                    fits--; /* a space is written only before a character */
            }
            put(o, (const char *)text + i, fits);
            o->chars += fits;
            n = end - i;
            continue;
        }
        uint32_t c = char_at(text, to, i, &n);
        if (is_space(c)) {
            o->space = o->len > 0;
            continue;
        }
        if (!has_room(o)) {
            o->capped = 1;
            return;
        }
        put_pending_space(o);
        switch (c) {
        case '&':
            PUT_LIT(o, "&amp;");
            break;
        case '<':
            PUT_LIT(o, "&lt;");
            break;
        case '>':
            PUT_LIT(o, "&gt;");
            break;
        case '"':
            PUT_LIT(o, "&quot;");
            break;
        case BAD_CHAR:
            PUT_LIT(o, "\xef\xbf\xbd");
            break;
        default:
            put(o, (const char *)text + i, n);
        }
        o->chars++;
    }
}

/* Where the text shown after word last ends: past punctuation that
 * follows it directly ("rights." "(1)," "end”"), a few characters at most. */
static size_t tail_end(const unsigned char *s, size_t len, size_t from)
{
    size_t i = from, n;
    for (int k = 0; k < MAX_EDGE_CHARS; k++) {
        uint32_t c = char_at(s, len, i, &n);
        if (n == 0 || is_space(c) || is_word_char(c))
            break;
        i += n;
    }
    return i;
}

/* Whether s[from, len) has anything but white space. */
static int has_more(const unsigned char *s, size_t len, size_t from)
{
    for (size_t i = from; i < len; i++)
        if (!is_space(s[i]))
            return 1;
    return 0;
}

char *civ_snippet_make(const civ_snippet_query *q, const char *text, size_t len, size_t max_chars)
{
    const unsigned char *s = (const unsigned char *)text;
    tokens tk = {0};
    if (tokenize(q, text, len, &tk)) {
        free(tk.v);
        return NULL;
    }
    mark_phrases(q, &tk);

    size_t first = 0, last = tk.n ? tk.n - 1 : 0;
    size_t from = 0, to = len; /* bytes shown */
    int lead = 0, trail = 0;   /* ellipses */
    if (tk.n > 0 && tk.chars > max_chars) {
        int found = best_stretch(q, &tk, max_chars, &first, &last);
        if (found < 0) {
            free(tk.v);
            return NULL;
        }
        if (!found)
            first = last = 0;
        widen(&tk, max_chars, &first, &last);
        /* What comes before the first word is shown when it is short: an
         * opening quote or bracket, not a row of dots. */
        lead = first > 0 || tk.v[0].cstart > MAX_EDGE_CHARS;
        from = lead ? tk.v[first].start : 0;
        to = tail_end(s, len, tk.v[last].end);
        trail = has_more(s, len, to);
    }

    out_buf o = {0};
    o.max_chars = max_chars + MAX_EDGE_CHARS;
    put(&o, "", 0);
    if (lead)
        PUT_LIT(&o, ELLIPSIS);
    size_t pos = from;
    int in_mark = 0;
    for (size_t t = first; t < tk.n && t <= last && !o.capped; t++) {
        const token *w = &tk.v[t];
        if (!w->mark && !in_mark)
            continue; /* written with the text around it, in one run */
        emit(&o, s, pos, w->start);
        if (w->mark && !w->join && !o.capped && has_room(&o)) {
            put_pending_space(&o);
            PUT_LIT(&o, "<mark>");
            in_mark = 1;
        }
        emit(&o, s, w->start, w->end);
        if (in_mark && !(t + 1 <= last && t + 1 < tk.n && tk.v[t + 1].join)) {
            PUT_LIT(&o, "</mark>");
            in_mark = 0;
        }
        pos = w->end;
    }
    if (in_mark) /* cut inside a phrase */
        PUT_LIT(&o, "</mark>");
    emit(&o, s, pos, to);
    if (trail || o.capped)
        PUT_LIT(&o, ELLIPSIS);
    free(tk.v);
    if (o.oom) {
        free(o.p);
        return NULL;
    }
    return o.p;
}
