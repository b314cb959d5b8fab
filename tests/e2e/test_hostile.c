/* test_hostile.c: civitas-index over hostile files mixed with corpus/.
 *
 * The hostile files come from tests/fixtures/make_hostile.c (generated at
 * build time); the XXE file that points at a loopback port is written here,
 * because the port is only known once this test listens on it. One run
 * indexes corpus/, the hostile files and that XXE file together, as a user
 * would, and the test checks what a user would see: every good file
 * indexed, every bad one reported with its reason, the summary counts, exit
 * status 1 (some files failed) rather than a crash, no /etc/passwd content
 * anywhere in the index, and no connection to the loopback port. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "e2e_util.h"

#define CORPUS CIV_SOURCE_DIR "/corpus"

/* What each hostile file must come out as: the log word and, for
 * failures and skips, the reason. */
static const struct {
    const char *file;
    const char *outcome; /* "indexed", "failed" or "skipped" */
    const char *reason;  /* civ_status_name, for failed and skipped */
} expected[] = {
    {"empty.pdf", "failed", "no text"}, /* a failed download, say */
    {"not-a.pdf", "skipped", "unsupported"},
    {"udhr-gzip.xml", "skipped", "unsupported"},
    {"truncated.pdf", "failed", "damaged"},
    {"encrypted.pdf", "failed", "encrypted"},
    {"inflate-bomb.pdf", "failed", "timeout"},
    {"billion-laughs.xml", "failed", "damaged"},
    {"quadratic-blowup.xml", "failed", "no text"},
    {"deep-nesting.xml", "failed", "damaged"},
    {"deep-nesting.html", "failed", "damaged"},
    {"invalid-utf8.txt", "failed", "damaged"},
    {"nul-bytes.txt", "failed", "damaged"},
    {"over-cap.txt", "failed", "too large"},
    /* Poppler breaks the loop and drops the nested object: the one real
     * page of each is indexed, nothing hangs. */
    {"page-cycle.pdf", "indexed", NULL},
    {"deep-array.pdf", "indexed", NULL},
    /* The entities are not expanded; the rest of the text is indexed. */
    {"xxe-file.xml", "indexed", NULL},
};

/* A listening loopback socket nobody should connect to. */
static int listen_loopback(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 16), 0);
    socklen_t len = sizeof a;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

/* The line the indexer logged for path (outcome word first), or NULL. */
static char *log_line(const char *out, const char *errs, const char *outcome, const char *path)
{
    char *prefix = g_strdup_printf("%-9s %s:", outcome, path);
    char *line = NULL;
    const char *texts[] = {out, errs};
    for (int k = 0; k < 2 && !line; k++) {
        for (const char *p = texts[k]; p && *p && !line;) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            if (strncmp(p, prefix, strlen(prefix)) == 0)
                line = g_strndup(p, n);
            p = nl ? nl + 1 : p + n;
        }
    }
    g_free(prefix);
    return line;
}

