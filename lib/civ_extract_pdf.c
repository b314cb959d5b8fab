/* civ_extract_pdf.c: PDF text per page and metadata with poppler-glib.
 *
 * Each page's text (poppler's reading order) is cleaned with what only the
 * PDF knows, font sizes, before civ_passage_split sees it:
 *
 * - The page's body size is the font size most of its characters use.
 * - Lines at the foot of the page set entirely in a smaller size are
 *   footnotes and footers; they are dropped so they neither become passages
 *   nor glue onto the last paragraph. (Footnotes are their own texts, cited
 *   by their own numbers, and are not what an advocate quotes.)
 * - Digits set much smaller than the body inside a body line are footnote
 *   marks ("Convention,1 and"); they are removed from the text.
 *
 * A paragraph number alone at the very end of a page belongs to the text at
 * the top of the next page, so it is carried over.
 *
 * Every GLib and poppler allocation is released in this file (g_free,
 * g_object_unref, g_bytes_unref); what leaves it is malloc'd civ_document
 * data.
 */
#include "civ_extract_pdf.h"

#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civ_passage.h"
#include "civ_pdf.h"
#include "civ_unmeta.h"

/* Footnote text is at least this much smaller than the body (points). */
#define SMALLER_PT 0.75
/* Footnote marks are at most this fraction of the body size. */
#define MARK_RATIO 0.8
/* Font sizes are counted in half points up to this many points. */
#define MAX_SIZE_PT 100
/* A carried-over paragraph number is short. */
#define CARRY_MAX 64
/* A scanned page is an image over at least this fraction of its area. */
#define SCAN_COVER 0.8

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Font size of every character of text (0 where poppler gave none), from
 * the attribute runs, whose indices count characters of the same text. */
static double *char_sizes(PopplerPage *page, long n_chars)
{
    double *size = calloc((size_t)(n_chars > 0 ? n_chars : 1), sizeof *size);
    if (!size)
        return NULL;
    GList *attrs = poppler_page_get_text_attributes(page);
    for (GList *it = attrs; it; it = it->next) {
        PopplerTextAttributes *a = it->data;
        long from = a->start_index < 0 ? 0 : a->start_index;
        long to = a->end_index >= n_chars ? n_chars - 1 : a->end_index;
        for (long k = from; k <= to; k++)
            size[k] = a->font_size;
    }
    poppler_page_free_text_attributes(attrs);
    return size;
}

/* The size most non-blank characters are set in: the body text. */
static double body_size(const char *text, const double *size, long n_chars)
{
    static const int slots = MAX_SIZE_PT * 2 + 1;
    long count[MAX_SIZE_PT * 2 + 1];
    memset(count, 0, sizeof count);
    const char *p = text;
    for (long k = 0; k < n_chars; k++, p = g_utf8_next_char(p)) {
        if (is_blank((unsigned char)*p) || size[k] <= 0)
            continue;
        int slot = (int)(size[k] * 2 + 0.5);
        count[slot < slots ? slot : slots - 1]++;
    }
    int best = 0;
    for (int s = 1; s < slots; s++)
        if (count[s] > count[best])
            best = s;
    return best / 2.0;
}

typedef struct page_line {
    size_t start, end; /* byte range in the page text, without '\n' */
    long cstart;       /* index of its first character */
    int all_small;     /* every non-blank character is smaller than body */
    int drop;          /* footnote or footer */
} page_line;

/* Build the page's body text: footnote block and footnote marks removed.
 * Returns a malloc'd string (length in *out_len) or NULL on OOM. */
