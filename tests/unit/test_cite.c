/* test_cite.c: citation strings and exports, one table row per form
 * docs/API.md shows; the exports are parsed back, never compared whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "civ_cite.h"

/* symbol, title, paragraph, page */
#define SRC(s, t, para, pg)                                                                        \
    {                                                                                              \
        .symbol = (s), .title = (t), .paragraph = (para), .page = (pg)                             \
    }

typedef struct cite_row {
    civ_cite_source src;
    const char *expected;
} cite_row;

static const cite_row rows[] = {
    {SRC("A/HRC/14/37", "Report of the Working Group", "12", 5), "A/HRC/14/37, para. 12 (p. 5)"},
    {SRC("A/HRC/14/37", NULL, "12.", 5), "A/HRC/14/37, para. 12 (p. 5)"},
    {SRC("A/HRC/14/37", NULL, NULL, 5), "A/HRC/14/37, p. 5"},
    {SRC("A/HRC/59/15", NULL, "140.131", 18), "A/HRC/59/15, para. 140.131 (p. 18)"},
    {SRC(NULL, "Universal Declaration of Human Rights", "Article 3", 0),
     "Universal Declaration of Human Rights, Article 3"},
    {SRC("", "Sub-council By-law", "(a)", 0), "Sub-council By-law, para. (a)"},
    {SRC("A/HRC/59/15", NULL, "3 (a)", 2), "A/HRC/59/15, para. 3 (a) (p. 2)"},
    /* In an act, a numbered label is a section. */
    {{.title = "Sub-Council By-law", .paragraph = "5(1)(a)", .kind = "act"},
     "Sub-Council By-law, s. 5(1)(a)"},
    {{.title = "Sub-Council By-law", .paragraph = "Article 3(2)", .kind = "act"},
     "Sub-Council By-law, Article 3(2)"},
    {SRC(NULL, "Charter", "iv", 0), "Charter, para. iv"},
    {SRC(NULL, "Charter", "Preamble", 2), "Charter, Preamble (p. 2)"},
    {SRC(NULL, "Charter", NULL, 0), "Charter"},
    {SRC(NULL, NULL, "3", 1), "Untitled document, para. 3 (p. 1)"},
};

static void test_forms(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *c = civ_cite_format(&rows[i].src);
        assert_non_null(c);
        assert_string_equal(c, rows[i].expected);
        free(c);
        /* CIV_CITE_UN is the same form. */
        c = civ_cite_style_format(&rows[i].src, CIV_CITE_UN);
        assert_string_equal(c, rows[i].expected);
        free(c);
    }
}

/* A hostile title is cut, on a character boundary, and the cap holds. */
static void test_long_title_capped(void **state)
{
    (void)state;
    char title[4000];
    for (size_t i = 0; i + 2 < sizeof title; i += 2)
        memcpy(title + i, "\xc3\xa9", 2); /* é */
    title[sizeof title - 2] = '\0';
    civ_cite_source src = SRC(NULL, title, "12", 3);
    char *c = civ_cite_format(&src);
    assert_true(strlen(c) <= CIV_CITE_MAX);
    assert_non_null(strstr(c, "\xe2\x80\xa6, para. 12 (p. 3)"));
    free(c);
    src.symbol = "A/HRC/59/15";
    src.body = "HRC";
    src.date = "2025-03-24";
    for (int style = CIV_CITE_BLUEBOOK; style <= CIV_CITE_OSCOLA; style++) {
        c = civ_cite_style_format(&src, (civ_cite_style)style);
        assert_true(strlen(c) <= CIV_CITE_MAX);
        assert_true(g_utf8_validate(c, -1, NULL));
        assert_non_null(strstr(c, "A/HRC/59/15"));
        free(c);
    }
}

/* ---- Bluebook and OSCOLA ----------------------------------------------------- */

typedef struct style_row {
    civ_cite_source src;
    const char *bluebook;
    const char *oscola;
} style_row;

