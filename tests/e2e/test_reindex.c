/* End-to-end: re-indexing while civitas-searchd serves.
 *
 * A copy of corpus/ is indexed and served; then a new file is added, some
 * files are changed, and civitas-index runs again (committing after every
 * file) while this test keeps searching. Every request made during the
 * re-index must succeed (no 5xx, no connection error), and the new
 * document must become findable without restarting the daemon.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "e2e_util.h"
#include "http.h"

#define CORPUS CIV_SOURCE_DIR "/corpus"

/* Total of a search that must answer 200. */
static json_int_t search_total(unsigned port, const char *target, int *failures)
{
    int status = 0;
    json_t *j = e2e_http_get_json(port, target, &status);
    json_int_t total = json_integer_value(json_object_get(j, "total"));
    if (status != 200) {
        print_error("GET %s during re-index: %d\n", target, status);
        (*failures)++;
    }
    json_decref(j);
    return total;
}

static void append_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_reindex_while_serving(void **state)
{
    (void)state;
    char *tmp = e2e_tmpdir();
    char *corpus = g_build_filename(tmp, "corpus", NULL);
    char *db = g_build_filename(tmp, "db", NULL);
    g_mkdir(corpus, 0700);
    GDir *dir = g_dir_open(CORPUS, 0, NULL);
    assert_non_null(dir);
    const char *name;
    while ((name = g_dir_read_name(dir))) {
        char *from = g_build_filename(CORPUS, name, NULL),
             *to = g_build_filename(corpus, name, NULL);
        e2e_copy(from, to);
        g_free(from);
        g_free(to);
    }
    g_dir_close(dir);
    const char *index_argv[] = {CIV_INDEXER, "--quiet", "--batch", "1", "--db", db, corpus, NULL};
    assert_int_equal(e2e_run(index_argv, NULL, NULL), 0);

    e2e_searchd d;
    e2e_searchd_start(&d, db, NULL);
    int failures = 0;
    const char *new_query = "/api/search?q=quokkas+Rottnest";
    assert_int_equal(search_total(d.port, new_query, &failures), 0);
    json_int_t before = search_total(d.port, "/api/search?q=housing", &failures);
    assert_true(before > 0);

    /* A new document, and changed ones so the run rewrites several files. */
    char *added = g_build_filename(corpus, "new_statement.txt", NULL);
    append_text(added, "Statement on the quokkas of Rottnest Island.\n\n"
                       "1. The quokkas of Rottnest Island enjoy the right to adequate housing.\n");
    static const char *const changed[] = {"UNGDC_BRA_79_2024.txt", "UNGDC_CRI_70_2015.txt",
                                          "UNGDC_SVN_70_2015.txt"};
    for (size_t i = 0; i < 3; i++) {
        char *path = g_build_filename(corpus, changed[i], NULL);
        append_text(path, "\n\nA closing paragraph added for the re-index test.\n");
        g_free(path);
    }

    GPid pid;
    GError *gerr = NULL;
    gboolean spawned = g_spawn_async(NULL, (char **)index_argv, NULL,
                                     G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                         G_SPAWN_STDERR_TO_DEV_NULL,
                                     NULL, NULL, &pid, &gerr);
    assert_true(spawned);
    int during = 0, status = 0, exited = 0;
    while (!exited) {
        exited = waitpid(pid, &status, WNOHANG) == pid;
        search_total(d.port, "/api/search?q=housing", &failures);
        search_total(d.port, "/api/search?q=right+to+education&group=passage", &failures);
        search_total(d.port, "/health", &failures);
        during += 3;
    }
    g_spawn_close_pid(pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(failures, 0);
    print_message("%d requests answered during the re-index\n", during);
    assert_true(during >= 3);

    /* The new document shows up without a restart, although the same
     * search was answered (and cached) before the re-index. */
    json_int_t found = 0;
    for (int i = 0; i < 100 && found == 0; i++) {
        found = search_total(d.port, new_query, &failures);
        if (!found)
            g_usleep(50 * 1000);
    }
    if (found != 1) {
        /* Rare (seen once in hundreds of runs, under load): say what the
         * daemon answered, so the next failure tells why. */
        static const char *const seen[] = {"/api/search?q=quokkas+Rottnest",
                                           "/api/search?q=quokkas+Rottnest&qlang=none", "/health"};
        for (size_t i = 0; i < G_N_ELEMENTS(seen); i++) {
            e2e_http_response a;
            if (e2e_http_request(d.port, "GET", seen[i], NULL, &a) == 0)
                print_error("after the re-index, GET %s: %d %.600s\n", seen[i], a.status,
                            a.body ? a.body : "");
            e2e_http_response_clear(&a);
        }
    }
    assert_int_equal(found, 1);
    /* Asked again, now from the cache, it still finds it. */
    assert_int_equal(search_total(d.port, new_query, &failures), 1);
    assert_int_equal(failures, 0);

    e2e_http_response r;
    assert_int_equal(e2e_http_request(d.port, "GET", "/metrics", NULL, &r), 0);
    assert_null(strstr(r.body, "civitas_index_reopens_total 0\n"));
    assert_null(strstr(r.body, "civitas_search_cache_hits_total 0\n"));
    assert_null(strstr(r.body, "status=\"5"));
    e2e_http_response_clear(&r);

    assert_int_equal(e2e_searchd_stop(&d), 0);
    e2e_rm_rf(tmp);
    g_free(added);
    g_free(db);
    g_free(corpus);
    g_free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reindex_while_serving),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
