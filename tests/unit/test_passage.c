/* test_passage.c: printed paragraph numbers and passage splitting.
 *
 * civ_passage_number is a pure function and gets a table; civ_passage_split
 * gets small page texts shaped like poppler's output of UN documents.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "civ_document.h"
#include "civ_passage.h"

typedef struct number_row {
    const char *line;
    const char *number; /* NULL: not a paragraph number */
    const char *rest;   /* text after the number, when number is not NULL */
} number_row;

static const number_row number_rows[] = {
    {"12. The Working Group", "12", "The Working Group"},
    {"1.", "1", ""},
    {"12", "12", ""},
    {"12 ", "12", ""},
    {"5\tThe Council", "5", "The Council"},
    {"5  The Council", "5", "The Council"},
    {"1.Opening of the meeting.", "1", "Opening of the meeting."},
    {"(a) The right to housing", "(a)", "The right to housing"},
    {"(a)", "(a)", ""},
    {"(iv) Ensure access", "(iv)", "Ensure access"},
    {"(xii)", "(xii)", ""},
    {"a) States shall", "a)", "States shall"},
    {"iv) Take measures", "iv)", "Take measures"},
    {"Article 12", "Article 12", ""},
    {"Article 3.", "Article 3", ""},
    {"Article 3. Everyone has the right", "Article 3", "Everyone has the right"},
    {"Article 25 Everyone has the right", "Article 25", "Everyone has the right"},
    {"Article premier", "Article premier", ""},
    {"140.1", "140.1", ""},
    {"140.254 Strengthen measures", "140.254", "Strengthen measures"},
    /* Glued to their text, as some PDFs give them. */
    {"140.91Continue its efforts", "140.91", "Continue its efforts"},
    {"(c)Observer for the Holy See;", "(c)", "Observer for the Holy See;"},
    {"  7. Indented", "7", "Indented"},
    {"1990 was a year", NULL, NULL},
    {"2025.", NULL, NULL},
    {"2025", NULL, NULL},
    {"12.5 per cent of the population", NULL, NULL},
    {"31 January 2025", NULL, NULL},
    {"3 A/HRC/WG.6/48/SVN/3.", NULL, NULL},
    {"10th meeting", NULL, NULL},
    {"59/25.", NULL, NULL},
    {"14/1", NULL, NULL},
    {"2015–2030", NULL, NULL},
    {"1,000 people", NULL, NULL},
    {"1.5°C above pre-industrial levels", NULL, NULL},
    {"(2) of the Paris Agreement", NULL, NULL},
    {"(2)of the Paris Agreement", NULL, NULL},
    {"(a)of the Covenant", NULL, NULL},
    {"(Paraguay);", NULL, NULL},
    {"Article 3 of the Covenant", NULL, NULL},
    {"Articles 3 and 4", NULL, NULL},
    {"The Council, recalling", NULL, NULL},
    {"GE.25-05460 (E)", NULL, NULL},
    {"- 5 -", NULL, NULL},
    {"", NULL, NULL},
};

static void test_number_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof number_rows / sizeof number_rows[0]; i++) {
        const number_row *r = &number_rows[i];
        char out[32];
        memset(out, 'x', sizeof out);
        size_t len = strlen(r->line);
        size_t span = civ_passage_number(r->line, len, out, sizeof out);
        if (!r->number) {
            if (span != 0)
                fail_msg("row %zu \"%s\": expected no number, got \"%s\"", i, r->line, out);
            assert_string_equal(out, "");
            continue;
        }
        if (span == 0)
            fail_msg("row %zu \"%s\": expected \"%s\"", i, r->line, r->number);
        assert_string_equal(out, r->number);
        assert_true(span <= len);
        assert_string_equal(r->line + span, r->rest);
    }
}

static void test_number_small_buffer(void **state)
{
    (void)state;
    char out[4];
    /* The span is reported whole; the copy is cut to the buffer. */
    size_t span = civ_passage_number("Article 12 Everyone", 19, out, sizeof out);
    assert_int_equal(span, 11);
    assert_string_equal(out, "Art");
    assert_int_equal(civ_passage_number("12. Text", 8, NULL, 0), 4);
}

