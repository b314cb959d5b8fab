/* civitas-index: walk files, extract them in parallel, write passages.
 *
 * The main thread walks the paths, decides per file whether anything
 * needs doing (same size and mtime, to the nanosecond, as the record:
 * unchanged, nothing read; a record keeps no such mtime for a file
 * written in the seconds before it was looked at), and hands the rest
 * to the extraction sandbox (civ_sandbox.h): worker processes, this same
 * program started with --extract-worker, that hash the file (same
 * SHA-256 as the record: only the mtime changed, nothing extracted) and
 * extract it under time, memory and output limits.
 * Each result goes to the writer thread of the file's shard (civ_index.h),
 * which builds its Xapian documents and commits every --batch files or
 * --batch-passages passages; the shards are written in parallel. At most 4
 * files per worker are in extraction and WAITING_PER_SHARD per shard wait
 * to be written. A file's old passages, new passages and record go into
 * the same commit of its shard, so a crash or a kill leaves every file
 * either in its old state or its new one. With --compact, the shards are
 * then compacted one by one (civ_index_compact).
 *
 * Exit codes (also in --help and docs/OPERATIONS.md):
 *   0  run completed; every file indexed, unchanged or removed
 *   1  run completed; some files failed (listed with their reason)
 *   2  usage error
 *   3  the index is locked by another writer
 *   4  index or file-system error (disk full, I/O): last commit intact
 *   5  interrupted (SIGINT/SIGTERM): work so far committed
 */
#include <errno.h>
#include <glib.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "civ_document.h"
#include "civ_extract.h"
#include "civ_index.h"
#include "civ_sandbox.h"
#include "civ_status.h"

/* Jobs that may wait for the writers, per shard. While one shard commits
 * (a few hundred milliseconds), the jobs waiting pile up on it; with 4 per
 * shard the bound was soon reached and the other writer ran dry: the
 * writers were busy 70% of a run on text. With 32 both stay busy (1,000
 * speeches: 6.9 s to 5.9 s) for the memory of the extracted text of 32
 * files per shard. */
#define WAITING_PER_SHARD 32

/* The largest --max-file-size and --max-memory, in MiB (1 TiB). */
#define MAX_MIB (1LL << 20)

enum { EXIT_FAILED_FILES = 1, EXIT_USAGE = 2, EXIT_LOCKED = 3, EXIT_ENV = 4, EXIT_INTERRUPTED = 5 };

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    interrupted = sig;
}

/* What a shard's writer thread does with a job. */
typedef enum write_op { OP_PUT, OP_TOUCH, OP_REMOVE } write_op;

/* One file found by the walk. */
typedef struct job {
    char *path; /* canonical absolute path */
    civ_source src;
    char old_sha[65];      /* "" when there is no record */
    civ_sandbox_task task; /* the extraction and its result; task.user is the job */
    write_op op;           /* for the shard's writer */
} job;

typedef struct options {
    char *db;
    int jobs;
    int shards;
    int batch;
    int batch_passages;
    gboolean no_spelling;
    gboolean word_pairs;
    gint64 max_file_mb;
    gint timeout_s;
    gint64 max_memory_mb;
    gboolean quiet;
    gboolean verbose;
    gboolean no_progress;
    gboolean compact;
} options;

typedef struct counts {
    unsigned indexed, unchanged, removed, failed, skipped;
    unsigned long long passages;
    unsigned by_reason[CIV_ERR_INTERNAL + 1];
} counts;

typedef struct run run;

/* One shard and its writer thread. */
typedef struct shard {
    run *r;
    civ_index *ix;
    GAsyncQueue *queue; /* jobs (job.op says what to do), then shard_end */
    GThread *thread;
    int since_commit;
    unsigned long passages_since_commit;
    civ_status st; /* the first index error; the thread writes nothing after it */
    civ_err err;
    char *failed_path;
} shard;

struct run {
    options opt;
    civ_sandbox_options sandbox;
    shard *shards;
    unsigned n_shards;
    GHashTable *known; /* id -> civ_source *: the index's records when the run started */
    counts n;
    unsigned total_files;
    unsigned finished;
    gint64 started_us;
    int tty;
    int progress_shown;
    GMutex lock;      /* guards waiting and index_error */
    GCond written;    /* a shard finished a job */
    unsigned waiting; /* jobs queued to shards and not yet written */
    int index_error;  /* a shard thread met an index error: stop the run */
};

