/* civ_xapian.h: a small C face on Xapian.
 *
 * This header and civ_xapian.cc are the only places that know Xapian is C++.
 * Every entry point returns a civ_status and fills a caller-owned civ_err;
 * no C++ exception crosses it. Handles are opaque and not thread-safe: use
 * one reader per thread (Xapian objects are not thread-safe).
 *
 * The wrapper is generic: it knows terms, values, data, languages, queries,
 * facets and snippets, not Civitas's schema. civ_index.c and civ_search.c
 * hold the schema (docs/SCHEMA.md).
 */
#ifndef CIV_XAPIAN_H
#define CIV_XAPIAN_H

#include <stddef.h>

#include "civ_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How one language is indexed and parsed. The table passed to open is
 * borrowed for the life of the handle. */
typedef struct civ_xapian_lang {
    const char *code;             /* "en", "fr", "zh", ... */
    const char *stemmer;          /* Xapian stemmer name ("english") or NULL for none */
    const char *const *stopwords; /* UTF-8 words, lower case */
    size_t n_stopwords;
    int cjk;     /* 1: use CJK n-grams (Chinese, Japanese, Korean) */
    int elision; /* 1: split French-style elisions: l'éducation -> l éducation */
} civ_xapian_lang;

/* ---- writing ----------------------------------------------------------- */

typedef struct civ_xapian_writer civ_xapian_writer;
typedef struct civ_xapian_doc civ_xapian_doc;

/* An index directory holds one or more shards, each two glass databases:
 * passages/ and records/ for shard 0, passages.K/ and records.K/ for
 * shard K, and the stub file XAPIANDB naming them all, which opens them as
 * one (xapian-delve PATH works; xapian-check takes each database). Shards
 * are written by separate writers, one thread each, in parallel; readers
 * search them all as one index. */
#define CIV_XAPIAN_MAX_SHARDS 16

/* The number of shards in the index at path: 0 when there is none yet.
 * Returns CIV_OK or CIV_ERR_UNSUPPORTED (an index built by an older
 * version, without the record layout). */
civ_status civ_xapian_index_shards(const char *path, unsigned *n, civ_err *err);

/* Compact shard `shard` of the index at path in place: each of its
 * databases is rewritten with full blocks by Xapian's compactor, then
 * swapped in with one rename, while the shard's write locks are held.
 * Readers keep working throughout and move to the new files on their next
 * reopen. Needs free disk for a copy of one database. *before and *after
 * are the shard's bytes on disk. Returns CIV_OK, CIV_ERR_LOCKED (a writer
 * has the shard), CIV_ERR_NOTFOUND (no such shard) or CIV_ERR_IO. */
civ_status civ_xapian_compact(const char *path, unsigned shard, unsigned long long *before,
                              unsigned long long *after, civ_err *err);

/* Open (creating if needed) shard `shard` of the index directory at path
 * for writing; a new shard must follow the existing ones (shard <= the
 * count). langs is borrowed until civ_xapian_writer_close.
 * Returns CIV_OK, CIV_ERR_LOCKED (another writer holds the shard),
 * CIV_ERR_UNSUPPORTED (an index built by an older version), CIV_ERR_INPUT
 * (a shard out of order), CIV_ERR_IO, CIV_ERR_XAPIAN, CIV_ERR_NOMEM. *out
 * is NULL on failure. */
civ_status civ_xapian_writer_open(const char *path, unsigned shard, const civ_xapian_lang *langs,
                                  size_t n_langs, civ_xapian_writer **out, civ_err *err);

/* Close, discarding changes made since the last commit (they never reach
 * the disk half-written). Accepts NULL. Commit first to keep them. */
void civ_xapian_writer_close(civ_xapian_writer *w);

/* Make every change so far durable and visible to readers, atomically.
 * Returns CIV_OK, CIV_ERR_IO (disk full, I/O error), CIV_ERR_XAPIAN. */
civ_status civ_xapian_writer_commit(civ_xapian_writer *w, civ_err *err);

/* The same, for one batch of a longer run, except that the spelling
 * dictionary may be left waiting for a later commit (at most a few
 * batches). The records whose words wait are noted in the commit, and a
 * writer opened after a crash learns their words again. */
civ_status civ_xapian_writer_commit_batch(civ_xapian_writer *w, civ_err *err);

/* Add doc, replacing every document that has the term unique_term (the
 * term must also be on doc). Returns CIV_OK, CIV_ERR_IO, CIV_ERR_XAPIAN. */
civ_status civ_xapian_writer_replace(civ_xapian_writer *w, const char *unique_term,
                                     const civ_xapian_doc *doc, civ_err *err);

