/* civ_unmeta.c: UN metadata from an extracted document (civ_unmeta.h).
 *
 * Everything here reads the document's "head": the passages of its first
 * page (PDF) or its first few kilobytes of passages (other formats), joined
 * by newlines. Passages are already whitespace-normalised, so patterns are
 * matched with single spaces.
 *
 * - The document's own symbol is the first symbol in the masthead (the
 *   head's first MASTHEAD_BYTES) that is not in brackets: "(A/78/L.96)" on
 *   a resolution's first page names the draft, not the resolution.
 * - The printed date is the first full date after "Distr" (the issue line:
 *   "Distr.: General 24 March 2025"), else the first in the masthead (a
 *   verbatim record's "Wednesday, 16 April 2025"); a resolution's or a
 *   decision's is the date it was adopted, when its first page prints it.
 *   It is only looked for in documents with a symbol, where the masthead is
 *   known to be a UN one.
 * - Running headers are passages after page 1 made only of the symbol, the
 *   printed date as dd/mm/yyyy and a page counter "n/m"; they are dropped.
 *   The same material glued by poppler to the start of a passage ("2/2
 *   Decides ...", "16/04/2025 population is ...") is cut off, and a
 *   passage that then starts in lower case continues the last one of the
 *   previous page and is joined to it (as civ_passage does for pages
 *   without a header).
 * - The symbol from the file name is the last resort: a short page that
 *   says the document does not exist or was not found gets no symbol, nor
 *   does a longer one with no symbol of its own that says so early.
 */
#include "civ_unmeta.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "civ_gdebate.h"
#include "civ_unsymbol.h"

/* Bytes of the head: enough for a first page's masthead and title block. */
#define HEAD_MAX 4096
/* The masthead, where the document's own symbol is printed. */
#define MASTHEAD_BYTES 400
/* A date is looked for this far after "Distr". */
#define DISTR_WINDOW 160
/* ...and this far after "Resolution adopted by" (the body's name and "at
 * its 9836th meeting" come between). */
#define ADOPTED_WINDOW 120
/* An error page says so early, and says little else. */
#define ERROR_PAGE_BYTES 600
#define ERROR_PAGE_MAX_TEXT 2000

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* The head of doc, malloc'd (NULL on OOM or when doc has no passages). */
static char *document_head(const civ_document *doc)
{
    GString *head = g_string_new(NULL);
    int paged = doc->n_passages && doc->passages[0].page > 0;
    for (size_t i = 0; i < doc->n_passages && head->len < HEAD_MAX; i++) {
        const civ_passage *p = &doc->passages[i];
        if (paged && p->page > 1)
            break;
        if (p->paragraph) {
            g_string_append(head, p->paragraph);
            g_string_append_c(head, ' ');
        }
        g_string_append(head, p->text);
        g_string_append_c(head, '\n');
    }
    if (head->len > HEAD_MAX) {
        /* Cut on a character boundary. */
        const char *end = NULL;
        g_utf8_validate(head->str, HEAD_MAX, &end);
        g_string_truncate(head, (gsize)(end - head->str));
    }
    char *out = head->len ? strdup(head->str) : NULL;
    g_string_free(head, TRUE);
    return out;
}

/* The first symbol in text[0..limit) not printed in brackets, into *u. */
static int own_symbol(const char *text, size_t len, size_t limit, civ_unsymbol *u)
{
    civ_unsymbol_match *m = NULL;
    size_t n = 0;
    int found = 0;
    if (civ_unsymbol_find(text, len, &m, &n, NULL) != CIV_OK)
        return 0;
    for (size_t i = 0; i < n && !found; i++) {
        if (m[i].start >= limit)
            break;
        if (m[i].start > 0 && (text[m[i].start - 1] == '(' || text[m[i].start - 1] == '['))
            continue;
        *u = m[i].symbol;
        found = 1;
    }
    free(m);
    return found;
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!is_digit(*s))
            return 0;
    return 1;
}

/* Whether title is one word that head (the first page) does not print: a
 * producer's leftover, not the document's title. */
static int stray_word(const char *title, const char *head)
{
    return !strchr(title, ' ') && !(head && strstr(head, title));
}

/* The bytes of text in all of doc's passages. */
static size_t document_bytes(const civ_document *doc)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->n_passages; i++)
        n += strlen(doc->passages[i].text);
    return n;
}

/* A page that stands where a document should: "The document you requested
 * does not exist", "404 Not Found". */
