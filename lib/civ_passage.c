/* civ_passage.c: split running text (a PDF page, a plain-text file) into
 * passages, the paragraphs a document prints, with their printed numbers.
 *
 * The input is lines of text with no layout information, so the splitter
 * works from line shapes:
 *
 * - A blank line ends a passage.
 * - A line that starts with a printed paragraph number ("12.", "(a)",
 *   "Article 3") starts a passage; the number goes to the paragraph field.
 *   A number alone on its line (UN PDFs print "12." in a column of its own,
 *   so poppler gives it a line of its own) is attached to the text after it.
 * - Justified text fills every line but a paragraph's last, so a line that
 *   ends a sentence (or a resolution's preambular clause, which ends with a
 *   comma) and is clearly shorter than the page's typical line ends the
 *   passage. Short lines without final punctuation are headings; a run of
 *   them is one passage, and a short run also becomes the heading path of
 *   the passages after it.
 * - A plain number before a short line that reads as a heading ("1.
 *   Same-sex partnership") numbers a heading, not a paragraph: unnumbered
 *   text under it (a by-law's section) takes its number, a numbered
 *   paragraph keeps its own. A dotted number out of sequence with the
 *   paragraphs before it ("304.901" in a table) is not a paragraph's.
 * - Text with very long lines was not wrapped: each line is a paragraph.
 * - A paragraph past PASSAGE_LONG bytes is cut at sentence ends.
 * - Page furniture never reaches a passage: bare page numbers ("5",
 *   "- 5 -"), UN job numbers ("GE.25-05460 (E)"), print-date and barcode
 *   lines, and the document symbol repeated as a running header on pages
 *   after the first.
 * - A hyphen that ends a line before a word in lower case is decided once
 *   the whole document is read (civ_passage_line_hyphens): compounds
 *   ("non-governmental") keep it, words broken by hyphenation lose it.
 * - A page whose first text continues a sentence (it starts in lower case)
 *   is joined to the previous page's last passage, so a paragraph that runs
 *   over a page break stays one passage, cited at the page where it starts.
 *
 * Invariants: no buffer grows past CIV_MAX_PASSAGE_BYTES (plus one line);
 * every passage goes through civ_document_add_passage, which normalises
 * whitespace and enforces the passage caps.
 */
#include "civ_passage.h"

#include <ctype.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Printed numbers are short; this bounds every copy of one. */
#define NUMBER_MAX 32
/* Heading paths longer than this are not headings but cover-page blocks. */
#define HEADING_MAX 160
/* Lines longer than this mean the text was not wrapped into lines. */
#define UNWRAPPED_WIDTH 200
/* Bare integer lines are paragraph numbers only close to the last one. */
#define BARE_NUMBER_GAP 5
/* A paragraph longer than this (text not divided into paragraphs: a
 * speech on one line, a page with no breaks) is cut at sentence ends into
 * passages of about PASSAGE_TARGET bytes, each with the paragraph's number
 * and heading: a passage is what a citation points at and a snippet shows,
 * and one of tens of kilobytes is neither. */
#define PASSAGE_LONG 4000
#define PASSAGE_TARGET 2000

typedef struct line {
    const char *s;
    size_t len;    /* bytes, without surrounding whitespace */
    size_t width;  /* characters */
    int furniture; /* page furniture: dropped */
} text_line;

typedef struct splitter {
    civ_document *doc;
    int page;
    size_t width; /* typical line width on this page, in characters */
    char *buf;    /* text of the passage being built */
    size_t n;
    size_t cap;
    char number[NUMBER_MAX]; /* its printed number, "" when none */
    char section_number[NUMBER_MAX]; /* of a numbered heading ("2. REPEAL"), for the
                                        unnumbered text under it; "" when none */
    char heading_number[NUMBER_MAX]; /* ...until the passage before the heading ends */
    int n_lines;             /* lines in the passage being built */
    int heading_block;       /* the passage is a run of heading lines */
    int number_only;         /* last line was a number alone on its line */
    int first_passage;       /* nothing flushed yet on this page */
    int continuation;        /* first text of the page continues a sentence */
    char h1[HEADING_MAX];    /* heading path: top level ("I. ...", "Annex") */
    char h2[HEADING_MAX];    /* second level ("A. ...") */
} splitter;

static int is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static size_t utf8_width(const char *s, size_t len)
{
    size_t w = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            w++;
    return w;
}

static gunichar first_char(const char *s, size_t len)
{
    if (!len)
        return 0;
    gunichar c = g_utf8_get_char_validated(s, (gssize)len);
    return c == (gunichar)-1 || c == (gunichar)-2 ? 0 : c;
}

/* Case tests are Unicode-aware: "ž", "é" and Cyrillic start continuation
 * lines too. */
static int is_lower_start(const char *s, size_t len)
{
    return g_unichar_islower(first_char(s, len));
}

/* Upper case, or any start that is not a lower-case letter and not a plain
 * word character either (quotes, Arabic, CJK): not a continuation. */
static int is_upper_start(const char *s, size_t len)
{
    gunichar c = first_char(s, len);
    if (!c)
        return 0;
    if (c < 0x80)
        return isupper((int)c);
    return !g_unichar_islower(c);
}

static size_t digits_at(const char *s, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && isdigit((unsigned char)s[j]))
        j++;
    return j - i;
}

static int is_roman_lower(const char *s, size_t n)
{
    if (n == 0 || n > 7)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr("ivxlc", s[i]))
            return 0;
    return 1;
}

static int is_roman_upper(const char *s, size_t n)
{
    if (n == 0 || n > 7)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr("IVXLC", s[i]))
            return 0;
    return 1;
}

/* A paragraph letter: "a", "B", "aa" (after "z"), or a lower-case roman
 * numeral "iv". */
static int is_item_label(const char *s, size_t n)
{
    if (n == 1)
        return isalpha((unsigned char)s[0]);
    if (n == 2 && s[0] == s[1] && islower((unsigned char)s[0]))
        return 1;
    return is_roman_lower(s, n);
}

/* Count whitespace at s[i..len) and report whether it ends the line. */
static size_t skip_space(const char *s, size_t len, size_t i, int *at_end)
{
    size_t j = i;
    while (j < len && is_space_byte((unsigned char)s[j]))
        j++;
    *at_end = j == len;
    return j - i;
}