/* Add or replace a record: the one document with unique_term (also on
 * doc). Records are kept apart from the documents written by add and
 * replace (their own database in the index directory), so that matches
 * over records alone stay fast. Returns CIV_OK, CIV_ERR_IO, CIV_ERR_XAPIAN. */
civ_status civ_xapian_writer_put_record(civ_xapian_writer *w, const char *unique_term,
                                        const civ_xapian_doc *doc, civ_err *err);

/* Add doc as a new document (no uniqueness check: the caller knows no
 * document has its id term, e.g. all of a file's passages were just
 * deleted). Cheaper than replace. Returns CIV_OK, CIV_ERR_IO, CIV_ERR_XAPIAN. */
civ_status civ_xapian_writer_add(civ_xapian_writer *w, const civ_xapian_doc *doc, civ_err *err);

/* Delete every document indexed by term. */
civ_status civ_xapian_writer_delete(civ_xapian_writer *w, const char *term, civ_err *err);

/* Replace the data of the first document with unique_term, keeping its
 * terms and values. Returns CIV_OK, CIV_ERR_NOTFOUND, CIV_ERR_IO,
 * CIV_ERR_XAPIAN. */
civ_status civ_xapian_writer_set_data(civ_xapian_writer *w, const char *unique_term,
                                      const char *data, size_t len, civ_err *err);

/* Document data of the first document with term (including uncommitted
 * changes). *data is malloc'd, the caller frees it; NUL-terminated, with the
 * byte length in *len when len is not NULL. Returns CIV_OK,
 * CIV_ERR_NOTFOUND (no such document, *data NULL), CIV_ERR_XAPIAN. */
civ_status civ_xapian_writer_get_data(civ_xapian_writer *w, const char *term, char **data,
                                      size_t *len, civ_err *err);

/* Data of every document with term: the records', then the other
 * documents', each in docid order. *datas is a malloc'd
 * array of *n malloc'd strings; free with civ_xapian_strings_free. */
civ_status civ_xapian_writer_term_datas(civ_xapian_writer *w, const char *term, char ***datas,
                                        size_t *n, civ_err *err);

/* Number of documents in the database, pending changes included. */
civ_status civ_xapian_writer_doccount(civ_xapian_writer *w, unsigned *count, civ_err *err);

void civ_xapian_strings_free(char **strings, size_t n);

/* A document being built. */
civ_xapian_doc *civ_xapian_doc_new(void); /* NULL on OOM */
void civ_xapian_doc_free(civ_xapian_doc *doc);

/* Add a boolean (filter) term: wdf 0, no positions. */
civ_status civ_xapian_doc_add_boolean(civ_xapian_doc *doc, const char *term, civ_err *err);

/* Index free text with the writer's term generator for lang (stemmer,
 * stopwords, CJK n-grams as its table entry says; an unknown or NULL lang
 * indexes unstemmed). prefix may be "" for body text. wdf_inc is the weight
 * of each occurrence. positions: 1 to record positions (phrase search), 0
 * not. spelling: 1 to add the words to the spelling dictionary. */
civ_status civ_xapian_writer_index_text(civ_xapian_writer *w, civ_xapian_doc *doc, const char *lang,
                                        const char *text, size_t len, const char *prefix,
                                        unsigned wdf_inc, int positions, int spelling,
                                        civ_err *err);

/* Add every term of from to into with its wdf, without positions: a
 * record gathers its passages' words this way, with no second pass of the
 * term generator over the text. */
civ_status civ_xapian_doc_merge_terms(civ_xapian_doc *into, const civ_xapian_doc *from,
                                      civ_err *err);

/* A record gathers a passage's words: merge_terms, and a term for each
 * pair of adjacent words of from (positions p and p+1) of which neither is
 * a stopword of any language nor holds a CJK character ("XWunited
 * nations"), when the records database holds word pairs
 * (civ_xapian_writer_word_pairs). A document search answers a quoted
 * phrase of two such words from the records with that one term, instead
 * of walking every passage that holds both words: every record of such an
 * index must be built through this call. */
civ_status civ_xapian_writer_merge_words(civ_xapian_writer *w, civ_xapian_doc *into,
                                         const civ_xapian_doc *from, civ_err *err);

/* Give the records word pairs: an empty records database is named as
 * holding them in its metadata (with the next commit), and from then on
 * every writer's merge_words adds them. A database that holds records
 * keeps what it was built with. *on: whether this writer's records get
 * pairs. */
civ_status civ_xapian_writer_word_pairs(civ_xapian_writer *w, int *on, civ_err *err);