static const style_row style_rows[] = {
    /* A report: author, title, pinpoint, symbol, date. */
    {{.symbol = "A/HRC/59/15",
      .title = "Report of the Working Group on the Universal Periodic Review: Slovenia",
      .paragraph = "12.",
      .page = 5,
      .body = "HRC",
      .kind = "report",
      .date = "2025-03-24"},
     "Human Rights Council, Report of the Working Group on the Universal Periodic Review: "
     "Slovenia, \xc2\xb6 12, U.N. Doc. A/HRC/59/15 (Mar. 24, 2025)",
     "UNHRC 'Report of the Working Group on the Universal Periodic Review: Slovenia' "
     "(24 March 2025) UN Doc A/HRC/59/15, para 12"},
    /* No paragraph: the page. A title that is only the symbol is left out. */
    {{.symbol = "A/HRC/59/60",
      .title = "A/HRC/59/60",
      .page = 3,
      .body = "HRC",
      .kind = "report",
      .date = "2025-04-22"},
     "Human Rights Council, U.N. Doc. A/HRC/59/60, at 3 (Apr. 22, 2025)",
     "UNHRC (22 April 2025) UN Doc A/HRC/59/60, 3"},
    /* Resolutions by number. */
    {{.symbol = "A/RES/78/323",
      .title = "International Day of Women and Girls of African Descent",
      .paragraph = "1",
      .body = "GA",
      .kind = "resolution",
      .date = "2024-08-14"},
     "G.A. Res. 78/323, \xc2\xb6 1, U.N. Doc. A/RES/78/323 (Aug. 14, 2024)",
     "UNGA Res 78/323 (14 August 2024) UN Doc A/RES/78/323, para 1"},
    {{.symbol = "A/HRC/RES/59/25",
      .paragraph = "3",
      .body = "HRC",
      .kind = "resolution",
      .date = "2025-07-16"},
     "Human Rights Council Res. 59/25, \xc2\xb6 3, U.N. Doc. A/HRC/RES/59/25 (July 16, 2025)",
     "UNHRC Res 59/25 (16 July 2025) UN Doc A/HRC/RES/59/25, para 3"},
    {{.symbol = "S/RES/2768 (2025)",
      .paragraph = "1",
      .body = "SC",
      .kind = "resolution",
      .date = "2025-01-15"},
     "S.C. Res. 2768, \xc2\xb6 1, U.N. Doc. S/RES/2768 (Jan. 15, 2025)",
     "UNSC Res 2768 (15 January 2025) UN Doc S/RES/2768, para 1"},
    {{.symbol = "A/HRC/DEC/14/105", .body = "HRC", .kind = "decision", .date = "2010-06-23"},
     "Human Rights Council Dec. 14/105, U.N. Doc. A/HRC/DEC/14/105 (June 23, 2010)",
     "UNHRC Dec 14/105 (23 June 2010) UN Doc A/HRC/DEC/14/105"},
    /* September is "Sept." in Bluebook. A treaty body. */
    {{.symbol = "CCPR/C/121/D/2025/2011",
      .title = "Decision adopted by the Committee",
      .body = "CCPR",
      .kind = "communication",
      .date = "2017-09-27"},
     "Human Rights Committee, Decision adopted by the Committee, U.N. Doc. "
     "CCPR/C/121/D/2025/2011 (Sept. 27, 2017)",
     "UN Human Rights Committee 'Decision adopted by the Committee' (27 September 2017) UN Doc "
     "CCPR/C/121/D/2025/2011"},
    /* No symbol: the title, an article as "art.", the date. */
    {{.title = "Universal Declaration of Human Rights",
      .paragraph = "Article 26",
      .body = "GA",
      .kind = "declaration",
      .date = "1948-12-10"},
     "Universal Declaration of Human Rights, art. 26 (Dec. 10, 1948)",
     "Universal Declaration of Human Rights (10 December 1948) art 26"},
    /* An act: "§" and "s" for a section. */
    {{.title = "Cape Town Sub-Council By-law, 2003",
      .paragraph = "5(1)(a)",
      .kind = "act",
      .date = "2003-05-12"},
     "Cape Town Sub-Council By-law, 2003, \xc2\xa7 5(1)(a) (May 12, 2003)",
     "Cape Town Sub-Council By-law, 2003 (12 May 2003) s 5(1)(a)"},
    /* Only a year known. */
    {{.symbol = "E/CN.4/109", .body = "CHR", .kind = "report", .date = "1948"},
     "Commission on Human Rights, U.N. Doc. E/CN.4/109 (1948)",
     "UNCHR (1948) UN Doc E/CN.4/109"},
};

