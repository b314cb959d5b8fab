/* civ_search.h: Civitas searches, from API parameters to C structs.
 *
 * The schema-aware layer between the HTTP daemon and civ_xapian: it turns
 * API parameters (q, lang, type, body, symbol, year range, paging, grouping)
 * into a civ_xapian_query over passage documents, groups the ranked passages
 * into source documents with up to k passages each, fetches each document's
 * record once per search, and builds snippets and citations for the
 * passages it returns (and only those). It also reads single documents and
 * passages for the document routes.
 *
 * Everything returned is owned by the result object and freed with it.
 * Strings are UTF-8. A reader is used by one thread at a time.
 */
#ifndef CIV_SEARCH_H
#define CIV_SEARCH_H

#include <stddef.h>

#include "civ_index.h"
#include "civ_status.h"
#include "civ_xapian.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Caps that bound what one request may cost. */
typedef struct civ_search_limits {
    size_t max_query_bytes;  /* q longer than this: CIV_ERR_TOOLARGE (HTTP 414) */
    unsigned max_per_page;   /* per_page above this: CIV_ERR_INPUT */
    unsigned max_depth;      /* page * per_page above this: CIV_ERR_INPUT */
    unsigned max_k;          /* passages per document */
    unsigned max_wildcard;   /* terms a wildcard may expand to; 0 disables wildcards */
    double time_limit;       /* seconds per query; past it results->timed_out */
    unsigned check_at_least; /* matches examined for exact totals and facets */
    size_t snippet_chars;    /* snippet length */
} civ_search_limits;

/* The defaults documented in docs/API.md: 1024 bytes, 50, 1000, 10, 100,
 * 0.5 s, 1000, 300. */
void civ_search_limits_default(civ_search_limits *lim);

typedef enum civ_search_group {
    CIV_GROUP_DOCUMENT = 0, /* hits are documents with up to k passages */
    CIV_GROUP_PASSAGE = 1   /* hits are single passages, ranked */
} civ_search_group;

#define CIV_SEARCH_MAX_VALUES 16 /* values one filter parameter may list */
#define CIV_SEARCH_MAX_VALUE_BYTES 200

/* One filter parameter that may be repeated: documents match any value. */
typedef struct civ_search_values {
    char *values[CIV_SEARCH_MAX_VALUES];
    size_t n;
} civ_search_values;

/* A search request, filled parameter by parameter. */
typedef struct civ_search_request {
    char *q;     /* the query string, or NULL */
    char *qlang; /* language for stemming the query, or NULL to choose */
    civ_search_values lang, type, body, format;
    char *symbol;           /* symbol prefix, upper case, or NULL */
    int year_from, year_to; /* 0: open */
    unsigned page, per_page, k;
    civ_search_group group;
    unsigned seen; /* bit per scalar parameter already set (duplicates are errors) */
} civ_search_request;

/* Set req to the defaults: page 1, per_page 10, k 3, group document. */
void civ_search_request_init(civ_search_request *req);
void civ_search_request_clear(civ_search_request *req);

/* Check that a decoded parameter (name or value) is text: valid UTF-8 with
 * no NUL byte. Returns CIV_OK or CIV_ERR_INPUT with a message. */
civ_status civ_search_check_text(const char *s, size_t len, civ_err *err);

/* Set the search parameter name to value (decoded bytes, not necessarily
 * NUL-terminated). An empty value leaves the parameter unset, as an empty
 * form field should. Unknown names are ignored (CIV_OK). Returns CIV_OK,
 * CIV_ERR_INPUT (not text, bad value, a scalar parameter twice, too many
 * values) or CIV_ERR_TOOLARGE (q over lim->max_query_bytes). */
civ_status civ_search_request_set(civ_search_request *req, const civ_search_limits *lim,
                                  const char *name, size_t name_len, const char *value,
                                  size_t value_len, civ_err *err);

/* A source document as the API shows it. Absent fields are NULL. */
typedef struct civ_search_document {
    char *id;
    char *title;
    char *symbol;
    char *date;
    char *language;
    char *type;
    char *body;
    char *format;
    int pages;    /* 0 when the format has no pages */
    int passages; /* passage count */
} civ_search_document;

/* A passage as the API shows it. Fields a route does not fill are NULL
 * (score: negative). */
typedef struct civ_search_passage {
    char *id;
    char *document_id;
    int ordinal;
    char *paragraph; /* printed number or label */
    int page;        /* 0: no pages */
    char *heading;
    char *language;
    char *snippet; /* search: HTML-escaped, matches in <mark> */
    char *text;    /* passage route: the full text */
    char *excerpt; /* document route: the first ~200 characters */
    char *citation;
    char *previous; /* passage route: neighbour ids or NULL */
    char *next;
    double score; /* search: the BM25 weight (higher is better); else -1 */
} civ_search_passage;

typedef struct civ_search_hit {
    const civ_search_document *document; /* borrowed from the results */
    civ_search_passage *passages;
    size_t n_passages;
} civ_search_hit;

typedef struct civ_search_facet_value {
    char *value;
    unsigned count; /* documents, not passages */
} civ_search_facet_value;

#define CIV_SEARCH_N_FACETS 5 /* language, type, body, year, format */

typedef struct civ_search_facet {
    const char *name; /* static: "language", "type", "body", "year", "format" */
    civ_search_facet_value *values;
    size_t n_values;
} civ_search_facet;