static int error_page(const char *head)
{
    static const char *const phrases[] = {"does not exist",      "not found",
                                          "no longer available", "is not available",
                                          "access denied",       "page not found"};
    size_t len = strlen(head);
    if (len > ERROR_PAGE_BYTES)
        len = ERROR_PAGE_BYTES;
    char *lower = g_ascii_strdown(head, (gssize)len);
    int hit = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(phrases) && !hit; i++)
        hit = strstr(lower, phrases[i]) != NULL;
    g_free(lower);
    return hit;
}

/* ---- printed dates ----------------------------------------------------- */

static const struct {
    const char *name;
    int month;
} months[] = {
    {"January", 1},    {"February", 2},   {"March", 3},      {"April", 4},     {"May", 5},
    {"June", 6},       {"July", 7},       {"August", 8},     {"September", 9}, {"October", 10},
    {"November", 11},  {"December", 12},  {"janvier", 1},    {"février", 2},   {"mars", 3},
    {"avril", 4},      {"mai", 5},        {"juin", 6},       {"juillet", 7},   {"août", 8},
    {"septembre", 9},  {"octobre", 10},   {"novembre", 11},  {"décembre", 12}, {"enero", 1},
    {"febrero", 2},    {"marzo", 3},      {"abril", 4},      {"mayo", 5},      {"junio", 6},
    {"julio", 7},      {"agosto", 8},     {"septiembre", 9}, {"setiembre", 9}, {"octubre", 10},
    {"noviembre", 11}, {"diciembre", 12},
};

/* A date "24 March 2025", "1er avril 2025", "3 de abril de 2025" at
 * text[i] (at a word start): fills *d and returns its length, or 0. */
static size_t date_at(const char *text, size_t len, size_t i, GDate *d)
{
    size_t k = i, n = 0;
    while (k < len && is_digit(text[k]) && n < 3) {
        k++;
        n++;
    }
    if (n == 0 || n > 2 || (k < len && is_digit(text[k])))
        return 0;
    int day = atoi(text + i);
    if (k + 2 <= len && memcmp(text + k, "er", 2) == 0)
        k += 2;
    if (k >= len || text[k] != ' ')
        return 0;
    k++;
    if (k + 3 <= len && memcmp(text + k, "de ", 3) == 0)
        k += 3;
    int month = 0;
    for (size_t m = 0; m < G_N_ELEMENTS(months) && !month; m++) {
        size_t ml = strlen(months[m].name);
        if (k + ml < len && g_ascii_strncasecmp(text + k, months[m].name, ml) == 0 &&
            text[k + ml] == ' ') {
            month = months[m].month;
            k += ml + 1;
        }
    }
    if (!month)
        return 0;
    if (k + 3 <= len && memcmp(text + k, "de ", 3) == 0)
        k += 3;
    if (k + 4 > len || !is_digit(text[k]) || !is_digit(text[k + 1]) || !is_digit(text[k + 2]) ||
        !is_digit(text[k + 3]) || (k + 4 < len && is_digit(text[k + 4])))
        return 0;
    int year = atoi(text + k);
    if (year < 1945 || year > 2100 ||
        !g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year))
        return 0;
    g_date_set_dmy(d, (GDateDay)day, (GDateMonth)month, (GDateYear)year);
    return k + 4 - i;
}

static int first_date(const char *text, size_t from, size_t to, GDate *d)
{
    for (size_t i = from; i < to; i++) {
        if (i > 0 && (is_digit(text[i - 1]) || is_alpha(text[i - 1])))
            continue;
        if (is_digit(text[i]) && date_at(text, to, i, d))
            return 1;
    }
    return 0;
}

static int printed_date(const char *head, GDate *d)
{
    size_t len = strlen(head);
    const char *distr = strstr(head, "Distr");
    if (distr) {
        size_t from = (size_t)(distr - head);
        size_t to = from + DISTR_WINDOW < len ? from + DISTR_WINDOW : len;
        if (first_date(head, from, to, d))
            return 1;
    }
    return first_date(head, 0, len < MASTHEAD_BYTES ? len : MASTHEAD_BYTES, d);
}

int civ_unmeta_prints_date(const char *first_page)
{
    GDate d;
    g_date_clear(&d, 1);
    return first_page && printed_date(first_page, &d);
}

