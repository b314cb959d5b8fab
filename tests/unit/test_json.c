/* test_json.c: JSON that is safe to embed, and the search parameters that
 * civ_search accepts and refuses (the decoding a hostile URL reaches). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "civ_json.h"
#include "civ_search.h"
#include "civ_stored.h"

typedef struct escape_row {
    const char *text;
    const char *expected; /* the dumped JSON string */
} escape_row;

static const escape_row escape_rows[] = {
    {"plain", "\"plain\""},
    {"</script><script>alert(1)</script>",
     "\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\""},
    {"\"><img src=x onerror=alert(1)>", "\"\\\"\\u003e\\u003cimg src=x onerror=alert(1)\\u003e\""},
    {"a & b", "\"a \\u0026 b\""},
    {"tab\tquote\" back\\ bell\x07", "\"tab\\tquote\\\" back\\\\ bell\\u0007\""},
    {"line\xe2\x80\xa8sep\xe2\x80\xa9para", "\"line\\u2028sep\\u2029para\""},
    {"caf\xc3\xa9 \xe2\x80\xa6", "\"caf\xc3\xa9 \xe2\x80\xa6\""},
};

static void test_escaping(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof escape_rows / sizeof escape_rows[0]; i++) {
        json_t *s = json_string(escape_rows[i].text);
        size_t len = 0;
        char *out = civ_json_dump(s, &len);
        assert_string_equal(out, escape_rows[i].expected);
        assert_int_equal(len, strlen(out));
        /* And it still means the same string. */
        json_t *back = json_loads(out, JSON_DECODE_ANY, NULL);
        assert_string_equal(json_string_value(back), escape_rows[i].text);
        json_decref(back);
        json_decref(s);
        free(out);
    }
}

static void test_error_object(void **state)
{
    (void)state;
    size_t len;
    char *out = civ_json_error("bad_query", "q <is> bad", &len);
    assert_string_equal(
        out, "{\"error\":{\"code\":\"bad_query\",\"message\":\"q \\u003cis\\u003e bad\"}}");
    free(out);
}

/* A search answer is written member by member: check it parses, keeps
 * its nesting and order, repairs text that is not UTF-8 and writes the
 * missing as null. */
static void test_search_answer(void **state)
{
    (void)state;
    civ_search_document doc = {.id = "0123456789abcdef",
                               .title = "Bad \xff title </b>",
                               .language = "en",
                               .format = "pdf",
                               .pages = 0,
                               .passages = 7};
    civ_search_passage ps[2] = {
        {.id = "0123456789abcdef-1",
         .document_id = "0123456789abcdef",
         .ordinal = 1,
         .paragraph = "12",
         .page = 3,
         .snippet = "the <mark>right</mark>",
         .citation = "A/1, para. 12",
         .score = 1.5},
        {.id = "0123456789abcdef-2", .document_id = "0123456789abcdef", .ordinal = 2, .score = -1},
    };
    civ_search_hit hits[2] = {{.document = &doc, .passages = ps, .n_passages = 2},
                              {.document = NULL, .passages = NULL, .n_passages = 0}};
    civ_search_facet_value langs[1] = {{.value = "en", .count = 4}};
    civ_search_results res = {.query = "right",
                              .total = 11,
                              .took_ms = 0.25,
                              .page = 2,
                              .per_page = 5,
                              .k = 3,
                              .max_page = 100,
                              .group = CIV_GROUP_DOCUMENT,
                              .hits = hits,
                              .n_hits = 2};
    static const char *const names[CIV_SEARCH_N_FACETS] = {"language", "type", "body", "year",
                                                           "format"};
    for (size_t f = 0; f < CIV_SEARCH_N_FACETS; f++)
        res.facets[f].name = names[f];
    res.facets[0].values = langs;
    res.facets[0].n_values = 1;

    size_t len = 0;
    char *out = civ_json_search(&res, &len);
    assert_int_equal(len, strlen(out));
    json_error_t jerr;
    json_t *o = json_loads(out, 0, &jerr);
    assert_non_null(o);
    const char *first_keys[] = {"query", "language", "total", "took_ms", "page",   "per_page",
                                "pages", "group",    "k",     "hits",    "facets", "suggestion"};
    size_t i = 0;
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        assert_true(i < 12);
        assert_string_equal(key, first_keys[i++]);
    }
    assert_int_equal(i, 12);
    assert_true(json_is_null(json_object_get(o, "language")));
    assert_int_equal(json_integer_value(json_object_get(o, "pages")), 3);
    json_t *h = json_object_get(o, "hits");
    assert_int_equal(json_array_size(h), 2);
    json_t *d = json_object_get(json_array_get(h, 0), "document");
    assert_string_equal(json_string_value(json_object_get(d, "title")),
                        "Bad \xef\xbf\xbd title </b>");
    assert_true(json_is_null(json_object_get(d, "pages")));
    assert_int_equal(json_integer_value(json_object_get(d, "passages")), 7);
    json_t *p = json_object_get(json_array_get(h, 0), "passages");
    assert_int_equal(json_array_size(p), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(p, 0), "snippet")),
                        "the <mark>right</mark>");
    assert_string_equal(json_string_value(json_object_get(json_array_get(p, 0), "url")),
                        "/api/documents/0123456789abcdef/file#page=3");
    assert_null(json_object_get(json_array_get(p, 1), "score"));
    assert_null(json_object_get(json_array_get(p, 1), "snippet"));
    assert_true(json_is_null(json_object_get(json_array_get(h, 1), "document")));
    assert_int_equal(json_array_size(json_object_get(json_array_get(h, 1), "passages")), 0);
    json_t *facets = json_object_get(o, "facets");
    assert_int_equal(json_object_size(facets), CIV_SEARCH_N_FACETS);
    json_t *fl = json_object_get(facets, "language");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(fl, 0), "count")), 4);
    assert_int_equal(json_array_size(json_object_get(facets, "year")), 0);
    /* Still safe to embed: no raw "<" anywhere. */
    assert_null(strchr(out, '<'));
    json_decref(o);
    free(out);
}

