/* test_extract_pdf.c: real UN PDFs and hostile files through poppler.
 *
 * Expected values come from the files themselves (pdfinfo for page counts
 * and dates, pdftotext for the words a paragraph starts with): what an
 * advocate would see when citing "A/HRC/59/15, para. 1".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civ_document.h"
#include "civ_extract.h"
#include "civ_extract_pdf.h"

typedef struct file_buf {
    char *data;
    size_t len;
} file_buf;

static file_buf read_file(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", CIV_SOURCE_DIR, rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    file_buf b = {NULL, 0};
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    b.data = malloc((size_t)n);
    assert_non_null(b.data);
    b.len = fread(b.data, 1, (size_t)n, f);
    fclose(f);
    assert_int_equal(b.len, (size_t)n);
    return b;
}

static civ_status extract(const char *rel, size_t cap, civ_document **doc, civ_err *err)
{
    file_buf b = read_file(rel);
    civ_status st = civ_extract_pdf(b.data, b.len, cap, doc, err);
    free(b.data);
    return st;
}

static civ_document *extract_ok(const char *rel)
{
    civ_document *doc = NULL;
    civ_err err;
    civ_err_clear(&err);
    civ_status st = extract(rel, 0, &doc, &err);
    if (st != CIV_OK)
        fail_msg("%s: %s: %s", rel, civ_status_name(st), err.msg);
    assert_non_null(doc);
    assert_string_equal(doc->format, "pdf");
    return doc;
}

static const civ_passage *find_paragraph(const civ_document *doc, const char *number)
{
    for (size_t i = 0; i < doc->n_passages; i++)
        if (doc->passages[i].paragraph && strcmp(doc->passages[i].paragraph, number) == 0)
            return &doc->passages[i];
    return NULL;
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* No passage carries page furniture: job numbers, bare page numbers. */
static void assert_no_furniture(const civ_document *doc)
{
    for (size_t i = 0; i < doc->n_passages; i++) {
        const char *t = doc->passages[i].text;
        if (strstr(t, "GE.25-") || strstr(t, "GE.12-"))
            fail_msg("passage %zu has a job number: %.80s", i + 1, t);
        if (all_digits(t))
            fail_msg("passage %zu is a bare number: %s", i + 1, t);
        assert_true(doc->passages[i].page >= 1 && doc->passages[i].page <= doc->page_count);
        assert_int_equal(doc->passages[i].ordinal, (int)i + 1);
    }
}

/* The plain numbered paragraphs ("1", "2", ...) rise one by one, from 1 to
 * last, as the document prints them. */
static void assert_numbered_in_order(const civ_document *doc, long last)
{
    long expect = 1;
    for (size_t i = 0; i < doc->n_passages; i++) {
        const char *p = doc->passages[i].paragraph;
        if (!p || !all_digits(p))
            continue;
        long v = strtol(p, NULL, 10);
        if (v != expect)
            fail_msg("passage %zu has paragraph %ld, expected %ld", i + 1, v, expect);
        expect++;
    }
    assert_int_equal(expect - 1, last);
}

static void test_upr_report(void **state)
{
    (void)state;
    civ_document *doc = extract_ok("corpus/A_HRC_59_15_g2502644.pdf");
    assert_int_equal(doc->page_count, 26);
    assert_null(doc->title); /* the file has no Title entry */
    assert_string_equal(doc->date, "2025-03-21");

    const civ_passage *p1 = find_paragraph(doc, "1");
    assert_non_null(p1);
    assert_int_equal(p1->page, 2);
    assert_true(starts_with(p1->text, "The Working Group on the Universal Periodic Review, "
                                      "established in accordance with Human Rights Council "
                                      "resolution 5/1"));
    assert_string_equal(p1->heading, "Introduction");

    /* Paragraph 7 runs from page 2 onto page 3: one passage, page 2, and
     * the footnotes at the foot of page 2 are not in it. */
    const civ_passage *p7 = find_paragraph(doc, "7");
    assert_non_null(p7);
    assert_int_equal(p7->page, 2);
    assert_non_null(strstr(p7->text, "National Programme for Equal Opportunities for Women"));
    assert_null(strstr(p7->text, "A/HRC/WG.6/48/SVN"));

    /* Footnote marks are not glued to the words: "paragraph 15 (a);1".
     * The item is cited under its paragraph: "para. 3 (a)". */
    const civ_passage *pa = find_paragraph(doc, "3 (a)");
    assert_non_null(pa);
    assert_string_equal(pa->text, "A national report submitted/written presentation made in "
                                  "accordance with paragraph 15 (a);");

    const civ_passage *p12 = find_paragraph(doc, "12");
    assert_non_null(p12);
    assert_int_equal(p12->page, 3);
    assert_true(starts_with(p12->text, "During the interactive dialogue, 94 delegations"));
    assert_string_equal(p12->heading, "I. Summary of the proceedings of the review process > "
                                      "B. Interactive dialogue and responses by the State under "
                                      "review");

    /* Recommendations keep their dotted numbers. */
    const civ_passage *r1 = find_paragraph(doc, "140.1");
    assert_non_null(r1);
    assert_int_equal(r1->page, 11);
    assert_true(starts_with(r1->text, "Ratify the International Convention on the Protection "
                                      "of the Rights of All Migrant Workers"));
    const civ_passage *r254 = find_paragraph(doc, "140.254");
    assert_non_null(r254);
    assert_int_equal(r254->page, 25);
    assert_string_equal(r254->text, "Strengthen measures to reduce statelessness and ensure "
                                    "the protection of stateless persons (Iraq).");

    assert_numbered_in_order(doc, 141);
    assert_no_furniture(doc);
    civ_document_free(doc);
}