/* ---- walking ----------------------------------------------------------- */

static gint compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Directories nested deeper than this below a PATH are not walked. */
#define MAX_DEPTH 64

/* The walk: where it puts the files to index, and the PATHs given (as
 * canonical paths) that a symbolic link may point into. */
typedef struct walker {
    run *r;
    GPtrArray *files;
    char *const *roots;
    int n_roots;
} walker;

static void report(run *r, const char *path, civ_status why, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
static int under_root(const char *path, char *const *roots, int n_roots);

/* Collect the regular files under path (recursively, sorted) as canonical
 * absolute paths. Dot files are passed over in silence; everything else
 * that is not indexed is reported with its reason: a symbolic link to a
 * directory (not followed), to nothing, or to a file outside every PATH
 * given (a link must not expose the rest of the machine to searches); a
 * file that is not a regular one (a FIFO would block a worker); a file
 * name that is not UTF-8 (the index stores names as JSON); a directory
 * too deep or unreadable. */
static void walk(const walker *w, const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        /* Gone since its directory was read: nothing to index (and
         * remove_missing deletes its record). */
        if (errno != ENOENT || depth == 0)
            report(w->r, path, CIV_ERR_IO, "%s", g_strerror(errno));
        return;
    }
    int linked = S_ISLNK(st.st_mode);
    if (linked && stat(path, &st) != 0) {
        if (errno == ENOENT)
            report(w->r, path, CIV_ERR_UNSUPPORTED, "broken symbolic link");
        else
            report(w->r, path, CIV_ERR_UNSUPPORTED, "symbolic link not followed: %s",
                   g_strerror(errno));
        return;
    }
    if (linked && S_ISDIR(st.st_mode)) {
        report(w->r, path, CIV_ERR_UNSUPPORTED, "symbolic link to a directory: not followed");
        return;
    }
    if (S_ISREG(st.st_mode)) {
        char *real = realpath(path, NULL);
        if (!real)
            report(w->r, path, CIV_ERR_IO, "%s", g_strerror(errno));
        else if (!g_utf8_validate(real, -1, NULL))
            report(w->r, path, CIV_ERR_UNSUPPORTED, "file name is not UTF-8: rename the file");
        else if (linked && !under_root(real, w->roots, w->n_roots))
            report(w->r, path, CIV_ERR_UNSUPPORTED,
                   "symbolic link to %s, outside the PATHs given: not followed", real);
        else
            g_ptr_array_add(w->files, g_strdup(real));
        free(real);
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        report(w->r, path, CIV_ERR_UNSUPPORTED, "not a regular file");
        return;
    }
    if (depth > MAX_DEPTH) {
        report(w->r, path, CIV_ERR_UNSUPPORTED,
               "directory more than %d levels below its PATH: not walked", MAX_DEPTH);
        return;
    }
    /* Its files' records are kept (remove_missing): they are not gone. */
    if (access(path, R_OK | X_OK) != 0) {
        report(w->r, path, CIV_ERR_IO, "directory not readable: %s", g_strerror(errno));
        return;
    }
    GDir *dir = g_dir_open(path, 0, NULL);
    if (!dir) {
        report(w->r, path, CIV_ERR_IO, "directory not readable");
        return;
    }
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(dir)))
        if (name[0] != '.')
            g_ptr_array_add(names, g_strdup(name));
    g_dir_close(dir);
    g_ptr_array_sort(names, compare_strings);
    for (guint i = 0; i < names->len; i++) {
        char *child = g_build_filename(path, names->pdata[i], NULL);
        walk(w, child, depth + 1);
        g_free(child);
    }
    g_ptr_array_free(names, TRUE);
}

/* ---- jobs -------------------------------------------------------------- */

static void source_free(gpointer src)
{
    civ_source_clear(src);
    g_free(src);
}

static void job_free(job *j)
{
    civ_document_free(j->task.doc);
    civ_source_clear(&j->src);
    g_free(j->path);
    g_free(j);
}

/* ---- reporting --------------------------------------------------------- */

static void clear_progress(run *r)
{
    if (r->progress_shown) {
        fputs("\r\033[K", stderr);
        r->progress_shown = 0;
    }
}