/* The date a resolution or decision was adopted, as its first page prints
 * it under the masthead: "Resolution adopted by the General Assembly on
 * 13 August 2024", "Adopted by the Security Council at its 9836th
 * meeting, on 15 January 2025" (French "adoptée par", Spanish "aprobada
 * por"). Citations give this date, not the issue date two days later.
 * Only those openings count: a preamble's "adopted by the General
 * Assembly on 10 December 1948" is another text's date. */
static int adopted_date(const char *head, GDate *d)
{
    static const char *const openings[] = {"Resolution adopted by", "Decision adopted by",
                                           "\nAdopted by",          "Résolution adoptée par",
                                           "Décision adoptée par",  "Resolución aprobada por",
                                           "Decisión aprobada por"};
    size_t len = strlen(head), area = len < HEAD_MAX ? len : HEAD_MAX;
    for (size_t i = 0; i < G_N_ELEMENTS(openings); i++) {
        const char *at = g_strstr_len(head, (gssize)area, openings[i]);
        if (!at)
            continue;
        size_t from = (size_t)(at - head);
        size_t to = from + ADOPTED_WINDOW < len ? from + ADOPTED_WINDOW : len;
        if (first_date(head, from, to, d))
            return 1;
    }
    return 0;
}

/* ---- agenda items ------------------------------------------------------ */

/* "6", "13", "69 (b)" at text[i]: appended to out; returns its length. */
static size_t agenda_number(const char *text, size_t len, size_t i, GString *out)
{
    size_t k = i;
    while (k < len && is_digit(text[k]) && k - i < 3)
        k++;
    if (k == i || (k < len && (is_digit(text[k]) || is_alpha(text[k]))))
        return 0;
    size_t end = k;
    /* A sub-item: " (b)". */
    if (k + 4 <= len && text[k] == ' ' && text[k + 1] == '(' && text[k + 2] >= 'a' &&
        text[k + 2] <= 'z' && text[k + 3] == ')')
        end = k + 4;
    if (out->len)
        g_string_append(out, ", ");
    g_string_append_len(out, text + i, (gssize)(end - i));
    return end - i;
}

/* The agenda item(s) the head says the document is issued under:
 * "Agenda item 6", "Agenda items 2 and 3", "Item 3 of the provisional
 * agenda". Returns a malloc'd "6", "2, 3", "69 (b)" or NULL. */
static char *agenda_item(const char *head)
{
    size_t len = strlen(head);
    GString *out = g_string_new(NULL);
    static const char *const leads[] = {"Agenda items ", "Agenda item ", "agenda items ",
                                        "agenda item ",  "Item ",        "Items "};
    for (size_t i = 0; i < len && !out->len; i++) {
        if (i > 0 && is_alpha(head[i - 1]))
            continue;
        for (size_t l = 0; l < G_N_ELEMENTS(leads) && !out->len; l++) {
            size_t ll = strlen(leads[l]);
            if (i + ll > len || memcmp(head + i, leads[l], ll) != 0)
                continue;
            size_t k = i + ll, n;
            while ((n = agenda_number(head, len, k, out)) > 0) {
                k += n;
                if (k + 2 <= len && memcmp(head + k, ", ", 2) == 0)
                    k += 2;
                else if (k + 5 <= len && memcmp(head + k, " and ", 5) == 0)
                    k += 5;
                else
                    break;
            }
            /* A bare "Item 3" counts only as an item "of the (provisional)
             * agenda". */
            if (out->len && leads[l][0] == 'I' &&
                strncmp(head + k, " of the provisional agenda", 26) != 0 &&
                strncmp(head + k, " of the agenda", 14) != 0)
                g_string_truncate(out, 0);
        }
    }
    char *result = out->len ? strdup(out->str) : NULL;
    g_string_free(out, TRUE);
    return result;
}

/* ---- running headers --------------------------------------------------- */

/* Skip the printed form of symbol (any spacing around '/' and before a
 * bracket) at text[i]; returns the bytes matched or 0. */
static size_t skip_symbol(const char *text, size_t len, size_t i, const char *symbol)
{
    size_t k = i;
    for (const char *s = symbol; *s; s++) {
        if (*s == '/' || *s == '(') {
            while (k < len && text[k] == ' ')
                k++;
            if (k >= len || text[k] != *s)
                return 0;
            k++;
            while (k < len && text[k] == ' ')
                k++;
            continue;
        }
        if (*s == ' ')
            continue;
        if (k >= len || text[k] != *s)
            return 0;
        k++;
    }
    return k - i;
}