/* After "(a)" or "a)" at s[k], sp spaces: the item's text starts with a
 * capital or sits past a tab or wide gap. "(2) of the Paris Agreement" at a
 * line start is a wrapped reference, not an item; "(c)Observer for the
 * Holy See", an item glued to its text, is one. */
static int item_text_follows(const char *s, size_t len, size_t k, size_t sp)
{
    if (sp == 0)
        return k < len && isupper((unsigned char)s[k]) && k >= 2 &&
               islower((unsigned char)s[k - 2]);
    if (s[k] == '\t' || sp >= 2)
        return 1;
    return !is_lower_start(s + k + sp, len - k - sp);
}

static size_t copy_number(char *out, size_t out_size, const char *s, size_t n)
{
    if (out && out_size) {
        size_t k = n < out_size - 1 ? n : out_size - 1;
        memcpy(out, s, k);
        out[k] = '\0';
    }
    return n;
}

/* The words that introduce a numbered article, in the languages of the
 * corpus. */
static const char *const article_words[] = {
    "Article", "ARTICLE", "Artículo", "ARTÍCULO", "Articulo", "Artigo", "Artikel", "Статья",
};

static size_t article_number(const char *s, size_t len, size_t i, char *out, size_t out_size)
{
    for (size_t w = 0; w < sizeof article_words / sizeof article_words[0]; w++) {
        size_t wl = strlen(article_words[w]);
        if (len - i < wl + 2 || memcmp(s + i, article_words[w], wl) != 0 || s[i + wl] != ' ')
            continue;
        size_t j = i + wl + 1;
        size_t nd = digits_at(s, len, j);
        size_t numlen = 0;
        if (nd >= 1 && nd <= 3) {
            numlen = nd;
            /* "Article 1er" (French), "Article 5 bis" is left alone. */
            if (len - (j + nd) >= 2 && memcmp(s + j + nd, "er", 2) == 0)
                numlen += 2;
        } else if (len - j >= 7 && memcmp(s + j, "premier", 7) == 0) {
            numlen = 7;
        } else if (len - j >= 7 && memcmp(s + j, "PREMIER", 7) == 0) {
            numlen = 7;
        } else {
            continue;
        }
        size_t k = j + numlen;
        size_t end_of_number = k;
        if (k < len && (s[k] == '.' || s[k] == ':'))
            k++;
        int at_end = 0;
        size_t sp = skip_space(s, len, k, &at_end);
        /* "Article 3 of the Covenant" in running text is a reference, not a
         * numbered article: after a single space only a capital (a title)
         * or a punctuated number ("Article 3. Everyone") qualifies. */
        if (!at_end && sp == 0)
            continue;
        if (!at_end && sp == 1 && k == end_of_number && !is_upper_start(s + k + 1, len - k - 1))
            continue;
        if (!at_end && sp == 1 && k == end_of_number && s[k + 1] == '(')
            continue;
        copy_number(out, out_size, s + i, end_of_number - i);
        return k + sp;
    }
    return 0;
}

size_t civ_passage_number(const char *line, size_t len, char *out, size_t out_size)
{
    if (out && out_size)
        out[0] = '\0';
    if (!line)
        return 0;
    size_t i = 0;
    while (i < len && is_space_byte((unsigned char)line[i]))
        i++;
    if (i == len)
        return 0;
    const char *s = line;
    int at_end = 0;

    size_t nd = digits_at(s, len, i);
    if (nd > 0) {
        /* Years and other long numbers ("1990 was", "2025.") are not
         * paragraph numbers. */
        if (nd > 3)
            return 0;
        size_t j = i + nd;
        /* Dotted sub-paragraphs: "140.1", "1.2.3". */
        int dotted = 0;
        while (j + 1 < len && s[j] == '.' && isdigit((unsigned char)s[j + 1])) {
            size_t sub = digits_at(s, len, j + 1);
            if (sub > 3)
                return 0;
            j += 1 + sub;
            dotted = 1;
        }
        size_t num_end = j;
        if (j < len && s[j] == '.') {
            /* "12." then the end, space, or a letter ("1.Opening"). */
            j++;
            if (j < len && !is_space_byte((unsigned char)s[j]) && !isalpha((unsigned char)s[j]) &&
                (unsigned char)s[j] < 0x80 && s[j] != '(' && s[j] != '"')
                return 0;
            size_t sp = skip_space(s, len, j, &at_end);
            copy_number(out, out_size, s + i, num_end - i);
            return j + sp;
        }
        if (j < len && s[j] == ')' && !dotted) {
            /* "1)" as printed, like "a)". */
            j++;
            size_t sp = skip_space(s, len, j, &at_end);
            if (!at_end && sp == 0)
                return 0;
            copy_number(out, out_size, s + i, j - i);
            return j + sp;
        }
        size_t sp = skip_space(s, len, j, &at_end);
        if (at_end) {
            copy_number(out, out_size, s + i, num_end - i);
            return len;
        }
        /* "140.91Continue": a recommendation's number glued to its text. */
        if (sp == 0 && dotted && is_upper_start(s + j, len - j) && isalpha((unsigned char)s[j])) {
            copy_number(out, out_size, s + i, num_end - i);
            return j;
        }
        if (sp == 0)
            return 0; /* "10th", "59/25", "2015-2030", "1,000" */
        /* A tab or a wide gap separates a printed number from its text;
         * one space is running text ("31 January", footnote "3 See"),
         * except after a dotted number followed by a capital ("140.254
         * Strengthen"), which "12.5 per cent" is not. */
        if (s[j] == '\t' || sp >= 2 || (dotted && is_upper_start(s + j + sp, len - j - sp))) {
            copy_number(out, out_size, s + i, num_end - i);
            return j + sp;
        }
        return 0;
    }

    if (s[i] == '(') {
        size_t j = i + 1;
        size_t k = j;
        while (k < len && k - j < 8 && isalnum((unsigned char)s[k]))
            k++;
        if (k >= len || s[k] != ')' || k == j)
            return 0;
        size_t n = k - j;
        size_t nd2 = digits_at(s, len, j);
        if (!(is_item_label(s + j, n) || is_roman_upper(s + j, n) || (nd2 == n && n <= 3)))
            return 0;
        k++;
        size_t sp = skip_space(s, len, k, &at_end);
        if (!at_end && !item_text_follows(s, len, k, sp))
            return 0;
        copy_number(out, out_size, s + i, k - i);
        return k + sp;
    }

    if (isalpha((unsigned char)s[i])) {
        size_t k = i;
        while (k < len && k - i < 8 && isalpha((unsigned char)s[k]))
            k++;
        if (k < len && s[k] == ')' && is_item_label(s + i, k - i)) {
            size_t n_end = k + 1;
            size_t sp = skip_space(s, len, n_end, &at_end);
            if (!at_end && !item_text_follows(s, len, n_end, sp))
                return 0;
            copy_number(out, out_size, s + i, n_end - i);
            return n_end + sp;
        }
    }
    return article_number(s, len, i, out, out_size);
}

