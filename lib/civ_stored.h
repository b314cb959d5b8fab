/* civ_stored.h: documents and passages from the index's stored data, for
 * the search and the references (internal to libcivitas). */
#ifndef CIV_STORED_H
#define CIV_STORED_H

#include <jansson.h>
#include <stddef.h>

#include "civ_search.h"
#include "civ_status.h"
#include "civ_xapian.h"

/* Parse stored data that must be a JSON object. CIV_ERR_INTERNAL if not. */
civ_status civ_stored_parse(const char *data, size_t len, json_t **out, civ_err *err);

/* data[0..len) as jansson's json_loadb would read it, for a JSON object of
 * strings, integers and arrays of them (what the index stores); NULL for
 * any other text, which json_loadb may still read (or refuse). Used by
 * civ_stored_parse; declared here for its tests. */
json_t *civ_stored_read_flat(const char *data, size_t len);

/* The record of document id (its JSON data). CIV_ERR_NOTFOUND, ... */
civ_status civ_stored_record(civ_xapian_reader *r, const char *id, json_t **out, civ_err *err);

/* A document from its record; rec may be NULL (a document known only by
 * its id). NULL on OOM. */
civ_search_document *civ_stored_document(const char *id, json_t *rec);

/* Fill p from a stored passage's JSON, with its citation from doc. */
civ_status civ_stored_passage(json_t *json, const civ_search_document *doc, civ_search_passage *p,
                              civ_err *err);
void civ_stored_passage_clear(civ_search_passage *p);

/* The "text" of a stored passage and its length ("" when absent). */
const char *civ_stored_text(json_t *obj, size_t *len);

#endif
