/* test_unmeta_apply.c: UN metadata through civ_extract_bytes, the path
 * every extracted document takes.
 *
 * Small documents shaped like UN first pages (and one PDF built here with a
 * symbol only in its metadata) check where the symbol comes from and when
 * a file name must not give one; the real UN PDFs are checked end to end
 * in tests/e2e/test_unmeta.c.
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

#include "civ_extract.h"
#include "civ_unmeta.h"

static civ_document *extract(const char *name, const char *data, size_t len)
{
    civ_document *doc = NULL;
    civ_err err;
    civ_err_clear(&err);
    civ_status st = civ_extract_bytes(name, data, len, NULL, &doc, &err);
    if (st != CIV_OK)
        fail_msg("%s: %s: %s", name, civ_status_name(st), err.msg);
    return doc;
}

static civ_document *extract_text(const char *name, const char *text)
{
    return extract(name, text, strlen(text));
}

static void assert_str_or_null(const char *got, const char *want)
{
    if (!want)
        assert_null(got);
    else
        assert_string_equal(got ? got : "(null)", want);
}

typedef struct text_row {
    const char *name;
    const char *text;
    const char *symbol; /* NULL: none */
    const char *source;
    const char *date;
    const char *kind;
    const char *body;
    const char *session;
    const char *agenda;
} text_row;

static const text_row text_rows[] = {
    /* A first page with its own symbol, date and agenda item. */
    {"A_HRC_59_15.txt",
     "A/HRC/59/15\n\nUnited Nations General Assembly Distr.: General 24 March 2025\n\n"
     "Original: English\n\nHuman Rights Council Fifty-ninth session\n\nAgenda item 6\n\n"
     "Universal periodic review\n",
     "A/HRC/59/15", "text", "2025-03-24", "report", "HRC", "59", "6"},
    /* The first page carries another symbol than the file name: the
     * page is right. */
    {"A_HRC_59_60.txt",
     "A/HRC/RES/59/25\n\nDistr.: General 16 July 2025\n\nAgenda item 3\n\nThe Council,\n",
     "A/HRC/RES/59/25", "text", "2025-07-16", "resolution", "HRC", "59", "3"},
    /* A resolution is dated the day it was adopted; a preamble's "adopted
     * by ... on" date is another text's and does not count. */
    {"A_RES_78_323.txt",
     "A/RES/78/323\n\nDistr.: General 14 August 2024\n\nAgenda item 69\n\n"
     "Resolution adopted by the General Assembly on 13 August 2024\n\n"
     "Recalling the Universal Declaration adopted by the General Assembly on 10 December 1948\n",
     "A/RES/78/323", "text", "2024-08-13", "resolution", "GA", "78", "69"},
    {"A_RES_78_324.txt",
     "A/RES/78/324\n\nDistr.: General 14 August 2024\n\nAgenda item 69\n\n"
     "Recalling the Universal Declaration adopted by the General Assembly on 10 December 1948\n",
     "A/RES/78/324", "text", "2024-08-14", "resolution", "GA", "78", "69"},
    /* A page that says the document does not exist gets no symbol, even
     * under a symbol's file name. */
    {"A_HRC_59_60.txt",
     "Document not found\n\nThe document A/HRC/59/60 does not exist or has been withdrawn.\n", NULL,
     NULL, NULL, NULL, NULL, NULL, NULL},
    {"A_HRC_59_60.txt", "Sorry, this page does not exist.\n", NULL, NULL, NULL, NULL, NULL, NULL,
     NULL},
    /* No symbol in the text: the file name's, and nothing printed to
     * take a date from. */
    {"A_HRC_59_60.txt", "Statement on the right to adequate housing in cities.\n", "A/HRC/59/60",
     "filename", NULL, "report", "HRC", "59", NULL},
    /* A symbol in brackets names another document (the draft). */
    {"notes.txt", "The draft resolution (A/79/L.64) was adopted by 120 votes.\n", NULL, NULL, NULL,
     NULL, NULL, NULL, NULL},
    /* "A /79/PV.64" and the meeting's date. */
    {"record.txt",
     "A /79/PV.64 United Nations General Assembly Official Records Seventy-ninth session\n\n"
     "Wednesday, 16 April 2025, 10 a.m.\n\nAgenda item 13 (continued)\n",
     "A/79/PV.64", "text", "2025-04-16", "verbatim-record", "GA", "79", "13"},
    /* Several agenda items, sub-items; Spanish and French dates. */
    {"x.txt",
     "A/C.3/79/L.5\n\nDistr. limitada 3 de abril de 2025\n\nTema 69 Agenda items 69 (b) "
     "and 70\n",
     "A/C.3/79/L.5", "text", "2025-04-03", "draft", "GA", "79", "69 (b), 70"},
    {"y.txt", "E/CN.6/2025/NGO/40\n\nDistr. générale 1er avril 2025\n", "E/CN.6/2025/NGO/40",
     "text", "2025-04-01", "ngo-statement", "CSW", "2025", NULL},
    /* "Item 3 of the provisional agenda"; a bare "Item 3" is no agenda. */
    {"HRI_MC_2025_1.txt",
     "HRI/MC/2025/1\n\nDistr.: General 28 March 2025\n\nItem 3 of the provisional agenda\n",
     "HRI/MC/2025/1", "text", "2025-03-28", "report", "HRI", "2025", "3"},
    {"z.txt", "S/RES/2768 (2025)\n\nDistr.: General 15 January 2025\n\nItem 3 was discussed.\n",
     "S/RES/2768 (2025)", "text", "2025-01-15", "resolution", "SC", NULL, NULL},
    /* Impossible dates are no dates. */
    {"w.txt", "A/HRC/59/15\n\nDistr.: General 31 February 2025\n", "A/HRC/59/15", "text", NULL,
     "report", "HRC", "59", NULL},
    /* Not a UN document at all. */
    {"speech.txt", "Mr. President, on 24 March 2025 we met and/or spoke about N/A.\n", NULL, NULL,
     NULL, NULL, NULL, NULL, NULL},
};