static char *page_body_text(PopplerPage *page, const char *text, size_t *out_len)
{
    char *out = NULL;
    double *size = NULL;
    page_line *lines = NULL;
    size_t len = strlen(text);
    long n_chars = g_utf8_strlen(text, (gssize)len);

    size = char_sizes(page, n_chars);
    size_t n_lines = 1;
    for (size_t i = 0; i < len; i++)
        n_lines += text[i] == '\n';
    lines = calloc(n_lines, sizeof *lines);
    out = malloc(len + 2); /* a newline may be added after the last line */
    if (!size || !lines || !out) {
        free(out);
        out = NULL;
        goto out;
    }
    double body = body_size(text, size, n_chars);

    /* Lines, with the character index of each and whether it is small. */
    size_t k = 0;
    long c = 0;
    size_t start = 0;
    lines[0].cstart = 0;
    for (size_t i = 0; i <= len;) {
        if (i == len || text[i] == '\n') {
            lines[k].start = start;
            lines[k].end = i;
            k++;
            if (i == len)
                break;
            i++;
            c++;
            start = i;
            if (k < n_lines)
                lines[k].cstart = c;
            continue;
        }
        i = (size_t)(g_utf8_next_char(text + i) - text);
        c++;
    }
    n_lines = k;
    for (size_t l = 0; l < n_lines; l++) {
        int any = 0, small = 1;
        long ci = lines[l].cstart;
        for (size_t i = lines[l].start; i < lines[l].end && ci < n_chars;
             i = (size_t)(g_utf8_next_char(text + i) - text), ci++) {
            if (is_blank((unsigned char)text[i]))
                continue;
            any = 1;
            if (!(size[ci] > 0 && size[ci] < body - SMALLER_PT))
                small = 0;
        }
        lines[l].all_small = any && small && body > 0;
    }

    /* The foot of the page: walk up over small lines and short ones (page
     * and job numbers in body size), dropping the small ones, until the
     * first full-size line of running text. */
    for (size_t l = n_lines; l > 0; l--) {
        page_line *pl = &lines[l - 1];
        if (pl->all_small) {
            pl->drop = 1;
            continue;
        }
        long chars = g_utf8_strlen(text + pl->start, (gssize)(pl->end - pl->start));
        if (chars > 24)
            break;
    }

    size_t n = 0;
    for (size_t l = 0; l < n_lines; l++) {
        page_line *pl = &lines[l];
        if (pl->drop)
            continue;
        long ci = pl->cstart;
        for (size_t i = pl->start; i < pl->end;) {
            size_t next = (size_t)(g_utf8_next_char(text + i) - text);
            /* Footnote marks: small digits inside a full-size line. */
            int mark = !pl->all_small && ci < n_chars && size[ci] > 0 &&
                       size[ci] <= body * MARK_RATIO && text[i] >= '0' && text[i] <= '9';
            if (!mark) {
                memcpy(out + n, text + i, next - i);
                n += next - i;
            }
            i = next;
            ci++;
        }
        out[n++] = '\n';
    }
    out[n] = '\0';
    *out_len = n;
out:
    free(size);
    free(lines);
    return out;
}

/* If the last text line of page text[0..*len) is a paragraph number alone
 * ("12.", "(a)"), cut it off into carry: its paragraph is on the next page.
 * Bare integers stay: at a page's foot they are page numbers. */
static void cut_trailing_number(char *text, size_t *len, char *carry, size_t carry_size)
{
    carry[0] = '\0';
    size_t end = *len;
    while (end > 0 && is_blank((unsigned char)text[end - 1]))
        end--;
    size_t start = end;
    while (start > 0 && text[start - 1] != '\n')
        start--;
    size_t l = end - start;
    if (l == 0 || l >= carry_size)
        return;
    char number[32];
    size_t span = civ_passage_number(text + start, l, number, sizeof number);
    if (span != l)
        return;
    int digits_only = 1;
    for (size_t i = start; i < end; i++)
        if (text[i] < '0' || text[i] > '9')
            digits_only = 0;
    if (digits_only)
        return;
    memcpy(carry, text + start, l);
    carry[l] = '\0';
    text[start] = '\0';
    *len = start;
}

/* Whether page is a scan: one image covering most of it. A scanned
 * document's file was made when it was scanned, not when it was written
 * (E/CN.4/109, of 1948, was scanned in 2006). */
static int scanned_page(PopplerPage *page)
{
    double width = 0, height = 0;
    poppler_page_get_size(page, &width, &height);
    if (width <= 0 || height <= 0)
        return 0;
    int scanned = 0;
    GList *images = poppler_page_get_image_mapping(page);
    for (GList *l = images; l && !scanned; l = l->next) {
        const PopplerRectangle *a = &((PopplerImageMapping *)l->data)->area;
        double w = MIN(a->x2, width) - MAX(a->x1, 0.0);
        double h = MIN(a->y2, height) - MAX(a->y1, 0.0);
        scanned = w > 0 && h > 0 && w * h >= SCAN_COVER * width * height;
    }
    poppler_page_free_image_mapping(images);
    return scanned;
}

/* The file's creation date as the document's; a date printed in the text
 * replaces it (civ_unmeta). */
static void set_date(civ_document *doc, PopplerDocument *pdoc)
{
    GDateTime *dt = poppler_document_get_creation_date_time(pdoc);
    if (!dt)
        return;
    /* The date as the file records it, in its own time zone. */
    int y = g_date_time_get_year(dt);
    if (y >= 1000 && y <= 9999) {
        char buf[16];
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, g_date_time_get_month(dt),
                 g_date_time_get_day_of_month(dt));
        civ_document_set(doc, &doc->date, buf);
    }
    g_date_time_unref(dt);
}