typedef struct param_row {
    const char *name, *value;
    size_t value_len; /* 0: strlen */
    civ_status expected;
} param_row;

static const param_row param_rows[] = {
    {"q", "right to education", 0, CIV_OK},
    {"q", "a\0b", 3, CIV_ERR_INPUT},
    {"q", "\xff\xfe", 0, CIV_ERR_INPUT},
    {"q", "", 0, CIV_OK},
    {"page", "2", 0, CIV_OK},
    {"page", "0", 0, CIV_ERR_INPUT},
    {"page", "-1", 0, CIV_ERR_INPUT},
    {"page", "99999999999", 0, CIV_ERR_INPUT},
    {"per_page", "50", 0, CIV_OK},
    {"per_page", "51", 0, CIV_ERR_INPUT},
    {"k", "10", 0, CIV_OK},
    {"k", "11", 0, CIV_ERR_INPUT},
    {"group", "passage", 0, CIV_OK},
    {"group", "passages", 0, CIV_ERR_INPUT},
    {"year_from", "2015", 0, CIV_OK},
    {"year_to", "15", 0, CIV_ERR_INPUT},
    {"lang", "fra", 0, CIV_OK},
    {"lang", "xx-yy", 0, CIV_ERR_INPUT},
    {"qlang", "none", 0, CIV_OK},
    {"symbol", "a/hrc/", 0, CIV_OK},
    {"unknown", "anything", 0, CIV_OK},
    /* Unknown parameters are ignored whatever their value (the daemon
     * refuses a NUL in any parameter before it gets here). */
    {"unknown", "a\0", 2, CIV_OK},
    {"utm_campaign",
     "x-a-very-long-tracking-tag-that-goes-on-and-on-well-past-two-hundred-bytes-"
     "x-a-very-long-tracking-tag-that-goes-on-and-on-well-past-two-hundred-bytes-"
     "x-a-very-long-tracking-tag-that-goes-on-and-on-well-past-two-hundred-bytes",
     0, CIV_OK},
};

static void test_params(void **state)
{
    (void)state;
    civ_search_limits lim;
    civ_search_limits_default(&lim);
    for (size_t i = 0; i < sizeof param_rows / sizeof param_rows[0]; i++) {
        const param_row *row = &param_rows[i];
        civ_search_request req;
        civ_search_request_init(&req);
        civ_err err;
        size_t len = row->value_len ? row->value_len : strlen(row->value);
        civ_status st =
            civ_search_request_set(&req, &lim, row->name, strlen(row->name), row->value, len, &err);
        if (st != row->expected)
            print_error("%s=%s: got %d\n", row->name, row->value, st);
        assert_int_equal(st, row->expected);
        civ_search_request_clear(&req);
    }
}

static void test_param_values(void **state)
{
    (void)state;
    civ_search_limits lim;
    civ_search_limits_default(&lim);
    civ_search_request req;
    civ_search_request_init(&req);
    civ_err err;
    assert_int_equal(civ_search_request_set(&req, &lim, "lang", 4, "French", 6, &err), CIV_OK);
    assert_int_equal(civ_search_request_set(&req, &lim, "lang", 4, "es", 2, &err), CIV_OK);
    assert_int_equal(civ_search_request_set(&req, &lim, "symbol", 6, "a/hrc/14", 8, &err), CIV_OK);
    assert_int_equal(req.lang.n, 2);
    assert_string_equal(req.lang.values[0], "fr");
    assert_string_equal(req.symbol, "A/HRC/14");
    /* A scalar parameter twice is ambiguous. */
    assert_int_equal(civ_search_request_set(&req, &lim, "symbol", 6, "E/", 2, &err), CIV_ERR_INPUT);
    /* q over the cap is "too large" (HTTP 414). */
    lim.max_query_bytes = 4;
    assert_int_equal(civ_search_request_set(&req, &lim, "q", 1, "12345", 5, &err),
                     CIV_ERR_TOOLARGE);
    civ_search_request_clear(&req);
}

