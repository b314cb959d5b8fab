/* civ_json.c: API objects to JSON (see civ_json.h).
 *
 * Objects are built with jansson and written once by civ_json_dump; nothing
 * is concatenated by hand. jansson cannot escape "<" and friends itself,
 * and its dumper hands its output over a few bytes at a time (it was a
 * tenth of the daemon's work for a search answer), so the tree is written
 * here, in one buffer: the same text as json_dumps with this module's
 * flags, but for the escapes of "<", ">", "&", U+2028 and U+2029, which
 * mean the same characters. tests/fuzz/fuzz_json.c checks the two against
 * each other.
 */
#include "civ_json.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Scores and timings need no more digits than this (jansson's
 * JSON_REAL_PRECISION(6), which tests/fuzz/fuzz_json.c compares with). */
#define REAL_PRECISION 6

/* The text being written. */
typedef GString out_buf;

static void put(out_buf *o, const char *s, size_t n)
{
    g_string_append_len(o, s, (gssize)n);
}

/* Bytes a JSON string cannot carry as they are: JSON's own (quote,
 * backslash, control characters) and ours ("<", ">", "&", and 0xE2, which
 * starts U+2028 and U+2029). */
static int special(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c == 0xE2;
}

/* s[0..n) (valid UTF-8, as every jansson string is) as a JSON string:
 * escaped as jansson escapes it, then "<", ">", "&", U+2028 and U+2029 as
 * \u escapes. Runs of ordinary bytes are copied whole. */
static void put_string(out_buf *o, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    put(o, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (!special(u[i]))
            continue;
        const char *esc = NULL;
        char seq[8];
        switch (u[i]) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '<':
            esc = "\\u003c";
            break;
        case '>':
            esc = "\\u003e";
            break;
        case '&':
            esc = "\\u0026";
            break;
        case 0xE2:
            if (i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9)) {
                put(o, s + run, i - run);
                put(o, u[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
                i += 2;
                run = i + 1;
            }
            continue;
        default: /* another control character */
            snprintf(seq, sizeof seq, "\\u%04X", u[i]);
            esc = seq;
            break;
        }
        put(o, s + run, i - run);
        put(o, esc, strlen(esc));
        run = i + 1;
    }
    put(o, s + run, n - run);
    put(o, "\"", 1);
}

/* A real as jansson writes it: %.6g, with ".0" when that reads as an
 * integer, and no "+" or leading zeros in the exponent. */
static void put_real(out_buf *o, double v)
{
    char buf[48];
    int n = snprintf(buf, sizeof buf - 3, "%.*g", REAL_PRECISION, v);
    if (n < 0 || (size_t)n >= sizeof buf - 3)
        n = snprintf(buf, sizeof buf, "0.0"); /* cannot happen for a finite double */
    if (!strchr(buf, '.') && !strchr(buf, 'e')) {
        memcpy(buf + n, ".0", 3);
        n += 2;
    }
    char *e = strchr(buf, 'e');
    if (e) {
        char *start = e + 1, *digits = e + 2;
        if (*start == '-')
            start++;
        while (*digits == '0')
            digits++;
        if (digits != start) {
            memmove(start, digits, strlen(digits) + 1);
            n = (int)strlen(buf);
        }
    }
    put(o, buf, (size_t)n);
}

/* value compactly, keys in their insertion order, as json_dumps with
 * JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(6) would, with the
 * escapes above. The API's trees are a few levels deep. */
