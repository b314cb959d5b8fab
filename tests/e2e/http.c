/* http.c: the e2e tests' HTTP client and daemon harness (see http.h). */
#include "http.h"

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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_util.h"

#define MAX_RESPONSE (64 * 1024 * 1024)

static int connect_local(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct timeval tv = {20, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void parse_response(GString *raw, e2e_http_response *out)
{
    char *end = strstr(raw->str, "\r\n\r\n");
    size_t head_len = end ? (size_t)(end - raw->str) : raw->len;
    size_t body_at = end ? head_len + 4 : raw->len;
    out->headers = g_strndup(raw->str, head_len);
    out->body_len = raw->len - body_at;
    out->body = g_malloc(out->body_len + 1);
    memcpy(out->body, raw->str + body_at, out->body_len);
    out->body[out->body_len] = '\0';
    if (sscanf(out->headers, "HTTP/1.%*d %d", &out->status) != 1)
        out->status = 0;
}

int e2e_http_raw(unsigned port, const char *request, size_t len, e2e_http_response *out)
{
    memset(out, 0, sizeof *out);
    int fd = connect_local(port);
    if (fd < 0)
        return -1;
    size_t sent = 0;
    while (sent < len) {
        ssize_t n = send(fd, request + sent, len - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the server may answer (414, 431) before reading it all */
        sent += (size_t)n;
    }
    GString *raw = g_string_new(NULL);
    char buf[16384];
    ssize_t n;
    while (raw->len < MAX_RESPONSE && (n = recv(fd, buf, sizeof buf, 0)) > 0)
        g_string_append_len(raw, buf, n);
    close(fd);
    int rc = raw->len ? 0 : -1;
    parse_response(raw, out);
    g_string_free(raw, TRUE);
    return rc;
}

int e2e_http_request(unsigned port, const char *method, const char *target,
                     const char *extra_headers, e2e_http_response *out)
{
    char *req = g_strdup_printf("%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: close\r\n"
                                "%s\r\n",
                                method, target, port, extra_headers ? extra_headers : "");
    int rc = e2e_http_raw(port, req, strlen(req), out);
    g_free(req);
    return rc;
}

const char *e2e_http_header(const e2e_http_response *r, const char *name, char *buf, size_t size)
{
    size_t n = strlen(name);
    for (const char *line = r->headers; line && *line;) {
        const char *eol = strstr(line, "\r\n");
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        if (len > n && line[n] == ':' && g_ascii_strncasecmp(line, name, n) == 0) {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            size_t vlen = len - (size_t)(v - line);
            if (vlen >= size)
                vlen = size - 1;
            memcpy(buf, v, vlen);
            buf[vlen] = '\0';
            return buf;
        }
        line = eol ? eol + 2 : line + len;
    }
    return NULL;
}

void e2e_http_response_clear(e2e_http_response *r)
{
    g_free(r->headers);
    g_free(r->body);
    memset(r, 0, sizeof *r);
}

json_t *e2e_http_get_json(unsigned port, const char *target, int *status)
{
    e2e_http_response r;
    int rc = e2e_http_request(port, "GET", target, NULL, &r);
    if (rc != 0)
        print_error("GET %s: connection failed\n", target);
    assert_int_equal(rc, 0);
    *status = r.status;
    json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
    e2e_http_response_clear(&r);
    return j;
}

char *e2e_url_encode(const char *s)
{
    return g_uri_escape_string(s, NULL, FALSE);
}

/* ---- the daemon ---------------------------------------------------------- */

void e2e_searchd_start(e2e_searchd *d, const char *db, const char *const *extra)
{
    memset(d, 0, sizeof *d);
    d->dir = e2e_tmpdir();
    char *out_path = g_build_filename(d->dir, "stdout", NULL);
    char *err_path = g_build_filename(d->dir, "stderr", NULL);
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, (gpointer)CIV_SEARCHD);
    g_ptr_array_add(argv, (gpointer) "--db");
    g_ptr_array_add(argv, (gpointer)db);
    g_ptr_array_add(argv, (gpointer) "--listen");
    g_ptr_array_add(argv, (gpointer) "127.0.0.1:0");
    g_ptr_array_add(argv, (gpointer) "--threads");
    g_ptr_array_add(argv, (gpointer) "2");
    for (size_t i = 0; extra && extra[i]; i++)
        g_ptr_array_add(argv, (gpointer)extra[i]);
    g_ptr_array_add(argv, NULL);

    /* Output goes to files, not pipes: the access log must never block
     * the daemon on a full pipe the test does not drain. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
            _exit(127);
        execv(CIV_SEARCHD, (char **)argv->pdata);
        _exit(127);
    }
    d->pid = pid;
    g_ptr_array_free(argv, TRUE);

    for (int waited = 0; waited < 400 && !d->port; waited++) {
        char *text = NULL;
        if (g_file_get_contents(out_path, &text, NULL, NULL)) {
            const char *at = strstr(text, "civitas-searchd: listening on http://127.0.0.1:");
            if (at)
                d->port =
                    (unsigned)atoi(at + strlen("civitas-searchd: listening on http://127.0.0.1:"));
        }
        g_free(text);
        if (!d->port) {
            int status;
            if (waitpid(pid, &status, WNOHANG) == pid) {
                d->pid = 0;
                break;
            }
            g_usleep(50 * 1000);
        }
    }
    if (!d->port) {
        char *errs = NULL;
        g_file_get_contents(err_path, &errs, NULL, NULL);
        print_error("civitas-searchd did not start:\n%s\n", errs ? errs : "");
        g_free(errs);
    }
    g_free(out_path);
    g_free(err_path);
    assert_true(d->port > 0);
}

int e2e_searchd_stop(e2e_searchd *d)
{
    int rc = -1;
    if (d->pid > 0) {
        kill(d->pid, SIGTERM);
        int status = 0;
        if (waitpid(d->pid, &status, 0) == d->pid && WIFEXITED(status))
            rc = WEXITSTATUS(status);
        if (rc != 0) {
            char *path = g_build_filename(d->dir, "stderr", NULL), *errs = NULL;
            g_file_get_contents(path, &errs, NULL, NULL);
            print_error("civitas-searchd exited with %d:\n%s\n", rc, errs ? errs : "");
            g_free(errs);
            g_free(path);
        }
    }
    e2e_rm_rf(d->dir);
    g_free(d->dir);
    memset(d, 0, sizeof *d);
    return rc;
}