static civ_document *split(const char *text, int page)
{
    civ_document *doc = civ_document_new("text");
    assert_non_null(doc);
    civ_err err;
    assert_int_equal(civ_passage_split(doc, text, strlen(text), page, &err), CIV_OK);
    civ_passage_line_hyphens(doc);
    return doc;
}

static void assert_passage(const civ_document *doc, size_t i, const char *paragraph,
                           const char *text)
{
    assert_true(i < doc->n_passages);
    const civ_passage *p = &doc->passages[i];
    if (paragraph)
        assert_string_equal(p->paragraph, paragraph);
    else
        assert_null(p->paragraph);
    assert_string_equal(p->text, text);
}

static void test_split_blank_lines(void **state)
{
    (void)state;
    civ_document *doc = split("First paragraph, one line.\n\nSecond paragraph\nin two lines.\n", 0);
    assert_int_equal(doc->n_passages, 2);
    assert_passage(doc, 0, NULL, "First paragraph, one line.");
    assert_passage(doc, 1, NULL, "Second paragraph in two lines.");
    assert_int_equal(doc->passages[1].ordinal, 2);
    assert_int_equal(doc->passages[1].page, 0);
    civ_document_free(doc);
}

/* poppler's text of a UN report page: running header, numbers alone on
 * their lines, a wrapped paragraph, a page number and the job number. */
static const char un_page[] =
    "A/HRC/59/15\n"
    "5.\n"
    "The head of the delegation informed the Human Rights Council that the national\n"
    "report had been prepared inclusively, involving government institutions, the Human\n"
    "Rights Ombudsman and civil society.\n"
    "6.\n"
    "The human rights framework remained strong, with the Ombudsman and the\n"
    "Advocate of the Principle of Equality as independent institutions. Public educa-\n"
    "tion campaigns had further reinforced those efforts in 2025.\n"
    "7. The Long-Term Care Act adopted in 2023 had enhanced access to care. Housing\n"
    "reforms were aimed at increasing affordable public rental units.\n"
    "(a)\n"
    "A national report submitted in accordance with paragraph 15 (a);\n"
    "2\n"
    "GE.25-02819 (E)\n";

static void test_split_un_page(void **state)
{
    (void)state;
    civ_document *doc = split(un_page, 2);
    assert_int_equal(doc->n_passages, 4);
    assert_passage(doc, 0, "5",
                   "The head of the delegation informed the Human Rights Council that the "
                   "national report had been prepared inclusively, involving government "
                   "institutions, the Human Rights Ombudsman and civil society.");
    /* "educa-\ntion" is one word again; "2025." is not a number. */
    assert_passage(doc, 1, "6",
                   "The human rights framework remained strong, with the Ombudsman and the "
                   "Advocate of the Principle of Equality as independent institutions. Public "
                   "education campaigns had further reinforced those efforts in 2025.");
    assert_passage(doc, 2, "7",
                   "The Long-Term Care Act adopted in 2023 had enhanced access to care. Housing "
                   "reforms were aimed at increasing affordable public rental units.");
    /* An item is cited under its paragraph: "para. 7 (a)". */
    assert_passage(doc, 3, "7 (a)",
                   "A national report submitted in accordance with paragraph 15 (a);");
    for (size_t i = 0; i < doc->n_passages; i++) {
        assert_int_equal(doc->passages[i].page, 2);
        assert_null(strstr(doc->passages[i].text, "GE.25"));
        assert_null(strstr(doc->passages[i].text, "A/HRC/59/15"));
    }
    civ_document_free(doc);
}

/* Chinese text broken over lines is one run again: no space between the
 * characters either side of the break. */
static void test_split_chinese_lines(void **state)
{
    (void)state;
    civ_document *doc = split("人人都有受教\n育的权利, 教育应当免费。\n", 0);
    assert_int_equal(doc->n_passages, 1);
    assert_string_equal(doc->passages[0].text, "人人都有受教育的权利, 教育应当免费。");
    civ_document_free(doc);
}

/* A numbered heading is not a paragraph: "para. 1" must not cite
 * "1. Same-sex partnership". Unnumbered text under it (a by-law's
 * section) is cited by its number; a table's figures are not paragraph
 * numbers. */
