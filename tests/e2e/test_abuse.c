/* End-to-end: civitas-searchd under abusive clients.
 *
 * A small index is served by a daemon started with tight connection
 * limits (4 per client, a 2 s connection timeout), and each test plays a
 * hostile client: oversized headers, more connections than allowed, a
 * request that never finishes, path traversal on every route that takes
 * an id, methods other than GET/HEAD, invalid percent-encoding and queries
 * built to be expensive. Bad input must never get a 5xx (503 with
 * Retry-After for a query past its deadline is the one exception), and
 * the daemon must keep answering normal requests afterwards.
 * (test_searchd covers the ordinary bad requests: %00, bad UTF-8, bad
 * parameter values, the URL cap.) Everything is on 127.0.0.1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <glib.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "e2e_util.h"
#include "http.h"

#define CORPUS CIV_SOURCE_DIR "/corpus"
#define PER_IP_LIMIT 4
#define CONNECTION_TIMEOUT 2 /* seconds */

static char *tmp, *db;
static char doc_id[CIV_ID_LEN + 1];
static e2e_searchd daemon_;

static int setup(void **state)
{
    (void)state;
    tmp = e2e_tmpdir();
    db = g_build_filename(tmp, "db", NULL);
    char *corpus = g_build_filename(tmp, "corpus", NULL);
    g_mkdir_with_parents(corpus, 0700);
    static const char *const files[] = {"udhr_eng.xml", "udhr_fra.xml", "A_HRC_59_15_g2502644.pdf"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *from = g_build_filename(CORPUS, files[i], NULL);
        char *to = g_build_filename(corpus, files[i], NULL);
        e2e_copy(from, to);
        if (i == 0)
            e2e_doc_id(to, doc_id);
        g_free(from);
        g_free(to);
    }
    const char *argv[] = {CIV_INDEXER, "--db", db, corpus, NULL};
    char *out = NULL, *errs = NULL;
    int rc = e2e_run(argv, &out, &errs);
    if (rc != 0)
        print_error("indexer exit %d\n%s\n%s\n", rc, out, errs);
    g_free(out);
    g_free(errs);
    g_free(corpus);
    assert_int_equal(rc, 0);
    char per_ip[16], timeout[16];
    snprintf(per_ip, sizeof per_ip, "%d", PER_IP_LIMIT);
    snprintf(timeout, sizeof timeout, "%d", CONNECTION_TIMEOUT);
    const char *extra[] = {"--max-connections-per-ip", per_ip, "--connection-timeout", timeout,
                           NULL};
    e2e_searchd_start(&daemon_, db, extra);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(e2e_searchd_stop(&daemon_), 0);
    e2e_rm_rf(tmp);
    g_free(tmp);
    g_free(db);
    return 0;
}

static const char *str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* /health answers 200 within a second: the daemon is still serving. */
static void assert_healthy(void)
{
    gint64 t0 = g_get_monotonic_time();
    int status = 0;
    json_t *h = e2e_http_get_json(daemon_.port, "/health", &status);
    double secs = (double)(g_get_monotonic_time() - t0) / 1e6;
    assert_int_equal(status, 200);
    assert_string_equal(str(h, "status"), "ok");
    assert_true(secs < 1.0);
    json_decref(h);
}

/* A connected socket to the daemon that gives up reading after secs. */
static int connect_daemon(int secs)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct timeval tv = {secs, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)daemon_.port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    return fd;
}

/* Read until the peer closes (or secs pass); the status of what came, 0
 * when nothing did. */
static int read_status(int fd)
{
    char buf[4096];
    size_t got = 0;
    ssize_t n;
    while (got + 1 < sizeof buf && (n = recv(fd, buf + got, sizeof buf - 1 - got, 0)) > 0)
        got += (size_t)n;
    buf[got] = '\0';
    int status = 0;
    if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
        status = 0;
    return status;
}

/* An error status and a JSON error body (status 0: the connection was
 * closed without an answer, also acceptable for garbage). */
static void assert_refused(const e2e_http_response *r, const char *what, int allow_closed)
{
    if (!(r->status >= 400 && r->status < 500) && !(allow_closed && r->status == 0))
        print_error("%s: status %d %.200s\n", what, r->status, r->body ? r->body : "");
    assert_true((r->status >= 400 && r->status < 500) || (allow_closed && r->status == 0));
}

/* ---- oversized headers --------------------------------------------------- */

