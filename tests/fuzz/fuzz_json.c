/* libFuzzer harness: the snippet builder and the JSON API builders on
 * arbitrary text.
 *
 * The bytes are passage text for civ_xapian_results_snippet (with the
 * results of a search on a tiny index built once) and, cut at '\n', the
 * fields of a document, a passage and an error for the civ_json builders.
 * A snippet must carry no markup but its <mark> tags; every JSON text
 * must parse back with jansson, hold no raw '<', '>', '&', U+2028 or
 * U+2029 (so it can sit in HTML and in a script), be what jansson's own
 * dumper writes but for those escapes, and give back the strings it was
 * built from when they were valid UTF-8. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "civ_json.h"
#include "civ_search.h"
#include "fuzz_index.h"
#include "fuzz_snippet_check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N_FIELDS 8

static civ_xapian_results *results; /* a search for the snippets */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    civ_xapian_reader *r = fuzz_index_open();
    civ_xapian_query q;
    memset(&q, 0, sizeof q);
    q.text = "education OR rights OR housing OR script OR \"human rights\" OR women";
    q.lang = "en";
    q.count = 10;
    q.collapse_slot = -1;
    q.facet_distinct_slot = -1;
    civ_err err;
    if (civ_xapian_search(r, &q, &results, &err) != CIV_OK)
        fuzz_index_die("search", &err);
    /* The results keep what they need; the reader can go. */
    civ_xapian_reader_close(r);
    return 0;
}

/* Output safe for HTML and JavaScript, and valid JSON. */
static json_t *check_json(char *text, size_t len)
{
    if (!text)
        return NULL; /* out of memory */
    if (strlen(text) != len)
        __builtin_trap();
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '<' || c == '>' || c == '&')
            __builtin_trap();
        if (c == 0xE2 && i + 2 < len && (unsigned char)text[i + 1] == 0x80 &&
            ((unsigned char)text[i + 2] == 0xA8 || (unsigned char)text[i + 2] == 0xA9))
            __builtin_trap();
    }
    json_error_t jerr;
    json_t *j = json_loadb(text, len, 0, &jerr);
    if (!j)
        __builtin_trap();
    /* civ_json_dump writes what jansson's own dumper writes, but for the
     * escapes above: the same tree dumped by jansson and escaped after,
     * byte by byte (those characters occur only inside strings), is the
     * same text. */
    char *oracle = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(6));
    if (oracle) {
        GString *escaped = g_string_new(NULL);
        for (const char *c = oracle; *c; c++) {
            if (*c == '<')
                g_string_append(escaped, "\\u003c");
            else if (*c == '>')
                g_string_append(escaped, "\\u003e");
            else if (*c == '&')
                g_string_append(escaped, "\\u0026");
            else if (!strncmp(c, "\xe2\x80\xa8", 3) || !strncmp(c, "\xe2\x80\xa9", 3)) {
                g_string_append(escaped, c[2] == '\xa8' ? "\\u2028" : "\\u2029");
                c += 2;
            } else {
                g_string_append_c(escaped, *c);
            }
        }
        if (escaped->len != len || memcmp(escaped->str, text, len) != 0)
            __builtin_trap();
        g_string_free(escaped, TRUE);
        free(oracle);
    }
    free(text);
    return j;
}

/* Strings that were valid UTF-8 come back as they went in. */
static void check_same(json_t *obj, const char *key, const char *want)
{
    if (!want || !want[0] || !g_utf8_validate(want, -1, NULL))
        return;
    const char *got = json_string_value(json_object_get(obj, key));
    if (!got || strcmp(got, want) != 0)
        __builtin_trap();
}

static void check_snippet(const char *text, size_t len)
{
    char *snippet = NULL;
    civ_err err;
    civ_status st = civ_xapian_results_snippet(results, text, len, 300, &snippet, &err);
    if (st != CIV_OK) {
        if (snippet || st != CIV_ERR_NOMEM)
            __builtin_trap();
        return;
    }
    /* At most 300 characters of text and the few characters of
     * punctuation that may follow the last word. */
    size_t chars;
    g_string_free(snippet_text(snippet, &chars), TRUE);
    if (chars > 300 + 8)
        __builtin_trap();
    free(snippet);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_snippet((const char *)data, size);

    /* Fields: NUL-terminated pieces of the input cut at '\n'. */
    char *fields[N_FIELDS] = {0};
    const char *p = (const char *)data, *end = p + size;
    for (size_t f = 0; f < N_FIELDS; f++) {
        const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        const char *stop = nl ? nl : end;
        fields[f] = g_strndup(p, (gsize)(stop - p));
        p = nl ? nl + 1 : end;
    }
    civ_search_document doc;
    memset(&doc, 0, sizeof doc);
    doc.id = "0123456789abcdef";
    doc.title = fields[0];
    doc.symbol = fields[1];
    doc.body = fields[2];
    doc.date = "2025-01-31";
    doc.language = "en";
    doc.format = "text";
    doc.passages = 1;
    civ_search_passage passage;
    memset(&passage, 0, sizeof passage);
    passage.id = "0123456789abcdef-1";
    passage.document_id = doc.id;
    passage.ordinal = 1;
    passage.paragraph = fields[3];
    passage.heading = fields[4];
    passage.text = fields[5];
    passage.excerpt = fields[5];
    passage.citation = fields[6];
    passage.score = 1.5;
    char *snippet = NULL;
    civ_err err;
    if (civ_xapian_results_snippet(results, fields[5], strlen(fields[5]), 300, &snippet, &err) ==
        CIV_OK)
        passage.snippet = snippet;

    size_t len = 0;
    json_t *j = check_json(civ_json_passage(&passage, &doc, &len), len);
    if (j) {
        json_t *jp = json_object_get(j, "passage");
        check_same(jp, "text", passage.text);
        check_same(jp, "citation", passage.citation);
        check_same(json_object_get(j, "document"), "title", doc.title);
        json_decref(j);
    }
    civ_search_document *docs[1] = {&doc}; /* also its own other-language version */
    json_decref(check_json(civ_json_document(&doc, &passage, 1, 0, 10, docs, 1, &len), len));

    civ_search_hit hit = {&doc, &passage, 1};
    civ_search_facet_value fv = {fields[7], 3};
    civ_search_results res;
    memset(&res, 0, sizeof res);
    res.query = fields[7];
    res.language = "en";
    res.total = 1;
    res.page = 1;
    res.per_page = 10;
    res.k = 3;
    res.hits = &hit;
    res.n_hits = 1;
    static const char *const names[CIV_SEARCH_N_FACETS] = {"language", "type", "body", "year",
                                                           "format"};
    for (size_t f = 0; f < CIV_SEARCH_N_FACETS; f++) {
        res.facets[f].name = names[f];
        res.facets[f].values = &fv;
        res.facets[f].n_values = 1;
    }
    res.suggestion = fields[6];
    res.documents = docs;
    res.n_documents = 1;
    j = check_json(civ_json_search(&res, &len), len);
    if (j) {
        check_same(j, "query", res.query);
        json_decref(j);
    }
    j = check_json(civ_json_error(fields[0], fields[1], &len), len);
    if (j) {
        check_same(json_object_get(j, "error"), "message", fields[1]);
        json_decref(j);
    }

    free(snippet);
    for (size_t f = 0; f < N_FIELDS; f++)
        g_free(fields[f]);
    return 0;
}