static void test_split_numbered_headings(void **state)
{
    (void)state;
    const char *text =
        "19.\tNotable progress in the government policy for the strengthening of the role of\n"
        "women was made in the period under review, and the programme was adopted.\n"
        "1. Same-sex partnership\n"
        "20.\tDecision U-I-425/06-10 of July 2009 of the Constitutional Court established that\n"
        "the Registration of Same-Sex Partnership Act was not in conformity.\n"
        "2.\n"
        "Children's rights\n"
        "21.\tThe first Programme for Children and Youth 2006-2016 was drafted in 2006 in\n"
        "cooperation with the relevant ministries and non-governmental organizations.\n"
        "304.901  31 Dec 2006 and the figures of the table that follow it here\n"
        "\n"
        "3. REPEAL AND DISESTABLISHMENT\n"
        "With effect from midnight on the day before the effective date the sub-councils\n"
        "are disestablished and the by-law is repealed in its entirety.\n";
    civ_document *doc = split(text, 7);
    const char *labels[16];
    size_t n = 0;
    for (size_t i = 0; i < doc->n_passages && n < 16; i++)
        labels[n++] = doc->passages[i].paragraph;
    assert_int_equal(n, 7);
    assert_string_equal(labels[0], "19");
    assert_null(labels[1]);
    assert_string_equal(doc->passages[1].text, "1. Same-sex partnership");
    assert_string_equal(labels[2], "20");
    assert_null(labels[3]); /* "Children's rights", its number set aside */
    assert_string_equal(doc->passages[3].text, "Children's rights");
    /* The table's line is text, not paragraph 304.901. */
    assert_string_equal(labels[4], "21");
    assert_non_null(strstr(doc->passages[4].text, "304.901 31 Dec 2006"));
    assert_null(labels[5]); /* the heading */
    assert_string_equal(doc->passages[5].text, "3. REPEAL AND DISESTABLISHMENT");
    assert_string_equal(labels[6], "3");
    assert_non_null(strstr(doc->passages[6].text, "With effect from midnight"));
    civ_document_free(doc);
}

/* A hyphen at a line end: a compound keeps it, a word broken by
 * hyphenation loses it. The document's own spelling decides; without
 * one, only a word ending ("tion") joins. Across a page break too. */
static void test_line_end_hyphens(void **state)
{
    (void)state;
    civ_document *doc = civ_document_new("text");
    civ_err err;
    const char *page1 = "Non-governmental organizations and the responsibility of States for\n"
                        "the right to self-determination were discussed at length in the non-\n"
                        "governmental forum, with a view to the respon-\n"
                        "sibility of States, public educa-\n"
                        "tion and self-\n"
                        "determination, and victim-\n"
                        "oriented support for the long-term and equal treatment of all non-\n";
    const char *page2 = "discriminatory measures.\n";
    assert_int_equal(civ_passage_split(doc, page1, strlen(page1), 1, &err), CIV_OK);
    assert_int_equal(civ_passage_split(doc, page2, strlen(page2), 2, &err), CIV_OK);
    civ_passage_line_hyphens(doc);
    assert_int_equal(doc->n_passages, 1);
    const char *t = doc->passages[0].text;
    assert_non_null(strstr(t, "the non-governmental forum"));    /* written so elsewhere */
    assert_non_null(strstr(t, "the responsibility of States,")); /* likewise, joined */
    assert_non_null(strstr(t, "public education and"));          /* a word ending */
    assert_non_null(strstr(t, "and self-determination,"));
    assert_non_null(strstr(t, "victim-oriented support"));      /* neither: kept */
    assert_non_null(strstr(t, "non-discriminatory measures.")); /* over the page break */
    assert_null(strchr(t, '\x1f'));
    civ_document_free(doc);
}

/* Items are numbered under their paragraph, as UN documents cite them:
 * letters under the number, roman numerals under the letter, "(i)" after
 * "(h)" a letter; a new heading or a new number ends the list. */