/* "n/m" at text[i] with 1 <= n <= m <= pages: its length, or 0. */
static size_t page_counter(const char *text, size_t len, size_t i, int pages, int *n_out)
{
    size_t k = i;
    while (k < len && is_digit(text[k]) && k - i < 4)
        k++;
    if (k == i || k >= len || text[k] != '/')
        return 0;
    int n = atoi(text + i);
    size_t j = ++k;
    while (k < len && is_digit(text[k]) && k - j < 4)
        k++;
    if (k == j || (k < len && (is_digit(text[k]) || text[k] == '/')))
        return 0;
    int m = atoi(text + j);
    if (n < 1 || n > m || m != pages)
        return 0;
    if (n_out)
        *n_out = n;
    return k - i;
}

/* The running-header material at the start of text on page page: the
 * symbol, the date as dd/mm/yyyy and a page counter, with the spaces after
 * them. Returns its length (strlen(text) when the text is nothing else). A
 * counter alone may be any page's; before text it must be this page's. */
static size_t header_prefix(const char *text, const char *symbol, const char *ddmmyyyy, int pages,
                            int page)
{
    size_t len = strlen(text), i = 0, end = 0;
    while (i < len) {
        size_t l = symbol ? skip_symbol(text, len, i, symbol) : 0;
        if (!l && ddmmyyyy[0] && i + 10 <= len && memcmp(text + i, ddmmyyyy, 10) == 0)
            l = 10;
        if (!l) {
            int n = 0;
            l = page_counter(text, len, i, pages, &n);
            if (l && n != page && i + l < len)
                l = 0;
        }
        if (!l || (i + l < len && text[i + l] != ' '))
            break;
        i += l;
        while (i < len && text[i] == ' ')
            i++;
        end = i;
    }
    return end;
}

/* Append text to passage p (a paragraph that ran over a page break). */
static int join_passage(civ_passage *p, const char *text)
{
    size_t a = strlen(p->text), b = strlen(text);
    if (a + 1 + b >= CIV_MAX_PASSAGE_BYTES)
        return 0;
    char *joined = realloc(p->text, a + 1 + b + 1);
    if (!joined)
        return 0;
    joined[a] = ' ';
    memcpy(joined + a + 1, text, b + 1);
    p->text = joined;
    return 1;
}

static void clean_running_headers(civ_document *doc, const GDate *date)
{
    char ddmmyyyy[16] = "";
    if (date && g_date_valid(date))
        snprintf(ddmmyyyy, sizeof ddmmyyyy, "%02d/%02d/%04d", g_date_get_day(date),
                 g_date_get_month(date), g_date_get_year(date));
    unsigned char *drop = calloc(doc->n_passages ? doc->n_passages : 1, 1);
    if (!drop)
        return;
    int any = 0;
    ssize_t last_kept = -1;
    for (size_t i = 0; i < doc->n_passages; i++) {
        civ_passage *p = &doc->passages[i];
        size_t len = strlen(p->text);
        size_t cut = p->page > 1
                         ? header_prefix(p->text, doc->symbol, ddmmyyyy, doc->page_count, p->page)
                         : 0;
        if (cut == len) {
            drop[i] = any = 1;
            continue;
        }
        if (cut) {
            memmove(p->text, p->text + cut, len - cut + 1);
            /* The header hid a sentence running on from the last page:
             * "16/04/2025 population is constantly growing". */
            civ_passage *prev = last_kept >= 0 ? &doc->passages[last_kept] : NULL;
            if (prev && prev->page < p->page && !p->paragraph && p->text[0] >= 'a' &&
                p->text[0] <= 'z' && join_passage(prev, p->text)) {
                drop[i] = any = 1;
                continue;
            }
        }
        last_kept = (ssize_t)i;
    }
    if (any)
        civ_document_remove_passages(doc, drop);
    free(drop);
}

/* ---- printed titles ---------------------------------------------------- */

/* Longest title taken from a page; a longer run is not a title block. */
#define TITLE_MAX 300
/* Where the title block may be: the masthead and what follows it. */
#define TITLE_WINDOW 1500

/* Where the first symbol in text[i..end) starts, or end. A list of
 * documents prints each title before its symbol, glued on by the
 * extraction ("Provisional agendaA/AC.121/2025/L.1 Draft programme of
 * work"): a title never runs into one. */