/* The stored-data reader gives jansson's value for what the index stores,
 * and leaves every other text to jansson (which may read or refuse it). */
static void test_stored_reader(void **state)
{
    (void)state;
    static const char *taken[] = {
        "{\"id\":\"d5b973f0c0d752f5-4\",\"doc\":\"d5b973f0c0d752f5\",\"ord\":4,\"page\":0,"
        "\"para\":\"4\",\"lang\":\"en\",\"text\":\"Our feelings of appreciation.\"}",
        "{\"id\":\"ab\",\"cites\":[\"A/HRC/30/49\",\"A/RES/70/1\"],\"size\":1234567890123,"
        "\"mtime\":-5,\"passages\":0,\"empty\":[],\"nums\":[1,-2,30]}",
        "{}",
        " { \"a\" : \"b\" , \"c\" : [ \"d\" , 7 ] } \n",
        "{\"esc\":\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t end\"}",
        "{\"u\":\"caf\\u00e9 \\u2028 \\uD83D\\uDE00 \\u4E2D\",\"raw\":\"caf\xc3\xa9 "
        "\xe4\xb8\xad\"}",
        "{\"\":\"empty key\",\"k\\u00e9y\":1}",
        "{\"dup\":1,\"dup\":\"second wins\"}",
        "{\"neg0\":-0,\"big\":999999999999999999}",
        /* A record's mtime_ns; jansson's whole integer range. */
        "{\"mtime_ns\":1796655110457242152,\"max\":9223372036854775807,"
        "\"min\":-9223372036854775808}",
    };
    for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++) {
        json_t *fast = civ_stored_read_flat(taken[i], strlen(taken[i]));
        json_t *ref = json_loadb(taken[i], strlen(taken[i]), 0, NULL);
        assert_non_null(ref);
        if (!fast)
            fail_msg("not taken: %s", taken[i]);
        assert_true(json_equal(fast, ref));
        json_decref(fast);
        json_decref(ref);
    }
    static const char *left[] = {
        "{\"n\":{\"nested\":1}}",
        "{\"r\":1.5}",
        "{\"e\":1e3}",
        "{\"t\":true}",
        "{\"z\":null}",
        "{\"a\":[[1]]}",
        "{\"lead\":01}",
        "{\"huge\":9223372036854775808}",
        "{\"huge\":-9223372036854775809}",
        "{\"huge\":18446744073709551616}",
        "{\"huge\":12345678901234567890123}",
        "{\"a\":1} x",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "[1,2]",
        "\"string\"",
        "",
        "{\"s\":\"\\uDC00\"}",
        "{\"s\":\"\\uD83D x\"}",
        "{\"s\":\"\\u0000\"}",
        "{\"s\":\"\\x\"}",
        "{\"s\":\"tab\there\"}",
        "{\"s\":\"bad \xff utf8\"}",
        "{\"s\":\"unterminated}",
        "{\"a\":-}",
    };
    for (size_t i = 0; i < sizeof left / sizeof left[0]; i++) {
        json_t *fast = civ_stored_read_flat(left[i], strlen(left[i]));
        if (fast)
            fail_msg("taken: %s", left[i]);
        /* civ_stored_parse still answers as jansson does. */
        json_t *ref = json_loadb(left[i], strlen(left[i]), 0, NULL);
        json_t *got = NULL;
        civ_err err;
        civ_status st = civ_stored_parse(left[i], strlen(left[i]), &got, &err);
        if (ref && json_is_object(ref)) {
            assert_int_equal(st, CIV_OK);
            assert_true(json_equal(got, ref));
        } else {
            assert_int_equal(st, CIV_ERR_INTERNAL);
            assert_null(got);
        }
        json_decref(got);
        json_decref(ref);
    }
}

static void test_ids(void **state)
{
    (void)state;
    assert_true(civ_search_is_document_id("0123456789abcdef", 16));
    assert_false(civ_search_is_document_id("0123456789ABCDEF", 16));
    assert_false(civ_search_is_document_id("0123456789abcde", 15));
    assert_false(civ_search_is_document_id("../../etc/passwd", 16));
    assert_true(civ_search_is_passage_id("0123456789abcdef-12", 19));
    assert_false(civ_search_is_passage_id("0123456789abcdef-0", 18));
    assert_false(civ_search_is_passage_id("0123456789abcdef-012", 20));
    assert_false(civ_search_is_passage_id("0123456789abcdef-", 17));
    assert_false(civ_search_is_passage_id("0123456789abcdef-1x", 19));
    assert_false(civ_search_is_passage_id("0123456789abcdef-123456789", 26));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),      cmocka_unit_test(test_error_object),
        cmocka_unit_test(test_search_answer), cmocka_unit_test(test_params),
        cmocka_unit_test(test_param_values),  cmocka_unit_test(test_ids),
        cmocka_unit_test(test_stored_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
