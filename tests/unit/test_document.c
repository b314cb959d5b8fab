/* Unit tests for civ_document (passage normalisation, caps, ordinals,
 * serialisation for the extraction sandbox) and civ_status (names used in
 * logs and summaries). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
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
        {"no\xc2\xa0"
         "break space",
         "no break space"},
        {"   \n\t  ", NULL},
        {"", NULL},
        {"caf\xc3\xa9   cr\xc3\xa8me", "caf\xc3\xa9 cr\xc3\xa8me"},
        {"\xd8\xa7\xd9\x84\xd8\xad\xd9\x82   \xd9\x81\xd9\x8a",
         "\xd8\xa7\xd9\x84\xd8\xad\xd9\x82 \xd9\x81\xd9\x8a"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        civ_document *doc = civ_document_new("text");
        civ_err err;
        assert_int_equal(
            civ_document_add_passage(doc, rows[i].in, strlen(rows[i].in), NULL, NULL, 0, &err),
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
    assert_string_equal(civ_status_name(CIV_ERR_TIMEOUT), "timeout");
    assert_string_equal(civ_status_name(CIV_ERR_CRASHED), "crashed");
    assert_string_equal(civ_status_name(CIV_ERR_NOMEM), "out of memory");
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

/* A document with every field set, NULLs, multi-byte text and pages. */
static civ_document *full_document(void)
{
    civ_document *doc = civ_document_new("pdf");
    civ_err err;
    civ_document_set(doc, &doc->title, "Rapport \xC3\xA9t\xC3\xA9 \xE4\xBA\xBA\xE6\x9D\x83");
    civ_document_set(doc, &doc->lang, "fr");
    civ_document_set(doc, &doc->date, "2025-06-30");
    civ_document_set(doc, &doc->symbol, "A/HRC/59/15");
    civ_document_set(doc, &doc->doctype, "report");
    civ_document_set(doc, &doc->body, "HRC");
    doc->page_count = 21;
    doc->title_from_name = 1;
    assert_int_equal(civ_document_add_passage(doc, "First one.", 10, "1", "I. Intro", 3, &err),
                     CIV_OK);
    assert_int_equal(civ_document_add_passage(doc, "Second", 6, NULL, NULL, 4, &err), CIV_OK);
    civ_document_set(doc, &doc->passages[1].lang, "en");
    return doc;
}

static void assert_same_string(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void test_serialise_round_trip(void **state)
{
    (void)state;
    civ_document *docs[2] = {full_document(), civ_document_new("text")};
    for (size_t k = 0; k < 2; k++) {
        civ_document *a = docs[k], *b = NULL;
        char *data = NULL;
        size_t len = 0;
        civ_err err;
        assert_int_equal(civ_document_serialise(a, 1 << 20, &data, &len, &err), CIV_OK);
        assert_int_equal(civ_document_deserialise(data, len, &b, &err), CIV_OK);
        char **fa[] = {&a->format, &a->title,   &a->lang, &a->date,
                       &a->symbol, &a->doctype, &a->body};
        char **fb[] = {&b->format, &b->title,   &b->lang, &b->date,
                       &b->symbol, &b->doctype, &b->body};
        for (size_t i = 0; i < 7; i++)
            assert_same_string(*fa[i], *fb[i]);
        assert_int_equal(a->page_count, b->page_count);
        assert_int_equal(a->title_from_name, b->title_from_name);
        assert_int_equal(a->n_passages, b->n_passages);
        for (size_t i = 0; i < a->n_passages; i++) {
            const civ_passage *p = &a->passages[i], *q = &b->passages[i];
            assert_string_equal(p->text, q->text);
            assert_same_string(p->paragraph, q->paragraph);
            assert_same_string(p->heading, q->heading);
            assert_same_string(p->lang, q->lang);
            assert_int_equal(p->page, q->page);
            assert_int_equal(p->ordinal, q->ordinal);
        }
        /* A cap below the size is "too large", not a cut document. */
        char *small = NULL;
        size_t small_len = 0;
        assert_int_equal(civ_document_serialise(a, len - 1, &small, &small_len, &err),
                         CIV_ERR_TOOLARGE);
        assert_null(small);
        civ_document_free(b);
        civ_document_free(a);
        free(data);
    }
}

/* Every truncation, and every single-byte corruption of the header and
 * counts, is either rejected or still a valid document: never a crash, a
 * leak or an over-read (run under ASan). */
static void test_deserialise_rejects_bad_input(void **state)
{
    (void)state;
    civ_document *doc = full_document(), *back = NULL;
    char *data = NULL;
    size_t len = 0;
    civ_err err;
    assert_int_equal(civ_document_serialise(doc, 1 << 20, &data, &len, &err), CIV_OK);
    for (size_t cut = 0; cut < len; cut++) {
        char *copy = g_memdup2(data, cut); /* exact size: ASan sees any over-read */
        assert_int_equal(civ_document_deserialise(copy, cut, &back, &err), CIV_ERR_INPUT);
        assert_null(back);
        g_free(copy);
    }
    for (size_t i = 0; i < len; i++) {
        static const unsigned char garbage[] = {0x00, 0xff, 0x80, 0x7f};
        for (size_t g = 0; g < sizeof garbage; g++) {
            char *copy = g_memdup2(data, len);
            copy[i] = (char)garbage[g];
            civ_status st = civ_document_deserialise(copy, len, &back, &err);
            assert_true(st == CIV_OK || st == CIV_ERR_INPUT);
            assert_true((st == CIV_OK) == (back != NULL));
            civ_document_free(back);
            back = NULL;
            g_free(copy);
        }
    }
    /* Trailing bytes, and a huge passage count in a tiny message. */
    char *longer = g_malloc(len + 1);
    memcpy(longer, data, len);
    longer[len] = 'x';
    assert_int_equal(civ_document_deserialise(longer, len + 1, &back, &err), CIV_ERR_INPUT);
    g_free(longer);
    /* Version 3: "pdf", nine NULL strings, page_count, title_from_name,
     * then 268 million passages in no bytes. */
    static const char tiny[] = "CIVD\x03"
                               "\x03\0\0\0pdf"
                               "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
                               "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
                               "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
                               "\0\0\0\0"
                               "\0\0\0\0"
                               "\xff\xff\xff\x0f";
    /* The same header with no passage is a document: only the count is
     * wrong above. */
    char empty[sizeof tiny];
    memcpy(empty, tiny, sizeof tiny);
    memset(empty + sizeof tiny - 5, 0, 4);
    assert_int_equal(civ_document_deserialise(empty, sizeof tiny - 1, &back, &err), CIV_OK);
    assert_string_equal(back->format, "pdf");
    civ_document_free(back);
    back = NULL;
    assert_int_equal(civ_document_deserialise(tiny, sizeof tiny - 1, &back, &err), CIV_ERR_INPUT);
    assert_int_equal(civ_document_deserialise("garbage", 7, &back, &err), CIV_ERR_INPUT);
    assert_int_equal(civ_document_deserialise(NULL, 0, &back, &err), CIV_ERR_INPUT);
    civ_document_free(doc);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whitespace_is_normalised),
        cmocka_unit_test(test_ordinals_and_fields),
        cmocka_unit_test(test_passage_is_capped_on_a_character_boundary),
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_serialise_round_trip),
        cmocka_unit_test(test_deserialise_rejects_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