static void show_progress(run *r)
{
    if (!r->tty || r->opt.no_progress || r->opt.quiet)
        return;
    double secs = (double)(g_get_monotonic_time() - r->started_us) / 1e6;
    double rate = secs > 0 ? r->finished / secs : 0;
    unsigned left = r->total_files - r->finished;
    int width = 30, fill = r->total_files ? (int)((double)width * r->finished / r->total_files) : 0;
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '=' : (i == fill ? '>' : ' ');
    bar[width] = '\0';
    char eta[32] = "--:--";
    if (rate > 0) {
        unsigned s = (unsigned)(left / rate);
        snprintf(eta, sizeof eta, "%u:%02u", s / 60, s % 60);
    }
    fprintf(stderr, "\r[%s] %u/%u files  %.1f files/s  ETA %s", bar, r->finished, r->total_files,
            rate, eta);
    fflush(stderr);
    r->progress_shown = 1;
}

/* Write s to f as one line's worth: in a path, each control character
 * and each byte that is not UTF-8 shows as \xHH, so the line names the
 * file unambiguously; in a message, control characters become spaces (a
 * parser's message may hold a newline) and bad bytes '?'. */
static void put_line_text(FILE *f, const char *s, int path)
{
    while (*s) {
        const char *end;
        g_utf8_validate(s, -1, &end);
        for (; s < end; s++) {
            int control = (unsigned char)*s < 0x20 || *s == 0x7f;
            if (control && path)
                fprintf(f, "\\x%02x", (unsigned char)*s);
            else
                fputc(control ? ' ' : *s, f);
        }
        if (*s) {
            if (path)
                fprintf(f, "\\x%02x", (unsigned char)*s);
            else
                fputc('?', f);
            s++;
        }
    }
}

/* One line per file: always for failures (stderr), for the rest when the
 * output is not a terminal (a log) or --verbose. */
static void log_file(run *r, const char *what, const char *path, const char *detail)
{
    int failure = strcmp(what, "failed") == 0;
    if (r->opt.quiet && !failure)
        return;
    if (!failure && r->tty && !r->opt.verbose)
        return;
    clear_progress(r);
    FILE *f = failure ? stderr : stdout;
    fprintf(f, "%-9s ", what);
    put_line_text(f, path, 1);
    if (detail) {
        fputs(": ", f);
        put_line_text(f, detail, 0);
    }
    fputc('\n', f);
}

/* Count and log a file that is not indexed: skipped when why is
 * CIV_ERR_UNSUPPORTED, failed otherwise. */
static void report(run *r, const char *path, civ_status why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (why == CIV_ERR_UNSUPPORTED) {
        r->n.skipped++;
        log_file(r, "skipped", path, msg);
    } else {
        r->n.failed++;
        char *detail = g_strdup_printf("%s (%s)", civ_status_name(why), msg);
        log_file(r, "failed", path, detail);
        g_free(detail);
    }
    r->n.by_reason[why]++;
    g_free(msg);
}

/* how: "done", "interrupted" (SIGINT/SIGTERM) or "stopped" (an index or
 * file-system error ended the run early). */
static void print_summary(run *r, const char *how)
{
    clear_progress(r);
    double secs = (double)(g_get_monotonic_time() - r->started_us) / 1e6;
    printf("%s: indexed %u, unchanged %u, removed %u, failed %u, skipped %u; %llu passages; "
           "%.1f s\n",
           how, r->n.indexed, r->n.unchanged, r->n.removed, r->n.failed, r->n.skipped,
           r->n.passages, secs);
    if (r->n.failed || r->n.skipped) {
        printf("by reason:");
        const char *sep = " ";
        for (int c = 1; c <= CIV_ERR_INTERNAL; c++) {
            if (r->n.by_reason[c]) {
                printf("%s%s %u", sep, civ_status_name((civ_status)c), r->n.by_reason[c]);
                sep = ", ";
            }
        }
        printf("\n");
    }
    fflush(stdout);
}

/* ---- writing ----------------------------------------------------------- */

/* The writer thread of a shard: write each job given, commit every
 * --batch files or --batch-passages passages, and at the end (shard_end)
 * commit the rest. After an index error it only frees what it is given. */
static job shard_end;