/* ---- line classification ---- */

static int all_digits(const char *s, size_t len)
{
    if (!len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* "- 5 -", "– 5 –", "Page 5", "Page 5 of 26", "5": a printed page number. */
static int is_page_number(const char *s, size_t len)
{
    if (all_digits(s, len))
        return len <= 3; /* a lone "2019" in a table is a year */
    char tmp[48];
    if (len >= sizeof tmp)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ')
            continue;
        tmp[n++] = (char)c;
    }
    tmp[n] = '\0';
    /* Strip dashes (ASCII or en/em dash) around the number. */
    const char *p = tmp;
    const char *e = tmp + n;
    while (p < e && (*p == '-' || (e - p >= 3 && memcmp(p, "\xE2\x80\x93", 3) == 0) ||
                     (e - p >= 3 && memcmp(p, "\xE2\x80\x94", 3) == 0)))
        p += *p == '-' ? 1 : 3;
    while (e > p && (e[-1] == '-' || (e - p >= 3 && memcmp(e - 3, "\xE2\x80\x93", 3) == 0) ||
                     (e - p >= 3 && memcmp(e - 3, "\xE2\x80\x94", 3) == 0)))
        e -= e[-1] == '-' ? 1 : 3;
    if (p != tmp && e != tmp + n && all_digits(p, (size_t)(e - p)))
        return 1;
    if (n > 4 && (memcmp(tmp, "Page", 4) == 0 || memcmp(tmp, "page", 4) == 0)) {
        size_t d = digits_at(tmp, n, 4);
        if (d == 0)
            return 0;
        if (4 + d == n)
            return 1;
        return n - 4 - d > 2 && memcmp(tmp + 4 + d, "of", 2) == 0 &&
               all_digits(tmp + 6 + d, n - 6 - d);
    }
    return 0;
}

/* The UN prints a job number on every page: "GE.25-05460 (E)", "GE.12-17781
 * (E) 101212", New York's "24-12345 (E)"; print dates "210325 210325" and
 * barcodes "*2502644*" go with it. */
static int is_job_number(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && i < 3 && isupper((unsigned char)s[i]))
        i++;
    if (i > 0) {
        if (i >= len || s[i] != '.')
            return 0;
        i++;
    }
    if (digits_at(s, len, i) != 2 || i + 2 >= len || s[i + 2] != '-')
        return 0;
    i += 3;
    size_t d = digits_at(s, len, i);
    if (d < 4 || d > 6)
        return 0;
    /* The rest is only language tags and print dates. */
    for (i += d; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(c == ' ' || c == '\t' || c == '(' || c == ')' || isupper(c) || isdigit(c)))
            return 0;
    }
    return 1;
}

static int is_stamp(const char *s, size_t len)
{
    if (len >= 3 && s[0] == '*' && s[len - 1] == '*' && all_digits(s + 1, len - 2))
        return 1;
    /* A print date alone: "170425". */
    if (len == 6 && all_digits(s, len))
        return 1;
    /* Digits and spaces only, with at least one space: "210325 210325". */
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ' || s[i] == '\t')
            space = 1;
        else if (!isdigit((unsigned char)s[i]))
            return 0;
    }
    return space;
}

/* A UN document symbol alone on a line: "A/HRC/59/15", "E/C.12/GC/4". */
static int is_symbol_line(const char *s, size_t len)
{
    if (len < 3 || len > 40 || !isupper((unsigned char)s[0]))
        return 0;
    int slash = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '/')
            slash = 1;
        else if (!(isupper(c) || isdigit(c) || c == '.' || c == '-'))
            return 0;
    }
    return slash;
}

/* "I.", "IV.", "A." alone: a section marker, the first line of a heading. */
static int is_section_marker(const char *s, size_t len)
{
    if (len < 2 || s[len - 1] != '.')
        return 0;
    return (len == 2 && isupper((unsigned char)s[0])) || is_roman_upper(s, len - 1);
}

static int ends_with_any(const char *s, size_t len, const char *set)
{
    /* Look past closing quotes and brackets: 'Council.”', 'cycle.)'. */
    while (len > 0) {
        unsigned char c = (unsigned char)s[len - 1];
        if (c == ')' || c == '"' || c == '\'' || c == ']') {
            len--;
            continue;
        }
        if (len >= 3 && (unsigned char)s[len - 3] == 0xE2 && (unsigned char)s[len - 2] == 0x80 &&
            ((unsigned char)s[len - 1] == 0x9D || (unsigned char)s[len - 1] == 0x99)) {
            len -= 3;
            continue;
        }
        break;
    }
    return len > 0 && strchr(set, s[len - 1]) != NULL;
}

static int is_bullet(const char *s, size_t len)
{
    static const char *const bullets[] = {"\xE2\x80\xA2", "\xE2\x96\xAA", "\xE2\x97\xA6",
                                          "\xEF\x82\xA7", "\xEF\x82\xB7", "\xC2\xB7"};
    for (size_t b = 0; b < sizeof bullets / sizeof bullets[0]; b++) {
        size_t bl = strlen(bullets[b]);
        if (len >= bl && memcmp(s, bullets[b], bl) == 0)
            return 1;
    }
    return 0;
}

static size_t count_words(const char *s, size_t len)
{
    size_t words = 0;
    int in_word = 0;
    for (size_t i = 0; i < len; i++) {
        int sp = s[i] == ' ' || s[i] == '\t';
        if (!sp && !in_word)
            words++;
        in_word = !sp;
    }
    return words;
}

