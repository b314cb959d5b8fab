/* test_sandbox.c: the extraction sandbox, with this test program as its own
 * worker (it starts itself with --extract-worker, as civitas-index does).
 *
 * A good file comes back as a document with the file's SHA-256 and a
 * language; the same hash again comes back "unchanged"; a worker that
 * aborts, exits, hangs, floods its output or runs out of memory costs that
 * file with the right reason, and the pool goes on with a fresh worker.
 * The misbehaving workers come from the test hooks (test_hooks = 1), keyed
 * on file names starting with "civ-test-". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "civ_sandbox.h"

#define CORPUS CIV_SOURCE_DIR "/corpus"
#define GOOD CORPUS "/udhr_eng.xml"

static char *tmp;

/* A file in the temporary directory (g_free the path). */
static char *make_file(const char *name, const char *content)
{
    char *path = g_build_filename(tmp, name, NULL);
    assert_true(g_file_set_contents(path, content, -1, NULL));
    return path;
}

static civ_sandbox *open_pool(unsigned workers, unsigned timeout_ms)
{
    civ_sandbox_options opt;
    memset(&opt, 0, sizeof opt);
    opt.workers = workers;
    opt.timeout_ms = timeout_ms;
    opt.max_memory = 512ull << 20;
    opt.worker_stderr = 1;
    opt.test_hooks = 1;
    civ_sandbox *sb = NULL;
    civ_err err;
    assert_int_equal(civ_sandbox_open(&opt, &sb, &err), CIV_OK);
    return sb;
}

/* Run one task to completion. */
static void run_one(civ_sandbox *sb, civ_sandbox_task *t, const char *path, const char *old)
{
    memset(t, 0, sizeof *t);
    t->path = path;
    t->old_sha256 = old;
    civ_sandbox_submit(sb, t);
    assert_ptr_equal(civ_sandbox_next(sb), t);
}

static void expect_good(civ_sandbox *sb)
{
    civ_sandbox_task t;
    run_one(sb, &t, GOOD, NULL);
    if (t.status != CIV_OK)
        fail_msg("%s: %s", civ_status_name(t.status), t.err.msg);
    assert_non_null(t.doc);
    assert_true(t.doc->n_passages > 30);
    assert_string_equal(t.doc->lang, "en");
    civ_document_free(t.doc);
}

static void good_file_and_unchanged(void **state)
{
    (void)state;
    civ_sandbox *sb = open_pool(1, 30000);
    civ_sandbox_task t;
    run_one(sb, &t, GOOD, NULL);
    assert_int_equal(t.status, CIV_OK);
    assert_false(t.unchanged);
    assert_string_equal(t.doc->format, "udhr-xml");

    /* The worker's hash is the file's. */
    char *data = NULL;
    gsize len = 0;
    assert_true(g_file_get_contents(GOOD, &data, &len, NULL));
    char *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
    assert_string_equal(t.sha256, sha);
    assert_int_equal(t.size, (long long)len);

    /* The same content again is "unchanged": nothing extracted. */
    civ_sandbox_task again;
    run_one(sb, &again, GOOD, sha);
    assert_int_equal(again.status, CIV_OK);
    assert_true(again.unchanged);
    assert_null(again.doc);

    /* Text-format identification: no language in the file, one found. */
    char *text = make_file("statement.txt",
                           "The General Assembly reaffirms that all human rights are universal, "
                           "indivisible, interdependent and interrelated, and that the "
                           "international community must treat human rights globally.");
    civ_sandbox_task lang;
    run_one(sb, &lang, text, NULL);
    assert_int_equal(lang.status, CIV_OK);
    assert_string_equal(lang.doc->lang, "en");

    civ_document_free(lang.doc);
    civ_document_free(t.doc);
    g_free(text);
    g_free(sha);
    g_free(data);
    civ_sandbox_close(sb);
}

/* The extractor's own reasons pass through unchanged. */
static void extractor_statuses(void **state)
{
    (void)state;
    civ_sandbox *sb = open_pool(1, 30000);
    civ_sandbox_task t;
    run_one(sb, &t, CIV_SOURCE_DIR "/tests/fixtures/real/pdfminer_aes-128_pw-foo.pdf", NULL);
    assert_int_equal(t.status, CIV_ERR_ENCRYPTED);
    run_one(sb, &t, CIV_SOURCE_DIR "/no/such/file.txt", NULL);
    assert_int_equal(t.status, CIV_ERR_IO);
    char *fake = make_file("fake.pdf", "not a pdf at all");
    run_one(sb, &t, fake, NULL);
    assert_int_equal(t.status, CIV_ERR_UNSUPPORTED);
    g_free(fake);
    civ_sandbox_close(sb);
}

static void crash_is_one_file(void **state)
{
    (void)state;
    civ_sandbox *sb = open_pool(1, 30000);
    char *abrt = make_file("civ-test-abort.txt", "x");
    char *ex = make_file("civ-test-exit.txt", "x");
    civ_sandbox_task t;

    expect_good(sb);
    run_one(sb, &t, abrt, NULL);
    assert_int_equal(t.status, CIV_ERR_CRASHED);
    assert_non_null(strstr(t.err.msg, "SIGABRT"));
    assert_string_equal(civ_status_name(t.status), "crashed");
    expect_good(sb); /* a new worker */
    run_one(sb, &t, ex, NULL);
    assert_int_equal(t.status, CIV_ERR_CRASHED);
    assert_non_null(strstr(t.err.msg, "status 3"));
    expect_good(sb);

    g_free(abrt);
    g_free(ex);
    civ_sandbox_close(sb);
}