/* Whether c is a presentation form: Latin ligatures (U+FB00..U+FB4F:
 * "ﬁ"), Arabic letters in their joined shapes (U+FB50..U+FDFF,
 * U+FE70..U+FEFF). PDFs store the glyphs a font drew; as text they are not
 * the letters a reader types, so no query would find "ﬁnancial" or
 * "ﺍﻟﻌﺮﺑﻴﺔ". */
static int presentation_form(gunichar c)
{
    return (c >= 0xFB00 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}

/* text[0..len) with each presentation form replaced by its letters
 * (Unicode's compatibility composition, NFKC, of that character alone:
 * "ﻻ" is lam and alef), in a new string of *out_len bytes; NULL when
 * there is none (the common case: nothing is copied). */
static char *fold_presentation_forms(const char *text, size_t len, size_t *out_len)
{
    const char *c = text, *end = text + len;
    while (c < end && !presentation_form(g_utf8_get_char(c)))
        c = g_utf8_next_char(c);
    if (c >= end)
        return NULL;
    GString *out = g_string_sized_new(len + 16);
    g_string_append_len(out, text, c - text);
    for (; c < end; c = g_utf8_next_char(c)) {
        const char *next = g_utf8_next_char(c);
        if (!presentation_form(g_utf8_get_char(c))) {
            g_string_append_len(out, c, next - c);
            continue;
        }
        char *letters = g_utf8_normalize(c, next - c, G_NORMALIZE_NFKC);
        g_string_append(out, letters ? letters : "");
        g_free(letters);
    }
    *out_len = out->len;
    return g_string_free(out, FALSE);
}

/* text[0..len) without the spaces a PDF puts between Chinese or Japanese
 * characters ("教 育" is 教育 as printed), in a new string of *out_len
 * bytes; NULL when there is none. */
static char *join_spaced_cjk(const char *text, size_t len, size_t *out_len)
{
    GString *out = NULL;
    const char *end = text + len, *copied = text;
    gunichar prev = 0;
    for (const char *c = text; c < end;) {
        if (*c == ' ' && civ_passage_unspaced_char(prev)) {
            const char *after = c;
            while (after < end && *after == ' ')
                after++;
            if (after < end && civ_passage_unspaced_char(g_utf8_get_char(after))) {
                if (!out)
                    out = g_string_sized_new(len);
                g_string_append_len(out, copied, c - copied);
                copied = c = after;
                continue;
            }
        }
        prev = g_utf8_get_char(c);
        c = g_utf8_next_char(c);
    }
    if (!out)
        return NULL;
    g_string_append_len(out, copied, end - copied);
    *out_len = out->len;
    return g_string_free(out, FALSE);
}

/* Whether a PDF's title field says nothing of the document: producer
 * boilerplate ("untitled", Word's "Microsoft Word - A HRC DEC 14 105 for
 * processing.doc", "n/a"), a file's name ("current.wpf"), the publisher's
 * name ("United Nations", or "UNITED" cut short), or text lost to an
 * encoding its producer could not write ("??????" for the Chinese or
 * Russian title of a translation). Such a title would head every citation
 * of the document. */
static int junk_title(const char *title)
{
    static const char *const generic[] = {
        "untitled",        "united nations", "united", "nations unies",
        "naciones unidas", "document",       "n/a"};
    for (size_t i = 0; i < G_N_ELEMENTS(generic); i++)
        if (g_ascii_strcasecmp(title, generic[i]) == 0)
            return 1;
    if (g_str_has_prefix(title, "Microsoft Word - "))
        return 1;
    /* A file's name: "current.wpf" (WordPerfect's), "report.doc"; not a
     * symbol such as "A/HRC/59/L.17". */
    const char *dot = strrchr(title, '.');
    if (dot && dot > title && !strchr(title, ' ')) {
        size_t ext = strlen(dot + 1), letters = 0, alnum = 0;
        for (const char *c = dot + 1; *c; c++) {
            letters += g_ascii_isalpha(*c) != 0;
            alnum += g_ascii_isalnum(*c) != 0;
        }
        if (ext >= 2 && ext <= 4 && alnum == ext && letters > 0)
            return 1;
    }
    size_t marks = 0, chars = 0;
    for (const char *c = title; *c; c = g_utf8_next_char(c), chars++)
        marks += *c == '?';
    return strstr(title, "??") != NULL || marks * 4 >= chars;
}

static void set_title(civ_document *doc, PopplerDocument *pdoc)
{
    gchar *title = poppler_document_get_title(pdoc);
    if (!title)
        return;
    g_strstrip(title);
    if (title[0] && g_utf8_validate(title, -1, NULL) && !junk_title(title))
        civ_document_set(doc, &doc->title, title);
    g_free(title);
}

civ_status civ_extract_pdf(const char *data, size_t len, size_t max_text_bytes, civ_document **out,
                           civ_err *err)
{
    civ_status st = CIV_OK;
    civ_document *doc = NULL;
    GBytes *bytes = NULL;
    PopplerDocument *pdoc = NULL;
    PopplerPage *page = NULL;
    gchar *text = NULL;
    char *body = NULL;
    char *joined = NULL;
    GError *gerr = NULL;
    char carry[CARRY_MAX] = "";
    size_t total = 0;
    int any_text = 0;

    if (out)
        *out = NULL;
    if (!out) {
        st = civ_err_set(err, CIV_ERR_INTERNAL, "civ_extract_pdf: out is NULL");
        goto out;
    }
    if (!data || len == 0) {
        st = civ_err_set(err, CIV_ERR_INPUT, "empty file");
        goto out;
    }
    /* data is borrowed: poppler reads it in place and is done with it
     * before this function returns. */
    bytes = g_bytes_new_static(data, len);
    pdoc = civ_pdf_open(bytes, &gerr);
    if (!pdoc) {
        if (gerr && g_error_matches(gerr, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
            st = civ_err_set(err, CIV_ERR_ENCRYPTED, "encrypted PDF: %s", gerr->message);
        else
            st = civ_err_set(err, CIV_ERR_INPUT, "damaged PDF: %s",
                             gerr ? gerr->message : "poppler cannot open it");
        goto out;
    }
    doc = civ_document_new("pdf");
    if (!doc) {
        st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        goto out;
    }
    set_title(doc, pdoc);
    int n_pages = poppler_document_get_n_pages(pdoc);
    doc->page_count = n_pages > 0 ? n_pages : 0;

    for (int i = 0; i < n_pages; i++) {
        page = poppler_document_get_page(pdoc, i);
        if (!page)
            continue;
        text = poppler_page_get_text(page);
        /* The file's creation date stands in for a date the first page
         * does not print, unless that page is a scan (its date garbled:
         * "2 June 19kd"); when it prints one, the printed date wins later
         * and the scan is not looked for. */
        if (i == 0 && (civ_unmeta_prints_date(text) || !scanned_page(page)))
            set_date(doc, pdoc);
        size_t tlen = text ? strlen(text) : 0;
        total += tlen;
        if (max_text_bytes && total > max_text_bytes) {
            st = civ_err_set(err, CIV_ERR_TOOLARGE, "text exceeds %zu bytes (at page %d)",
                             max_text_bytes, i + 1);
            goto out;
        }
        for (size_t k = 0; k < tlen && !any_text; k++)
            any_text = !is_blank((unsigned char)text[k]);
        if (tlen && g_utf8_validate(text, (gssize)tlen, NULL)) {
            size_t blen = 0;
            body = page_body_text(page, text, &blen);
            if (!body) {
                st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
                goto out;
            }
            size_t flen = 0;
            char *folded = fold_presentation_forms(body, blen, &flen);
            if (folded) {
                free(body);
                body = folded;
                blen = flen;
            }
            char *joined_cjk = join_spaced_cjk(body, blen, &flen);
            if (joined_cjk) {
                free(body);
                body = joined_cjk;
                blen = flen;
            }
            const char *page_text = body;
            size_t plen = blen;
            if (carry[0]) {
                size_t cl = strlen(carry);
                joined = malloc(cl + 1 + blen + 1);
                if (!joined) {
                    st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
                    goto out;
                }
                memcpy(joined, carry, cl);
                joined[cl] = '\n';
                memcpy(joined + cl + 1, body, blen + 1);
                page_text = joined;
                plen = cl + 1 + blen;
            }
            cut_trailing_number(joined ? joined : body, &plen, carry, sizeof carry);
            st = civ_passage_split(doc, page_text, plen, i + 1, err);
            if (st != CIV_OK)
                goto out;
            free(joined);
            joined = NULL;
            free(body);
            body = NULL;
        }
        g_free(text);
        text = NULL;
        g_object_unref(page);
        page = NULL;
    }
    if (!any_text || doc->n_passages == 0) {
        st = civ_err_set(err, CIV_ERR_NOTEXT, "no page has a text layer (scanned?)");
        goto out;
    }
    civ_passage_line_hyphens(doc);

out:
    free(joined);
    free(body);
    g_free(text);
    if (page)
        g_object_unref(page);
    if (pdoc)
        g_object_unref(pdoc);
    if (bytes)
        g_bytes_unref(bytes);
    if (gerr)
        g_error_free(gerr);
    if (st == CIV_OK && out) {
        *out = doc;
    } else {
        civ_document_free(doc);
    }
    return st;
}