/* Words that open a preambular paragraph of a UN resolution; such a
 * paragraph ends with a comma, often on a line that is not short. */
static const char *const preamble_openers[] = {
    "Acknowledging", "Affirming",    "Alarmed",     "Appreciating", "Aware",       "Bearing",
    "Believing",     "Cognizant",    "Commending",  "Concerned",    "Conscious",   "Considering",
    "Convinced",     "Deeply",       "Deploring",   "Determined",   "Emphasizing", "Encouraged",
    "Expressing",    "Guided",       "Having",      "Highlighting", "Mindful",     "Noting",
    "Reaffirming",   "Recalling",    "Recognizing", "Reiterating",  "Stressing",   "Taking",
    "Underlining",   "Underscoring", "Welcoming",
};

static int starts_preamble(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof preamble_openers / sizeof preamble_openers[0]; i++) {
        size_t wl = strlen(preamble_openers[i]);
        if (len > wl && memcmp(s, preamble_openers[i], wl) == 0 && s[wl] == ' ')
            return 1;
    }
    return 0;
}

static int is_short(const splitter *sp, const text_line *l)
{
    return l->width * 10 < sp->width * 7;
}

/* A heading: short, not a sentence's end or a clause's, not lower case, and
 * not followed by a lower-case continuation. */
static int is_heading_like(const splitter *sp, const text_line *l, const text_line *next)
{
    if (sp->width >= UNWRAPPED_WIDTH)
        return 0;
    if (is_section_marker(l->s, l->len))
        return 1;
    if (l->width * 10 >= sp->width * 6 || count_words(l->s, l->len) > 15)
        return 0;
    if (is_lower_start(l->s, l->len) || is_bullet(l->s, l->len))
        return 0;
    if (ends_with_any(l->s, l->len, ".,;:!?-"))
        return 0;
    if (next && is_lower_start(next->s, next->len))
        return 0;
    return 1;
}

/* The text line after l among lines[0..n) (furniture skipped), NULL when
 * a blank line or the end comes first. */
static const text_line *line_after(const text_line *lines, size_t n, const text_line *l)
{
    for (size_t j = (size_t)(l - lines) + 1; j < n; j++)
        if (!lines[j].furniture)
            return lines[j].len ? &lines[j] : NULL;
    return NULL;
}

/* Whether l, after a number, is a heading's text: heading-like, starting
 * with a letter ("2/2", a page count, is not), with no clause ("At the
 * same meeting, the President" opens a paragraph), and not a lettered or
 * roman section's title ("K. Consideration of ...": the number beside it
 * belongs to a paragraph the layout put after it). */
static int is_numbered_heading_text(const splitter *sp, const text_line *l, const text_line *next)
{
    size_t caps = 0;
    while (caps < l->len && caps < 8 && isupper((unsigned char)l->s[caps]))
        caps++;
    if (caps > 0 && caps < l->len && l->s[caps] == '.')
        return 0;
    return g_unichar_isalpha(first_char(l->s, l->len)) && !memchr(l->s, ',', l->len) &&
           is_heading_like(sp, l, next);
}

/* Whether line l, whose printed number number spans span bytes, is a
 * numbered heading: a plain number ("1", not "140.1" or "(a)") before a
 * short line that reads as a heading, with text to follow. */
static int numbered_heading(const splitter *sp, const text_line *l, size_t span, const char *number,
                            const text_line *next)
{
    if (!next || span >= l->len || !all_digits(number, strlen(number)))
        return 0;
    text_line rest = {l->s + span, l->len - span, utf8_width(l->s + span, l->len - span), 0};
    return is_numbered_heading_text(sp, &rest, next);
}

/* ---- passage assembly ---- */

int civ_passage_unspaced_char(uint32_t c)
{
    GUnicodeScript script = g_unichar_get_script(c);
    return script == G_UNICODE_SCRIPT_HAN || script == G_UNICODE_SCRIPT_HIRAGANA ||
           script == G_UNICODE_SCRIPT_KATAKANA || (c >= 0x3000 && c <= 0x303F) ||
           (c >= 0x3200 && c <= 0x32FF) || (c >= 0xFF01 && c <= 0xFF60);
}

/* A hyphen at the end of a line, between a word and its continuation on
 * the next, is held as this byte until the whole document is read
 * (civ_passage_line_hyphens). */
#define LINE_HYPHEN '\x1f'

static int ends_in_line_hyphen(const char *s, size_t n)
{
    return n >= 2 && s[n - 1] == '-' && isalpha((unsigned char)s[n - 2]);
}

static void append_text(splitter *sp, const char *s, size_t len)
{
    if (!len)
        return;
    /* A hyphen that ends the text so far before a line starting in lower
     * case is marked, for civ_passage_line_hyphens to keep ("non-" +
     * "governmental") or drop ("educa-" + "tion"); a soft hyphen is
     * dropped. Otherwise lines join with a space. */
    int join = 0;
    if (ends_in_line_hyphen(sp->buf, sp->n) && is_lower_start(s, len)) {
        sp->buf[sp->n - 1] = LINE_HYPHEN;
        join = 1;
    } else if (sp->n >= 3 && (unsigned char)sp->buf[sp->n - 2] == 0xC2 &&
               (unsigned char)sp->buf[sp->n - 1] == 0xAD && is_lower_start(s, len)) {
        sp->n -= 2; /* soft hyphen */
        join = 1;
    }
    /* Chinese and Japanese lines join without a space. */
    if (!join && sp->n && civ_passage_unspaced_char(first_char(s, len))) {
        const char *last = g_utf8_find_prev_char(sp->buf, sp->buf + sp->n);
        join = last && civ_passage_unspaced_char(g_utf8_get_char(last));
    }
    /* The cap: text past it would be cut by civ_document_add_passage. */
    if (sp->n >= CIV_MAX_PASSAGE_BYTES)
        return;
    if (sp->n && !join)
        sp->buf[sp->n++] = ' ';
    size_t room = sp->cap - sp->n;
    size_t k = len < room ? len : room;
    memcpy(sp->buf + sp->n, s, k);
    sp->n += k;
}

/* Where to cut the len bytes at s, about target bytes in: after the last
 * sentence end (. ! ? and the CJK and Arabic ones, then a space) between
 * half and one and a half times target, else at the last space there, else
 * at a character boundary near target. Always in 1..len. */