static void hang_times_out(void **state)
{
    (void)state;
    civ_sandbox *sb = open_pool(1, 1500);
    char *hang = make_file("civ-test-hang.txt", "x");
    civ_sandbox_task t;

    expect_good(sb);
    gint64 start = g_get_monotonic_time();
    run_one(sb, &t, hang, NULL);
    double secs = (double)(g_get_monotonic_time() - start) / 1e6;
    assert_int_equal(t.status, CIV_ERR_TIMEOUT);
    assert_string_equal(civ_status_name(t.status), "timeout");
    assert_true(secs >= 1.4 && secs < 10);
    expect_good(sb);

    g_free(hang);
    civ_sandbox_close(sb);
}

static void flood_is_too_large(void **state)
{
    (void)state;
    civ_sandbox *sb = open_pool(1, 30000);
    char *flood = make_file("civ-test-flood.txt", "x");
    civ_sandbox_task t;
    run_one(sb, &t, flood, NULL);
    assert_int_equal(t.status, CIV_ERR_TOOLARGE);
    expect_good(sb);
    g_free(flood);
    civ_sandbox_close(sb);
}

static void oom_is_out_of_memory(void **state)
{
    (void)state;
    if (!civ_sandbox_memory_capped()) {
        /* Sanitizer build: no address-space cap (its shadow memory needs
         * terabytes), so there is nothing to run out of. */
        skip();
    }
    civ_sandbox *sb = open_pool(1, 30000);
    char *oom = make_file("civ-test-oom.txt", "x");
    civ_sandbox_task t;
    run_one(sb, &t, oom, NULL);
    assert_int_equal(t.status, CIV_ERR_NOMEM);
    assert_non_null(strstr(t.err.msg, "512 MiB"));
    expect_good(sb);
    g_free(oom);
    civ_sandbox_close(sb);
}

/* Good and bad files mixed over two workers: every task comes back once,
 * with its own reason, and the good ones all succeed. */
static void pool_keeps_going(void **state)
{
    (void)state;
    civ_sandbox *sb = open_pool(2, 2000);
    const char *bad[] = {"civ-test-abort-1.txt", "civ-test-hang-2.txt", "civ-test-exit-3.txt",
                         "civ-test-abort-4.txt"};
    const civ_status want[] = {CIV_ERR_CRASHED, CIV_ERR_TIMEOUT, CIV_ERR_CRASHED, CIV_ERR_CRASHED};
    enum { N = 12 };
    civ_sandbox_task tasks[N];
    char *paths[N];
    for (int i = 0; i < N; i++) {
        memset(&tasks[i], 0, sizeof tasks[i]);
        paths[i] = i % 3 == 1 ? make_file(bad[i / 3], "x") : g_strdup(GOOD);
        tasks[i].path = paths[i];
        tasks[i].user = GINT_TO_POINTER(i);
        civ_sandbox_submit(sb, &tasks[i]);
    }
    int seen[N] = {0};
    for (int k = 0; k < N; k++) {
        civ_sandbox_task *t = civ_sandbox_next(sb);
        int i = GPOINTER_TO_INT(t->user);
        assert_false(seen[i]);
        seen[i] = 1;
        if (i % 3 == 1)
            assert_int_equal(t->status, want[i / 3]);
        else
            assert_int_equal(t->status, CIV_OK);
        civ_document_free(t->doc);
        g_free(paths[i]);
    }
    civ_sandbox_close(sb);
}

static void bad_program_is_refused(void **state)
{
    (void)state;
    civ_sandbox_options opt;
    memset(&opt, 0, sizeof opt);
    opt.program = CIV_SOURCE_DIR "/README.md";
    civ_sandbox *sb = (civ_sandbox *)&opt;
    civ_err err;
    assert_int_equal(civ_sandbox_open(&opt, &sb, &err), CIV_ERR_INPUT);
    assert_null(sb);

    /* Executable but not a worker: a clear failure per file, no hang. */
    opt.program = "/bin/true";
    opt.timeout_ms = 5000;
    assert_int_equal(civ_sandbox_open(&opt, &sb, &err), CIV_OK);
    civ_sandbox_task t;
    run_one(sb, &t, GOOD, NULL);
    assert_int_equal(t.status, CIV_ERR_INTERNAL);
    assert_non_null(strstr(t.err.msg, "did not start"));
    civ_sandbox_close(sb);
}

static int setup(void **state)
{
    (void)state;
    tmp = g_dir_make_tmp("civ-sandbox-XXXXXX", NULL);
    return tmp ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    GDir *d = g_dir_open(tmp, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        char *p = g_build_filename(tmp, name, NULL);
        g_remove(p);
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(tmp);
    g_free(tmp);
    return 0;
}

int main(int argc, char **argv)
{
    if (civ_sandbox_is_worker(argc, argv))
        return civ_sandbox_worker_main();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_file_and_unchanged), cmocka_unit_test(extractor_statuses),
        cmocka_unit_test(crash_is_one_file),       cmocka_unit_test(hang_times_out),
        cmocka_unit_test(flood_is_too_large),      cmocka_unit_test(oom_is_out_of_memory),
        cmocka_unit_test(pool_keeps_going),        cmocka_unit_test(bad_program_is_refused),
    };
    return cmocka_run_group_tests_name("sandbox", tests, setup, teardown);
}