static void test_oversized_headers(void **state)
{
    (void)state;
    /* One 100 KB header line, then a thousand small headers: both are over
     * the 64 KiB per-connection memory. */
    GString *req[2];
    req[0] = g_string_new("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ");
    for (int i = 0; i < 100 * 1024; i++)
        g_string_append_c(req[0], 'a');
    g_string_append(req[0], "\r\nConnection: close\r\n\r\n");
    req[1] = g_string_new("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (int i = 0; i < 1000; i++)
        g_string_append_printf(req[1], "X-Header-%04d: %064d\r\n", i, i);
    g_string_append(req[1], "Connection: close\r\n\r\n");
    for (size_t k = 0; k < 2; k++) {
        e2e_http_response r;
        e2e_http_raw(daemon_.port, req[k]->str, req[k]->len, &r);
        assert_refused(&r, k ? "1000 headers" : "100 KB header", 1);
        e2e_http_response_clear(&r);
        g_string_free(req[k], TRUE);
        assert_healthy();
    }
}

/* ---- connections ------------------------------------------------------- */

/* More concurrent connections than --max-connections-per-ip: at most the
 * limit are served, the others are closed unanswered, and once they are
 * gone new requests are served again. (Connections of earlier tests that
 * the daemon has not finished closing may still count against the
 * limit, so the test asserts bounds, not exact counts.) */
static void test_many_connections(void **state)
{
    (void)state;
    enum { N = PER_IP_LIMIT + 4 };
    int fds[N];
    for (int i = 0; i < N; i++)
        fds[i] = connect_daemon(5);
    g_usleep(300 * 1000); /* let the daemon accept (or refuse) them all */
    static const char get[] =
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    int served = 0, refused = 0, other = 0;
    for (int i = 0; i < N; i++) {
        send(fds[i], get, sizeof get - 1, MSG_NOSIGNAL);
        int status = read_status(fds[i]);
        if (status == 200)
            served++;
        else if (status == 0)
            refused++;
        else
            other++;
    }
    for (int i = 0; i < N; i++)
        close(fds[i]);
    if (served > PER_IP_LIMIT || refused < N - PER_IP_LIMIT || other)
        print_error("%d connections: %d served, %d refused, %d other\n", N, served, refused, other);
    assert_int_equal(other, 0);
    assert_true(served >= 1);
    assert_true(served <= PER_IP_LIMIT);
    assert_true(refused >= N - PER_IP_LIMIT);
    g_usleep(300 * 1000);
    assert_healthy();
}

/* Half a request, then silence: the daemon closes the connection after
 * --connection-timeout, and it never held up anyone else. */
static void test_slow_client(void **state)
{
    (void)state;
    int fd = connect_daemon(CONNECTION_TIMEOUT + 10);
    static const char half[] = "GET /api/search?q=education HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slo";
    assert_int_equal(send(fd, half, sizeof half - 1, MSG_NOSIGNAL), (ssize_t)sizeof half - 1);
    gint64 t0 = g_get_monotonic_time();
    assert_healthy(); /* served meanwhile */
    struct pollfd pfd = {fd, POLLIN, 0};
    int ready = poll(&pfd, 1, (CONNECTION_TIMEOUT + 5) * 1000);
    double secs = (double)(g_get_monotonic_time() - t0) / 1e6;
    assert_int_equal(ready, 1);
    int status = read_status(fd); /* closed, perhaps after a 408 */
    if (status != 0)
        assert_int_equal(status, 408);
    assert_true(secs >= CONNECTION_TIMEOUT - 1);
    assert_true(secs < CONNECTION_TIMEOUT + 5);
    close(fd);
    assert_healthy();
}

/* ---- paths, methods, encodings ------------------------------------------ */

/* Every route that takes an id, with hostile ids: never a 200, never a
 * file outside the index, always a JSON 400 or 404. */
static void test_path_traversal(void **state)
{
    (void)state;
    static const struct {
        const char *prefix, *suffix;
    } routes[] = {{"/api/documents/", ""},
                  {"/api/documents/", "/passages"},
                  {"/api/documents/", "/file"},
                  {"/api/passages/", ""}};
    char *overlong = g_strnfill(300, 'a');
    char *valid_nul = g_strdup_printf("%s%%00", doc_id);
    char *valid_nul_pdf = g_strdup_printf("%s%%00.pdf", doc_id);
    char *valid_slash = g_strdup_printf("%s%%2F..", doc_id);
    char *valid_dotdot = g_strdup_printf("%s/../%s", doc_id, doc_id);
    char *passage_nul = g_strdup_printf("%s-1%%00", doc_id);
    const char *ids[] = {
        "..",
        "../../../../etc/passwd",
        "..%2F..%2F..%2Fetc%2Fpasswd",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "%2E%2E",
        "%252e%252e%252fetc%252fpasswd",
        "a%2Fb",
        "%2Fetc%2Fpasswd",
        "%00",
        "..%00",
        "%c0%ae%c0%ae%2f",
        overlong,
        valid_nul,
        valid_nul_pdf,
        valid_slash,
        valid_dotdot,
        passage_nul,
    };
    for (size_t r = 0; r < sizeof routes / sizeof routes[0]; r++) {
        for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
            char *target = g_strconcat(routes[r].prefix, ids[i], routes[r].suffix, NULL);
            e2e_http_response resp;
            assert_int_equal(e2e_http_request(daemon_.port, "GET", target, NULL, &resp), 0);
            json_t *j = json_loadb(resp.body, resp.body_len, 0, NULL);
            if ((resp.status != 400 && resp.status != 404) || !json_object_get(j, "error"))
                print_error("GET %s: %d %.200s\n", target, resp.status, resp.body);
            assert_true(resp.status == 400 || resp.status == 404);
            assert_non_null(json_object_get(j, "error"));
            assert_null(strstr(resp.body, "root:"));
            json_decref(j);
            e2e_http_response_clear(&resp);
            g_free(target);
        }
    }
    /* The static files too, and the same targets sent raw, unnormalised. */
    static const char *const raw[] = {
        "GET /static/../../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /static/%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: "
        "close\r\n\r\n",
        "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /static/app.js%00.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++) {
        e2e_http_response resp;
        assert_int_equal(e2e_http_raw(daemon_.port, raw[i], strlen(raw[i]), &resp), 0);
        assert_refused(&resp, raw[i], 0);
        assert_null(strstr(resp.body, "root:"));
        e2e_http_response_clear(&resp);
    }
    g_free(overlong);
    g_free(valid_nul);
    g_free(valid_nul_pdf);
    g_free(valid_slash);
    g_free(valid_dotdot);
    g_free(passage_nul);
    assert_healthy();
}