static size_t sentence_cut(const char *s, size_t len, size_t target)
{
    if (len <= target)
        return len;
    const unsigned char *u = (const unsigned char *)s;
    size_t lo = target / 2, hi = target + target / 2 < len ? target + target / 2 : len - 1;
    size_t space = 0;
    for (size_t i = hi; i > lo; i--) {
        if (u[i] == ' ' && !space)
            space = i;
        if (u[i] == ' ' && (u[i - 1] == '.' || u[i - 1] == '!' || u[i - 1] == '?'))
            return i;
        /* U+3002 and U+FF01, U+FF1F (full-width . ! ?), no space needed;
         * U+061F (Arabic ?). */
        if (i >= 3 &&
            ((u[i - 3] == 0xE3 && u[i - 2] == 0x80 && u[i - 1] == 0x82) ||
             (u[i - 3] == 0xEF && u[i - 2] == 0xBC && (u[i - 1] == 0x81 || u[i - 1] == 0x9F))))
            return i;
        if (i >= 2 && u[i - 2] == 0xD8 && u[i - 1] == 0x9F)
            return i;
    }
    if (space)
        return space;
    size_t cut = target;
    while (cut > 1 && (u[cut] & 0xC0) == 0x80)
        cut--;
    return cut;
}

static void set_heading(char *dst, const char *s, size_t len)
{
    size_t k = len < HEADING_MAX - 1 ? len : HEADING_MAX - 1;
    /* Do not cut inside a UTF-8 sequence. */
    while (k > 0 && k < len && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    memcpy(dst, s, k);
    dst[k] = '\0';
}

static const char *heading_path(splitter *sp, char *out, size_t out_size)
{
    if (sp->h1[0] && sp->h2[0])
        snprintf(out, out_size, "%s > %s", sp->h1, sp->h2);
    else if (sp->h1[0] || sp->h2[0])
        snprintf(out, out_size, "%s", sp->h1[0] ? sp->h1 : sp->h2);
    else
        return NULL;
    return out;
}

/* Words that open a top-level section title. */
static const char *const section_words[] = {
    "Annex", "ANNEX", "Appendix",     "Chapter",      "CHAPTER",
    "Part",  "PART",  "Introduction", "INTRODUCTION",
};

/* A short heading block becomes the heading of the passages after it, when
 * it is clearly a section title: a roman-numbered one ("I. ...") or one
 * opening with a section word ("Annex") starts a new top level; a lettered
 * one ("A. ...") goes under the current top level. Other short blocks
 * (table headers, dates, meeting lines) leave the path alone. */
static void update_headings(splitter *sp, const char *text, size_t len)
{
    if (len == 0 || len >= HEADING_MAX || sp->n_lines > 3)
        return;
    size_t r = 0;
    while (r < len && r < 8 && strchr("IVXLC", text[r]))
        r++;
    if (r > 0 && r + 1 < len && text[r] == '.' && text[r + 1] == ' ') {
        set_heading(sp->h1, text, len);
        sp->h2[0] = '\0';
        return;
    }
    if (len >= 3 && isupper((unsigned char)text[0]) && text[1] == '.' && text[2] == ' ') {
        set_heading(sp->h2, text, len);
        return;
    }
    for (size_t i = 0; i < sizeof section_words / sizeof section_words[0]; i++) {
        size_t wl = strlen(section_words[i]);
        if (len >= wl && memcmp(text, section_words[i], wl) == 0 &&
            (len == wl || text[wl] == ' ')) {
            set_heading(sp->h1, text, len);
            sp->h2[0] = '\0';
            return;
        }
    }
}

/* ---- nested item numbers ---- */

/* Passages without a number that may come between an item and the
 * numbered paragraph it belongs to (its opening words, a page's
 * continuation). */
#define NESTING_GAP 20

/* The letter or numeral of an item label, "a" of "(a)" or "a)", with its
 * length in *n; NULL when label is not a lower-case item. */
static const char *item_letters(const char *label, size_t len, size_t *n)
{
    size_t open = len > 0 && label[0] == '(';
    if (len < open + 2 || label[len - 1] != ')')
        return NULL;
    *n = len - open - 1;
    const char *s = label + open;
    for (size_t i = 0; i < *n; i++)
        if (!islower((unsigned char)s[i]))
            return NULL;
    return is_item_label(s, *n) ? s : NULL;
}

/* Whether item b comes right after item a: "b" after "a", "i" after "h",
 * "bb" after "aa". */
static int next_letter(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn || an == 0 || a[0] == 'z' || b[0] != a[0] + 1)
        return 0;
    return an == 1 || (an == 2 && b[1] == b[0]);
}

void civ_passage_nested_number(const civ_document *doc, const char *heading, const char *label,
                               char *out, size_t out_size)
{
    snprintf(out, out_size, "%s", label);
    size_t cur_n;
    const char *cur = item_letters(label, strlen(label), &cur_n);
    if (!cur)
        return;
    size_t gap = 0;
    for (size_t i = doc->n_passages; i > 0 && gap <= NESTING_GAP; i--) {
        const civ_passage *p = &doc->passages[i - 1];
        if ((p->heading == NULL) != (heading == NULL) ||
            (heading && strcmp(p->heading, heading) != 0))
            return;
        if (!p->paragraph) {
            gap++;
            continue;
        }
        /* p's number: "3", "3 (a)" or "3 (a) (ii)". */
        const char *top = p->paragraph;
        if (!isdigit((unsigned char)top[0]))
            return;
        size_t top_n = strcspn(top, " ");
        const char *letter_label = top[top_n] ? top + top_n + 1 : NULL;
        size_t letter_len = letter_label ? strcspn(letter_label, " ") : 0;
        size_t letter_n = 0;
        const char *letter =
            letter_label ? item_letters(letter_label, letter_len, &letter_n) : NULL;
        int sub_item =
            letter && is_roman_lower(cur, cur_n) && !next_letter(letter, letter_n, cur, cur_n);
        if (sub_item)
            snprintf(out, out_size, "%.*s %.*s %s", (int)top_n, top, (int)letter_len, letter_label,
                     label);
        else
            snprintf(out, out_size, "%.*s %s", (int)top_n, top, label);
        return;
    }
}