static void hostile_files_cost_one_file_each(void **state)
{
    (void)state;
    char *tmp = e2e_tmpdir();
    char *db = g_build_filename(tmp, "db", NULL);
    char *extra = g_build_filename(tmp, "extra", NULL);
    g_mkdir_with_parents(extra, 0700);
    int port = 0, lfd = listen_loopback(&port);

    /* External DTD, external parameter entity, external general entity and
     * XInclude, all at the loopback port. */
    char *xxe = g_strdup_printf(
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE doc SYSTEM \"http://127.0.0.1:%d/dtd\" [\n"
        "<!ENTITY %% remote SYSTEM \"http://127.0.0.1:%d/param\">\n%%remote;\n"
        "<!ENTITY net SYSTEM \"http://127.0.0.1:%d/entity\">\n]>\n"
        "<doc xmlns:xi=\"http://www.w3.org/2001/XInclude\"><p>Everyone has the right to "
        "privacy in correspondence.</p><p>&net;</p>"
        "<xi:include href=\"http://127.0.0.1:%d/xinclude\" parse=\"text\"/></doc>\n",
        port, port, port, port);
    char *xxe_path = g_build_filename(extra, "xxe-loopback.xml", NULL);
    assert_true(g_file_set_contents(xxe_path, xxe, -1, NULL));

    /* --max-file-size 2: over-cap.txt (3 MiB) is too large, every corpus
     * file and the 1.9 MB inflate bomb fit. --timeout 10: the bomb needs
     * about 30 s (built with or without sanitizers), the slowest corpus PDF
     * about 1 s, 4 s with sanitizers. --verbose: the workers' stderr (and
     * any sanitizer report) reaches us. */
    const char *argv[] = {CIV_INDEXER, "--db",      db,     "--jobs",
                          "2",         "--timeout", "10",   "--max-file-size",
                          "2",         "--verbose", CORPUS, CIV_HOSTILE_DIR,
                          extra,       NULL};
    char *out = NULL, *errs = NULL;
    gint64 start = g_get_monotonic_time();
    int rc = e2e_run(argv, &out, &errs);
    double secs = (double)(g_get_monotonic_time() - start) / 1e6;
    if (rc != 1)
        print_error("exit %d\n--- stdout\n%s\n--- stderr\n%s\n", rc, out, errs);
    assert_int_equal(rc, 1); /* files failed; no crash, no environment error */
    assert_true(secs < 60);
    assert_null(strstr(errs, "Sanitizer"));
    assert_null(strstr(errs, "runtime error"));

    /* Each hostile file: its outcome and reason. */
    for (size_t i = 0; i < G_N_ELEMENTS(expected); i++) {
        char *path = g_build_filename(CIV_HOSTILE_DIR, expected[i].file, NULL);
        char *line = log_line(out, errs, expected[i].outcome, path);
        if (!line)
            fail_msg("no '%s' line for %s\n--- stdout\n%s\n--- stderr\n%s", expected[i].outcome,
                     expected[i].file, out, errs);
        if (expected[i].reason && strcmp(expected[i].outcome, "failed") == 0) {
            char *want = g_strdup_printf("%s: %s (", path, expected[i].reason);
            if (!strstr(line, want))
                fail_msg("%s: want reason '%s', got: %s", expected[i].file, expected[i].reason,
                         line);
            g_free(want);
        }
        g_free(line);
        g_free(path);
    }
    char *line = log_line(out, errs, "indexed", xxe_path);
    assert_non_null(line);
    g_free(line);

    /* Every corpus file indexed (SOURCES.tsv, the provenance table, is its
     * one skip), plus the 4 indexed above; failures and skips as listed. */
    unsigned corpus_files = 0;
    GDir *dir = g_dir_open(CORPUS, 0, NULL);
    assert_non_null(dir);
    for (const char *name; (name = g_dir_read_name(dir));) {
        if (name[0] == '.')
            continue;
        char *path = g_build_filename(CORPUS, name, NULL);
        char *got = log_line(out, errs, strcmp(name, "SOURCES.tsv") ? "indexed" : "skipped", path);
        if (!got)
            fail_msg("corpus file %s not indexed", name);
        g_free(got);
        g_free(path);
        corpus_files++;
    }
    g_dir_close(dir);
    char *summary = g_strdup_printf(
        "done: indexed %u, unchanged 0, removed 0, failed 11, skipped 3;", corpus_files - 1 + 4);
    if (!strstr(out, summary))
        fail_msg("want '%s' in\n%s", summary, out);
    g_free(summary);
    assert_non_null(strstr(out, "by reason: damaged 6, encrypted 1, no text 2, too large 1, "
                                "unsupported 3, timeout 1\n"));

    /* Nothing from /etc/passwd in any passage, and no trace in the terms. */
    civ_xapian_reader *r = e2e_reader(db);
    char **datas = NULL;
    size_t n = 0;
    civ_err err;
    assert_int_equal(
        civ_xapian_reader_term_datas(r, CIV_KIND_PASSAGE, 0, 1000000, &datas, &n, &err), CIV_OK);
    assert_true(n > 1000);
    int privacy = 0;
    for (size_t i = 0; i < n; i++) {
        assert_null(strstr(datas[i], "root:"));
        assert_null(strstr(datas[i], "/bin/bash"));
        assert_null(strstr(datas[i], "lollol"));
        privacy += strstr(datas[i], "right to privacy in correspondence") != NULL;
    }
    assert_int_equal(privacy, 1); /* the loopback XXE file's own text */
    civ_xapian_strings_free(datas, n);
    static const char *const absent[] = {"nologin", "Znologin", "daemon:x", "lollollol"};
    for (size_t i = 0; i < G_N_ELEMENTS(absent); i++) {
        unsigned count = 1;
        assert_int_equal(civ_xapian_reader_term_count(r, absent[i], &count, &err), CIV_OK);
        assert_int_equal(count, 0);
    }
    civ_xapian_reader_close(r);

    /* Nobody connected to the loopback port. */
    int conn = accept(lfd, NULL, NULL);
    if (conn >= 0)
        fail_msg("something connected to 127.0.0.1:%d", port);
    assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
    close(lfd);

    g_free(out);
    g_free(errs);
    g_free(xxe);
    g_free(xxe_path);
    e2e_rm_rf(tmp);
    g_free(extra);
    g_free(db);
    g_free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostile_files_cost_one_file_each),
    };
    return cmocka_run_group_tests_name("hostile", tests, NULL, NULL);
}