static void test_resolution(void **state)
{
    (void)state;
    civ_document *doc = extract_ok("corpus/A_HRC_RES_59_25.en.pdf");
    assert_int_equal(doc->page_count, 10);
    assert_string_equal(doc->date, "2025-07-16");

    /* Preambular paragraphs are passages of their own, unnumbered. */
    int recalling = 0;
    for (size_t i = 0; i < doc->n_passages; i++) {
        const civ_passage *p = &doc->passages[i];
        if (starts_with(p->text, "Recalling the 2030 Agenda for Sustainable Development")) {
            recalling = 1;
            assert_null(p->paragraph);
            assert_int_equal(p->page, 1);
            assert_non_null(strstr(p->text, "change and its impacts,"));
            assert_null(strstr(p->text, "Reaffirming"));
        }
    }
    assert_true(recalling);

    const civ_passage *op1 = find_paragraph(doc, "1");
    assert_non_null(op1);
    assert_int_equal(op1->page, 7);
    assert_true(starts_with(op1->text, "Expresses grave concern that climate change has "
                                       "contributed"));
    const civ_passage *op27 = find_paragraph(doc, "27");
    assert_non_null(op27);
    assert_int_equal(op27->page, 10);
    assert_string_equal(op27->text, "Decides to remain seized of the matter.");

    assert_numbered_in_order(doc, 27);
    assert_no_furniture(doc);
    civ_document_free(doc);
}

static void test_long_report(void **state)
{
    (void)state;
    civ_document *doc = extract_ok("corpus/A_HRC_14_37_g1217781.pdf");
    assert_int_equal(doc->page_count, 194);
    assert_null(doc->title); /* poppler says "untitled": boilerplate, not a title */
    assert_string_equal(doc->date, "2012-11-29");
    /* Resolution 14/1, operative paragraph 1, on page 5. */
    int found = 0;
    for (size_t i = 0; i < doc->n_passages; i++) {
        const civ_passage *p = &doc->passages[i];
        if (p->page == 5 && p->paragraph && strcmp(p->paragraph, "1") == 0) {
            assert_true(starts_with(p->text, "Condemns in the strongest terms the outrageous "
                                             "attack by the Israeli forces"));
            found = 1;
        }
    }
    assert_true(found);
    assert_true(doc->n_passages > 1000);
    assert_no_furniture(doc);
    civ_document_free(doc);
}

static void test_agenda(void **state)
{
    (void)state;
    civ_document *doc = extract_ok("corpus/HRI_MC_2025_1.en.pdf");
    assert_int_equal(doc->page_count, 3);
    assert_string_equal(doc->date, "2025-03-28");
    /* "1.Opening of the meeting." (no space after the number). */
    const civ_passage *p1 = find_paragraph(doc, "1");
    assert_non_null(p1);
    assert_int_equal(p1->page, 1);
    assert_string_equal(p1->text, "Opening of the meeting.");
    assert_no_furniture(doc);
    civ_document_free(doc);
}