static void test_split_nested_items(void **state)
{
    (void)state;
    const char *text = "3.\tThe Council requests States:\n"
                       "\n(a)\tTo adopt laws;\n"
                       "\n(b)\tTo report on:\n"
                       "\n(i)\tHousing;\n"
                       "\n(ii)\tWater;\n"
                       "\n(c)\tTo cooperate;\n"
                       "\n(d)\tTo inform;\n"
                       "\n(e)\tTo consult;\n"
                       "\n(f)\tTo monitor;\n"
                       "\n(g)\tTo fund;\n"
                       "\n(h)\tTo train;\n"
                       "\n(i)\tTo evaluate.\n"
                       "\n4.\tDecides to remain seized of the matter.\n"
                       "\nII. Recommendations\n"
                       "\n(a)\tTo ratify the Convention.\n";
    civ_document *doc = split(text, 1);
    static const char *const want[] = {"3",     "3 (a)", "3 (b)", "3 (b) (i)", "3 (b) (ii)",
                                       "3 (c)", "3 (d)", "3 (e)", "3 (f)",     "3 (g)",
                                       "3 (h)", "3 (i)", "4",     NULL,        "(a)"};
    assert_int_equal(doc->n_passages, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < doc->n_passages; i++) {
        if (want[i])
            assert_string_equal(doc->passages[i].paragraph, want[i]);
        else
            assert_null(doc->passages[i].paragraph);
    }
    civ_document_free(doc);
}

/* Lines of equal width with no numbers: sentence-final punctuation on a
 * short line ends a paragraph; a short title line is a heading. */
static void test_split_short_lines_and_headings(void **state)
{
    (void)state;
    const char *text =
        "Introduction\n"
        "The Council held its session in Geneva and adopted the outcome of the review\n"
        "of the State under review.\n"
        "The delegation thanked the members of the Council for their contributions.\n"
        "Conclusions and recommendations\n"
        "The State should strengthen the national mechanism for implementation and\n"
        "report on its progress at the next cycle of the review.\n"
        "- 3 -\n";
    civ_document *doc = split(text, 3);
    assert_int_equal(doc->n_passages, 5);
    assert_passage(doc, 0, NULL, "Introduction");
    assert_passage(doc, 1, NULL,
                   "The Council held its session in Geneva and adopted the outcome of the review "
                   "of the State under review.");
    assert_passage(doc, 2, NULL,
                   "The delegation thanked the members of the Council for their contributions.");
    assert_passage(doc, 3, NULL, "Conclusions and recommendations");
    assert_string_equal(doc->passages[4].text,
                        "The State should strengthen the national mechanism for implementation "
                        "and report on its progress at the next cycle of the review.");
    civ_document_free(doc);
}

/* A paragraph that runs over a page break stays one passage, cited at the
 * page where it starts. */
static void test_split_continues_across_pages(void **state)
{
    (void)state;
    civ_document *doc = civ_document_new("pdf");
    civ_err err;
    const char *p1 = "A/HRC/1/1\n"
                     "8.\n"
                     "Slovenia had promoted disability inclusion, amending the Constitution in\n"
                     "2021 to recognize Slovenian Sign Language and tactile sign language for\n";
    const char *p2 = "A/HRC/1/1\n"
                     "deafblind persons. Child protection had been reinforced.\n"
                     "9.\n"
                     "Migration policy had progressed with an Integration Strategy.\n";
    assert_int_equal(civ_passage_split(doc, p1, strlen(p1), 1, &err), CIV_OK);
    assert_int_equal(civ_passage_split(doc, p2, strlen(p2), 2, &err), CIV_OK);
    assert_int_equal(doc->n_passages, 3);
    assert_passage(doc, 1, "8",
                   "Slovenia had promoted disability inclusion, amending the Constitution in "
                   "2021 to recognize Slovenian Sign Language and tactile sign language for "
                   "deafblind persons. Child protection had been reinforced.");
    assert_int_equal(doc->passages[1].page, 1);
    assert_passage(doc, 2, "9", "Migration policy had progressed with an Integration Strategy.");
    assert_int_equal(doc->passages[2].page, 2);
    assert_int_equal(doc->passages[2].ordinal, 3);
    civ_document_free(doc);
}

/* A paragraph cut after a lower-case word goes on over the page break
 * even when the next page starts with a name; a preambular paragraph
 * ending in a comma, or a heading, does not take the next page's text. */