static void test_text_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof text_rows / sizeof text_rows[0]; i++) {
        const text_row *r = &text_rows[i];
        civ_document *doc = extract_text(r->name, r->text);
        assert_str_or_null(doc->symbol, r->symbol);
        assert_str_or_null(doc->symbol_source, r->source);
        assert_str_or_null(doc->date, r->date);
        assert_str_or_null(doc->doctype, r->kind);
        assert_str_or_null(doc->body, r->body);
        assert_str_or_null(doc->session, r->session);
        assert_str_or_null(doc->agenda, r->agenda);
        civ_document_free(doc);
    }
}

/* A one-page PDF whose text is body and whose information dictionary has
 * the given subject; the cross-reference offsets are computed. */
static GString *make_pdf(const char *body, const char *title, const char *subject)
{
    GString *pdf = g_string_new("%PDF-1.4\n");
    size_t off[7];
    char *stream = g_strdup_printf("BT /F1 12 Tf 72 720 Td (%s) Tj ET", body);
    char *objs[6] = {
        g_strdup("<< /Type /Catalog /Pages 2 0 R >>"),
        g_strdup("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        g_strdup("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                 "/Resources << /Font << /F1 5 0 R >> >> >>"),
        g_strdup_printf("<< /Length %zu >>\nstream\n%s\nendstream", strlen(stream), stream),
        g_strdup("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
        g_strdup_printf("<< /Title (%s) /Subject (%s) >>", title, subject),
    };
    for (int i = 0; i < 6; i++) {
        off[i + 1] = pdf->len;
        g_string_append_printf(pdf, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
        g_free(objs[i]);
    }
    size_t xref = pdf->len;
    g_string_append(pdf, "xref\n0 7\n0000000000 65535 f \n");
    for (int i = 1; i <= 6; i++)
        g_string_append_printf(pdf, "%010zu 00000 n \n", off[i]);
    g_string_append_printf(pdf,
                           "trailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R >>\nstartxref\n%zu\n"
                           "%%%%EOF\n",
                           xref);
    g_free(stream);
    return pdf;
}

/* The document extracted from a one-page PDF built from body, its Title
 * and Subject, saved as name. */
static civ_document *extract_pdf(const char *name, const char *body, const char *title,
                                 const char *subject)
{
    GString *pdf = make_pdf(body, title, subject);
    civ_document *doc = extract(name, pdf->str, pdf->len);
    g_string_free(pdf, TRUE);
    return doc;
}

static void test_stray_title(void **state)
{
    (void)state;
    /* A one-word PDF title the page does not print is a producer's
     * leftover: the printed title replaces it... */
    civ_document *doc = extract_pdf("A_AC.109_2025_19.en.pdf",
                                    "A/AC.109/2025/19 Distr.: General 26 February 2025 Report "
                                    "of the Special Committee",
                                    "Etpu", "");
    assert_string_equal(doc->symbol, "A/AC.109/2025/19");
    assert_string_equal(doc->symbol_source, "text");
    assert_string_equal(doc->title, "Report of the Special Committee");
    assert_string_equal(doc->body, "GA");
    assert_string_equal(doc->date, "2025-02-26");
    civ_document_free(doc);
    /* ...or, with no title the rules know, the symbol. */
    doc =
        extract_pdf("DP_FPA_2025_2.en.pdf",
                    "DP/FPA/2025/2 Distr.: General 17 January 2025 Joint programming", "Etpu", "");
    assert_string_equal(doc->title, "DP/FPA/2025/2");
    assert_string_equal(doc->body, "DP");
    civ_document_free(doc);
    /* A file name as title ("current.wpf", WordPerfect's) is no title,
     * whether or not the document has a symbol: this file's own name is
     * shown instead. */
    doc = extract_pdf("notes.pdf", "Notes on the meeting of the city council", "current.wpf", "");
    assert_string_equal(doc->title, "notes");
    civ_document_free(doc);
    /* A title of several words stays, printed or not. */
    doc = extract_pdf("CEB_2025_4.en.pdf",
                      "CEB/2025/4 Distr.: General 2 May 2025 Summary of conclusions",
                      "Chief Executives Board session", "");
    assert_string_equal(doc->symbol, "CEB/2025/4");
    assert_string_equal(doc->title, "Chief Executives Board session");
    civ_document_free(doc);
}

static void test_title_ends(void **state)
{
    (void)state;
    /* A list of documents: a title followed by a symbol, glued on or
     * not, is an entry of the list, not the document's title. */
    civ_document *doc = extract_text("A_AC.121_2025_INF_2.txt",
                                     "A/AC.121/2025/INF/2\n\nDistr.: General 3 February 2025\n\n"
                                     "Provisional agendaA/AC.121/2025/L.1 Draft programme of "
                                     "work A/AC.121/2025/L.2\n");
    assert_string_equal(doc->symbol, "A/AC.121/2025/INF/2");
    assert_string_equal(doc->title, "A/AC.121/2025/INF/2");
    assert_string_equal(doc->doctype, "information");
    civ_document_free(doc);
    /* A letter is titled as the UN catalogues it, after the agenda
     * item's subject and up to its addressees, where its text begins. */
    doc = extract_text("A_80_142.txt",
                       "A/80/142\n\nDistr.: General 11 June 2025\n\nEightieth session\n\n"
                       "Observer status for the Islamic Organization for Food Security in the "
                       "General Assembly Letter dated 22 May 2025 from the Permanent "
                       "Representative of Kazakhstan to the United Nations addressed to the "
                       "Secretary-General I have the pleasure to write to you.\n");
    assert_string_equal(doc->title, "Letter dated 22 May 2025 from the Permanent Representative "
                                    "of Kazakhstan to the United Nations addressed to the "
                                    "Secretary-General");
    civ_document_free(doc);
    doc = extract_text("A_ES-10_1028.txt",
                       "A/ES-10/1028-S/2025/193\n\nDistr.: General 1 April 2025\n\nAgenda item "
                       "5 Illegal Israeli actions in Occupied East Jerusalem Identical letters "
                       "dated 28 March 2025 from the Permanent Observer of the State of Palestine "
                       "to the United Nations addressed to the Secretary-General, the President "
                       "of the General Assembly and the President of the Security Council Israel, "
                       "the occupying Power, has escalated its siege.\n");
    assert_string_equal(doc->symbol, "A/ES-10/1028");
    assert_string_equal(doc->title,
                        "Identical letters dated 28 March 2025 from the Permanent Observer of the "
                        "State of Palestine to the United Nations addressed to the "
                        "Secretary-General, the President of the General Assembly and the "
                        "President of the Security Council");
    civ_document_free(doc);
    /* An agenda item's subject that opens like a report's title but runs
     * on is not the title; the letter after it is. */
    doc = extract_text("A_79_729.txt",
                       "A/79/729\n\nDistr.: General 17 January 2025\n\nReport of the United "
                       "Nations High Commissioner for Refugees, questions relating to refugees, "
                       "returnees and displaced persons and humanitarian questions Peacebuilding "
                       "and sustaining peace Elimination of racism, racial discrimination, "
                       "xenophobia and related intolerance Promotion and protection of human "
                       "rights Letter dated 17 January 2025 from the Permanent Representative of "
                       "Azerbaijan to the United Nations addressed to the Secretary-General I "
                       "have the honour to transmit herewith a letter.\n");
    assert_string_equal(doc->title,
                        "Letter dated 17 January 2025 from the Permanent Representative "
                        "of Azerbaijan to the United Nations addressed to the "
                        "Secretary-General");
    civ_document_free(doc);
    /* Addressees the rule does not know: no title rather than a wrong
     * one. */
    doc = extract_text("A_80_200.txt", "A/80/200\n\nDistr.: General 1 July 2025\n\nLetter dated "
                                       "1 June 2025 from the Chair addressed to the Chair of the "
                                       "Committee We write to you.\n");
    assert_string_equal(doc->title, "A/80/200");
    civ_document_free(doc);
    /* The summary's heading under the title is not part of it. */
    doc = extract_text("DP_2025_11.txt", "DP/2025/11\n\nDistr.: General 24 March 2025\n\n"
                                         "Report of the Ethics Office\nSummary\n\nThe Office "
                                         "continued its work.\n");
    assert_string_equal(doc->symbol, "DP/2025/11");
    assert_string_equal(doc->title, "Report of the Ethics Office");
    assert_string_equal(doc->date, "2025-03-24");
    civ_document_free(doc);
}

static void test_metadata_symbol(void **state)
{
    (void)state;
    /* The symbol is only in the PDF's Subject: found there, and it wins
     * over the file name. */
    civ_document *doc =
        extract_pdf("A_HRC_59_15_g2502644.pdf", "Statement on the right to adequate housing.",
                    "Statement", "A/HRC/59/60");
    assert_string_equal(doc->symbol, "A/HRC/59/60");
    assert_string_equal(doc->symbol_source, "metadata");
    assert_string_equal(doc->body, "HRC");
    assert_string_equal(doc->doctype, "report");
    assert_string_equal(doc->title, "Statement");
    civ_document_free(doc);
    /* Without a symbol in the metadata, the file name gives it. */
    doc = extract_pdf("A_HRC_59_15_g2502644.pdf", "Statement on the right to adequate housing.",
                      "Statement", "Housing");
    assert_string_equal(doc->symbol, "A/HRC/59/15");
    assert_string_equal(doc->symbol_source, "filename");
    civ_document_free(doc);
    /* The page's own symbol beats both. */
    doc = extract_pdf("A_HRC_59_15_g2502644.pdf", "A/HRC/59/L.17 Distr.: Limited 2 July 2025",
                      "Statement", "A/HRC/59/60");
    assert_string_equal(doc->symbol, "A/HRC/59/L.17");
    assert_string_equal(doc->symbol_source, "text");
    assert_string_equal(doc->date, "2025-07-02");
    civ_document_free(doc);

    char *info[3];
    civ_unmeta_pdf_info("not a pdf", 9, info);
    assert_null(info[0]);
    assert_null(info[1]);
    assert_null(info[2]);
}

static void test_udhr(void **state)
{
    (void)state;
    const char *xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<udhr iso639-3='eng' xml:lang='en' xmlns='http://efele.net/udhr'>"
                      "<title>Universal Declaration of Human Rights</title>"
                      "<article number='1'><title>Article 1</title><para>All human beings are "
                      "born free and equal in dignity and rights.</para></article></udhr>";
    civ_document *doc = extract_text("udhr_eng.xml", xml);
    /* Cited by its name, not as A/RES/217(III); the declaration of the
     * General Assembly's third session. */
    assert_null(doc->symbol);
    assert_null(doc->symbol_source);
    assert_string_equal(doc->body, "GA");
    assert_string_equal(doc->doctype, "declaration");
    assert_string_equal(doc->date, "1948-12-10");
    assert_string_equal(doc->session, "3");
    civ_document_free(doc);
}

/* A statement of the UN General Debate Corpus says nothing of itself
 * ("Mr. President, ..."): its file name says who spoke, when and where. */
static void test_general_debate(void **state)
{
    (void)state;
    civ_document *doc =
        extract_text("ungdc/CRI_70_2015.txt",
                     "Costa Rica would like to congratulate you, Sir, on your election.\n");
    assert_string_equal(doc->title,
                        "Costa Rica, General Debate of the 70th session of the General Assembly");
    assert_string_equal(doc->date, "2015");
    assert_string_equal(doc->session, "70");
    assert_string_equal(doc->body, "GA");
    assert_string_equal(doc->doctype, "statement");
    assert_null(doc->symbol);
    civ_document_free(doc);

    /* The same text under another name is an untitled, undated text. */
    doc = extract_text("CRI_70_2016.txt", "Costa Rica would like to congratulate you.\n");
    assert_string_equal(doc->title, "CRI_70_2016");
    assert_null(doc->date);
    assert_null(doc->doctype);
    civ_document_free(doc);
}

static void test_remove_passages(void **state)
{
    (void)state;
    civ_document *doc = civ_document_new("pdf");
    const char *texts[] = {"one", "two", "three", "four"};
    for (int i = 0; i < 4; i++)
        assert_int_equal(
            civ_document_add_passage(doc, texts[i], strlen(texts[i]), NULL, NULL, 1, NULL), CIV_OK);
    const unsigned char drop[] = {1, 0, 1, 0};
    civ_document_remove_passages(doc, drop);
    assert_int_equal(doc->n_passages, 2);
    assert_string_equal(doc->passages[0].text, "two");
    assert_int_equal(doc->passages[0].ordinal, 1);
    assert_string_equal(doc->passages[1].text, "four");
    assert_int_equal(doc->passages[1].ordinal, 2);
    civ_document_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_rows),
        cmocka_unit_test(test_metadata_symbol),
        cmocka_unit_test(test_stray_title),
        cmocka_unit_test(test_title_ends),
        cmocka_unit_test(test_udhr),
        cmocka_unit_test(test_general_debate),
        cmocka_unit_test(test_remove_passages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