/* Add the words of doc (its terms without a prefix: not starting with an
 * ASCII capital) to the spelling dictionary, each with its wdf: one count
 * per distinct word of a document rather than one per occurrence, as the
 * term generator's own spelling option makes. doc is the record that will
 * have the unique term record_term, where a writer opened after a crash
 * finds its words again. Takes effect at a commit. */
civ_status civ_xapian_writer_add_spelling(civ_xapian_writer *w, const civ_xapian_doc *doc,
                                          const char *record_term, civ_err *err);

/* The value slot that holds a document's data (civ_xapian_doc_set_data):
 * glass compresses document data with zlib, and inflating the passages
 * and records a search shows was a seventh of its work; values are
 * stored as they are. Callers must not use this slot for anything else. */
#define CIV_XAPIAN_DATA_SLOT 14

/* Set value slot to bytes, or to a number serialised so that it sorts and
 * range-filters numerically. */
civ_status civ_xapian_doc_set_value(civ_xapian_doc *doc, unsigned slot, const char *value,
                                    size_t len, civ_err *err);
civ_status civ_xapian_doc_set_number(civ_xapian_doc *doc, unsigned slot, double number,
                                     civ_err *err);

/* Set the document data (opaque bytes, stored verbatim, uncompressed, in
 * CIV_XAPIAN_DATA_SLOT). Every function here that returns a document's
 * data reads it from there, or from Xapian's document data for documents
 * written before it moved. */
civ_status civ_xapian_doc_set_data(civ_xapian_doc *doc, const char *data, size_t len, civ_err *err);

/* ---- reading and searching --------------------------------------------- */

typedef struct civ_xapian_reader civ_xapian_reader;

/* Open the database at path for reading. langs borrowed as for the writer.
 * Returns CIV_OK, CIV_ERR_NOTFOUND (no database there), CIV_ERR_XAPIAN. */
civ_status civ_xapian_reader_open(const char *path, const civ_xapian_lang *langs, size_t n_langs,
                                  civ_xapian_reader **out, civ_err *err);
void civ_xapian_reader_close(civ_xapian_reader *r);

/* Move to the latest committed revision. *changed (when not NULL) is set
 * to 1 when the revision moved. Counted in the reader's reopen counter. */
civ_status civ_xapian_reader_reopen(civ_xapian_reader *r, int *changed, civ_err *err);

/* The reader's reopen counter: how many times it moved to a newer
 * revision, through civ_xapian_reader_reopen or a call that retried after
 * the index changed under it. Reads no database. */
unsigned long long civ_xapian_reader_reopens(const civ_xapian_reader *r);

typedef struct civ_xapian_stats {
    unsigned long long revision;
    unsigned doccount;
    unsigned long long reopens; /* times this reader moved to a newer revision */
} civ_xapian_stats;

civ_status civ_xapian_reader_stats(civ_xapian_reader *r, civ_xapian_stats *stats, civ_err *err);

/* What names the content this reader sees: its databases' UUIDs and the
 * revision. Two readers with the same version see the same index, even
 * across a rebuild in place (a new index has new UUIDs). */
#define CIV_XAPIAN_VERSION_MAX 128
civ_status civ_xapian_reader_version(civ_xapian_reader *r, char version[CIV_XAPIAN_VERSION_MAX],
                                     civ_err *err);

/* As the writer functions of the same names. Both retry once after a
 * reopen when the index changed underneath. */
civ_status civ_xapian_reader_get_data(civ_xapian_reader *r, const char *term, char **data,
                                      size_t *len, civ_err *err);
civ_status civ_xapian_reader_term_datas(civ_xapian_reader *r, const char *term, size_t offset,
                                        size_t limit, char ***datas, size_t *n, civ_err *err);

/* Every term of the first document with unique_term, in sorted order
 * (for index checks and diagnostics). *terms is a malloc'd array of *n
 * malloc'd strings; free with civ_xapian_strings_free. Returns CIV_OK or
 * CIV_ERR_NOTFOUND. */
civ_status civ_xapian_reader_doc_terms(civ_xapian_reader *r, const char *unique_term, char ***terms,
                                       size_t *n, civ_err *err);

/* The languages of the index's text: the codes of its L terms, sorted,
 * and for each the passages and records in it. *codes and *counts stay
 * valid until the reader is next reopened or closed. */
civ_status civ_xapian_reader_languages(civ_xapian_reader *r, const char *const **codes,
                                       const unsigned **counts, size_t *n, civ_err *err);

