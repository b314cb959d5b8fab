/* civ_json.h: the JSON API's objects, written from civ_search's structs.
 *
 * Every function returns a malloc'd, NUL-terminated, compact JSON text
 * (the caller frees it) with its length in *len. civ_json_csl returns NULL
 * when out of memory; the others allocate through GLib, which aborts
 * instead. The text is safe to embed in HTML and in JavaScript source:
 * "<", ">", "&", U+2028 and U+2029 inside strings are written as \u003c,
 * \u003e, \u0026, \u2028, \u2029, so text from documents can never close a
 * <script> element or end a JavaScript string. The field names are the
 * contract in docs/API.md.
 */
#ifndef CIV_JSON_H
#define CIV_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "civ_cite.h"
#include "civ_search.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Dump value compactly with the escaping above. */
char *civ_json_dump(const json_t *value, size_t *len);

/* /api/search: {query, language, total, took_ms, page, per_page, group, k,
 * hits, facets, suggestion}. */
char *civ_json_search(const civ_search_results *res, size_t *len);

/* /api/documents/{id}: {document, versions, passages, offset, limit,
 * total}; versions (n_versions documents, may be NULL) are the document's
 * other language versions, each {id, language, title, symbol, url}. */
char *civ_json_document(const civ_search_document *doc, const civ_search_passage *passages,
                        size_t n, size_t offset, size_t limit, civ_search_document *const *versions,
                        size_t n_versions, size_t *len);

/* /api/documents/{id}/references: {document, cites, cited_by, truncated}
 * (docs/API.md). */
char *civ_json_references(const civ_search_document *doc, const civ_search_references *refs,
                          size_t *len);

/* One citation in a citation style, for the string formats of
 * /api/passages/{id}/cite and /api/cite. */
typedef struct civ_json_citation {
    const char *passage_id;
    const char *document_id;
    const char *citation;
} civ_json_citation;

/* single: {format, passage_id, document_id, citation} of cites[0];
 * otherwise {format, citations: [{passage_id, document_id, citation}]}. */
char *civ_json_citations(const char *format, const civ_json_citation *cites, size_t n, int single,
                         size_t *len);

/* The n sources as a CSL-JSON array of items (civ_cite_csl_item). */
char *civ_json_csl(const civ_cite_source *srcs, size_t n, size_t *len);

/* /api/documents/{id}/passages: {document_id, passages, offset, limit, total}. */
char *civ_json_passages(const civ_search_document *doc, const civ_search_passage *passages,
                        size_t n, size_t offset, size_t limit, size_t *len);

/* /api/passages/{id}: {passage, document}. */
char *civ_json_passage(const civ_search_passage *passage, const civ_search_document *doc,
                       size_t *len);

/* Every error: {"error":{"code":code,"message":message}}. */
char *civ_json_error(const char *code, const char *message, size_t *len);

/* /health. */
typedef struct civ_json_health {
    const char *status; /* "ok" or "unavailable" */
    unsigned long long revision;
    unsigned documents;
    unsigned passages;
} civ_json_health;
char *civ_json_health_dump(const civ_json_health *health, size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* CIV_JSON_H */