static gpointer shard_main(gpointer data)
{
    shard *sh = data;
    run *r = sh->r;
    for (;;) {
        job *j = g_async_queue_pop(sh->queue);
        int end = j == &shard_end;
        if (!end && sh->st == CIV_OK) {
            const civ_sandbox_task *t = &j->task;
            sh->st = j->op == OP_REMOVE  ? civ_index_remove(sh->ix, j->src.id, &sh->err)
                     : j->op == OP_TOUCH ? civ_index_touch(sh->ix, &j->src, &sh->err)
                                         : civ_index_put(sh->ix, &j->src, t->doc, &sh->err);
            if (j->op == OP_PUT)
                sh->passages_since_commit += t->doc->n_passages;
            /* Commit by files or by passages, whichever comes first: a batch
             * of a few thousand passages keeps Xapian's in-memory changes
             * small (faster and bounded memory) without syncing the disk
             * too often. */
            if (sh->st == CIV_OK &&
                (++sh->since_commit >= r->opt.batch ||
                 sh->passages_since_commit >= (unsigned long)r->opt.batch_passages)) {
                sh->st = civ_index_commit_batch(sh->ix, &sh->err);
                sh->since_commit = 0;
                sh->passages_since_commit = 0;
            }
            if (sh->st != CIV_OK)
                sh->failed_path = g_strdup(j->path);
        }
        if (end && sh->st == CIV_OK)
            sh->st = civ_index_commit(sh->ix, &sh->err);
        g_mutex_lock(&r->lock);
        if (!end && j->op == OP_PUT && sh->st == CIV_OK) {
            r->n.indexed++;
            r->n.passages += j->task.doc->n_passages;
        }
        if (!end)
            r->waiting--;
        if (sh->st != CIV_OK)
            r->index_error = 1;
        g_cond_broadcast(&r->written);
        g_mutex_unlock(&r->lock);
        if (end)
            return NULL;
        job_free(j);
    }
}

/* Hand j to its shard's writer; wait while WAITING_PER_SHARD jobs per
 * shard are waiting (memory stays bounded when writing is the slower side).
 * Returns 1 when a shard met an index error (j is freed). */
static int send_job(run *r, job *j, write_op op)
{
    j->op = op;
    g_mutex_lock(&r->lock);
    while (r->waiting >= WAITING_PER_SHARD * r->n_shards && !r->index_error)
        g_cond_wait(&r->written, &r->lock);
    int stop = r->index_error;
    if (!stop)
        r->waiting++;
    g_mutex_unlock(&r->lock);
    if (stop) {
        job_free(j);
        return 1;
    }
    g_async_queue_push(r->shards[civ_index_shard_of(j->src.id, r->n_shards)].queue, j);
    return 0;
}

/* Account for one finished job and hand what it changes to its shard
 * (the job is freed there, or here when nothing is to be written).
 * Returns 1 when the run must stop (an index error), or 0. */
static int write_job(run *r, job *j)
{
    const civ_sandbox_task *t = &j->task;
    r->finished++;
    if (t->status == CIV_OK) {
        /* The content read by the worker is what the record describes. */
        g_strlcpy(j->src.sha256, t->sha256, sizeof j->src.sha256);
        j->src.size = t->size;
    }
    int stop = 0;
    if (t->status != CIV_OK) {
        report(r, j->path, t->status, "%s", t->err.msg);
        /* A file that now fails loses its old passages: the index must not
         * keep serving text the file no longer holds. */
        if (j->old_sha[0])
            stop = send_job(r, j, OP_REMOVE);
        else
            job_free(j);
    } else if (t->unchanged) {
        r->n.unchanged++;
        log_file(r, "unchanged", j->path, "content same, mtime updated");
        stop = send_job(r, j, OP_TOUCH);
    } else {
        /* Counted as indexed once its shard has written it. */
        char detail[64];
        snprintf(detail, sizeof detail, "%zu passages", t->doc->n_passages);
        log_file(r, "indexed", j->path, detail);
        stop = send_job(r, j, OP_PUT);
    }
    show_progress(r);
    return stop;
}

/* Open the index's shards (creating a new index with --shards of them)
 * and read what it holds. Returns 0 or an exit code, with the message
 * printed. */