static size_t before_symbol(const char *text, size_t i, size_t end)
{
    civ_unsymbol_match *m = NULL;
    size_t n = 0;
    if (civ_unsymbol_find(text + i, end - i, &m, &n, NULL) == CIV_OK && n)
        end = i + m[0].start;
    free(m);
    for (size_t k = i + 1; k < end; k++) {
        if (!g_ascii_islower(text[k - 1]) || !g_ascii_isupper(text[k]))
            continue;
        m = NULL;
        n = 0;
        int glued =
            civ_unsymbol_find(text + k, end - k, &m, &n, NULL) == CIV_OK && n && m[0].start == 0;
        free(m);
        if (glued)
            return k;
    }
    return end;
}

/* Whether a symbol starts at text[at], or after one space. */
static int starts_symbol(const char *text, size_t at, size_t len)
{
    if (at < len && text[at] == ' ')
        at++;
    civ_unsymbol_match *m = NULL;
    size_t n = 0;
    size_t window = len - at < CIV_UNSYMBOL_MAX ? len - at : CIV_UNSYMBOL_MAX;
    int found =
        civ_unsymbol_find(text + at, window, &m, &n, NULL) == CIV_OK && n && m[0].start == 0;
    free(m);
    return found;
}

/* The end of a title starting at text[i]: a line end, a footnote mark,
 * what UN first pages print under a title, a symbol, or the heading of the
 * summary under it. */
static size_t title_end(const char *text, size_t i, size_t len, int stop_at_the)
{
    static const char *const stops[] = {" Summary ", " Note by ",     " Vice-President", " I. ",
                                        " Contents", " Introduction", " Report of the ", "\n"};
    size_t end = len;
    const char *star = memchr(text + i, '*', len - i);
    if (star)
        end = (size_t)(star - text);
    for (size_t k = 0; k < G_N_ELEMENTS(stops); k++) {
        const char *hit = g_strstr_len(text + i + 1, (gssize)(end - i - 1), stops[k]);
        if (hit)
            end = (size_t)(hit - text);
    }
    if (stop_at_the) {
        /* "Human rights and climate change The Human Rights Council," */
        const char *the = g_strstr_len(text + i, (gssize)(end - i), " The ");
        if (the)
            end = (size_t)(the - text);
    }
    end = before_symbol(text, i, end);
    /* The heading of the summary under the title, at a line's end:
     * "Report of the Ethics Office Summary". */
    static const char summary[] = " Summary";
    size_t sl = sizeof summary - 1;
    if (end - i > sl && memcmp(text + end - sl, summary, sl) == 0)
        end -= sl;
    return end;
}

/* text[i..end) as a title, trimmed; NULL unless it looks like one: an
 * upper-case start, a sensible length, valid UTF-8. */
static char *title_from(const char *text, size_t i, size_t end)
{
    while (end > i && strchr(" ,;:", text[end - 1]))
        end--;
    if (end <= i || end - i < 8 || end - i > TITLE_MAX || !g_ascii_isupper(text[i]) ||
        !g_utf8_validate(text + i, (gssize)(end - i), NULL))
        return NULL;
    return g_strndup(text + i, end - i);
}

/* A resolution or decision prints its number before its title: "59/25.
 * Human rights and climate change", "14/105 Outcome of ...", a draft
 * "59/… Human rights and climate change". */
static char *numbered_title(const char *head, size_t len, const civ_unsymbol *u)
{
    char token[48];
    if (!u->kind || !u->session[0] || !is_digit(u->session[0]))
        return NULL;
    if (!strcmp(u->kind, "resolution") || !strcmp(u->kind, "decision")) {
        if (!is_digit(u->number[0]))
            return NULL;
        snprintf(token, sizeof token, "%s/%s", u->session, u->number);
    } else if (!strcmp(u->kind, "draft")) {
        snprintf(token, sizeof token, "%s/\xe2\x80\xa6", u->session);
    } else {
        return NULL;
    }
    size_t tl = strlen(token);
    for (const char *p = strstr(head, token); p; p = strstr(p + 1, token)) {
        size_t i = (size_t)(p - head);
        /* Not inside the symbol or another number: a word on its own. */
        if ((i > 0 && !strchr(" \n", head[i - 1])) || i + tl >= len)
            continue;
        size_t k = i + tl;
        if (head[k] == '.')
            k++;
        if (k >= len || !strchr(" \n", head[k]))
            continue;
        while (k < len && strchr(" \n", head[k]))
            k++;
        char *title = title_from(head, k, title_end(head, k, len, 1));
        if (title)
            return title;
    }
    return NULL;
}

