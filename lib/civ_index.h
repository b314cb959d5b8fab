/* civ_index.h: the Civitas index schema on top of civ_xapian.
 *
 * Writes one record per source file and one Xapian document per passage,
 * exactly as docs/SCHEMA.md says, and reads records back for incremental
 * runs. All of a file's changes land in the same commit: a reader (or a
 * crash) sees either the old version of a file or the new one, never a mix.
 */
#ifndef CIV_INDEX_H
#define CIV_INDEX_H

#include <stddef.h>

#include "civ_document.h"
#include "civ_status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CIV_ID_LEN 16 /* hex digits in a document id */

/* Term prefixes and value slots (docs/SCHEMA.md). */
#define CIV_PREFIX_ID "Q"
#define CIV_PREFIX_KIND "XK"
#define CIV_PREFIX_PARENT "XP"
#define CIV_PREFIX_LANG "L"
#define CIV_PREFIX_FORMAT "XFMT"
#define CIV_PREFIX_TYPE "XTYPE"
#define CIV_PREFIX_BODY "XBODY"
#define CIV_PREFIX_SYMBOL "XSYM"
#define CIV_PREFIX_YEAR "Y"
#define CIV_PREFIX_PARA "XPARA"
#define CIV_PREFIX_TITLE "S"
#define CIV_PREFIX_SESSION "XSESSION"
#define CIV_PREFIX_AGENDA "XAGENDA"
#define CIV_PREFIX_SYMBOL_SOURCE "XSYMSRC"
#define CIV_PREFIX_CITES "XCITES"
#define CIV_KIND_DOC "XKdoc"
#define CIV_KIND_PASSAGE "XKpassage"

enum {
    CIV_SLOT_DATE = 0,
    CIV_SLOT_YEAR = 1,
    CIV_SLOT_LANG = 2,
    CIV_SLOT_TYPE = 3,
    CIV_SLOT_BODY = 4,
    CIV_SLOT_PARENT = 5,
    CIV_SLOT_PAGE = 6,
    CIV_SLOT_ORDINAL = 7,
    CIV_SLOT_FORMAT = 8,
    CIV_SLOT_SYMBOL = 9,
    CIV_SLOT_SESSION = 10,
    CIV_SLOT_AGENDA = 11,
    CIV_SLOT_SYMBOL_SOURCE = 12,
    CIV_SLOT_FACETS = 13 /* parent and facet values packed, see below */
    /* 14 is CIV_XAPIAN_DATA_SLOT: the document's JSON (civ_xapian_doc_set_data) */
};

/* The facet values a passage carries in CIV_SLOT_FACETS, in this order,
 * after its parent document id, separated by CIV_FACET_SEP: one value read
 * per match gives the search every facet (civ_xapian_query's
 * facet_packed_slot). */
#define CIV_FACET_SEP '\x1f'
#define CIV_FACET_SLOTS                                                                            \
    {                                                                                              \
        CIV_SLOT_LANG, CIV_SLOT_TYPE, CIV_SLOT_BODY, CIV_SLOT_YEAR, CIV_SLOT_FORMAT                \
    }

/* What the indexer knows about a source file, stored in its record. */
typedef struct civ_source {
    char id[CIV_ID_LEN + 1];
    char *path;      /* canonical absolute path */
    char sha256[65]; /* hex */
    long long size;
    long long mtime; /* seconds since the epoch */
    /* The mtime in nanoseconds since the epoch, or 0 when it cannot be
     * trusted to tell a later edit: a file written within
     * CIV_MTIME_SETTLE_NS of being looked at may be written again within
     * the same tick of the file system's clock, keeping size and mtime. */
    long long mtime_ns;
} civ_source;

#define CIV_MTIME_SETTLE_NS 2000000000LL

/* Compute the stable document id of a canonical path into id (17 bytes). */
void civ_index_id_for_path(const char *path, char id[CIV_ID_LEN + 1]);

/* A civ_index writes one shard of the index (civ_xapian.h): a source
 * file and all its passages live in the shard civ_index_shard_of its id
 * names, so shards are written in parallel, one civ_index per thread, and
 * every operation on a file stays within one shard's commits. */
typedef struct civ_index civ_index;

#define CIV_INDEX_MAX_SHARDS 16 /* CIV_XAPIAN_MAX_SHARDS */

/* The shard (0 to n_shards - 1) of document id. */
unsigned civ_index_shard_of(const char *id, unsigned n_shards);

/* The number of shards of the index at path, 0 when there is none yet.
 * CIV_ERR_UNSUPPORTED: an index built by an older version. */
civ_status civ_index_shards(const char *path, unsigned *n, civ_err *err);

/* Compact shard `shard` of the index at path (civ_xapian_compact): no
 * writer may have it open. *before and *after are its bytes on disk. */
civ_status civ_index_compact(const char *path, unsigned shard, unsigned long long *before,
                             unsigned long long *after, civ_err *err);

/* Open (creating) shard `shard` of the index at path for writing; create
 * shards in order, from 0. Returns CIV_OK, CIV_ERR_LOCKED ("index is
 * locked": another civitas-index runs), CIV_ERR_IO, CIV_ERR_XAPIAN,
 * CIV_ERR_NOMEM. */
civ_status civ_index_open(const char *path, unsigned shard, civ_index **out, civ_err *err);

/* Whether the words of each file (from its record, once per word and
 * file) feed Xapian's spelling dictionary (the search API's "did you mean"
 * suggestions). On by default; it costs a few percent of indexing time. */
void civ_index_set_spelling(civ_index *ix, int on);

/* Records of a new shard hold word pairs (civ_xapian_writer_word_pairs):
 * document searches for quoted phrases of two common words several times
 * faster on a large index, for about a fifth more indexing CPU. A shard
 * that holds records keeps what it was built with; *on says which. */
civ_status civ_index_word_pairs(civ_index *ix, int *on, civ_err *err);

/* Close, discarding uncommitted changes. Accepts NULL. */
void civ_index_close(civ_index *ix);

/* Commit everything written so far. CIV_ERR_IO on disk full / I/O error. */
civ_status civ_index_commit(civ_index *ix, civ_err *err);

/* Commit one batch of a longer run: the same, except that the spelling
 * dictionary may learn the batch's words at a later commit (a crash in
 * between loses none of them: the next writer learns them again). */
civ_status civ_index_commit_batch(civ_index *ix, civ_err *err);

/* Read the stored source facts of document id into *src (path malloc'd;
 * free with civ_source_clear). Returns CIV_OK or CIV_ERR_NOTFOUND. */
civ_status civ_index_get_source(civ_index *ix, const char *id, civ_source *src, civ_err *err);
void civ_source_clear(civ_source *src);

/* Replace document src->id with doc: its old passages are deleted, the new
 * ones and the record written. The caller commits. doc->lang should be set
 * (passages without a language are indexed unstemmed). */
civ_status civ_index_put(civ_index *ix, const civ_source *src, const civ_document *doc,
                         civ_err *err);

/* Update only the record's mtime (content unchanged). */
civ_status civ_index_touch(civ_index *ix, const civ_source *src, civ_err *err);

/* Delete document id: its record and every passage. */
civ_status civ_index_remove(civ_index *ix, const char *id, civ_err *err);

/* Every stored source (id, path), for finding removed files. *out is a
 * malloc'd array of *n entries; free with civ_sources_free. */
civ_status civ_index_list_sources(civ_index *ix, civ_source **out, size_t *n, civ_err *err);
void civ_sources_free(civ_source *sources, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* CIV_INDEX_H */
