/* fuzz_snippet_check.h: what every snippet must be, for the fuzzers that
 * make snippets. */
#ifndef CIV_FUZZ_SNIPPET_CHECK_H
#define CIV_FUZZ_SNIPPET_CHECK_H

#include <glib.h>
#include <string.h>

#define ELLIPSIS "\xe2\x80\xa6"

/* The text of a snippet (civ_snippet.h), with its length in characters:
 * tags removed, entities undone, the ellipses at its ends dropped. Traps
 * on text that is not UTF-8, on markup other than balanced, unnested
 * <mark> tags, and on a '&' that starts no entity. */
static GString *snippet_text(const char *snippet, size_t *chars)
{
    if (!g_utf8_validate(snippet, -1, NULL))
        __builtin_trap();
    GString *out = g_string_new(NULL);
    int open = 0;
    *chars = 0;
    for (const char *p = snippet; *p;) {
        static const struct {
            const char *entity;
            char c;
        } entities[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}};
        if (*p == '<') {
            if (!open && strncmp(p, "<mark>", 6) == 0)
                p += 6, open = 1;
            else if (open && strncmp(p, "</mark>", 7) == 0)
                p += 7, open = 0;
            else
                __builtin_trap();
            continue;
        }
        if (*p == '>')
            __builtin_trap();
        if (*p == '&') {
            size_t k = 0;
            while (k < 4 && strncmp(p, entities[k].entity, strlen(entities[k].entity)) != 0)
                k++;
            if (k == 4)
                __builtin_trap();
            g_string_append_c(out, entities[k].c);
            p += strlen(entities[k].entity);
            (*chars)++;
            continue;
        }
        const char *next = g_utf8_next_char(p);
        g_string_append_len(out, p, next - p);
        p = next;
        (*chars)++;
    }
    if (open)
        __builtin_trap();
    if (g_str_has_prefix(out->str, ELLIPSIS)) {
        g_string_erase(out, 0, 3);
        (*chars)--;
    }
    if (g_str_has_suffix(out->str, ELLIPSIS)) {
        g_string_truncate(out, out->len - 3);
        (*chars)--;
    }
    return out;
}

#endif