static void test_styles(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof style_rows / sizeof style_rows[0]; i++) {
        char *b = civ_cite_style_format(&style_rows[i].src, CIV_CITE_BLUEBOOK);
        char *o = civ_cite_style_format(&style_rows[i].src, CIV_CITE_OSCOLA);
        assert_string_equal(b, style_rows[i].bluebook);
        assert_string_equal(o, style_rows[i].oscola);
        free(b);
        free(o);
    }
}

/* ---- exports ------------------------------------------------------------------ */

static const char hostile_title[] =
    "Evil}\n@misc{injected, title={x}}\r\nER  - \nTY  - JOUR\\ 100% $ & # _ ^ ~ {";

static civ_cite_source report_source(void)
{
    civ_cite_source s = {.symbol = "A/HRC/59/15",
                         .title = "Report of the Working Group: Slovenia",
                         .paragraph = "12",
                         .page = 5,
                         .body = "HRC",
                         .kind = "report",
                         .date = "2025-03-24",
                         .language = "en",
                         .url = "/api/documents/0123456789abcdef/file#page=5",
                         .id = "0123456789abcdef-7"};
    return s;
}

static void test_csl(void **state)
{
    (void)state;
    civ_cite_source s = report_source();
    json_t *item = civ_cite_csl_item(&s);
    /* Through text and back, as a client would read it. */
    char *text = json_dumps(item, 0);
    json_decref(item);
    item = json_loads(text, 0, NULL);
    free(text);
    assert_non_null(item);
    assert_string_equal(json_string_value(json_object_get(item, "type")), "report");
    assert_string_equal(json_string_value(json_object_get(item, "title")),
                        "Report of the Working Group: Slovenia");
    assert_string_equal(json_string_value(json_object_get(item, "number")), "A/HRC/59/15");
    assert_string_equal(json_string_value(json_object_get(item, "authority")),
                        "Human Rights Council");
    json_t *parts =
        json_array_get(json_object_get(json_object_get(item, "issued"), "date-parts"), 0);
    assert_int_equal(json_array_size(parts), 3);
    assert_int_equal(json_integer_value(json_array_get(parts, 0)), 2025);
    assert_int_equal(json_integer_value(json_array_get(parts, 1)), 3);
    assert_int_equal(json_integer_value(json_array_get(parts, 2)), 24);
    assert_string_equal(json_string_value(json_object_get(item, "locator")), "12");
    assert_string_equal(json_string_value(json_object_get(item, "label")), "paragraph");
    assert_string_equal(json_string_value(json_object_get(item, "URL")), s.url);
    json_decref(item);

    s.kind = "resolution";
    s.title = hostile_title;
    item = civ_cite_csl_item(&s);
    assert_string_equal(json_string_value(json_object_get(item, "type")), "legislation");
    assert_string_equal(json_string_value(json_object_get(item, "title")), hostile_title);
    json_decref(item);

    /* A by-law's section. */
    s.kind = "act";
    s.paragraph = "5(1)(a)";
    item = civ_cite_csl_item(&s);
    assert_string_equal(json_string_value(json_object_get(item, "locator")), "5(1)(a)");
    assert_string_equal(json_string_value(json_object_get(item, "label")), "section");
    json_decref(item);
}

/* A general debate statement is its speaker's, named in its title: the
 * exports give no author (the General Assembly did not say it), and CSL
 * calls it a speech. */
static void test_statement(void **state)
{
    (void)state;
    civ_cite_source s = {
        .title = "Costa Rica, General Debate of the 70th session of the General Assembly",
        .body = "GA",
        .kind = "statement",
        .date = "2015",
        .id = "8901064596ed66d3-2"};
    char *un = civ_cite_format(&s);
    assert_string_equal(un, s.title);
    free(un);
    char *bluebook = civ_cite_style_format(&s, CIV_CITE_BLUEBOOK);
    assert_string_equal(bluebook,
                        "Costa Rica, General Debate of the 70th session of the General Assembly "
                        "(2015)");
    free(bluebook);

    json_t *item = civ_cite_csl_item(&s);
    assert_string_equal(json_string_value(json_object_get(item, "type")), "speech");
    assert_null(json_object_get(item, "author"));
    assert_null(json_object_get(item, "authority"));
    json_decref(item);
    size_t len = 0;
    char *ris = civ_cite_ris(&s, 1, &len);
    assert_null(strstr(ris, "AU  - "));
    assert_non_null(strstr(ris, "PY  - 2015\r\n"));
    free(ris);
    char *bib = civ_cite_bibtex(&s, 1, &len);
    assert_null(strstr(bib, "author"));
    free(bib);

    /* A report of the same body has it as author. */
    s.kind = "report";
    item = civ_cite_csl_item(&s);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(item, "author"), 0), "literal")),
                        "General Assembly");
    json_decref(item);
}