/* Whether an opener at head[i] follows the end of a subject: a space after
 * a lower-case letter, a digit or a closing quote or bracket ("Universal
 * periodic review Report of ...", "... for the twenty-first century”
 * Statement submitted by ..."). */
static int after_subject(const char *head, size_t i)
{
    if (i < 2 || head[i - 1] != ' ')
        return 0;
    const char *prev = g_utf8_find_prev_char(head, head + i - 1);
    if (!prev)
        return 0;
    gunichar c = g_utf8_get_char(prev);
    return g_unichar_islower(c) || (c >= '0' && c <= '9') || c == ')' || c == ']' || c == '"' ||
           c == 0x2019 || c == 0x201D;
}

/* A letter's title ends with its addressees ("... addressed to the
 * Secretary-General, the President of the General Assembly and the
 * President of the Security Council"), and its text often follows in the
 * same passage ("I have the honour to ..."). Where the last addressee ends
 * (each one after the first joined on by ", " or " and "), or 0 when no
 * addressee is one the rule knows. */
static size_t addressees_end(const char *text, size_t i, size_t end)
{
    static const char *const last_words[] = {"Secretary-General", "General Assembly",
                                             "Security Council", "Economic and Social Council",
                                             "Human Rights Council"};
    /* An addressee's last words come this soon after the one before. */
    enum { GAP = 100 };
    static const char to[] = " addressed to ";
    const char *hit = g_strstr_len(text + i, (gssize)(end - i), to);
    if (!hit)
        return 0;
    size_t at = (size_t)(hit - text) + strlen(to), found = 0;
    for (;;) {
        size_t next = 0;
        for (size_t w = 0; w < G_N_ELEMENTS(last_words); w++) {
            size_t wl = strlen(last_words[w]);
            size_t window = end - at < GAP + wl ? end - at : GAP + wl;
            const char *h = g_strstr_len(text + at, (gssize)window, last_words[w]);
            size_t e = h ? (size_t)(h - text) + wl : 0;
            if (e && (!next || e < next))
                next = e;
        }
        if (!next)
            return found;
        found = next;
        if (strncmp(text + found, ", ", 2) != 0 && strncmp(text + found, " and ", 5) != 0)
            return found;
        at = found;
    }
}

/* A title opening with the words UN reports, statements, letters and
 * decisions of treaty bodies open with, at a line start or after the
 * agenda item's subject. A candidate that does not make a title (an agenda
 * item's subject opening "Report of the ..." that runs on for lines, a
 * list's entry) is passed over for the next. */
static char *opener_title(const char *head, size_t len)
{
    static const struct {
        const char *words;
        int letter; /* the title ends with its addressees */
    } openers[] = {{"Report of the ", 0},
                   {"Summary of ", 0},
                   {"Compilation of ", 0},
                   {"National report ", 0},
                   {"Statement submitted by ", 0},
                   {"Decision adopted by the Committee ", 0},
                   {"Views adopted by the Committee ", 0},
                   {"Provisional agenda", 0},
                   {"Letter dated ", 1},
                   {"Identical letters dated ", 1},
                   {"Note verbale dated ", 1}};
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && head[i - 1] != '\n' && !after_subject(head, i))
            continue;
        for (size_t o = 0; o < G_N_ELEMENTS(openers); o++) {
            if (strncmp(head + i, openers[o].words, strlen(openers[o].words)) != 0)
                continue;
            size_t end = title_end(head, i, len, 0);
            if (openers[o].letter && !(end = addressees_end(head, i, end)))
                break;
            /* In a list of documents each title is followed by its
             * document's symbol: an entry, not this document's title. */
            if (end < len && starts_symbol(head, end, len))
                break;
            char *title = title_from(head, i, end);
            if (!title)
                break;
            /* The Working Group's review report names the State under
             * its title, after the footnote mark: "...Review* Slovenia". */
            static const char upr[] =
                "Report of the Working Group on the Universal Periodic Review";
            if (strcmp(title, upr) == 0 && end < len && head[end] == '*') {
                size_t k = end + 1;
                while (k < len && head[k] == ' ')
                    k++;
                size_t stop = k;
                while (stop < len && head[stop] != '\n' && head[stop] != '*' &&
                       !is_digit(head[stop]))
                    stop++;
                while (stop > k && head[stop - 1] == ' ')
                    stop--;
                if (stop > k && stop - k <= 60 && g_ascii_isupper(head[k])) {
                    char *named = g_strdup_printf("%s: %.*s", title, (int)(stop - k), head + k);
                    g_free(title);
                    title = named;
                }
            }
            return title;
        }
    }
    return NULL;
}