/* Number of documents with term. */
civ_status civ_xapian_reader_term_count(civ_xapian_reader *r, const char *term, unsigned *count,
                                        civ_err *err);

/* The boolean term for value under prefix, as Xapian's QueryParser forms
 * it for `field:value`: a ':' goes between a multi-character prefix and a
 * value starting with an upper-case ASCII letter or ':' ("XSYM" +
 * "A/HRC/59/15" -> "XSYM:A/HRC/59/15"). The indexer and filters build
 * terms with this. Returns a malloc'd string (NULL on OOM). */
char *civ_xapian_term(const char *prefix, const char *value);

/* A query field: `name:` in the query string maps to prefix. boolean fields
 * filter (symbol:A/HRC/30/49), the others search text (title:housing). */
typedef struct civ_xapian_field {
    const char *name;
    const char *prefix;
    int boolean;
    int passages_only;     /* 1: only passages hold its terms (para:), so a query with
                              one is not run where q->positionless says passages are not */
    int without_positions; /* 1: its terms are indexed without positions (title:): a
                              phrase or NEAR group of them matches all its words */
    int fold_case;         /* 1 (boolean fields): a value not in the index matches the
                              values that equal it ignoring ASCII case (body:hrc) */
} civ_xapian_field;

/* A filter group: a document must have at least one of terms. Groups are
 * ANDed together and with the query, without changing scores. */
typedef struct civ_xapian_filter {
    const char *const *terms;
    size_t n_terms;
    /* Non-NULL: the prefix of terms, whose values are matched ignoring
     * ASCII case when the term itself is not in the index (body=hrc
     * finds XBODY:HRC). */
    const char *fold_prefix;
} civ_xapian_filter;

/* A value range filter: lo <= value(slot) <= hi, compared as strings;
 * lo or hi NULL for an open end. */
typedef struct civ_xapian_range {
    unsigned slot;
    const char *lo;
    const char *hi;
} civ_xapian_range;

/* Which databases of an index a query searches (docs/SCHEMA.md). A
 * query over one kind searches only its databases: no lookups in the
 * other's posting lists, and ranking statistics of that kind alone. */
typedef enum civ_xapian_part {
    CIV_XAPIAN_ALL = 0,  /* passages and records */
    CIV_XAPIAN_PASSAGES, /* the passages of every shard */
    CIV_XAPIAN_RECORDS   /* the records of every shard */
} civ_xapian_part;

/* A run of documents added one after the other to one database: the
 * passages of one source file, from the one with the unique term
 * first_term, count of them (the indexer adds a file's passages together,
 * so their Xapian docids follow each other). */
typedef struct civ_xapian_run {
    const char *first_term;
    unsigned count;
    unsigned in_shard; /* 1 + the shard holding it (civ_xapian_hit.shard of a document
                          of the same file); 0: unknown, every shard is looked in */
} civ_xapian_run;

typedef struct civ_xapian_query {
    civ_xapian_part part; /* CIV_XAPIAN_ALL (0) when zeroed */
    const char *text;     /* the user's query string (UTF-8); "" or NULL: match all */
    const char *lang;     /* language whose stemmer and stopwords parse the query */
    const civ_xapian_field *fields;
    size_t n_fields;
    const civ_xapian_filter *filters;
    size_t n_filters;
    const civ_xapian_range *ranges;
    size_t n_ranges;
    unsigned offset;   /* first match to return */
    unsigned count;    /* matches to return */
    int collapse_slot; /* -1: no collapse; else at most collapse_max per value */
    unsigned collapse_max;
    /* With n_runs > 0: only documents of these runs match, at most run_max
     * (1 when 0) of each, the best; each hit's run says which (count,
     * offset and collapse are then ignored). A run whose first term
     * is in no database matches nothing. Finding the runs' documents by
     * docid costs one lookup per run, where a filter of one term per file
     * cost a posting list per term and a value read per candidate. */
    const civ_xapian_run *runs;
    size_t n_runs;
    unsigned run_max;
    const unsigned *facet_slots; /* value slots to count */
    size_t n_facets;
    int facet_distinct_slot;    /* -1: count matches; else count distinct values of this slot */
    int facet_packed;           /* 1: read facets from facet_packed_slot (below) */
    unsigned facet_packed_slot; /* holds the distinct value (a placeholder when matches are
                                   counted) then the facet values, in facet_slots order,
                                   separated by 0x1f: one value read per match instead of
                                   one per facet */
    unsigned check_at_least;    /* matches to examine for totals and facets */
    unsigned max_wildcard;      /* cap on terms a wildcard may expand to; 0: no wildcards */
    double time_limit;          /* seconds; 0: none. Past it the match stops early */
    int spelling;               /* 1: a spelling suggestion, when a word is in no document */
    int accents;                /* 1: a word also matches its accented forms ("educacion":
                                   "educación"), from the synonyms the writer keeps */
    int default_or;             /* 1: words without an operator are ORed (default AND) */
    int positionless;           /* 1: the documents filtered for hold no positions nor
                                   passages_only fields, so a query with a phrase or NEAR
                                   group or such a field is not run and
                                   civ_xapian_results_positional() says so */
    int elisions;               /* 1: split elided articles from the next word
                                   ("l'éducation": "l éducation") as the indexer does in
                                   French text, even when lang does not elide */
    /* Caps on the parsed query, checked before the match runs; a query
     * over one is CIV_ERR_INPUT "query too complex". 0 takes the default
     * below, so callers that zero the struct are protected. */
    unsigned max_terms;     /* terms, counting CJK n-grams and phrase members */
    unsigned max_phrases;   /* phrase ("...") and NEAR groups */
    unsigned max_wildcards; /* wildcards (each expands to at most max_wildcard terms) */
} civ_xapian_query;

