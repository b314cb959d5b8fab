/* Crash safety of civitas-index: kill it at random moments (SIGKILL, also
 * inside commits: it commits after every file here) and check the index
 * after each kill: it opens, passes xapian-check, every committed file is
 * there exactly once with all of its passages and no partial file exists;
 * a later run completes the work. SIGTERM commits what is done and exits 5.
 *
 * Random, so seeded: CIV_TEST_SEED=N repeats a run; the seed is printed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "e2e_util.h"

#define CORPUS CIV_SOURCE_DIR "/corpus"
#define KILLS 20
#define MAX_TRIES 60

static GRand *rng;
static char *corpus; /* a copy of corpus/ without its largest report, for speed */

static int make_corpus(void **state)
{
    (void)state;
    char *tmp = e2e_tmpdir();
    corpus = g_build_filename(tmp, "corpus", NULL);
    g_free(tmp);
    g_mkdir(corpus, 0755);
    GDir *d = g_dir_open(CORPUS, 0, NULL);
    assert_non_null(d);
    const char *name;
    while ((name = g_dir_read_name(d))) {
        if (strcmp(name, "A_HRC_14_37_g1217781.pdf") == 0)
            continue;
        char *from = g_build_filename(CORPUS, name, NULL);
        char *to = g_build_filename(corpus, name, NULL);
        e2e_copy(from, to);
        g_free(from);
        g_free(to);
    }
    g_dir_close(d);
    return 0;
}

static int remove_corpus(void **state)
{
    (void)state;
    char *tmp = g_path_get_dirname(corpus);
    e2e_rm_rf(tmp);
    g_free(tmp);
    g_free(corpus);
    return 0;
}

/* Start the indexer with output to /dev/null; returns its pid. */
static GPid start_indexer(const char *db)
{
    const char *argv[] = {CIV_INDEXER, "--batch", "1", "--quiet", "--db", db, corpus, NULL};
    GPid pid = 0;
    GError *gerr = NULL;
    gboolean ok = g_spawn_async(NULL, (char **)argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                    G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &pid, &gerr);
    assert_true(ok);
    return pid;
}

/* Check the index is whole; returns the number of files it holds.
 * settled: no run was cut short since the last complete one. Otherwise a
 * kill between the commit of the passages and that of the records (two
 * databases, committed in that order) may have left whole files'
 * passages without their record yet; the next run re-indexes them. */
static unsigned check_index(const char *db, int settled)
{
    char *stub = g_build_filename(db, "XAPIANDB", NULL);
    int exists = g_file_test(stub, G_FILE_TEST_EXISTS);
    g_free(stub);
    if (!exists)
        return 0; /* killed before the index was created */

    /* Every database of every shard: passages, records, passages.1 ... */
    GDir *dir = g_dir_open(db, 0, NULL);
    assert_non_null(dir);
    const char *name;
    unsigned databases = 0;
    while ((name = g_dir_read_name(dir))) {
        if (!g_str_has_prefix(name, "passages") && !g_str_has_prefix(name, "records"))
            continue;
        databases++;
        char *part = g_build_filename(db, name, NULL);
        const char *check[] = {"xapian-check", part, NULL};
        char *out = NULL, *errs = NULL;
        int rc = e2e_run(check, &out, &errs);
        if (rc != 0)
            print_error("xapian-check %s: exit %d\n%s%s\n", part, rc, out, errs);
        assert_int_equal(rc, 0);
        g_free(out);
        g_free(errs);
        g_free(part);
    }
    g_dir_close(dir);
    assert_true(databases >= 2 && databases % 2 == 0);

    civ_xapian_reader *r = e2e_reader(db);
    civ_err err;
    char **records = NULL;
    size_t n_records = 0;
    assert_int_equal(civ_xapian_reader_term_datas(r, "XKdoc", 0, 0, &records, &n_records, &err),
                     CIV_OK);
    unsigned long long passages_expected = 0;
    for (size_t i = 0; i < n_records; i++) {
        json_t *rec = json_loads(records[i], 0, NULL);
        assert_non_null(rec);
        const char *id = json_string_value(json_object_get(rec, "id"));
        json_int_t n = json_integer_value(json_object_get(rec, "passages"));
        char *q = g_strconcat("Q", id, NULL);
        char *parent = g_strconcat("XP", id, NULL);
        unsigned count = 0;
        /* Exactly one record per file... */
        assert_int_equal(civ_xapian_reader_term_count(r, q, &count, &err), CIV_OK);
        assert_int_equal(count, 1);
        /* ...with all of its passages, each once. */
        assert_int_equal(civ_xapian_reader_term_count(r, parent, &count, &err), CIV_OK);
        assert_int_equal(count, (unsigned)n);
        for (json_int_t k = 1; k <= n; k++) {
            char *qp = g_strdup_printf("Q%s-%lld", id, (long long)k);
            assert_int_equal(civ_xapian_reader_term_count(r, qp, &count, &err), CIV_OK);
            assert_int_equal(count, 1);
            g_free(qp);
        }
        passages_expected += (unsigned long long)n;
        g_free(q);
        g_free(parent);
        json_decref(rec);
    }
    /* No passage of a file whose record is missing, once settled. */
    unsigned passages = 0;
    assert_int_equal(civ_xapian_reader_term_count(r, "XKpassage", &passages, &err), CIV_OK);
    if (settled)
        assert_int_equal(passages, passages_expected);
    else
        assert_true(passages >= passages_expected);
    civ_xapian_strings_free(records, n_records);
    civ_xapian_reader_close(r);
    return (unsigned)n_records;
}