static int open_shards(run *r)
{
    civ_err err;
    unsigned have = 0;
    civ_status st = civ_index_shards(r->opt.db, &have, &err);
    if (st == CIV_OK && have && r->opt.shards && (unsigned)r->opt.shards != have)
        fprintf(stderr, "civitas-index: %s has %u shards; --shards applies to a new index only\n",
                r->opt.db, have);
    r->n_shards = have ? have : (unsigned)r->opt.shards;
    if (!r->n_shards)
        r->n_shards = MIN(g_get_num_processors(), 2u);
    r->shards = g_new0(shard, r->n_shards);
    int all_pairs = 1;
    for (unsigned k = 0; k < r->n_shards && st == CIV_OK; k++) {
        st = civ_index_open(r->opt.db, k, &r->shards[k].ix, &err);
        if (st == CIV_OK)
            civ_index_set_spelling(r->shards[k].ix, !r->opt.no_spelling);
        int pairs = 1;
        if (st == CIV_OK && r->opt.word_pairs)
            st = civ_index_word_pairs(r->shards[k].ix, &pairs, &err);
        all_pairs &= pairs;
    }
    if (st == CIV_OK && !all_pairs)
        fprintf(stderr,
                "civitas-index: %s was built without word pairs; --word-pairs applies to a new "
                "index only\n",
                r->opt.db);
    r->known = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, source_free);
    for (unsigned k = 0; k < r->n_shards && st == CIV_OK; k++) {
        civ_source *srcs = NULL;
        size_t n = 0;
        st = civ_index_list_sources(r->shards[k].ix, &srcs, &n, &err);
        for (size_t i = 0; i < n; i++) {
            civ_source *src = g_memdup2(&srcs[i], sizeof srcs[i]);
            g_hash_table_replace(r->known, src->id, src);
        }
        free(srcs); /* the paths moved into the table */
    }
    if (st == CIV_OK)
        return 0;
    fprintf(stderr, "civitas-index: %s: %s\n", r->opt.db,
            st == CIV_ERR_LOCKED ? "index is locked: another civitas-index is writing it"
                                 : err.msg);
    return st == CIV_ERR_LOCKED ? EXIT_LOCKED : EXIT_ENV;
}

static void start_writers(run *r)
{
    g_mutex_init(&r->lock);
    g_cond_init(&r->written);
    for (unsigned k = 0; k < r->n_shards; k++) {
        shard *sh = &r->shards[k];
        sh->r = r;
        sh->queue = g_async_queue_new();
        sh->thread = g_thread_new("civ-writer", shard_main, sh);
    }
}

/* Let every writer write and commit what it was given, and wait for
 * them. Returns 0, or the exit code of the first index error (printed). */
static int stop_writers(run *r)
{
    int rc = 0;
    for (unsigned k = 0; k < r->n_shards; k++)
        g_async_queue_push(r->shards[k].queue, &shard_end);
    for (unsigned k = 0; k < r->n_shards; k++) {
        shard *sh = &r->shards[k];
        g_thread_join(sh->thread);
        g_async_queue_unref(sh->queue);
        if (sh->st != CIV_OK && !rc) {
            clear_progress(r);
            fprintf(stderr, "civitas-index: %s: %s\n",
                    sh->failed_path ? sh->failed_path : r->opt.db, sh->err.msg);
            rc = sh->st == CIV_ERR_LOCKED ? EXIT_LOCKED : EXIT_ENV;
        }
        g_free(sh->failed_path);
    }
    g_cond_clear(&r->written);
    g_mutex_clear(&r->lock);
    return rc;
}

static int under_root(const char *path, char *const *roots, int n_roots)
{
    for (int i = 0; i < n_roots; i++) {
        size_t n = strlen(roots[i]);
        if (strncmp(path, roots[i], n) == 0 &&
            (path[n] == '\0' || path[n] == '/' || (n > 0 && roots[i][n - 1] == '/')))
            return 1;
    }
    return 0;
}

/* Delete the records (and passages) of files that were under a root
 * given on the command line and are gone now; the writers have stopped,
 * so this thread writes the shards, and commits. */
static int remove_missing(run *r, GHashTable *seen, char **roots, int n_roots)
{
    civ_err err;
    civ_status st = CIV_OK;
    GHashTableIter it;
    gpointer value;
    g_hash_table_iter_init(&it, r->known);
    while (st == CIV_OK && g_hash_table_iter_next(&it, NULL, &value)) {
        const civ_source *src = value;
        if (g_hash_table_contains(seen, src->path) || !under_root(src->path, roots, n_roots))
            continue;
        /* A file that vanished mid-run is gone too; one that still exists
         * but was not walked (hidden, in a directory that cannot be read
         * or searched) is kept. */
        if (access(src->path, F_OK) == 0 || (errno != ENOENT && errno != ENOTDIR))
            continue;
        st =
            civ_index_remove(r->shards[civ_index_shard_of(src->id, r->n_shards)].ix, src->id, &err);
        if (st == CIV_OK) {
            r->n.removed++;
            log_file(r, "removed", src->path, NULL);
        }
    }
    for (unsigned k = 0; k < r->n_shards && st == CIV_OK; k++)
        st = civ_index_commit(r->shards[k].ix, &err);
    if (st != CIV_OK) {
        fprintf(stderr, "civitas-index: %s\n", err.msg);
        return EXIT_ENV;
    }
    return 0;
}

