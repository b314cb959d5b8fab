/* http.h: a small HTTP/1.1 client over plain sockets for the daemon tests,
 * and the daemon under test (civitas-searchd started on port 0).
 *
 * Every request is sent with "Connection: close" and the response read to
 * the end of the stream, so no framing beyond the header block is needed.
 */
#ifndef CIV_E2E_HTTP_H
#define CIV_E2E_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct e2e_http_response {
    int status;    /* 0 when no status line came back */
    char *headers; /* the header block, NUL-terminated */
    char *body;    /* NUL-terminated (body_len bytes before the NUL) */
    size_t body_len;
} e2e_http_response;

/* Send request[0..len) as is (for malformed and abusive requests) and read
 * the whole response. Returns 0, or -1 when the connection failed. */
int e2e_http_raw(unsigned port, const char *request, size_t len, e2e_http_response *out);

/* method target HTTP/1.1 with Host, Connection: close and the extra header
 * lines (each ending in \r\n, or NULL). Returns as e2e_http_raw. */
int e2e_http_request(unsigned port, const char *method, const char *target,
                     const char *extra_headers, e2e_http_response *out);

/* The value of header name (case-insensitive) copied into buf, or NULL. */
const char *e2e_http_header(const e2e_http_response *r, const char *name, char *buf, size_t size);

void e2e_http_response_clear(e2e_http_response *r);

/* GET target and parse the body as JSON (NULL when it is not JSON);
 * *status receives the status. Fails the test on a connection error. */
json_t *e2e_http_get_json(unsigned port, const char *target, int *status);

/* ---- the daemon -------------------------------------------------------- */

typedef struct e2e_searchd {
    pid_t pid;
    unsigned port;
    char *dir; /* holds its stdout and stderr logs */
} e2e_searchd;

/* Start civitas-searchd --db db --listen 127.0.0.1:0 [extra args...]
 * (extra NULL-terminated, may be NULL) and wait for its "listening on"
 * line. Fails the test when it does not come within 20 s. */
void e2e_searchd_start(e2e_searchd *d, const char *db, const char *const *extra);

/* SIGTERM it and wait. Returns its exit status (-1: killed by a signal). */
int e2e_searchd_stop(e2e_searchd *d);

/* Percent-encode s for a query string into a new string (g_free). */
char *e2e_url_encode(const char *s);

#endif /* CIV_E2E_HTTP_H */