/* Whether passage p stops where a sentence cannot: after a hyphen, or
 * after a lower-case word ("the presence of Roma and") when it is a
 * paragraph (numbered, or longer than a heading), so that the next page's
 * first text continues it even when that starts with a capital ("Sinti
 * communities"). A comma can end a resolution's preambular paragraph. */
static int ends_mid_sentence(const civ_passage *p)
{
    size_t n = strlen(p->text);
    if (n == 0)
        return 0;
    char c = p->text[n - 1];
    if (c == '-')
        return 1;
    return (p->paragraph || n > HEADING_MAX) && islower((unsigned char)c);
}

/* Append the last passage's text to the one before it: a paragraph that ran
 * over a page break. The result is cut at CIV_MAX_PASSAGE_BYTES on a
 * character boundary, like any passage. */
static civ_status merge_last_two(civ_document *doc, civ_err *err)
{
    civ_passage *a = &doc->passages[doc->n_passages - 2];
    civ_passage *b = &doc->passages[doc->n_passages - 1];
    size_t la = strlen(a->text);
    size_t lb = strlen(b->text);
    int dehyphen = ends_in_line_hyphen(a->text, la) && is_lower_start(b->text, lb);
    if (dehyphen)
        a->text[la - 1] = LINE_HYPHEN;
    size_t full = la + (dehyphen ? 0 : 1) + lb;
    char *joined = malloc(full + 1);
    if (!joined)
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    memcpy(joined, a->text, la);
    size_t n = la;
    if (!dehyphen)
        joined[n++] = ' ';
    memcpy(joined + n, b->text, lb);
    n += lb;
    joined[n] = '\0';
    if (n > CIV_MAX_PASSAGE_BYTES) {
        n = CIV_MAX_PASSAGE_BYTES;
        while (n > 0 && ((unsigned char)joined[n] & 0xC0) == 0x80)
            n--;
        joined[n] = '\0';
    }
    free(a->text);
    a->text = joined;
    free(b->text);
    free(b->paragraph);
    free(b->heading);
    free(b->lang);
    doc->n_passages--;
    return CIV_OK;
}

/* The first len bytes of the passage being built, as a passage with its
 * number (nested under its paragraph's) and heading path. */
static civ_status add_passage(splitter *sp, size_t len, civ_err *err)
{
    char path[2 * HEADING_MAX + 4];
    const char *heading = heading_path(sp, path, sizeof path);
    char number[3 * NUMBER_MAX];
    /* Text under a numbered heading without a number of its own is cited
     * by the heading's (section 2 of a by-law); a numbered paragraph
     * after the heading ends that. */
    if (!sp->number[0] && !sp->heading_block && sp->section_number[0]) {
        memcpy(sp->number, sp->section_number, sizeof sp->number);
        sp->section_number[0] = '\0';
    } else if (sp->number[0]) {
        sp->section_number[0] = '\0';
    }
    civ_passage_nested_number(sp->doc, heading, sp->number, number, sizeof number);
    return civ_document_add_passage(sp->doc, sp->buf, len, number[0] ? number : NULL, heading,
                                    sp->page, err);
}

static civ_status flush(splitter *sp, civ_err *err)
{
    civ_status st = CIV_OK;
    size_t before = sp->doc->n_passages;
    if (sp->n == 0) {
        /* A number with no text yet stays pending for the next line. */
        if (!sp->number_only)
            sp->number[0] = '\0';
        goto out;
    }
    st = add_passage(sp, sp->n, err);
    if (st != CIV_OK)
        goto out;
    if (sp->heading_block)
        update_headings(sp, sp->buf, sp->n);
    if (sp->first_passage && sp->continuation && !sp->number[0] && !sp->heading_block &&
        sp->doc->n_passages == before + 1 && before > 0) {
        civ_passage *prev = &sp->doc->passages[before - 1];
        /* Only across a page break: page-less callers (XML elements) give
         * separate units that must stay apart. */
        if (sp->page > 1 && prev->page == sp->page - 1)
            st = merge_last_two(sp->doc, err);
    }
    sp->first_passage = 0;
    sp->number[0] = '\0';
    sp->number_only = 0;
out:
    sp->n = 0;
    sp->n_lines = 0;
    sp->heading_block = 0;
    return st;
}

/* Pass whole sentences of a passage grown past PASSAGE_LONG on as
 * passages of their own, with the paragraph's number and heading; the rest
 * stays to be continued. */
static civ_status spill(splitter *sp, civ_err *err)
{
    while (sp->n > PASSAGE_LONG) {
        size_t cut = sentence_cut(sp->buf, sp->n, PASSAGE_TARGET);
        civ_status st = add_passage(sp, cut, err);
        if (st != CIV_OK)
            return st;
        while (cut < sp->n && sp->buf[cut] == ' ')
            cut++;
        memmove(sp->buf, sp->buf + cut, sp->n - cut);
        sp->n -= cut;
        sp->first_passage = 0;
        sp->heading_block = 0;
    }
    return CIV_OK;
}

/* Append a line's text, passing long paragraphs on in sentence-cut
 * pieces, so that no text is lost to the passage cap. */
static civ_status add_text(splitter *sp, const char *s, size_t len, civ_err *err)
{
    while (len > 0) {
        size_t piece = len > PASSAGE_LONG ? sentence_cut(s, len, PASSAGE_TARGET) : len;
        append_text(sp, s, piece);
        s += piece;
        len -= piece;
        while (len > 0 && *s == ' ') {
            s++;
            len--;
        }
        civ_status st = spill(sp, err);
        if (st != CIV_OK)
            return st;
    }
    return CIV_OK;
}

/* The number of the document's last numbered paragraph: 12 of "12",
 * "12.3" or "12 (a)"; 0 when none. Bare integer lines and dotted numbers
 * are paragraph numbers only in sequence with it. */
static long last_number(const civ_document *doc)
{
    size_t scanned = 0;
    for (size_t i = doc->n_passages; i > 0 && scanned < 500; i--, scanned++) {
        const char *p = doc->passages[i - 1].paragraph;
        if (p && isdigit((unsigned char)p[0]))
            return strtol(p, NULL, 10);
    }
    return 0;
}

/* Whether a number v (of "v" or "v.n") continues the document's
 * numbering: a first one, the next few, or more of the same ("140.2"
 * after "140.1"). "304.901" in a table after paragraph 13 does not. */