/* Time of one full run, to spread the kills over it. */
static double full_run_seconds(const char *db)
{
    gint64 t0 = g_get_monotonic_time();
    GPid pid = start_indexer(db);
    int status;
    waitpid(pid, &status, 0);
    g_spawn_close_pid(pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return (double)(g_get_monotonic_time() - t0) / 1e6;
}

static void test_kill_at_random_moments(void **state)
{
    (void)state;
    char *dir = e2e_tmpdir();
    char *db = g_build_filename(dir, "db", NULL);
    double full = full_run_seconds(db);
    unsigned all_files = check_index(db, 1);
    assert_true(all_files >= 10);
    e2e_rm_rf(db);

    unsigned before = 0, mid_run_kills = 0;
    for (int i = 0; i < MAX_TRIES && mid_run_kills < KILLS; i++) {
        GPid pid = start_indexer(db);
        gulong us = (gulong)g_rand_double_range(rng, 0.0, full * 0.8e6);
        g_usleep(us);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        g_spawn_close_pid(pid);
        int finished = WIFEXITED(status);
        unsigned now = check_index(db, 0);
        /* Nothing committed before the kill is ever lost. */
        assert_true(now >= before);
        printf("kill %2d after %6.3f s: %s, %u files in the index\n", i, us / 1e6,
               finished ? "run had finished" : "killed mid-run", now);
        if (!finished)
            mid_run_kills++;
        before = now;
        if (finished || now == all_files) {
            /* Work complete: start again from nothing to keep killing
             * runs in the middle of their work. */
            e2e_rm_rf(db);
            before = 0;
        }
    }
    assert_int_equal(mid_run_kills, KILLS);

    /* The next run completes the work. */
    const char *argv[] = {CIV_INDEXER, "--quiet", "--db", db, corpus, NULL};
    char *out = NULL, *errs = NULL;
    assert_int_equal(e2e_run(argv, &out, &errs), 0);
    g_free(out);
    g_free(errs);
    assert_int_equal(check_index(db, 1), all_files);
    e2e_rm_rf(dir);
    g_free(db);
    g_free(dir);
}

static void test_sigterm_commits_and_exits(void **state)
{
    (void)state;
    char *dir = e2e_tmpdir();
    char *db = g_build_filename(dir, "db", NULL);
    const char *argv[] = {CIV_INDEXER, "--db", db, corpus, NULL};
    GPid pid = 0;
    int out_fd = -1;
    assert_true(g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
                                         G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                                         NULL, NULL, &pid, NULL, &out_fd, NULL, NULL));
    /* Wait for the first file to be written, then ask it to stop. */
    FILE *out = fdopen(out_fd, "r");
    char line[4096];
    assert_non_null(fgets(line, sizeof line, out));
    kill(pid, SIGTERM);
    GString *rest = g_string_new(line);
    while (fgets(line, sizeof line, out))
        g_string_append(rest, line);
    fclose(out);
    int status;
    waitpid(pid, &status, 0);
    g_spawn_close_pid(pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 5);
    assert_non_null(strstr(rest->str, "interrupted: indexed "));
    /* What the summary says was indexed is what the index holds. */
    unsigned said = 0;
    sscanf(strstr(rest->str, "interrupted: indexed ") + strlen("interrupted: indexed "), "%u",
           &said);
    assert_true(said >= 1);
    assert_int_equal(check_index(db, 1), said);
    g_string_free(rest, TRUE);
    e2e_rm_rf(dir);
    g_free(db);
    g_free(dir);
}