static void put_value(out_buf *o, const json_t *value)
{
    char num[32];
    size_t i;
    const char *key;
    json_t *v;
    switch (json_typeof(value)) {
    case JSON_OBJECT: {
        int first = 1;
        put(o, "{", 1);
        json_object_foreach((json_t *)value, key, v)
        {
            if (!first)
                put(o, ",", 1);
            first = 0;
            put_string(o, key, strlen(key));
            put(o, ":", 1);
            put_value(o, v);
        }
        put(o, "}", 1);
        break;
    }
    case JSON_ARRAY:
        put(o, "[", 1);
        json_array_foreach(value, i, v)
        {
            if (i)
                put(o, ",", 1);
            put_value(o, v);
        }
        put(o, "]", 1);
        break;
    case JSON_STRING:
        put_string(o, json_string_value(value), json_string_length(value));
        break;
    case JSON_INTEGER:
        put(o, num,
            (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(value)));
        break;
    case JSON_REAL:
        put_real(o, json_real_value(value));
        break;
    case JSON_TRUE:
        put(o, "true", 4);
        break;
    case JSON_FALSE:
        put(o, "false", 5);
        break;
    default:
        put(o, "null", 4);
        break;
    }
}

char *civ_json_dump(const json_t *value, size_t *len)
{
    out_buf *o = g_string_sized_new(4096);
    put_value(o, value);
    if (len)
        *len = o->len;
    return g_string_free(o, FALSE);
}

/* A JSON string, or null for NULL. Text that is not valid UTF-8 (jansson
 * refuses it) is repaired with U+FFFD rather than dropped. */
static json_t *string_or_null(const char *s)
{
    if (!s)
        return json_null();
    json_t *v = json_string(s);
    if (!v) {
        char *valid = g_utf8_make_valid(s, -1);
        v = json_string(valid);
        g_free(valid);
    }
    return v ? v : json_null();
}

static json_t *positive_or_null(int n)
{
    return n > 0 ? json_integer(n) : json_null();
}

static json_t *document_object(const civ_search_document *doc)
{
    json_t *o = json_object();
    char url[64];
    snprintf(url, sizeof url, "/api/documents/%s/file", doc->id);
    json_object_set_new(o, "id", string_or_null(doc->id));
    json_object_set_new(o, "title", string_or_null(doc->title));
    json_object_set_new(o, "symbol", string_or_null(doc->symbol));
    json_object_set_new(o, "date", string_or_null(doc->date));
    json_object_set_new(o, "language", string_or_null(doc->language));
    json_object_set_new(o, "type", string_or_null(doc->type));
    json_object_set_new(o, "body", string_or_null(doc->body));
    json_object_set_new(o, "format", string_or_null(doc->format));
    json_object_set_new(o, "pages", positive_or_null(doc->pages));
    json_object_set_new(o, "passages", json_integer(doc->passages));
    json_object_set_new(o, "url", json_string(url));
    return o;
}

/* A passage with the fields its route filled (civ_search_passage says
 * which are optional). */
static json_t *passage_object(const civ_search_passage *p)
{
    json_t *o = json_object();
    char url[96];
    if (p->page > 0)
        snprintf(url, sizeof url, "/api/documents/%s/file#page=%d", p->document_id, p->page);
    else
        snprintf(url, sizeof url, "/api/documents/%s/file", p->document_id);
    json_object_set_new(o, "id", string_or_null(p->id));
    json_object_set_new(o, "document_id", string_or_null(p->document_id));
    json_object_set_new(o, "ordinal", json_integer(p->ordinal));
    json_object_set_new(o, "paragraph", string_or_null(p->paragraph));
    json_object_set_new(o, "page", positive_or_null(p->page));
    json_object_set_new(o, "heading", string_or_null(p->heading));
    json_object_set_new(o, "language", string_or_null(p->language));
    if (p->snippet)
        json_object_set_new(o, "snippet", string_or_null(p->snippet));
    if (p->text)
        json_object_set_new(o, "text", string_or_null(p->text));
    if (p->excerpt)
        json_object_set_new(o, "excerpt", string_or_null(p->excerpt));
    json_object_set_new(o, "citation", string_or_null(p->citation));
    if (p->score >= 0)
        json_object_set_new(o, "score", json_real(p->score));
    if (p->text) {
        json_object_set_new(o, "previous", string_or_null(p->previous));
        json_object_set_new(o, "next", string_or_null(p->next));
    }
    json_object_set_new(o, "url", json_string(url));
    return o;
}

static json_t *passage_array(const civ_search_passage *passages, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, passage_object(&passages[i]));
    return a;
}