static int index_paths(run *r, char **paths, int n_paths)
{
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    char **roots = g_new0(char *, n_paths + 1);
    int n_roots = 0;
    for (int i = 0; i < n_paths; i++) {
        char *real = realpath(paths[i], NULL);
        if (!real) {
            report(r, paths[i], CIV_ERR_IO, "%s", g_strerror(errno));
            continue;
        }
        roots[n_roots++] = g_strdup(real);
        free(real);
    }
    walker w = {r, files, roots, n_roots};
    for (int i = 0; i < n_roots; i++)
        walk(&w, roots[i], 0);
    r->total_files = files->len;

    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    civ_sandbox *pool = NULL;
    civ_err perr;
    if (civ_sandbox_open(&r->sandbox, &pool, &perr) != CIV_OK) {
        fprintf(stderr, "civitas-index: %s\n", perr.msg);
        g_hash_table_destroy(seen);
        g_strfreev(roots);
        g_ptr_array_free(files, TRUE);
        return EXIT_ENV;
    }
    unsigned in_flight = 0, max_in_flight = (unsigned)r->opt.jobs * 4;
    int stop = 0;
    start_writers(r);
    for (guint i = 0; i < files->len && !stop && !interrupted; i++) {
        const char *path = files->pdata[i];
        /* A file under two of the PATHs given is indexed once. */
        if (!g_hash_table_add(seen, (gpointer)path)) {
            r->total_files--;
            continue;
        }
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        job *j = g_new0(job, 1);
        j->path = g_strdup(path);
        civ_index_id_for_path(path, j->src.id);
        j->src.path = strdup(path);
        j->src.size = st.st_size;
        j->src.mtime = st.st_mtime;
        long long mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
        if (mtime_ns <= g_get_real_time() * 1000LL - CIV_MTIME_SETTLE_NS)
            j->src.mtime_ns = mtime_ns;
        const civ_source *old = g_hash_table_lookup(r->known, j->src.id);
        if (old) {
            int same = old->size == j->src.size && old->mtime_ns && old->mtime_ns == mtime_ns;
            g_strlcpy(j->old_sha, old->sha256, sizeof j->old_sha);
            if (same) {
                /* Same size and mtime: trust the record, read nothing. */
                r->n.unchanged++;
                r->finished++;
                log_file(r, "unchanged", path, NULL);
                show_progress(r);
                job_free(j);
                continue;
            }
        }
        j->task.path = j->path;
        j->task.old_sha256 = j->old_sha;
        j->task.user = j;
        civ_sandbox_submit(pool, &j->task);
        in_flight++;
        /* Bounded queue: memory does not grow with the corpus. */
        while (in_flight >= max_in_flight && !stop) {
            job *done = civ_sandbox_next(pool)->user;
            in_flight--;
            stop = write_job(r, done);
        }
    }
    while (in_flight > 0) {
        job *done = civ_sandbox_next(pool)->user;
        in_flight--;
        /* Even when interrupted, write what is already extracted. */
        if (!stop)
            stop = write_job(r, done);
        else
            job_free(done);
    }
    civ_sandbox_close(pool);
    int rc = stop_writers(r);
    if (!rc && !interrupted)
        rc = remove_missing(r, seen, roots, n_roots);
    g_hash_table_destroy(seen);
    g_strfreev(roots);
    g_ptr_array_free(files, TRUE);
    return rc;
}

/* Compact every shard of the index (civ_index_compact), once the writers
 * have closed it. Returns 0 or an exit code, with the message printed. */