static void test_methods(void **state)
{
    (void)state;
    static const struct {
        const char *method, *target, *headers;
    } rows[] = {
        {"OPTIONS", "/api/search?q=x",
         "Origin: https://evil.example\r\nAccess-Control-Request-Method: GET\r\n"},
        {"OPTIONS", "*", NULL},
        {"TRACE", "/health", NULL},
        {"CONNECT", "127.0.0.1:22", NULL},
        {"PATCH", "/health", NULL},
        {"PROPFIND", "/", NULL},
        {"BREW", "/api/search?q=coffee", NULL},
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        e2e_http_response r;
        assert_int_equal(
            e2e_http_request(daemon_.port, rows[k].method, rows[k].target, rows[k].headers, &r), 0);
        char buf[128];
        json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
        if (r.status != 405)
            print_error("%s %s: %d %.200s\n", rows[k].method, rows[k].target, r.status, r.body);
        assert_int_equal(r.status, 405);
        assert_string_equal(e2e_http_header(&r, "Allow", buf, sizeof buf), "GET, HEAD");
        assert_string_equal(str(json_object_get(j, "error"), "code"), "method_not_allowed");
        /* No CORS is configured: a preflight gets no CORS answer. */
        assert_null(e2e_http_header(&r, "Access-Control-Allow-Origin", buf, sizeof buf));
        assert_null(e2e_http_header(&r, "Access-Control-Allow-Methods", buf, sizeof buf));
        json_decref(j);
        e2e_http_response_clear(&r);
    }
    /* A body sent with a refused method is not a way to hold memory. */
    static const char post[] = "POST /api/search HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                               "Content-Length: 5\r\n\r\nq=abc";
    e2e_http_response r;
    assert_int_equal(e2e_http_raw(daemon_.port, post, sizeof post - 1, &r), 0);
    assert_int_equal(r.status, 405);
    e2e_http_response_clear(&r);
    assert_healthy();
}