/* A line ending "Note by the Secretariat": the line before it is the title
 * ("Opening dates of forthcoming regular sessions ... Note by the
 * Secretariat"). */
static char *note_title(const char *head, size_t len)
{
    static const char *const notes[] = {" Note by the Secretariat",
                                        " Note by the Secretary-General"};
    size_t start = 0;
    while (start < len) {
        const char *nl = memchr(head + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - head) : len;
        for (size_t n = 0; n < G_N_ELEMENTS(notes); n++) {
            size_t nlen = strlen(notes[n]);
            if (end - start > nlen && memcmp(head + end - nlen, notes[n], nlen) == 0) {
                char *title = title_from(head, start, end - nlen);
                if (title)
                    return title;
            }
        }
        start = end + 1;
    }
    return NULL;
}

/* Drop from title the characters of the Private Use Area (U+E000 to
 * U+F8FF: glyphs of symbol fonts, such as the footnote marks after "Review"
 * in UPR reports, which no reader sees as text), then the spaces at its
 * ends. */
static void drop_private_use(char *title)
{
    char *out = title;
    for (const char *c = title; *c; c = g_utf8_next_char(c)) {
        gunichar u = g_utf8_get_char(c);
        size_t n = (size_t)(g_utf8_next_char(c) - c);
        if (u < 0xE000 || u > 0xF8FF) {
            memmove(out, c, n);
            out += n;
        }
    }
    *out = '\0';
    g_strstrip(title);
}

/* The title printed on the first page of a UN document whose symbol was
 * read there, or NULL when no rule is sure of it. g_free it. */
static char *printed_title(const char *head, const civ_unsymbol *u)
{
    size_t len = strlen(head);
    if (len > TITLE_WINDOW)
        len = TITLE_WINDOW;
    char *title = numbered_title(head, len, u);
    if (!title)
        title = opener_title(head, len);
    if (!title)
        title = note_title(head, len);
    if (title)
        drop_private_use(title);
    return title;
}

/* ---- putting it together ----------------------------------------------- */

static int roman_value(const char *s)
{
    int v = 0, prev = 0;
    for (size_t i = strlen(s); i > 0; i--) {
        char c = s[i - 1];
        int d = c == 'I' ? 1 : c == 'V' ? 5 : c == 'X' ? 10 : c == 'L' ? 50 : 0;
        if (!d)
            return 0;
        v += d < prev ? -d : d;
        if (d > prev)
            prev = d;
    }
    return v;
}

static void set_if_unset(civ_document *doc, char **field, const char *value)
{
    if (!*field && value && value[0])
        civ_document_set(doc, field, value);
}

/* The first symbol in one of the metadata strings. */
static int metadata_symbol(char *meta[3], civ_unsymbol *u)
{
    for (int i = 0; i < 3; i++) {
        if (!meta[i])
            continue;
        if (civ_unsymbol_parse(meta[i], strlen(meta[i]), 0, u, NULL) == CIV_OK)
            return 1;
        if (own_symbol(meta[i], strlen(meta[i]), strlen(meta[i]), u))
            return 1;
    }
    return 0;
}

/* The document's symbol into *u, and where it was found (NULL: none). */
static const char *find_symbol(civ_document *doc, const char *name, const char *data, size_t len,
                               const char *head, civ_unsymbol *u)
{
    const char *source = NULL;
    char *meta[3] = {NULL, NULL, NULL};
    civ_unsymbol from_name;

    /* The Universal Declaration is cited by its name, not as resolution
     * 217 (III): it gets no symbol (its extractor set body, kind, date). */
    if (doc->format && strcmp(doc->format, "udhr-xml") == 0)
        return NULL;
    /* A page that says the document does not exist is not that document,
     * whatever the file is called or the page quotes. */
    int error = head && error_page(head);
    if (error && document_bytes(doc) < ERROR_PAGE_MAX_TEXT)
        return NULL;
    /* The first page's own symbol wins over everything else: a file saved
     * under another document's name is still the document it shows. */
    if (head && own_symbol(head, strlen(head), MASTHEAD_BYTES, u))
        return "text";
    if (error)
        return NULL;
    if (doc->format && strcmp(doc->format, "pdf") == 0)
        civ_unmeta_pdf_info(data, len, meta);
    if (!meta[0] && doc->title)
        meta[0] = strdup(doc->title);
    if (metadata_symbol(meta, u))
        source = "metadata";
    else if (civ_unsymbol_from_filename(name, &from_name, NULL) == CIV_OK) {
        *u = from_name;
        source = "filename";
    }
    for (int i = 0; i < 3; i++)
        free(meta[i]);
    return source;
}