static void test_split_continues_before_a_capital(void **state)
{
    (void)state;
    civ_document *doc = civ_document_new("pdf");
    civ_err err;
    const char *p1 =
        "276.\tThe Working Group noted the concerns expressed about the presence of Roma and\n"
        "Sinti communities in camps, and the situation of those who lived there, and\n";
    const char *p2 =
        "Italy was asked to report on the measures it had taken to protect them.\n"
        "277.\tThe delegation thanked the members of the Council for their questions.\n";
    const char *p3 =
        "Recalling its resolutions on the question of trafficking in persons, especially\n"
        "women and children, and all previous resolutions of the Council on the subject,\n";
    const char *p4 =
        "Noting with appreciation the work of the Special Rapporteur on the question,\n";
    assert_int_equal(civ_passage_split(doc, p1, strlen(p1), 1, &err), CIV_OK);
    assert_int_equal(civ_passage_split(doc, p2, strlen(p2), 2, &err), CIV_OK);
    assert_int_equal(civ_passage_split(doc, p3, strlen(p3), 3, &err), CIV_OK);
    assert_int_equal(civ_passage_split(doc, p4, strlen(p4), 4, &err), CIV_OK);
    assert_int_equal(doc->n_passages, 4);
    assert_string_equal(doc->passages[0].paragraph, "276");
    assert_non_null(strstr(doc->passages[0].text, "lived there, and Italy was asked to report"));
    assert_string_equal(doc->passages[1].paragraph, "277");
    assert_true(g_str_has_prefix(doc->passages[2].text, "Recalling"));
    assert_true(g_str_has_prefix(doc->passages[3].text, "Noting with appreciation"));
    civ_document_free(doc);
}

/* A bare integer line is a paragraph number only in sequence; a page
 * number or a footnote mark in the wrong place is dropped. */
static void test_split_bare_numbers(void **state)
{
    (void)state;
    const char *text = "1\n"
                       "First paragraph of the report, a full line of text for the width.\n"
                       "2\n"
                       "Second paragraph of the report, a full line of text for the width.\n"
                       "17\n"
                       "GE.25-05460\n";
    civ_document *doc = split(text, 4);
    assert_int_equal(doc->n_passages, 2);
    assert_passage(doc, 0, "1",
                   "First paragraph of the report, a full line of text for the width.");
    assert_passage(doc, 1, "2",
                   "Second paragraph of the report, a full line of text for the width.");
    civ_document_free(doc);
}

/* A resolution's preambular paragraphs end with commas. */
static void test_split_preamble(void **state)
{
    (void)state;
    const char *text =
        "The Human Rights Council,\n"
        "Reaffirming the Addis Ababa Action Agenda of the Third International Conference\n"
        "on Financing for Development as an integral part of the 2030 Agenda,\n"
        "Recalling all previous Human Rights Council resolutions on human rights and climate\n"
        "change,\n"
        "1.\n"
        "Decides to remain seized of the matter.\n";
    civ_document *doc = split(text, 7);
    assert_int_equal(doc->n_passages, 4);
    assert_passage(doc, 0, NULL, "The Human Rights Council,");
    assert_passage(doc, 1, NULL,
                   "Reaffirming the Addis Ababa Action Agenda of the Third International "
                   "Conference on Financing for Development as an integral part of the 2030 "
                   "Agenda,");
    assert_passage(doc, 2, NULL,
                   "Recalling all previous Human Rights Council resolutions on human rights and "
                   "climate change,");
    assert_passage(doc, 3, "1", "Decides to remain seized of the matter.");
    civ_document_free(doc);
}

/* Plain text with one paragraph per long line. */
static void test_split_unwrapped(void **state)
{
    (void)state;
    char text[2048];
    char para[400];
    memset(para, 'a', sizeof para);
    para[0] = 'W';
    for (size_t i = 10; i < sizeof para - 2; i += 10)
        para[i] = ' ';
    para[sizeof para - 2] = '.';
    para[sizeof para - 1] = '\0';
    snprintf(text, sizeof text, "%s\n%s\n%s\n", para, para, para);
    civ_document *doc = split(text, 0);
    assert_int_equal(doc->n_passages, 3);
    civ_document_free(doc);
}

static void test_split_empty_and_furniture_only(void **state)
{
    (void)state;
    civ_document *doc = split("", 1);
    assert_int_equal(doc->n_passages, 0);
    civ_document_free(doc);
    doc = split("\n\n  \n12\nGE.25-02819 (E)\n210325 210325\n", 1);
    assert_int_equal(doc->n_passages, 0);
    civ_document_free(doc);
}