static void test_invalid_percent_encoding(void **state)
{
    (void)state;
    static const char *const targets[] = {
        "/api/search?q=%G1",
        "/api/search?q=education%",
        "/api/search?q=%zz",
        "/api/search?q=%4",
        "/api/search?q=a&lang=%e",
        "/api/search?%zz=1",
        "/api/search?q=ok&%=%",
        "/api/documents/%G1",
        "/api/passages/%",
        "/health%",
        "/%zz",
    };
    for (size_t k = 0; k < sizeof targets / sizeof targets[0]; k++) {
        e2e_http_response r;
        assert_int_equal(e2e_http_request(daemon_.port, "GET", targets[k], NULL, &r), 0);
        json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
        const char *code = str(json_object_get(j, "error"), "code");
        if (r.status != 400 || !code || strcmp(code, "bad_query") != 0)
            print_error("GET %s: %d %.200s\n", targets[k], r.status, r.body);
        assert_int_equal(r.status, 400);
        assert_string_equal(code, "bad_query");
        assert_non_null(strstr(str(json_object_get(j, "error"), "message"), "percent-encoding"));
        json_decref(j);
        e2e_http_response_clear(&r);
    }
    /* Valid escapes of the same characters still work. */
    int status = 0;
    json_t *j = e2e_http_get_json(daemon_.port, "/api/search?q=%65ducation%2Bx+y", &status);
    assert_int_equal(status, 200);
    assert_string_equal(str(j, "query"), "education+x y");
    json_decref(j);
    assert_healthy();
}

/* ---- pathological queries ------------------------------------------------ */

/* Queries built to be expensive, each under the 1024-byte cap: those over
 * the query caps are refused (400 "too complex") before any matching, the
 * others are answered within their deadline. */
static void test_pathological_queries(void **state)
{
    (void)state;
    enum { N = 7 };
    GString *q[N];
    for (size_t i = 0; i < N; i++)
        q[i] = g_string_new(NULL);
    static const char *const prefixes[] = {"educ", "righ", "wom", "chil", "hum", "stat",
                                           "gen",  "res",  "law", "dev",  "sec", "pea"};
    /* Each grows while under 950 bytes, so it stays whole under the cap. */
    for (int i = 0; i < 300; i++) {
        if (q[0]->len < 950)
            g_string_append(q[0], "\"the right\" "); /* many phrases */
        if (q[1]->len < 950)
            g_string_append_printf(q[1], "%s\"human rights\"", i ? " OR " : ""); /* phrase ORs */
        if (q[2]->len < 950)
            g_string_append_printf(q[2], "%s%s*", i ? " OR " : "",
                                   prefixes[i % 12]); /* wildcards */
        if (q[3]->len < 950)
            g_string_append(q[3], "("); /* deep nesting */
        if (q[4]->len < 950)
            g_string_append_printf(q[4], "%sthe", i ? " NEAR " : ""); /* NEAR chain */
        if (q[5]->len < 950)
            g_string_append_printf(q[5], "%srights%d", i ? " OR " : "", i); /* huge OR */
        if (q[6]->len < 950)
            g_string_append(q[6], "\xe6\x95\x99\xe8\x82\xb2"); /* CJK paste: n-grams */
    }
    g_string_append(q[3], "rights OR education");
    const int too_complex[N] = {1, 1, 1, 0, 0, 0, 0};
    for (size_t i = 0; i < N; i++) {
        const char *text = q[i]->str;
        char *enc = e2e_url_encode(text);
        char *target = g_strdup_printf("/api/search?q=%s", enc);
        e2e_http_response r;
        gint64 t0 = g_get_monotonic_time();
        assert_int_equal(e2e_http_request(daemon_.port, "GET", target, NULL, &r), 0);
        double secs = (double)(g_get_monotonic_time() - t0) / 1e6;
        char buf[32];
        int ok = r.status == 200 || r.status == 400 || r.status == 503;
        if (!ok || secs >= 5.0 || (too_complex[i] && !strstr(r.body, "too complex")))
            print_error("query %zu (%.40s...): %d in %.2f s %.200s\n", i, text, r.status, secs,
                        r.body);
        assert_true(ok);
        assert_true(secs < 5.0); /* generous: the deadline is 0.5 s per match */
        if (r.status == 503)
            assert_non_null(e2e_http_header(&r, "Retry-After", buf, sizeof buf));
        if (too_complex[i]) {
            assert_int_equal(r.status, 400);
            assert_non_null(strstr(r.body, "too complex"));
        }
        e2e_http_response_clear(&r);
        g_free(target);
        g_free(enc);
        g_string_free(q[i], TRUE);
        assert_healthy();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oversized_headers),
        cmocka_unit_test(test_many_connections),
        cmocka_unit_test(test_slow_client),
        cmocka_unit_test(test_path_traversal),
        cmocka_unit_test(test_methods),
        cmocka_unit_test(test_invalid_percent_encoding),
        cmocka_unit_test(test_pathological_queries),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