/* Dump and release obj. */
static char *finish(json_t *obj, size_t *len)
{
    char *out = obj ? civ_json_dump(obj, len) : NULL;
    json_decref(obj);
    return out;
}

char *civ_json_search(const civ_search_results *res, size_t *len)
{
    json_t *o = json_object();
    json_t *hits = json_array();
    for (size_t i = 0; i < res->n_hits; i++) {
        const civ_search_hit *h = &res->hits[i];
        json_t *hit = json_object();
        if (h->document)
            json_object_set_new(hit, "document", document_object(h->document));
        else
            json_object_set_new(hit, "document", json_null());
        json_object_set_new(hit, "passages", passage_array(h->passages, h->n_passages));
        json_array_append_new(hits, hit);
    }
    json_t *facets = json_object();
    for (size_t f = 0; f < CIV_SEARCH_N_FACETS; f++) {
        json_t *values = json_array();
        for (size_t i = 0; i < res->facets[f].n_values; i++) {
            json_t *v = json_object();
            json_object_set_new(v, "value", string_or_null(res->facets[f].values[i].value));
            json_object_set_new(v, "count", json_integer(res->facets[f].values[i].count));
            json_array_append_new(values, v);
        }
        json_object_set_new(facets, res->facets[f].name, values);
    }
    json_object_set_new(o, "query", string_or_null(res->query));
    json_object_set_new(o, "language", string_or_null(res->language));
    json_object_set_new(o, "total", json_integer(res->total));
    json_object_set_new(o, "took_ms", json_real(res->took_ms));
    json_object_set_new(o, "page", json_integer(res->page));
    json_object_set_new(o, "per_page", json_integer(res->per_page));
    /* The pages a client can ask for: past --max-depth a page is refused. */
    unsigned pages = res->per_page ? (res->total + res->per_page - 1) / res->per_page : 1;
    json_object_set_new(o, "pages", json_integer(MAX(1, MIN(pages, res->max_page))));
    json_object_set_new(o, "group",
                        json_string(res->group == CIV_GROUP_PASSAGE ? "passage" : "document"));
    json_object_set_new(o, "k", json_integer(res->k));
    json_object_set_new(o, "hits", hits);
    json_object_set_new(o, "facets", facets);
    json_object_set_new(o, "suggestion", string_or_null(res->suggestion));
    return finish(o, len);
}

static json_t *page_object(json_t *passages, size_t offset, size_t limit, int total)
{
    json_t *o = json_object();
    json_object_set_new(o, "passages", passages);
    json_object_set_new(o, "offset", json_integer((json_int_t)offset));
    json_object_set_new(o, "limit", json_integer((json_int_t)limit));
    json_object_set_new(o, "total", json_integer(total));
    return o;
}

/* A short reference to a document: {id, title, symbol, language, url}. */
static json_t *document_ref(const civ_search_document *doc)
{
    json_t *o = json_object();
    char url[64];
    snprintf(url, sizeof url, "/api/documents/%s", doc->id);
    json_object_set_new(o, "id", string_or_null(doc->id));
    json_object_set_new(o, "title", string_or_null(doc->title));
    json_object_set_new(o, "symbol", string_or_null(doc->symbol));
    json_object_set_new(o, "language", string_or_null(doc->language));
    json_object_set_new(o, "url", json_string(url));
    return o;
}

char *civ_json_document(const civ_search_document *doc, const civ_search_passage *passages,
                        size_t n, size_t offset, size_t limit, civ_search_document *const *versions,
                        size_t n_versions, size_t *len)
{
    json_t *o = page_object(passage_array(passages, n), offset, limit, doc->passages);
    json_object_set_new(o, "document", document_object(doc));
    json_t *vs = json_array();
    for (size_t i = 0; i < n_versions; i++)
        json_array_append_new(vs, document_ref(versions[i]));
    json_object_set_new(o, "versions", vs);
    return finish(o, len);
}

