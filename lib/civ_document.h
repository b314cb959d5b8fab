/* civ_document.h: an extracted source document and its passages.
 *
 * Every extractor fills one civ_document: document-level metadata plus an
 * ordered list of passages (paragraphs as the document prints them). The
 * document owns every string in it; civ_document_free releases all of it.
 * Strings are UTF-8, NUL-terminated; optional ones are NULL when unknown.
 */
#ifndef CIV_DOCUMENT_H
#define CIV_DOCUMENT_H

#include <stddef.h>

#include "civ_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Caps that keep one hostile file from eating the machine. */
#define CIV_MAX_PASSAGES 200000
#define CIV_MAX_PASSAGE_BYTES (64 * 1024)

typedef struct civ_passage {
    char *text;      /* passage text, whitespace-normalised, never NULL */
    char *paragraph; /* printed number as printed: "12", "(a)", "Article 3"; or NULL */
    char *heading;   /* heading path ("Chapter 2 > Part 1") or NULL */
    char *lang;      /* passage language when it differs from the document's, or NULL */
    int page;        /* 1-based page (PDF), 0 when the format has no pages */
    int ordinal;     /* 1-based position in the document, set by civ_document_add_passage */
} civ_passage;

typedef struct civ_document {
    char *format;  /* "pdf", "udhr-xml", "akn", "xml", "html", "text" */
    char *title;   /* or NULL */
    char *lang;    /* ISO 639-1 code ("en", "fr", "zh") or NULL when unknown */
    char *date;    /* ISO 8601 date "YYYY-MM-DD" (or "YYYY-MM", "YYYY"), or NULL */
    char *symbol;  /* UN document symbol ("A/HRC/30/49") or NULL */
    char *doctype; /* document kind ("report", "resolution", "declaration", "act", ...) or NULL */
    char *body;    /* issuing body ("HRC", "GA", "City of Cape Town") or NULL */
    char *symbol_source; /* where symbol came from: "text", "metadata", "filename"; or NULL */
    char *session;       /* session of the issuing body ("59", "2025", "S-35") or NULL */
    char *agenda;        /* agenda item(s) as printed ("6", "2, 3", "69 (b)") or NULL */
    int page_count;      /* PDF pages, 0 otherwise */
    int title_from_name; /* 1: the title was made from the file name, not written in the file */

    civ_passage *passages;
    size_t n_passages;
    size_t cap_passages;
} civ_document;

/* Allocate an empty document for the given format. Returns NULL on OOM. */
civ_document *civ_document_new(const char *format);

/* Release the document and everything it owns. Accepts NULL. */
void civ_document_free(civ_document *doc);

/* Set a string field (title, lang, ...) to a copy of value (NULL clears it).
 * field must point to one of doc's own char * members. */
void civ_document_set(civ_document *doc, char **field, const char *value);

/* Append a passage with a copy of text (and of paragraph, heading when not
 * NULL). The text is whitespace-normalised (runs of spaces, tabs and newlines
 * become one space; leading and trailing space trimmed) and cut at
 * CIV_MAX_PASSAGE_BYTES on a character boundary. Empty text is ignored and
 * returns CIV_OK. The ordinal is the passage's 1-based position.
 * Returns CIV_OK, CIV_ERR_TOOLARGE past CIV_MAX_PASSAGES, CIV_ERR_NOMEM. */
civ_status civ_document_add_passage(civ_document *doc, const char *text, size_t len,
                                    const char *paragraph, const char *heading, int page,
                                    civ_err *err);

/* The last passage added, or NULL when there is none (borrowed). */
civ_passage *civ_document_last_passage(civ_document *doc);

/* Remove the passages i with drop[i] != 0 (drop has n_passages entries),
 * keeping the others in order and renumbering their ordinals 1..n. */
void civ_document_remove_passages(civ_document *doc, const unsigned char *drop);

/* Serialise doc (every field and passage) into *out, a malloc'd buffer of
 * *len bytes the caller frees, for sending it from an extraction worker to
 * the indexer. Returns CIV_OK, CIV_ERR_TOOLARGE (the encoding would exceed
 * max bytes), CIV_ERR_NOMEM. On failure *out is NULL. */
civ_status civ_document_serialise(const civ_document *doc, size_t max, char **out, size_t *len,
                                  civ_err *err);

/* Rebuild a document from data[0..len) written by civ_document_serialise.
 * Untrusted input: truncated, oversized, non-UTF-8 or inconsistent data
 * (passage count, ordinals, empty texts, trailing bytes) is rejected.
 * Returns CIV_OK, CIV_ERR_INPUT, CIV_ERR_NOMEM; *out (caller frees with
 * civ_document_free) is NULL on failure. */
civ_status civ_document_deserialise(const char *data, size_t len, civ_document **out, civ_err *err);

#ifdef __cplusplus
}
#endif

#endif /* CIV_DOCUMENT_H */