/* A huge paragraph is cut at the passage cap, not grown without bound. */
static void test_split_cap(void **state)
{
    (void)state;
    size_t len = 3 * CIV_MAX_PASSAGE_BYTES;
    char *text = test_malloc(len + 1);
    for (size_t i = 0; i < len; i++)
        text[i] = (i % 80 == 79) ? '\n' : (i % 7 == 6 ? ' ' : 'x');
    text[len] = '\0';
    civ_document *doc = civ_document_new("text");
    civ_err err;
    assert_int_equal(civ_passage_split(doc, text, len, 1, &err), CIV_OK);
    assert_true(doc->n_passages >= 1);
    for (size_t i = 0; i < doc->n_passages; i++)
        assert_true(strlen(doc->passages[i].text) <= CIV_MAX_PASSAGE_BYTES);
    civ_document_free(doc);
    test_free(text);
}

/* Text not divided into paragraphs (a speech on one line) is cut at
 * sentence ends into passages of a few kilobytes; no text is lost, and
 * every piece keeps the paragraph's number. */
static void test_split_long_paragraph(void **state)
{
    (void)state;
    GString *line = g_string_new("7. ");
    for (int i = 0; i < 400; i++)
        g_string_append_printf(line, "Sentence %d of the statement speaks of peace. ", i);
    GString *text = g_string_new(line->str);
    g_string_append(text, "\nA short closing line.\n");
    civ_document *doc = split(text->str, 0);
    assert_true(doc->n_passages >= 5);
    GString *joined = g_string_new(NULL);
    for (size_t i = 0; i + 1 < doc->n_passages; i++) {
        const char *t = doc->passages[i].text;
        size_t n = strlen(t);
        assert_true(n <= 4000);
        assert_int_equal(t[n - 1], '.'); /* cut after a sentence */
        assert_string_equal(doc->passages[i].paragraph, "7");
        g_string_append_printf(joined, "%s%s", joined->len ? " " : "", t);
    }
    assert_string_equal(doc->passages[doc->n_passages - 1].text, "A short closing line.");
    /* Every sentence is there once, in order. */
    g_string_truncate(line, line->len - 1);
    assert_string_equal(joined->str, line->str + 3);
    civ_document_free(doc);
    g_string_free(joined, TRUE);
    g_string_free(text, TRUE);
    g_string_free(line, TRUE);
}

/* Chinese has no spaces: the cut falls after a full stop (。). */
static void test_split_long_chinese(void **state)
{
    (void)state;
    GString *text = g_string_new(NULL);
    for (int i = 0; i < 300; i++)
        g_string_append(text, "人人有受教育的权利，教育应当免费。");
    civ_document *doc = split(text->str, 0);
    assert_true(doc->n_passages >= 3);
    size_t total = 0;
    for (size_t i = 0; i < doc->n_passages; i++) {
        const char *t = doc->passages[i].text;
        size_t n = strlen(t);
        assert_true(n >= 3 && strcmp(t + n - 3, "。") == 0);
        total += n;
    }
    assert_int_equal(total, text->len);
    civ_document_free(doc);
    g_string_free(text, TRUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_table),
        cmocka_unit_test(test_number_small_buffer),
        cmocka_unit_test(test_split_blank_lines),
        cmocka_unit_test(test_split_un_page),
        cmocka_unit_test(test_split_nested_items),
        cmocka_unit_test(test_line_end_hyphens),
        cmocka_unit_test(test_split_numbered_headings),
        cmocka_unit_test(test_split_chinese_lines),
        cmocka_unit_test(test_split_continues_before_a_capital),
        cmocka_unit_test(test_split_short_lines_and_headings),
        cmocka_unit_test(test_split_continues_across_pages),
        cmocka_unit_test(test_split_bare_numbers),
        cmocka_unit_test(test_split_preamble),
        cmocka_unit_test(test_split_unwrapped),
        cmocka_unit_test(test_split_long_paragraph),
        cmocka_unit_test(test_split_long_chinese),
        cmocka_unit_test(test_split_empty_and_furniture_only),
        cmocka_unit_test(test_split_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