static json_t *ref_passage_array(const civ_search_ref_passage *ps, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_object();
        json_object_set_new(p, "id", string_or_null(ps[i].id));
        json_object_set_new(p, "paragraph", string_or_null(ps[i].paragraph));
        json_object_set_new(p, "page", positive_or_null(ps[i].page));
        json_object_set_new(p, "citation", string_or_null(ps[i].citation));
        json_array_append_new(a, p);
    }
    return a;
}

char *civ_json_references(const civ_search_document *doc, const civ_search_references *refs,
                          size_t *len)
{
    json_t *o = json_object();
    json_t *cites = json_array(), *cited_by = json_array();
    for (size_t i = 0; i < refs->n_cites; i++) {
        const civ_search_cited *c = &refs->cites[i];
        json_t *e = json_object();
        json_object_set_new(e, "symbol", string_or_null(c->symbol));
        json_object_set_new(e, "document", c->document ? document_ref(c->document) : json_null());
        json_object_set_new(e, "passages", ref_passage_array(c->passages, c->n_passages));
        json_object_set_new(e, "total_passages", json_integer(c->total_passages));
        json_array_append_new(cites, e);
    }
    for (size_t i = 0; i < refs->n_cited_by; i++) {
        const civ_search_citing *c = &refs->cited_by[i];
        json_t *e = json_object();
        json_object_set_new(e, "document", document_ref(c->document));
        json_object_set_new(e, "passages", ref_passage_array(c->passages, c->n_passages));
        json_object_set_new(e, "total_passages", json_integer(c->total_passages));
        json_array_append_new(cited_by, e);
    }
    json_object_set_new(o, "document", document_ref(doc));
    json_object_set_new(o, "cites", cites);
    json_object_set_new(o, "cited_by", cited_by);
    json_object_set_new(o, "truncated", json_boolean(refs->truncated));
    return finish(o, len);
}

static json_t *citation_object(const civ_json_citation *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "passage_id", string_or_null(c->passage_id));
    json_object_set_new(o, "document_id", string_or_null(c->document_id));
    json_object_set_new(o, "citation", string_or_null(c->citation));
    return o;
}

char *civ_json_citations(const char *format, const civ_json_citation *cites, size_t n, int single,
                         size_t *len)
{
    json_t *o;
    if (single && n == 1) {
        o = citation_object(&cites[0]);
    } else {
        o = json_object();
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(a, citation_object(&cites[i]));
        json_object_set_new(o, "citations", a);
    }
    json_object_set_new(o, "format", string_or_null(format));
    return finish(o, len);
}

char *civ_json_csl(const civ_cite_source *srcs, size_t n, size_t *len)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *item = civ_cite_csl_item(&srcs[i]);
        if (!item || json_array_append_new(a, item) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return finish(a, len);
}

char *civ_json_passages(const civ_search_document *doc, const civ_search_passage *passages,
                        size_t n, size_t offset, size_t limit, size_t *len)
{
    json_t *o = page_object(passage_array(passages, n), offset, limit, doc->passages);
    json_object_set_new(o, "document_id", string_or_null(doc->id));
    return finish(o, len);
}

char *civ_json_passage(const civ_search_passage *passage, const civ_search_document *doc,
                       size_t *len)
{
    json_t *o = json_object();
    json_object_set_new(o, "passage", passage_object(passage));
    json_object_set_new(o, "document", document_object(doc));
    return finish(o, len);
}

char *civ_json_error(const char *code, const char *message, size_t *len)
{
    json_t *e = json_object();
    json_object_set_new(e, "code", string_or_null(code));
    json_object_set_new(e, "message", string_or_null(message));
    json_t *o = json_object();
    json_object_set_new(o, "error", e);
    return finish(o, len);
}

char *civ_json_health_dump(const civ_json_health *health, size_t *len)
{
    json_t *o = json_object();
    json_object_set_new(o, "status", string_or_null(health->status));
    json_object_set_new(o, "revision", json_integer((json_int_t)health->revision));
    json_object_set_new(o, "documents", json_integer(health->documents));
    json_object_set_new(o, "passages", json_integer(health->passages));
    return finish(o, len);
}