static int in_sequence(const civ_document *doc, long v, int same_allowed)
{
    long last = last_number(doc);
    return v == 1 || (v > last && v <= last + BARE_NUMBER_GAP) || (same_allowed && v == last);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a;
    size_t y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Split text into trimmed lines; mark furniture that needs no context. */
static text_line *split_lines(const char *text, size_t len, size_t *n_out)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            n++;
    text_line *lines = calloc(n, sizeof *lines);
    if (!lines)
        return NULL;
    size_t k = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n')
            continue;
        const char *s = text + start;
        size_t l = i - start;
        while (l && (is_space_byte((unsigned char)*s) || *s == '\0')) {
            s++;
            l--;
        }
        while (l && (is_space_byte((unsigned char)s[l - 1]) || s[l - 1] == '\0'))
            l--;
        lines[k].s = s;
        lines[k].len = l;
        lines[k].width = utf8_width(s, l);
        lines[k].furniture = l > 0 && (is_job_number(s, l) || is_stamp(s, l) ||
                                       (is_page_number(s, l) && !all_digits(s, l)));
        k++;
        start = i + 1;
    }
    *n_out = k;
    return lines;
}

/* The typical width of a full line: the 90th percentile of the page's line
 * widths, so a few long lines (URLs, tables) do not make every line short. */
static size_t typical_width(const text_line *lines, size_t n)
{
    size_t *w = malloc((n ? n : 1) * sizeof *w);
    size_t m = 0;
    size_t max = 0;
    for (size_t i = 0; i < n; i++) {
        if (!lines[i].len || lines[i].furniture)
            continue;
        if (w)
            w[m++] = lines[i].width;
        if (lines[i].width > max)
            max = lines[i].width;
    }
    size_t result = max;
    if (w && m >= 5) {
        qsort(w, m, sizeof *w, cmp_size);
        result = w[(m - 1) * 9 / 10];
    }
    free(w);
    /* A page of a few short lines has no "typical" line to compare with. */
    return result < 40 ? 40 : result;
}

civ_status civ_passage_split(civ_document *doc, const char *text, size_t len, int page,
                             civ_err *err)
{
    civ_status st = CIV_OK;
    text_line *lines = NULL;
    size_t n_lines = 0;
    splitter sp;
    memset(&sp, 0, sizeof sp);
    sp.doc = doc;
    sp.page = page;
    sp.first_passage = 1;
    if (!text || !len)
        return CIV_OK;

    lines = split_lines(text, len, &n_lines);
    sp.cap = CIV_MAX_PASSAGE_BYTES + 1;
    sp.buf = malloc(sp.cap);
    if (!lines || !sp.buf) {
        st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        goto out;
    }
    sp.width = typical_width(lines, n_lines);

    /* The heading path carries over from the previous page. */
    civ_passage *last = civ_document_last_passage(doc);
    if (last && last->heading) {
        const char *sep = strstr(last->heading, " > ");
        if (sep) {
            set_heading(sp.h1, last->heading, (size_t)(sep - last->heading));
            set_heading(sp.h2, sep + 3, strlen(sep + 3));
        } else {
            set_heading(sp.h1, last->heading, strlen(last->heading));
        }
    }

    /* The symbol as running header: first or last text line after page 1. */
    size_t first = 0, lastl = 0;
    int any = 0;
    for (size_t i = 0; i < n_lines; i++) {
        if (lines[i].len && !lines[i].furniture) {
            /* A paragraph number carried over from the previous page may
             * come before the running header. */
            int number_only = civ_passage_number(lines[i].s, lines[i].len, NULL, 0) == lines[i].len;
            if (!any && number_only)
                continue;
            if (!any)
                first = i;
            lastl = i;
            any = 1;
        }
    }
    if (!any) {
        st = flush(&sp, err);
        goto out;
    }
    if (page > 1) {
        if (is_symbol_line(lines[first].s, lines[first].len))
            lines[first].furniture = 1;
        if (is_symbol_line(lines[lastl].s, lines[lastl].len))
            lines[lastl].furniture = 1;
    }

    const text_line *prev = NULL; /* previous text line of the current passage */
    int prev_heading = 0;
    int seen_text = 0;
    for (size_t i = 0; i < n_lines; i++) {
        text_line *l = &lines[i];
        if (l->furniture)
            continue;
        if (!l->len) {
            st = flush(&sp, err);
            if (st != CIV_OK)
                goto out;
            prev = NULL;
            prev_heading = 0;
            continue;
        }
        const text_line *next = NULL;
        for (size_t j = i + 1; j < n_lines; j++) {
            if (!lines[j].furniture) {
                next = lines[j].len ? &lines[j] : NULL;
                break;
            }
        }

        char number[NUMBER_MAX];
        size_t span = civ_passage_number(l->s, l->len, number, sizeof number);
        if (span && all_digits(l->s, l->len)) {
            /* A bare integer is a paragraph number only in sequence and
             * with text to follow; otherwise it is a page number or a
             * footnote mark. */
            if (!next || !in_sequence(doc, strtol(number, NULL, 10), 0))
                continue;
        }
        /* A dotted number out of sequence is a figure ("304.901" in a
         * table), not a paragraph's. */
        if (span && isdigit((unsigned char)number[0]) && strchr(number, '.') &&
            !in_sequence(doc, strtol(number, NULL, 10), 1))
            span = 0;
        if (!span && is_page_number(l->s, l->len))
            continue;
        /* A number alone before a heading ("1." then "Education of
         * minorities") numbers the heading, for the text under it. */
        if (span == l->len && next && all_digits(number, strlen(number)) &&
            is_numbered_heading_text(&sp, next, line_after(lines, n_lines, next))) {
            memcpy(sp.heading_number, number, sizeof sp.heading_number);
            continue;
        }
        /* "1. Same-sex partnership": a heading, numbered; its number is not
         * a paragraph's, and "para. 1" must not cite it. */
        if (span && numbered_heading(&sp, l, span, number, next)) {
            memcpy(sp.heading_number, number, sizeof sp.heading_number);
            span = 0;
        }

        if (!seen_text) {
            seen_text = 1;
            sp.continuation =
                !span && (is_lower_start(l->s, l->len) || (last && ends_mid_sentence(last)));
        }

        /* Whether this line could be a heading is decided before the break,
         * whether it is one after: a numbered passage has no headings. */
        int heading_like = !span && is_heading_like(&sp, l, next);
        int brk = 0;
        int marker = !span && is_section_marker(l->s, l->len);
        if (span || marker) {
            brk = 1;
        } else if (prev && !sp.number_only && !is_section_marker(prev->s, prev->len)) {
            if (sp.width >= UNWRAPPED_WIDTH)
                brk = 1;
            else if (is_bullet(l->s, l->len))
                brk = 1;
            else if (is_short(&sp, prev) && ends_with_any(prev->s, prev->len, ".:;?!") &&
                     !is_lower_start(l->s, l->len))
                brk = 1;
            else if (ends_with_any(prev->s, prev->len, ",") &&
                     ((is_short(&sp, prev) && is_upper_start(l->s, l->len)) ||
                      starts_preamble(l->s, l->len)))
                brk = 1;
            else if (heading_like && !prev_heading && ends_with_any(prev->s, prev->len, ".:;?!,"))
                brk = 1;
            else if (prev_heading && !heading_like)
                brk = 1;
        }
        if (brk) {
            st = flush(&sp, err);
            if (st != CIV_OK)
                goto out;
        }
        /* A numbered heading's number waits for the text under it, not
         * the passage the heading ended. */
        if (sp.heading_number[0] && (brk || !prev)) {
            memcpy(sp.section_number, sp.heading_number, sizeof sp.section_number);
            sp.heading_number[0] = '\0';
        }
        int heading = heading_like && !sp.number[0] && (sp.n_lines == 0 || sp.heading_block);
        const char *s = l->s;
        size_t slen = l->len;
        if (span) {
            memcpy(sp.number, number, sizeof sp.number);
            s += span < slen ? span : slen;
            slen -= span < slen ? span : slen;
            sp.number_only = slen == 0;
        } else {
            sp.number_only = 0;
        }
        if (sp.n_lines == 0)
            sp.heading_block = heading;
        if ((st = add_text(&sp, s, slen, err)) != CIV_OK)
            goto out;
        if (slen)
            sp.n_lines++;
        prev = l;
        prev_heading = heading;
    }
    st = flush(&sp, err);

out:
    free(lines);
    free(sp.buf);
    return st;
}