#define CIV_XAPIAN_DEFAULT_MAX_TERMS 1024
#define CIV_XAPIAN_DEFAULT_MAX_PHRASES 16
#define CIV_XAPIAN_DEFAULT_MAX_WILDCARDS 8

typedef struct civ_xapian_results civ_xapian_results;

/* Run q. A malformed query string gives CIV_ERR_INPUT with the parser's
 * message; a wildcard that expands too far, or a parsed query over the
 * caps of q, gives CIV_ERR_INPUT too. A match still running at
 * q->time_limit is stopped there (not only its counting): the results
 * are then empty, with civ_xapian_results_seconds past the limit.
 * Retries after a reopen when the index changed underneath.
 * Returns CIV_OK, CIV_ERR_INPUT, CIV_ERR_XAPIAN, CIV_ERR_NOMEM. */
civ_status civ_xapian_search(civ_xapian_reader *r, const civ_xapian_query *q,
                             civ_xapian_results **out, civ_err *err);
void civ_xapian_results_free(civ_xapian_results *res);

typedef struct civ_xapian_hit {
    unsigned docid;
    double weight;
    int percent;
    unsigned collapse_count; /* other matches collapsed into this one (lower bound) */
    const char *data;        /* document data, borrowed until results_free */
    size_t data_len;
    const char *key; /* the collapse key, or "" without collapse; borrowed */
    long run;        /* with runs: the index of the hit's run in q->runs; else -1 */
    unsigned shard;  /* the shard of the database the hit comes from */
} civ_xapian_hit;

/* Total matches (before offset and count): Xapian's estimate; when the
 * matches collapse, with facet_distinct_slot set and every match examined
 * (at most check_at_least), the exact number of distinct values of that
 * slot (the number of documents when passages collapse onto their
 * parent). Uncollapsed, the total counts matches, as the hits do. */
unsigned civ_xapian_results_total(const civ_xapian_results *res);
size_t civ_xapian_results_size(const civ_xapian_results *res);
/* Hit i (0 <= i < size), fetched when the results were built. */
const civ_xapian_hit *civ_xapian_results_hit(const civ_xapian_results *res, size_t i);

/* A highlighted, HTML-escaped snippet of text for this query: matched words
 * (stemmed with the query's stemmer) wrapped in <mark>...</mark>, cut to
 * about max_chars characters around the best part. *out malloc'd. */
civ_status civ_xapian_results_snippet(civ_xapian_results *res, const char *text, size_t len,
                                      size_t max_chars, char **out, civ_err *err);

typedef struct civ_xapian_facet_value {
    const char *value; /* borrowed until results_free */
    unsigned count;
} civ_xapian_facet_value;

/* Counts for facet k (the k-th of q->facet_slots), most frequent first. */
civ_status civ_xapian_results_facet(const civ_xapian_results *res, size_t k,
                                    const civ_xapian_facet_value **values, size_t *n, civ_err *err);

/* Spelling suggestion for the whole query string, or NULL when none. */
const char *civ_xapian_results_suggestion(const civ_xapian_results *res);

/* Seconds the match took. */
double civ_xapian_results_seconds(const civ_xapian_results *res);

/* 1 when the query was not run because it needs positions or a passages_only
 * field and q->positionless was set: the caller runs it against the
 * passages instead. */
int civ_xapian_results_positional(const civ_xapian_results *res);

#ifdef __cplusplus
}
#endif

#endif /* CIV_XAPIAN_H */