/* Every line is "XX  - value" (CRLF), TY first and ER last in each record. */
static void test_ris(void **state)
{
    (void)state;
    civ_cite_source s[2] = {report_source(), report_source()};
    s[1].title = hostile_title;
    s[1].kind = "resolution";
    size_t len = 0;
    char *ris = civ_cite_ris(s, 2, &len);
    assert_non_null(ris);
    assert_int_equal(strlen(ris), len);
    assert_true(g_str_has_suffix(ris, "\r\n"));
    char **lines = g_strsplit(ris, "\r\n", -1);
    size_t n = g_strv_length(lines) - 1; /* the text ends with CRLF */
    int records = 0, in_record = 0, titles = 0;
    for (size_t i = 0; i < n; i++) {
        const char *l = lines[i];
        assert_null(strpbrk(l, "\r\n"));
        assert_true(strlen(l) >= 6);
        assert_true(g_ascii_isupper(l[0]) && g_ascii_isalnum(l[1]));
        assert_memory_equal(l + 2, "  - ", 4);
        if (g_str_has_prefix(l, "TY  - ")) {
            assert_false(in_record);
            in_record = 1;
            records++;
            assert_string_equal(l + 6, records == 1 ? "RPRT" : "GOVDOC");
        } else {
            assert_true(in_record);
        }
        if (g_str_has_prefix(l, "ER  - ")) {
            assert_string_equal(l, "ER  - ");
            in_record = 0;
        }
        if (g_str_has_prefix(l, "TI  - "))
            titles++;
        if (g_str_has_prefix(l, "M1  - "))
            assert_string_equal(l + 6, "A/HRC/59/15");
        if (g_str_has_prefix(l, "DA  - "))
            assert_string_equal(l + 6, "2025/03/24/");
    }
    assert_int_equal(records, 2);
    assert_int_equal(titles, 2);
    assert_false(in_record);
    g_strfreev(lines);
    free(ris);
}

/* Braces balance in every entry, whatever the title holds, and an entry
 * has exactly the fields written. */
static void test_bibtex(void **state)
{
    (void)state;
    civ_cite_source s[2] = {report_source(), report_source()};
    s[1].title = hostile_title;
    s[1].symbol = NULL;
    s[1].id = "0123456789abcdef-8";
    size_t len = 0;
    char *bib = civ_cite_bibtex(s, 2, &len);
    assert_non_null(bib);
    int depth = 0, entries = 0;
    for (const char *c = bib; *c; c++) {
        if (*c == '{')
            depth++;
        if (*c == '}')
            depth--;
        assert_true(depth >= 0);
        if (*c == '@' && depth == 0) {
            /* BibTeX starts an entry at an '@' outside braces: only ours,
             * at line starts ("@misc{injected" in the title is inside). */
            assert_true(c == bib || c[-1] == '\n');
            entries++;
        }
    }
    assert_int_equal(depth, 0);
    assert_int_equal(entries, 2);
    assert_non_null(strstr(bib, "@techreport{A_HRC_59_15-en-7,\n"));
    assert_non_null(strstr(bib, "@misc{civitas-0123456789abcdef-8,\n"));
    assert_non_null(strstr(bib, "  title = {{Evil\\textbraceright{} @misc"));
    assert_non_null(strstr(bib, "100\\% \\$ \\& \\# \\_ \\textasciicircum{}"));
    assert_non_null(strstr(bib, "  month = mar"));
    free(bib);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),     cmocka_unit_test(test_long_title_capped),
        cmocka_unit_test(test_styles),    cmocka_unit_test(test_csl),
        cmocka_unit_test(test_ris),       cmocka_unit_test(test_bibtex),
        cmocka_unit_test(test_statement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
