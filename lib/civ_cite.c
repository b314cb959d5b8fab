/* civ_cite.c: citation strings (see civ_cite.h for the forms).
 *
 * Pure string work on UTF-8 input; nothing here touches the index. Every
 * result is capped at CIV_CITE_MAX bytes so a hostile title cannot make a
 * citation (and every JSON hit carrying it) arbitrarily large.
 */
#include "civ_cite.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Room kept for ", para. <label> (p. <page>)" after the head. */
#define CITE_TAIL_MAX 96

static int is_blank(const char *s)
{
    return !s || !s[0];
}

/* A label is a paragraph number when it starts with a digit, an opening
 * parenthesis or is a short lower-case roman numeral: those read as
 * "para. 12", "para. (a)", "para. iv". Words ("Article 3") stand alone. */
static int is_number_label(const char *label)
{
    if (g_ascii_isdigit(label[0]) || label[0] == '(')
        return 1;
    size_t n = strspn(label, "ivxlc");
    return n > 0 && n <= 6 && (label[n] == '\0' || label[n] == '.' || label[n] == ')');
}

/* Append at most max bytes of s to out, cut on a character boundary, with
 * an ellipsis when cut. Invalid UTF-8 stops the copy. */
static void append_capped(GString *out, const char *s, size_t max)
{
    const char *end = NULL;
    g_utf8_validate(s, -1, &end);
    size_t len = (size_t)(end - s);
    if (len <= max) {
        g_string_append_len(out, s, (gssize)len);
        return;
    }
    const char *cut = g_utf8_find_prev_char(s, s + max - 2);
    g_string_append_len(out, s, cut ? cut - s : 0);
    g_string_append(out, "\xe2\x80\xa6");
}

char *civ_cite_format(const civ_cite_source *src)
{
    GString *out = g_string_sized_new(64);
    const char *head = !is_blank(src->symbol)  ? src->symbol
                       : !is_blank(src->title) ? src->title
                                               : "Untitled document";
    append_capped(out, head, CIV_CITE_MAX - CITE_TAIL_MAX);

    int has_para = !is_blank(src->paragraph);
    if (has_para) {
        GString *label = g_string_new(NULL);
        append_capped(label, src->paragraph, 40);
        /* "12." is printed with its full stop; the citation drops it. */
        if (label->len > 1 && label->str[label->len - 1] == '.')
            g_string_truncate(label, label->len - 1);
        g_string_append(out, is_number_label(label->str) ? ", para. " : ", ");
        g_string_append(out, label->str);
        g_string_free(label, TRUE);
    }
    if (src->page > 0)
        g_string_append_printf(out, has_para ? " (p. %d)" : ", p. %d", src->page);

    /* Hand back malloc memory: callers free() what libcivitas returns. */
    char *result = strdup(out->str);
    g_string_free(out, TRUE);
    return result;
}
