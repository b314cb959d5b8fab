/* civ_json.c: API objects to JSON (see civ_json.h).
 *
 * Objects are built with jansson and dumped once; nothing is concatenated
 * by hand. jansson cannot escape "<" and friends itself, so its output is
 * rewritten as it is dumped: those characters can only occur inside JSON
 * strings (they are not JSON syntax), where \u escapes mean the same thing,
 * so a byte-wise rewrite of the whole text is exact.
 */
#include "civ_json.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Scores and timings need no more digits than this. */
#define DUMP_FLAGS (JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(6))

/* The \u escape for the character at s (of n bytes left), or NULL. */
static const char *escape_for(const unsigned char *s, size_t n, size_t *consumed)
{
    *consumed = 1;
    switch (s[0]) {
    case '<':
        return "\\u003c";
    case '>':
        return "\\u003e";
    case '&':
        return "\\u0026";
    case 0xE2:
        if (n >= 3 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9)) {
            *consumed = 3;
            return s[2] == 0xA8 ? "\\u2028" : "\\u2029";
        }
        return NULL;
    default:
        return NULL;
    }
}

/* jansson's output, escaped as it comes: one buffer and one pass. jansson
 * hands over runs of whole characters, so U+2028 and U+2029 arrive in one
 * piece. */
static int dump_escaped(const char *buffer, size_t size, void *data)
{
    GString *out = data;
    const unsigned char *in = (const unsigned char *)buffer;
    size_t run = 0, step;
    for (size_t i = 0; i < size; i += step) {
        const char *esc = escape_for(in + i, size - i, &step);
        if (esc) {
            g_string_append_len(out, buffer + run, (gssize)(i - run));
            g_string_append(out, esc);
            run = i + step;
        }
    }
    g_string_append_len(out, buffer + run, (gssize)(size - run));
    return 0;
}

char *civ_json_dump(const json_t *value, size_t *len)
{
    GString *out = g_string_sized_new(4096);
    if (json_dump_callback(value, dump_escaped, out, DUMP_FLAGS) != 0) {
        g_string_free(out, TRUE);
        return NULL;
    }
    if (len)
        *len = out->len;
    return g_string_free(out, FALSE);
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