static int compact_index(const run *r)
{
    civ_err err;
    unsigned n = 0;
    civ_status st = civ_index_shards(r->opt.db, &n, &err);
    if (st == CIV_OK && n == 0)
        st = civ_err_set(&err, CIV_ERR_NOTFOUND, "no index to compact");
    gint64 started = g_get_monotonic_time();
    unsigned long long before = 0, after = 0;
    for (unsigned k = 0; k < n && st == CIV_OK && !interrupted; k++) {
        if (!r->opt.quiet)
            printf("compacting shard %u of %u\n", k + 1, n);
        unsigned long long b = 0, a = 0;
        st = civ_index_compact(r->opt.db, k, &b, &a, &err);
        before += b;
        after += a;
    }
    if (st != CIV_OK) {
        fprintf(stderr, "civitas-index: %s: %s\n", r->opt.db,
                st == CIV_ERR_LOCKED ? "index is locked: another civitas-index is writing it"
                                     : err.msg);
        return st == CIV_ERR_LOCKED ? EXIT_LOCKED : EXIT_ENV;
    }
    printf("compacted%s: %.1f MB to %.1f MB; %.1f s\n", interrupted ? " (interrupted)" : "",
           (double)before / 1e6, (double)after / 1e6,
           (double)(g_get_monotonic_time() - started) / 1e6);
    return interrupted ? EXIT_INTERRUPTED : 0;
}