static void test_encrypted(void **state)
{
    (void)state;
    civ_document *doc = (civ_document *)1;
    civ_err err;
    civ_err_clear(&err);
    assert_int_equal(extract("tests/fixtures/real/pdfminer_aes-128_pw-foo.pdf", 0, &doc, &err),
                     CIV_ERR_ENCRYPTED);
    assert_null(doc);
    assert_int_equal(err.code, CIV_ERR_ENCRYPTED);
    assert_true(err.msg[0] != '\0');
}

/* poppler repairs this file's broken cross-reference table and reads its
 * text; what matters is that the text is there and nothing crashes. */
static void test_corrupted_repaired(void **state)
{
    (void)state;
    civ_document *doc = extract_ok("tests/fixtures/real/pdfminer_zen_of_python_corrupted.pdf");
    assert_int_equal(doc->page_count, 1);
    /* Its title field names the file it was made from: no title. */
    assert_null(doc->title);
    int found = 0;
    for (size_t i = 0; i < doc->n_passages; i++)
        if (strstr(doc->passages[i].text, "Beautiful is better than ugly."))
            found = 1;
    assert_true(found);
    /* Made from a text file, it prints no date: the file's is the one. */
    assert_string_equal(doc->date, "2018-05-30");
    civ_document_free(doc);
}

/* A scanned page's PDF was made when it was scanned: E/CN.4/109 of 1948,
 * scanned in 2006, whose OCR reads its printed date as "2 June 19kd",
 * gets no date rather than 2006. */
static void test_scan_not_dated(void **state)
{
    (void)state;
    civ_document *doc = extract_ok("corpus/E_CN.4_109.en.pdf");
    assert_true(doc->n_passages > 0);
    assert_null(doc->date);
    civ_document_free(doc);
}

static void test_image_only(void **state)
{
    (void)state;
    civ_document *doc = (civ_document *)1;
    civ_err err;
    assert_int_equal(
        extract("tests/fixtures/real/huridocs_ocr-sample-french_imageonly.pdf", 0, &doc, &err),
        CIV_ERR_NOTEXT);
    assert_null(doc);
    assert_int_equal(err.code, CIV_ERR_NOTEXT);
}

static void test_arabic(void **state)
{
    (void)state;
    civ_document *doc = extract_ok("tests/fixtures/real/pdfjs_ArabicCIDTrueType.pdf");
    assert_int_equal(doc->page_count, 1);
    assert_true(doc->n_passages >= 1);
    /* The font's presentation forms (U+FE70..U+FEFF) come out as the
     * letters a reader types (U+0600..U+06FF): "العربية" is found. */
    int arabic = 0, forms = 0;
    for (size_t p = 0; p < doc->n_passages; p++)
        for (const char *c = doc->passages[p].text; *c; c = g_utf8_next_char(c)) {
            gunichar u = g_utf8_get_char(c);
            arabic += u >= 0x0600 && u <= 0x06FF;
            forms += (u >= 0xFB50 && u <= 0xFDFF) || (u >= 0xFE70 && u <= 0xFEFF);
        }
    assert_true(arabic > 0);
    assert_int_equal(forms, 0);
    int found = 0;
    for (size_t p = 0; p < doc->n_passages; p++)
        found |= strstr(doc->passages[p].text, "العربية") != NULL;
    assert_true(found);
    civ_document_free(doc);
}

/* OHCHR's Chinese Declaration: the PDF spaces its characters apart and
 * breaks lines inside words; the text is read as printed, so 教育 and
 * 受教育的权利 are found (Xapian's n-grams need them side by side). */
static void test_chinese_spacing(void **state)
{
    (void)state;
    civ_document *doc = extract_ok("tests/fixtures/real/OHCHR_UDHR_zh-hans.pdf");
    int education = 0, spaced = 0;
    for (size_t p = 0; p < doc->n_passages; p++) {
        const char *t = doc->passages[p].text;
        education |= strstr(t, "受教育的权利") != NULL;
        spaced |= strstr(t, "教 育") != NULL || strstr(t, "人 人") != NULL;
    }
    assert_true(education);
    assert_false(spaced);
    civ_document_free(doc);
}