/* In the child: files may not grow past the limit, as on a full disk;
 * writes past it fail with EFBIG instead of killing the process. */
static void limit_file_size(gpointer data)
{
    struct rlimit rl = {(rlim_t)GPOINTER_TO_SIZE(data), (rlim_t)GPOINTER_TO_SIZE(data)};
    signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &rl);
}

/* A write error (disk full) stops the run with exit status 4 and a clear
 * message, and the last commit is intact. */
static void test_disk_full_keeps_last_commit(void **state)
{
    (void)state;
    char *dir = e2e_tmpdir();
    char *db = g_build_filename(dir, "db", NULL);
    char *small = g_build_filename(dir, "small", NULL);
    g_mkdir(small, 0755);
    const char *first[] = {"udhr_eng.xml", "UNGDC_SVN_70_2015.txt"};
    for (size_t i = 0; i < 2; i++) {
        char *from = g_build_filename(CORPUS, first[i], NULL);
        char *to = g_build_filename(small, first[i], NULL);
        e2e_copy(from, to);
        g_free(from);
        g_free(to);
    }
    const char *argv[] = {CIV_INDEXER, "--quiet", "--db", db, small, NULL};
    char *out = NULL, *errs = NULL;
    assert_int_equal(e2e_run(argv, &out, &errs), 0);
    g_free(out);
    g_free(errs);
    assert_int_equal(check_index(db, 1), 2);

    /* Now a large report arrives, and the disk is nearly full. */
    char *from = g_build_filename(CORPUS, "A_HRC_59_15_g2502644.pdf", NULL);
    char *to = g_build_filename(small, "A_HRC_59_15_g2502644.pdf", NULL);
    e2e_copy(from, to);
    int status = 0;
    assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, limit_file_size,
                             GSIZE_TO_POINTER(64 * 1024), &out, &errs, &status, NULL));
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 4);
    assert_non_null(strstr(errs, "I/O"));
    assert_non_null(strstr(out, "stopped: indexed 0"));
    assert_int_equal(check_index(db, 0), 2);
    g_free(out);
    g_free(errs);

    /* With space again, the next run completes the work. */
    assert_int_equal(e2e_run(argv, &out, &errs), 0);
    assert_int_equal(check_index(db, 1), 3);
    g_free(out);
    g_free(errs);
    g_free(from);
    g_free(to);
    e2e_rm_rf(dir);
    g_free(small);
    g_free(db);
    g_free(dir);
}

int main(void)
{
    const char *env = getenv("CIV_TEST_SEED");
    guint32 seed = env ? (guint32)strtoul(env, NULL, 10) : (guint32)time(NULL);
    printf("test_kill: seed %u (repeat with CIV_TEST_SEED=%u)\n", seed, seed);
    fflush(stdout);
    rng = g_rand_new_with_seed(seed);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_at_random_moments),
        cmocka_unit_test(test_sigterm_commits_and_exits),
        cmocka_unit_test(test_disk_full_keeps_last_commit),
    };
    int failed = cmocka_run_group_tests(tests, make_corpus, remove_corpus);
    g_rand_free(rng);
    return failed;
}