void civ_unmeta_apply(civ_document *doc, const char *name, const char *data, size_t len)
{
    civ_unsymbol u;
    if (!doc)
        return;
    char *head = document_head(doc);
    const char *source = find_symbol(doc, name, data, len, head, &u);
    if (source && !doc->symbol) {
        civ_document_set(doc, &doc->symbol, u.symbol);
        civ_document_set(doc, &doc->symbol_source, source);
    }
    /* A UN document without a title of its own (or with the job number
     * "1723427", or a single word its first page does not print, such as
     * "Etpu" or "current.wpf", as its PDF title) gets the title printed on
     * its first page when its symbol was read there too and a rule
     * recognises the title block; else it is shown under its symbol, not
     * its file name. */
    if (doc->symbol && (!doc->title || all_digits(doc->title) || stray_word(doc->title, head))) {
        char *title = source && !strcmp(source, "text") && head && !strcmp(doc->symbol, u.symbol)
                          ? printed_title(head, &u)
                          : NULL;
        civ_document_set(doc, &doc->title, title ? title : doc->symbol);
        g_free(title);
    }
    /* A general debate statement, known by its file name alone. */
    civ_gdebate debate;
    if (!doc->symbol && civ_gdebate_from_filename(name, &debate)) {
        char text[256];
        civ_gdebate_title(&debate, text, sizeof text);
        if (!doc->title) {
            civ_document_set(doc, &doc->title, text);
            doc->title_from_name = 1;
        }
        snprintf(text, sizeof text, "%d", debate.year);
        set_if_unset(doc, &doc->date, text);
        snprintf(text, sizeof text, "%d", debate.session);
        set_if_unset(doc, &doc->session, text);
        set_if_unset(doc, &doc->body, "GA");
        set_if_unset(doc, &doc->doctype, "statement");
    }
    /* Adopted at the General Assembly's third session. */
    if (doc->format && strcmp(doc->format, "udhr-xml") == 0)
        set_if_unset(doc, &doc->session, "3");
    if (source && doc->symbol && strcmp(doc->symbol, u.symbol) == 0) {
        set_if_unset(doc, &doc->body, u.body);
        set_if_unset(doc, &doc->doctype, u.kind);
        if (u.session[0]) {
            /* The first General Assembly sessions are Roman: III is 3. */
            char session[16];
            int roman = roman_value(u.session);
            if (roman)
                snprintf(session, sizeof session, "%d", roman);
            else
                g_strlcpy(session, u.session, sizeof session);
            set_if_unset(doc, &doc->session, session);
        }
    }

    GDate date;
    g_date_clear(&date, 1);
    /* XML formats carry their own dates; pages and plain text print them. */
    int printed = doc->format && (!strcmp(doc->format, "pdf") || !strcmp(doc->format, "text") ||
                                  !strcmp(doc->format, "html"));
    if (head && doc->symbol && printed) {
        /* The issue date also marks the running headers (dd/mm/yyyy). */
        int issued = printed_date(head, &date);
        GDate adopted;
        g_date_clear(&adopted, 1);
        int acts = doc->doctype &&
                   (!strcmp(doc->doctype, "resolution") || !strcmp(doc->doctype, "decision"));
        const GDate *dated = acts && adopted_date(head, &adopted) ? &adopted
                             : issued                             ? &date
                                                                  : NULL;
        if (dated) {
            char iso[16];
            snprintf(iso, sizeof iso, "%04d-%02d-%02d", g_date_get_year(dated),
                     g_date_get_month(dated), g_date_get_day(dated));
            civ_document_set(doc, &doc->date, iso);
        }
        if (!doc->agenda) {
            char *agenda = agenda_item(head);
            civ_document_set(doc, &doc->agenda, agenda);
            free(agenda);
        }
        if (doc->page_count > 1)
            clean_running_headers(doc, &date);
    }
    free(head);
}