static void test_not_a_pdf(void **state)
{
    (void)state;
    civ_document *doc = (civ_document *)1;
    civ_err err;
    assert_int_equal(civ_extract_pdf("", 0, 0, &doc, &err), CIV_ERR_INPUT);
    assert_null(doc);
    const char text[] = "This is a plain text file, not a PDF.\n";
    doc = (civ_document *)1;
    assert_int_equal(civ_extract_pdf(text, sizeof text - 1, 0, &doc, &err), CIV_ERR_INPUT);
    assert_null(doc);
    assert_int_equal(err.code, CIV_ERR_INPUT);
    assert_true(err.msg[0] != '\0');
    /* A PDF cut in half. */
    file_buf b = read_file("corpus/HRI_MC_2025_1.en.pdf");
    doc = (civ_document *)1;
    civ_status st = civ_extract_pdf(b.data, 200, 0, &doc, &err);
    free(b.data);
    assert_int_equal(st, CIV_ERR_INPUT);
    assert_null(doc);
}

/* A one-page PDF whose Info dictionary has title (a PDF literal string). */
static char *pdf_titled(const char *title, size_t *len)
{
    char *pdf = g_strdup_printf("%%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n"
                                "2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n"
                                "3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]"
                                "/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>> endobj\n"
                                "4 0 obj <</Type/Font/Subtype/Type1/BaseFont/Helvetica>> endobj\n"
                                "5 0 obj <</Length 62>> stream\n"
                                "BT /F1 12 Tf 72 700 Td (A declaration of rights for all.) Tj ET\n"
                                "endstream endobj\n6 0 obj <</Title (%s)>> endobj\n"
                                "trailer <</Root 1 0 R/Info 6 0 R>>\n%%%%EOF\n",
                                title);
    *len = strlen(pdf);
    return pdf;
}

/* A PDF's title field is the document's title unless it says nothing of
 * it: text its producer lost to "?", the publisher's name. */
static void test_title_field(void **state)
{
    (void)state;
    static const struct {
        const char *field, *title; /* title NULL: none taken from the field */
    } rows[] = {
        {"Report of the Special Rapporteur on adequate housing",
         "Report of the Special Rapporteur on adequate housing"},
        {"Who decides? Cities and rights", "Who decides? Cities and rights"},
        {"??????", NULL},
        {"???????? ?????????? ???? ????????", NULL},
        {"????a???????\?)", NULL},
        {"United Nations", NULL},
        {"UNITED", NULL},
        {"untitled", NULL},
        {"Microsoft Word - A HRC 59 15 for processing.doc", NULL},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        size_t len = 0;
        char *pdf = pdf_titled(rows[i].field, &len);
        civ_document *doc = NULL;
        civ_err err;
        assert_int_equal(civ_extract_pdf(pdf, len, 0, &doc, &err), CIV_OK);
        if (rows[i].title)
            assert_string_equal(doc->title, rows[i].title);
        else if (doc->title)
            fail_msg("field \"%s\" taken as the title", rows[i].field);
        civ_document_free(doc);
        g_free(pdf);
    }
}

/* A UPR report whose PDF title field is the publisher ("United Nations")
 * gets the title printed on its first page, without the symbol-font
 * footnote marks (Private Use Area characters) printed after it. */
static void test_printed_title_over_publisher(void **state)
{
    (void)state;
    char *path = g_build_filename(CIV_SOURCE_DIR, "tests", "fixtures", "real",
                                  "A_HRC_28_15_g1423930.pdf", NULL);
    civ_document *doc = NULL;
    civ_err err;
    assert_int_equal(civ_extract_file(path, NULL, &doc, &err), CIV_OK);
    assert_string_equal(doc->symbol, "A/HRC/28/15");
    assert_string_equal(doc->title,
                        "Report of the Working Group on the Universal Periodic Review: Slovenia");
    civ_document_free(doc);
    g_free(path);
}

static void test_text_cap(void **state)
{
    (void)state;
    civ_document *doc = (civ_document *)1;
    civ_err err;
    assert_int_equal(extract("corpus/A_HRC_59_15_g2502644.pdf", 10000, &doc, &err),
                     CIV_ERR_TOOLARGE);
    assert_null(doc);
    assert_int_equal(err.code, CIV_ERR_TOOLARGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_upr_report),
        cmocka_unit_test(test_resolution),
        cmocka_unit_test(test_long_report),
        cmocka_unit_test(test_agenda),
        cmocka_unit_test(test_encrypted),
        cmocka_unit_test(test_corrupted_repaired),
        cmocka_unit_test(test_scan_not_dated),
        cmocka_unit_test(test_image_only),
        cmocka_unit_test(test_arabic),
        cmocka_unit_test(test_chinese_spacing),
        cmocka_unit_test(test_not_a_pdf),
        cmocka_unit_test(test_text_cap),
        cmocka_unit_test(test_title_field),
        cmocka_unit_test(test_printed_title_over_publisher),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
