/* test_extract_text.c: plain text files: UN general debate statements from
 * the corpus, byte-order marks, invalid bytes and caps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <glib.h>
#include <string.h>

#include "civ_extract_text.h"
#include "passages.h"

static void corpus_statement(void **state)
{
    (void)state;
    char *path = g_build_filename(CIV_SOURCE_DIR, "corpus", "UNGDC_SVN_70_2015.txt", NULL);
    char *data = NULL;
    gsize len = 0;
    assert_true(g_file_get_contents(path, &data, &len, NULL));
    g_free(path);
    civ_document *doc = NULL;
    civ_err err;
    assert_int_equal(civ_extract_text(data, len, 0, &doc, &err), CIV_OK);
    g_free(data);
    assert_string_equal(doc->format, "text");
    /* One passage per paragraph line, at least: the statement has many. */
    assert_true(doc->n_passages > 5);
    assert_true(any_passage_contains(doc, "We are at a historic junction for the United Nations"));
    assert_true(any_passage_contains(doc, "2030 Agenda for Sustainable Development"));
    for (size_t i = 0; i < doc->n_passages; i++)
        assert_int_equal(doc->passages[i].ordinal, (int)i + 1);
    civ_document_free(doc);
}

static void byte_order_mark(void **state)
{
    (void)state;
    const char text[] = "\xEF\xBB\xBFToute personne a droit \xC3\xA0 l'\xC3\xA9"
                        "ducation.\n";
    civ_document *doc = NULL;
    civ_err err;
    assert_int_equal(civ_extract_text(text, sizeof text - 1, 0, &doc, &err), CIV_OK);
    assert_int_equal(doc->n_passages, 1);
    assert_string_equal(doc->passages[0].text, "Toute personne a droit à l'éducation.");
    civ_document_free(doc);
}

static void bad_bytes(void **state)
{
    (void)state;
    civ_document *doc = NULL;
    civ_err err;
    const char latin1[] = "Everyone has the right\n to \xE9"
                          "ducation";
    assert_int_equal(civ_extract_text(latin1, sizeof latin1 - 1, 0, &doc, &err), CIV_ERR_INPUT);
    assert_null(doc);
    assert_string_equal(err.msg, "invalid UTF-8 at byte 27");

    const char nul[] = "text\0more";
    assert_int_equal(civ_extract_text(nul, sizeof nul - 1, 0, &doc, &err), CIV_ERR_INPUT);
    assert_string_equal(err.msg, "NUL byte at 4");

    /* Offsets count from the start of the file, BOM included. */
    const char bom_nul[] = "\xEF\xBB\xBF"
                           "ab\0";
    assert_int_equal(civ_extract_text(bom_nul, sizeof bom_nul - 1, 0, &doc, &err), CIV_ERR_INPUT);
    assert_string_equal(err.msg, "NUL byte at 5");
}

static void empty_and_caps(void **state)
{
    (void)state;
    civ_document *doc = NULL;
    civ_err err;
    assert_int_equal(civ_extract_text("", 0, 0, &doc, &err), CIV_ERR_NOTEXT);
    assert_int_equal(civ_extract_text(" \n\t\r\n ", 6, 0, &doc, &err), CIV_ERR_NOTEXT);
    assert_int_equal(civ_extract_text("\xEF\xBB\xBF\n", 4, 0, &doc, &err), CIV_ERR_NOTEXT);
    assert_null(doc);

    const char *text = "The right to adequate housing.\n\nThe right to water.\n";
    assert_int_equal(civ_extract_text(text, strlen(text), 10, &doc, &err), CIV_ERR_TOOLARGE);
    assert_null(doc);
    assert_int_equal(civ_extract_text(text, strlen(text), strlen(text), &doc, &err), CIV_OK);
    assert_int_equal(doc->n_passages, 2);
    civ_document_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus_statement),
        cmocka_unit_test(byte_order_mark),
        cmocka_unit_test(bad_bytes),
        cmocka_unit_test(empty_and_caps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