int main(int argc, char **argv)
{
    /* Worker mode first: a worker is this program started again by the
     * extraction sandbox, and must not parse options or open anything. */
    if (civ_sandbox_is_worker(argc, argv))
        return civ_sandbox_worker_main();
    run r;
    memset(&r, 0, sizeof r);
    r.opt.jobs = (int)g_get_num_processors();
    r.opt.batch = 200;
    r.opt.batch_passages = 2000;
    r.opt.max_file_mb = CIV_DEFAULT_MAX_FILE_BYTES / (1024 * 1024);
    r.opt.timeout_s = CIV_SANDBOX_DEFAULT_TIMEOUT_MS / 1000;
    r.opt.max_memory_mb = (gint64)(CIV_SANDBOX_DEFAULT_MAX_MEMORY >> 20);
    GOptionEntry entries[] = {
        {"db", 'd', 0, G_OPTION_ARG_FILENAME, &r.opt.db,
         "Index directory (created if missing; required)", "DIR"},
        {"jobs", 'j', 0, G_OPTION_ARG_INT, &r.opt.jobs,
         "Extraction worker processes (default: number of cores)", "N"},
        {"shards", 0, 0, G_OPTION_ARG_INT, &r.opt.shards,
         "Shards of a new index, written in parallel (default: number of cores, at most 2)", "N"},
        {"batch", 'b', 0, G_OPTION_ARG_INT, &r.opt.batch,
         "Commit a shard after every N files (default 200)", "N"},
        {"batch-passages", 0, 0, G_OPTION_ARG_INT, &r.opt.batch_passages,
         "...or after every N passages, whichever comes first (default 2000)", "N"},
        {"no-spelling", 0, 0, G_OPTION_ARG_NONE, &r.opt.no_spelling,
         "Build no spelling dictionary (no 'did you mean'; faster)", NULL},
        {"word-pairs", 0, 0, G_OPTION_ARG_NONE, &r.opt.word_pairs,
         "A new index holds word pairs: quoted phrases of two common words search faster, "
         "indexing takes about a fifth more CPU",
         NULL},
        {"max-file-size", 0, 0, G_OPTION_ARG_INT64, &r.opt.max_file_mb,
         "Fail files larger than this many MiB as 'too large' (default 256)", "MIB"},
        {"timeout", 0, 0, G_OPTION_ARG_INT, &r.opt.timeout_s,
         "Give up on a file after this many seconds of extraction (default 60)", "SECONDS"},
        {"max-memory", 0, 0, G_OPTION_ARG_INT64, &r.opt.max_memory_mb,
         "Address-space cap of each extraction worker in MiB (default 2048)", "MIB"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &r.opt.quiet, "Print only failures and the summary",
         NULL},
        {"verbose", 'v', 0, G_OPTION_ARG_NONE, &r.opt.verbose,
         "Print a line per file even on a terminal, and the workers' stderr", NULL},
        {"no-progress", 0, 0, G_OPTION_ARG_NONE, &r.opt.no_progress,
         "No progress bar on a terminal", NULL},
        {"compact", 0, 0, G_OPTION_ARG_NONE, &r.opt.compact,
         "Compact the index after the run, or alone without PATH: smaller, faster to search", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    GOptionContext *ctx = g_option_context_new("PATH... - index documents for Civitas search");
    g_option_context_set_summary(
        ctx, "Index PDF, XML (UDHR, Akoma Ntoso, other), HTML and text files under each PATH\n"
             "(recursively) into a passage-level Xapian index. Re-running updates the\n"
             "index: unchanged files are skipped, changed ones re-indexed, removed ones\n"
             "deleted. With --compact the index is then rewritten with full blocks (about\n"
             "40% smaller after a large build, and faster to search) while searches go on;\n"
             "it needs free disk for a copy of its largest database.");
    g_option_context_set_description(
        ctx, "Files are parsed in sandboxed worker processes under the limits above; a\n"
             "file that fails says why: encrypted, damaged, no text, too large,\n"
             "unsupported, i/o error, timeout, crashed, out of memory, internal error.\n"
             "\n"
             "Exit status:\n"
             "  0  every file indexed, unchanged or removed\n"
             "  1  some files failed (each listed with its reason)\n"
             "  2  usage error\n"
             "  3  the index is locked by another civitas-index\n"
             "  4  index or file-system error (disk full, I/O); the last commit is intact\n"
             "  5  interrupted by SIGINT/SIGTERM; work done so far is committed\n");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *gerr = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &gerr)) {
        fprintf(stderr, "civitas-index: %s\nTry 'civitas-index --help'.\n", gerr->message);
        g_error_free(gerr);
        g_option_context_free(ctx);
        return EXIT_USAGE;
    }
    g_option_context_free(ctx);
    int have_paths = argc > 1;
    if (!r.opt.db || (!have_paths && !r.opt.compact) || r.opt.jobs < 1 || r.opt.shards < 0 ||
        r.opt.shards > CIV_INDEX_MAX_SHARDS || r.opt.batch < 1 || r.opt.batch_passages < 1 ||
        r.opt.max_file_mb < 1 || r.opt.max_file_mb > MAX_MIB || r.opt.timeout_s < 1 ||
        r.opt.max_memory_mb < 64 || r.opt.max_memory_mb > MAX_MIB) {
        fprintf(stderr,
                "civitas-index: %s\nUsage: civitas-index --db DIR [options] PATH...\n"
                "       civitas-index --db DIR --compact\n"
                "Try 'civitas-index --help'.\n",
                !r.opt.db ? "--db DIR is required"
                : (!have_paths && !r.opt.compact)
                    ? "no PATH to index"
                    : "--jobs, --batch, --batch-passages and --timeout must be positive, "
                      "--shards 1 to 16, --max-file-size 1 to 1048576 (MiB) "
                      "and --max-memory 64 to 1048576 (MiB)");
        g_free(r.opt.db);
        return EXIT_USAGE;
    }
    r.sandbox.workers = (unsigned)r.opt.jobs;
    r.sandbox.timeout_ms = (unsigned)MIN(r.opt.timeout_s, 24 * 3600) * 1000u;
    r.sandbox.max_memory = (unsigned long long)r.opt.max_memory_mb << 20;
    r.sandbox.extract.max_file_bytes = (size_t)r.opt.max_file_mb * 1024 * 1024;
    /* Poppler's "Syntax Error" noise stays out of the log unless asked for. */
    r.sandbox.worker_stderr = r.opt.verbose;
    r.tty = isatty(STDERR_FILENO);
    /* A log read as it is written (tail -f, a supervising test) sees each
     * file's line when it happens, not when a buffer fills. */
    setvbuf(stdout, NULL, _IOLBF, 0);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    r.started_us = g_get_monotonic_time();
    int rc = 0;
    if (have_paths) {
        int opened = (rc = open_shards(&r)) == 0;
        if (opened)
            rc = index_paths(&r, argv + 1, argc - 1);
        for (unsigned k = 0; k < r.n_shards; k++)
            civ_index_close(r.shards[k].ix);
        g_free(r.shards);
        if (r.known)
            g_hash_table_destroy(r.known);
        if (opened)
            print_summary(&r, rc ? "stopped" : interrupted ? "interrupted" : "done");
    }
    /* Only a run that went to its end is compacted: after an error or an
     * interruption the index is left as committed. */
    if (!rc && !interrupted && r.opt.compact)
        rc = compact_index(&r);
    g_free(r.opt.db);
    if (rc)
        return rc;
    if (interrupted)
        return EXIT_INTERRUPTED;
    return r.n.failed ? EXIT_FAILED_FILES : 0;
}
