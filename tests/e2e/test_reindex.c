/* End-to-end: re-indexing while civitas-searchd serves.
 *
 * A copy of corpus/ is indexed and served; then a new file is added, some
 * files are changed, and civitas-index runs again (committing after every
 * file) while clients keep searching, several at once so that every
 * worker thread of the daemon answers. Every request made during the
 * re-index must succeed (no 5xx, no connection error); the new document
 * must become findable without restarting the daemon, and once one answer
 * has shown it, no answer to a request sent later may miss it (each
 * thread's reader moves to the new revision on its own).
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
#define CLIENTS 4

static const char NEW_QUERY[] = "/api/search?q=quokkas+Rottnest";

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

/* One answer a client got during the re-index. */
typedef struct answer {
    gint64 sent_us, answered_us;
    const char *target;
    int status; /* 0: the connection failed */
    json_int_t total;
    char *error; /* the body of an answer other than 200, or NULL */
} answer;

typedef struct client {
    unsigned port;
    unsigned first; /* which target it starts with */
    volatile gint *stop;
    GArray *answers;
    GThread *thread;
} client;

/* A client thread: the daemon's routes in turn, one connection each,
 * until told to stop. No cmocka assertion here (they are for the main
 * thread): everything is recorded and judged afterwards. */
static gpointer client_run(gpointer data)
{
    static const char *const targets[] = {NEW_QUERY, "/api/search?q=housing",
                                          "/api/search?q=right+to+education&group=passage",
                                          "/health"};
    client *c = data;
    for (unsigned i = c->first; !g_atomic_int_get(c->stop); i++) {
        answer a = {.target = targets[i % G_N_ELEMENTS(targets)]};
        e2e_http_response r;
        a.sent_us = g_get_monotonic_time();
        if (e2e_http_request(c->port, "GET", a.target, NULL, &r) == 0) {
            a.status = r.status;
            json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
            a.total = json_integer_value(json_object_get(j, "total"));
            json_decref(j);
            if (r.status != 200)
                a.error = g_strndup(r.body ? r.body : "", 300);
        }
        a.answered_us = g_get_monotonic_time();
        e2e_http_response_clear(&r);
        g_array_append_val(c->answers, a);
    }
    return NULL;
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
    /* More worker threads than cores, each with a reader of its own. */
    static const char *const threads[] = {"--threads", "4", NULL};
    e2e_searchd_start(&d, db, threads);
    int failures = 0;
    assert_int_equal(search_total(d.port, NEW_QUERY, &failures), 0);
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

    /* Clients start before the re-index and stop a moment after it. */
    volatile gint stop = 0;
    client clients[CLIENTS];
    for (unsigned i = 0; i < CLIENTS; i++) {
        clients[i] = (client){d.port, i, &stop, g_array_new(FALSE, FALSE, sizeof(answer)), NULL};
        clients[i].thread = g_thread_new("client", client_run, &clients[i]);
    }
    GPid pid;
    GError *gerr = NULL;
    gboolean spawned = g_spawn_async(NULL, (char **)index_argv, NULL,
                                     G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                         G_SPAWN_STDERR_TO_DEV_NULL,
                                     NULL, NULL, &pid, &gerr);
    assert_true(spawned);
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) != pid)
        g_usleep(10 * 1000);
    g_spawn_close_pid(pid);
    g_usleep(300 * 1000);
    g_atomic_int_set(&stop, 1);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    /* Every answer a 200; and none sent after the new document was first
     * seen misses it. */
    gint64 first_seen_us = G_MAXINT64;
    size_t during = 0;
    for (unsigned i = 0; i < CLIENTS; i++) {
        g_thread_join(clients[i].thread);
        for (guint k = 0; k < clients[i].answers->len; k++) {
            const answer *a = &g_array_index(clients[i].answers, answer, k);
            if (a->status != 200) {
                print_error("GET %s during re-index: %d %s\n", a->target, a->status,
                            a->error ? a->error : "");
                failures++;
            }
            if (a->target == NEW_QUERY && a->total == 1 && a->answered_us < first_seen_us)
                first_seen_us = a->answered_us;
        }
        during += clients[i].answers->len;
    }
    assert_int_equal(failures, 0);
    print_message("%zu requests answered during the re-index\n", during);
    assert_true(during >= 3 * CLIENTS);
    int lost = 0;
    for (unsigned i = 0; i < CLIENTS; i++) {
        for (guint k = 0; k < clients[i].answers->len; k++) {
            const answer *a = &g_array_index(clients[i].answers, answer, k);
            if (a->target == NEW_QUERY && a->sent_us > first_seen_us && a->total != 1) {
                print_error("GET %s sent %.1f ms after an answer found the new document: "
                            "total %lld\n",
                            a->target, (double)(a->sent_us - first_seen_us) / 1000.0,
                            (long long)a->total);
                lost++;
            }
        }
        for (guint k = 0; k < clients[i].answers->len; k++)
            g_free(g_array_index(clients[i].answers, answer, k).error);
        g_array_free(clients[i].answers, TRUE);
    }
    assert_int_equal(lost, 0);

    /* The new document shows up without a restart, although the same
     * search was answered (and cached) before the re-index. */
    json_int_t found = 0;
    for (int i = 0; i < 100 && found == 0; i++) {
        found = search_total(d.port, NEW_QUERY, &failures);
        if (!found)
            g_usleep(50 * 1000);
    }
    assert_int_equal(found, 1);
    /* Asked again, now from the cache, it still finds it. */
    assert_int_equal(search_total(d.port, NEW_QUERY, &failures), 1);
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