/* ---- hyphens at line ends ---- */

/* Word characters for the hyphen pass: ASCII letters and digits, every
 * byte of a multi-byte character, inner hyphens and the mark. */
static int word_byte(unsigned char c)
{
    return isalnum(c) || c >= 0x80 || c == '-' || c == (unsigned char)LINE_HYPHEN;
}

/* Endings that are not words of their own: "educa-" + "tion" is one word
 * broken by hyphenation, where "non-" + "governmental" is a compound. */
static const char *const word_endings[] = {
    "tion", "tions",  "sion",  "sions", "ment",  "ments", "ing",  "ings",  "ity",   "ities",
    "ness", "ance",   "ances", "ence",  "ences", "ible",  "able", "ably",  "ial",   "ially",
    "ical", "ically", "ous",   "ously", "ive",   "ively", "ture", "tures", "ation", "ations",
    "ised", "ized",   "ism",   "isms",  "ist",   "ists",  "ly",   "ty",    "ties",  "ed",
    "al",   "ally",   "ant",   "ants",  "ent",   "ents",  "ary",  "ory",   "cy",    "gy",
};

static int is_word_ending(const char *s, size_t n)
{
    for (size_t i = 0; i < G_N_ELEMENTS(word_endings); i++)
        if (strlen(word_endings[i]) == n && memcmp(word_endings[i], s, n) == 0)
            return 1;
    return 0;
}

/* Words of doc written without a line-end hyphen, lower-cased (ASCII). */
static GHashTable *document_words(const civ_document *doc)
{
    GHashTable *words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (size_t i = 0; i < doc->n_passages; i++) {
        const char *t = doc->passages[i].text;
        for (size_t k = 0; t[k];) {
            if (!word_byte((unsigned char)t[k])) {
                k++;
                continue;
            }
            size_t start = k;
            int marked = 0;
            for (; t[k] && word_byte((unsigned char)t[k]); k++)
                marked |= t[k] == LINE_HYPHEN;
            if (!marked)
                g_hash_table_add(words, g_ascii_strdown(t + start, (gssize)(k - start)));
        }
    }
    return words;
}

/* Whether the word w[0..n) with the mark at w[at] read as one word
 * (joined): when the document writes it so elsewhere, or, when it writes
 * neither form, when the part after the mark is a word ending. */
static int joins_as_one_word(GHashTable *words, const char *w, size_t n, size_t at)
{
    char *lower = g_ascii_strdown(w, (gssize)n);
    lower[at] = '-';
    int hyphenated = g_hash_table_contains(words, lower);
    memmove(lower + at, lower + at + 1, n - at);
    int joined = g_hash_table_contains(words, lower);
    g_free(lower);
    if (hyphenated != joined)
        return joined;
    size_t end = at + 1;
    while (end < n && isalpha((unsigned char)w[end]))
        end++;
    return is_word_ending(w + at + 1, end - at - 1);
}

void civ_passage_line_hyphens(civ_document *doc)
{
    GHashTable *words = NULL;
    for (size_t i = 0; i < doc->n_passages; i++) {
        char *t = doc->passages[i].text;
        if (!strchr(t, LINE_HYPHEN))
            continue;
        if (!words)
            words = document_words(doc);
        size_t out = 0;
        for (size_t k = 0; t[k];) {
            if (!word_byte((unsigned char)t[k])) {
                t[out++] = t[k++];
                continue;
            }
            size_t start = k;
            while (t[k] && word_byte((unsigned char)t[k]))
                k++;
            /* Copy the word back, deciding each mark in it (out never
             * passes k, but may pass start: decide from a copy). */
            char *word = g_strndup(t + start, k - start);
            for (size_t j = 0; j < k - start; j++) {
                if (word[j] != LINE_HYPHEN)
                    t[out++] = word[j];
                else if (!joins_as_one_word(words, word, k - start, j))
                    t[out++] = '-';
            }
            g_free(word);
        }
        t[out] = '\0';
    }
    if (words)
        g_hash_table_destroy(words);
}