typedef struct civ_search_results {
    char *query;    /* q as given ("" when none) */
    char *language; /* stemming language used, or NULL when unstemmed */
    unsigned total; /* matching documents (group=document) or passages */
    double took_ms;
    unsigned page, per_page, k;
    unsigned max_page; /* the deepest page lim->max_depth lets a client ask for */
    civ_search_group group;
    civ_search_hit *hits;
    size_t n_hits;
    civ_search_facet facets[CIV_SEARCH_N_FACETS];
    char *suggestion; /* corrected query or NULL */
    int timed_out;    /* the match ran past lim->time_limit: totals and facets are partial */
    civ_search_document **documents; /* every document the hits point to */
    size_t n_documents;
} civ_search_results;

/* Run req against r. Returns CIV_OK, CIV_ERR_INPUT (malformed query, a
 * wildcard that expands too far), CIV_ERR_MODIFIED (the index changed twice
 * under the search: retry), CIV_ERR_NOMEM, CIV_ERR_XAPIAN, CIV_ERR_IO.
 * *out is NULL on failure. */
civ_status civ_search_run(civ_xapian_reader *r, const civ_search_request *req,
                          const civ_search_limits *lim, civ_search_results **out, civ_err *err);
void civ_search_results_free(civ_search_results *res);

/* 1 when s[0..len) is a document id (16 lower-case hex digits) or a
 * passage id ("<document id>-<ordinal>", ordinal 1..9999999 without
 * leading zeros); 0 otherwise. */
int civ_search_is_document_id(const char *s, size_t len);
int civ_search_is_passage_id(const char *s, size_t len);

/* The document id (its record). *path (when not NULL) receives the
 * original file's path, malloc'd. Returns CIV_OK, CIV_ERR_NOTFOUND,
 * CIV_ERR_INPUT (not an id), CIV_ERR_MODIFIED, CIV_ERR_XAPIAN. */
civ_status civ_search_document_get(civ_xapian_reader *r, const char *id, civ_search_document **out,
                                   char **path, civ_err *err);
void civ_search_document_free(civ_search_document *doc);

/* Passages offset.. offset+limit-1 of document id in reading order, each
 * with an excerpt and a citation. doc is the document's record (for the
 * citation). *out is a malloc'd array of *n passages; free with
 * civ_search_passages_free. Returns as civ_search_document_get. */
civ_status civ_search_document_passages(civ_xapian_reader *r, const civ_search_document *doc,
                                        size_t offset, size_t limit, civ_search_passage **out,
                                        size_t *n, civ_err *err);
void civ_search_passages_free(civ_search_passage *passages, size_t n);

/* Passage id with its full text, citation and neighbours; *doc receives
 * its document. Free both with civ_search_passages_free(p, 1) and
 * civ_search_document_free. Returns as civ_search_document_get. */
civ_status civ_search_passage_get(civ_xapian_reader *r, const char *id, civ_search_passage **out,
                                  civ_search_document **doc, civ_err *err);

/* ---- references and language versions ------------------------------------ */

/* Caps on what one references or versions answer may hold. */
#define CIV_SEARCH_MAX_CITED 200       /* symbols a document cites (the record keeps 2000) */
#define CIV_SEARCH_MAX_CITING 100      /* documents that cite it */
#define CIV_SEARCH_MAX_REF_PASSAGES 20 /* passages listed per symbol or citing document */
#define CIV_SEARCH_MAX_VERSIONS 50

/* A passage where a citation is made. */
typedef struct civ_search_ref_passage {
    char *id;
    char *paragraph; /* or NULL */
    int page;        /* 0: no pages */
    char *citation;  /* the passage's UN citation */
} civ_search_ref_passage;

/* A symbol the document cites, the indexed document with that symbol
 * (NULL when it is not in the index) and where the document cites it. */
typedef struct civ_search_cited {
    char *symbol;
    civ_search_document *document;
    civ_search_ref_passage *passages;
    size_t n_passages;
    unsigned total_passages; /* before the cap */
} civ_search_cited;

/* A document that cites this one, and where. */
typedef struct civ_search_citing {
    civ_search_document *document;
    civ_search_ref_passage *passages;
    size_t n_passages;
    unsigned total_passages; /* before the cap (a lower bound past it) */
} civ_search_citing;

typedef struct civ_search_references {
    civ_search_cited *cites; /* in the order of the record's "cites" */
    size_t n_cites;
    civ_search_citing *cited_by; /* in index order */
    size_t n_cited_by;
    int truncated; /* 1: a cap above cut a list */
} civ_search_references;

/* What doc (from civ_search_document_get) cites and what cites it:
 * "cites" from the record and its passages' XCITES terms, "cited_by"
 * from the passages of other documents with the term XCITES:<doc's
 * symbol> (none when doc has no symbol). Returns CIV_OK, CIV_ERR_NOTFOUND
 * (the record went away), CIV_ERR_MODIFIED, CIV_ERR_NOMEM,
 * CIV_ERR_XAPIAN. Free *out with civ_search_references_free. */
civ_status civ_search_references_get(civ_xapian_reader *r, const civ_search_document *doc,
                                     civ_search_references **out, civ_err *err);
void civ_search_references_free(civ_search_references *refs);

/* The other language versions of doc: the records with its symbol (XSYM)
 * or, for a document without a symbol, the other translations of the
 * Universal Declaration (format udhr-xml: every file of that format is
 * one). Sorted by language; doc itself is left out. *out is a malloc'd
 * array of *n documents (free with civ_search_versions_free). Returns as
 * civ_search_references_get. */
civ_status civ_search_versions(civ_xapian_reader *r, const civ_search_document *doc,
                               civ_search_document ***out, size_t *n, civ_err *err);
void civ_search_versions_free(civ_search_document **docs, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* CIV_SEARCH_H */
