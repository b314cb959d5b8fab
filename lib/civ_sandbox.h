/* civ_sandbox.h: extraction of untrusted files in sandboxed worker processes.
 *
 * A civ_sandbox is a pool of N persistent worker processes, each driven by
 * one thread of the pool. A worker is the calling program itself started
 * again (posix_spawn of /proc/self/exe) in worker mode: the program must
 * call civ_sandbox_worker_main when civ_sandbox_is_worker says so, before
 * anything else. A worker reads the file, hashes it, extracts it with
 * civ_extract_bytes and sends the civ_document back over a socket; it runs
 * with no core dumps, an address-space cap, a CPU-time backstop, and dies
 * with its parent. The pool enforces a wall-clock timeout and an output cap
 * per file. A worker that dies, hangs or floods is killed and replaced by a
 * fresh one for the next file: a hostile file costs that file, never the
 * run.
 *
 * Reasons a task fails with, beyond the extractor's own statuses
 * (civ_extract.h): CIV_ERR_TIMEOUT (wall clock or CPU limit), CIV_ERR_CRASHED
 * (the worker died: the message names the signal or exit status),
 * CIV_ERR_NOMEM (the worker hit the address-space cap), CIV_ERR_TOOLARGE
 * (output over the cap), CIV_ERR_INTERNAL (a worker cannot be started).
 *
 * Threads: submit and next may be called from any thread; tasks are
 * returned in completion order. Workers are bound to the pool's threads
 * (PR_SET_PDEATHSIG follows the thread that started a process), which live
 * until civ_sandbox_close.
 */
#ifndef CIV_SANDBOX_H
#define CIV_SANDBOX_H

#include <stddef.h>

#include "civ_document.h"
#include "civ_extract.h"
#include "civ_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The hidden command-line argument that starts a program in worker mode. */
#define CIV_SANDBOX_WORKER_ARG "--extract-worker"

#define CIV_SANDBOX_DEFAULT_TIMEOUT_MS 60000u
#define CIV_SANDBOX_DEFAULT_MAX_MEMORY (2048ull * 1024 * 1024)
/* The largest reply a worker may send (a serialised document). */
#define CIV_SANDBOX_DEFAULT_MAX_REPLY (256u * 1024 * 1024)

typedef struct civ_sandbox_options {
    unsigned workers;    /* worker processes; 0: 1 */
    unsigned timeout_ms; /* wall clock per file; 0: CIV_SANDBOX_DEFAULT_TIMEOUT_MS */
    /* Address-space cap (RLIMIT_AS) per worker in bytes; 0: the default.
     * Not applied in builds with AddressSanitizer, whose shadow memory
     * needs terabytes of address space (civ_sandbox_memory_capped says
     * whether it applies). */
    unsigned long long max_memory;
    size_t max_reply;           /* bytes; 0: CIV_SANDBOX_DEFAULT_MAX_REPLY */
    civ_extract_limits extract; /* file and text caps, as for civ_extract_file */
    const char *program;        /* the worker program; NULL: /proc/self/exe */
    int worker_stderr;          /* 1: workers share our stderr; 0: /dev/null (poppler noise) */
    /* Tests only: lets file names starting with "civ-test-" make a worker
     * abort, hang, exit or flood (see civ_sandbox.c). No program option
     * sets it, so no file can trigger it in normal use. */
    int test_hooks;
} civ_sandbox_options;

/* One file to extract. The caller owns the task and everything in it; the
 * pool fills the result fields and hands the task back through
 * civ_sandbox_next. */
typedef struct civ_sandbox_task {
    /* Set by the caller. */
    const char *path;       /* borrowed until the task comes back */
    const char *old_sha256; /* hex SHA-256 of the indexed version, or NULL / "" */
    void *user;             /* anything; not touched */
    /* Filled by the pool. */
    civ_status status; /* CIV_OK, or why the file failed (err.msg says more) */
    civ_err err;
    int unchanged;     /* CIV_OK and the content hash equals old_sha256: doc is NULL */
    char sha256[65];   /* hex SHA-256 of the bytes read, "" when not read */
    long long size;    /* bytes read */
    civ_document *doc; /* CIV_OK and not unchanged: the document (caller frees) */
} civ_sandbox_task;

typedef struct civ_sandbox civ_sandbox;

/* 1 when argv asks for worker mode (argv[1] is CIV_SANDBOX_WORKER_ARG). */
int civ_sandbox_is_worker(int argc, char **argv);

/* Serve extraction requests on stdin/stdout until the pool closes them;
 * returns the process exit status. Call it first thing in main. */
int civ_sandbox_worker_main(void);

/* 1 when workers run under the address-space cap in this build. */
int civ_sandbox_memory_capped(void);

/* Start the pool's threads (each starts its worker on first use).
 * Returns CIV_OK, or CIV_ERR_INPUT (the worker program is not
 * executable). *out is NULL on failure. */
civ_status civ_sandbox_open(const civ_sandbox_options *opt, civ_sandbox **out, civ_err *err);

/* Queue a task (never blocks; the caller bounds how many are in flight). */
void civ_sandbox_submit(civ_sandbox *sb, civ_sandbox_task *task);

/* The next finished task, waiting for one. Only call it when a submitted
 * task has not come back yet. */
civ_sandbox_task *civ_sandbox_next(civ_sandbox *sb);

/* Finish the tasks still queued, stop the workers and threads, free the
 * pool. Tasks finished but not collected with civ_sandbox_next stay the
 * caller's. Accepts NULL. */
void civ_sandbox_close(civ_sandbox *sb);

#ifdef __cplusplus
}
#endif

#endif /* CIV_SANDBOX_H */
