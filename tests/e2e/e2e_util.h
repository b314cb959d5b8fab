/* e2e_util.h: helpers shared by the end-to-end tests: temporary
 * directories, running the real programs, and reading the index back. */
#ifndef CIV_E2E_UTIL_H
#define CIV_E2E_UTIL_H

#include <stddef.h>

#include "civ_index.h"
#include "civ_xapian.h"

/* A new empty temporary directory (g_free it) and its recursive removal. */
char *e2e_tmpdir(void);
void e2e_rm_rf(const char *path);

/* Copy a file (for tests that change a corpus). Aborts the test on error. */
void e2e_copy(const char *from, const char *to);

/* Run argv (NULL-terminated) to completion; *out and *errout (may be NULL)
 * receive its stdout and stderr (g_free them). Returns the exit status, or
 * -1 when it did not exit normally. */
int e2e_run(const char *const argv[], char **out, char **errout);

/* Index path into db with the real civitas-index; fails the test (showing
 * the indexer's output) unless it exits 0. */
void e2e_index(const char *db, const char *path);

/* The document id Civitas gives the file at path (resolved like the
 * indexer does). */
void e2e_doc_id(const char *path, char id[CIV_ID_LEN + 1]);

/* Open a reader on db with Civitas's language table; fails the test on error. */
civ_xapian_reader *e2e_reader(const char *db);

/* Count lines of text that start with prefix. */
int e2e_count_lines(const char *text, const char *prefix);

#endif /* CIV_E2E_UTIL_H */
