/* Unit tests for civ_document (passage normalisation, caps, ordinals) and
 * civ_status (names used in logs and summaries). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "civ_document.h"
#include "civ_status.h"

static void test_whitespace_is_normalised(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const char *out; /* NULL: no passage */
    } rows[] = {
        {"plain", "plain"},
        {"  leading and trailing  ", "leading and trailing"},
        {"line\nbreaks\r\nand\ttabs", "line breaks and tabs"},
        {"no\xc2\xa0" "break space", "no break space"},
        {"   \n\t  ", NULL},
        {"", NULL},
        {"caf\xc3\xa9   cr\xc3\xa8me", "caf\xc3\xa9 cr\xc3\xa8me"},
        {"\xd8\xa7\xd9\x84\xd8\xad\xd9\x82   \xd9\x81\xd9\x8a", "\xd8\xa7\xd9\x84\xd8\xad\xd9\x82 \xd9\x81\xd9\x8a"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        civ_document *doc = civ_document_new("text");
        civ_err err;
        assert_int_equal(civ_document_add_passage(doc, rows[i].in, strlen(rows[i].in), NULL,
                                                  NULL, 0, &err),
                         CIV_OK);
        if (rows[i].out) {
            assert_int_equal(doc->n_passages, 1);
            assert_string_equal(doc->passages[0].text, rows[i].out);
        } else {
            assert_int_equal(doc->n_passages, 0);
        }
        civ_document_free(doc);
    }
}

static void test_ordinals_and_fields(void **state)
{
    (void)state;
    civ_document *doc = civ_document_new("pdf");
    civ_err err;
    assert_int_equal(civ_document_add_passage(doc, "one", 3, "12", "I. Intro", 5, &err), CIV_OK);
    assert_int_equal(civ_document_add_passage(doc, "   ", 3, "13", NULL, 5, &err), CIV_OK);
    assert_int_equal(civ_document_add_passage(doc, "two", 3, "", "", 6, &err), CIV_OK);
    assert_int_equal(doc->n_passages, 2);
    assert_int_equal(doc->passages[0].ordinal, 1);
    assert_int_equal(doc->passages[1].ordinal, 2); /* the empty one took no ordinal */
    assert_string_equal(doc->passages[0].paragraph, "12");
    assert_string_equal(doc->passages[0].heading, "I. Intro");
    assert_int_equal(doc->passages[0].page, 5);
    assert_null(doc->passages[1].paragraph); /* "" is no number */
    assert_null(doc->passages[1].heading);
    assert_ptr_equal(civ_document_last_passage(doc), &doc->passages[1]);
    civ_document_set(doc, &doc->title, "A title");
    assert_string_equal(doc->title, "A title");
    civ_document_set(doc, &doc->title, NULL);
    assert_null(doc->title);
    civ_document_free(doc);
    civ_document_free(NULL);
}

static void test_passage_is_capped_on_a_character_boundary(void **state)
{
    (void)state;
    /* 'é' is two bytes: a cap falling inside one must not split it. */
    size_t n = CIV_MAX_PASSAGE_BYTES + 101;
    char *big = malloc(n);
    for (size_t i = 0; i + 1 < n; i += 2) {
        big[i] = (char)0xc3;
        big[i + 1] = (char)0xa9;
    }
    big[n - 1] = 'x';
    civ_document *doc = civ_document_new("text");
    civ_err err;
    assert_int_equal(civ_document_add_passage(doc, big, n, NULL, NULL, 0, &err), CIV_OK);
    size_t len = strlen(doc->passages[0].text);
    assert_true(len <= CIV_MAX_PASSAGE_BYTES);
    assert_true(len >= CIV_MAX_PASSAGE_BYTES - 2);
    assert_int_equal(len % 2, 0);
    civ_document_free(doc);
    free(big);
}

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(civ_status_name(CIV_OK), "ok");
    assert_string_equal(civ_status_name(CIV_ERR_ENCRYPTED), "encrypted");
    assert_string_equal(civ_status_name(CIV_ERR_INPUT), "damaged");
    assert_string_equal(civ_status_name(CIV_ERR_NOTEXT), "no text");
    assert_string_equal(civ_status_name(CIV_ERR_TOOLARGE), "too large");
    assert_string_equal(civ_status_name(CIV_ERR_UNSUPPORTED), "unsupported");
    assert_string_equal(civ_status_name(CIV_ERR_LOCKED), "locked");
    assert_string_equal(civ_status_name((civ_status)999), "internal error");
    civ_err err;
    assert_int_equal(civ_err_set(&err, CIV_ERR_IO, "disk %s at %d", "full", 42), CIV_ERR_IO);
    assert_int_equal(err.code, CIV_ERR_IO);
    assert_string_equal(err.msg, "disk full at 42");
    /* Long messages are cut, never overflow. */
    char longer[600];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    civ_err_set(&err, CIV_ERR_INPUT, "%s", longer);
    assert_int_equal(strlen(err.msg), CIV_ERR_MSG_MAX - 1);
    civ_err_clear(&err);
    assert_int_equal(err.code, CIV_OK);
    assert_string_equal(err.msg, "");
    assert_int_equal(civ_err_set(NULL, CIV_ERR_NOMEM, "x"), CIV_ERR_NOMEM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whitespace_is_normalised),
        cmocka_unit_test(test_ordinals_and_fields),
        cmocka_unit_test(test_passage_is_capped_on_a_character_boundary),
        cmocka_unit_test(test_status_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
