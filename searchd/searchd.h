/* searchd.h: what the parts of civitas-searchd share.
 *
 * main.c parses options into a searchd_config and runs the daemon;
 * http.c is the only file that knows libmicrohttpd: it turns a request
 * into a call to routes_handle and the reply it fills into a response;
 * routes.c answers each route from libcivitas (civ_search, civ_json),
 * with one Xapian reader per thread; cache.c keeps recent search answers;
 * metrics.c counts requests.
 */
#ifndef CIV_SEARCHD_H
#define CIV_SEARCHD_H

#include <glib.h>
#include <stddef.h>
#include <sys/socket.h>

#include "civ_search.h"
#include "civ_xapian.h"

typedef struct searchd_config {
    char *db;
    struct sockaddr_storage addr;
    socklen_t addr_len;
    char host[300]; /* printable listen host: "127.0.0.1", "[::1]" */
    int threads;
    char **cors_origins; /* NULL-terminated allow-list, or NULL */
    char *public_url;    /* "https://search.example.org" (no trailing '/'), or NULL */
    civ_search_limits limits;
    unsigned max_connections;
    unsigned max_connections_per_ip;
    unsigned connection_timeout; /* seconds */
    size_t max_url_bytes;        /* request target (path + query) */
    size_t connection_memory;    /* bytes per connection for headers and buffers */
    int access_log;              /* 1: a line per request on stdout */
    size_t cache_bytes;          /* search answers kept for reuse; 0: no cache */
} searchd_config;

/* Routes, the label of civitas_requests_total. */
typedef enum searchd_route {
    ROUTE_SEARCH,
    ROUTE_DOCUMENT,
    ROUTE_DOCUMENT_PASSAGES,
    ROUTE_DOCUMENT_FILE,
    ROUTE_PASSAGE,
    ROUTE_CITE,       /* /api/passages/{id}/cite and /api/cite */
    ROUTE_REFERENCES, /* /api/documents/{id}/references */
    ROUTE_HEALTH,
    ROUTE_METRICS,
    ROUTE_STATIC,
    ROUTE_OTHER,
    ROUTE_COUNT
} searchd_route;

/* ---- metrics.c --------------------------------------------------------- */

void metrics_observe(searchd_route route, unsigned status, double seconds);
void metrics_index_reopened(void);
/* Prometheus text exposition with the index gauges given. malloc'd. */
char *metrics_render(unsigned documents, unsigned passages, unsigned long long size_bytes,
                     size_t *len);
const char *metrics_route_name(searchd_route route);

/* ---- routes.c ---------------------------------------------------------- */

/* A decoded query parameter, borrowed from the HTTP layer. */
typedef struct searchd_param {
    const char *name;
    size_t name_len;
    const char *value; /* "" when the parameter had no "=" */
    size_t value_len;
} searchd_param;

#define SEARCHD_MAX_PARAMS 64

/* What a route answers; http.c sends it. */
typedef struct searchd_reply {
    unsigned status;
    searchd_route route;
    const char *content_type;
    char *body;              /* malloc'd, freed by the sender ... */
    const void *static_body; /* ... or static bytes (then body is NULL) */
    size_t len;
    int fd;            /* >= 0: send this file's len bytes instead of a body (http.c closes it) */
    const char *allow; /* Allow header (405) */
    const char *csp;   /* Content-Security-Policy */
    const char *cache_control;
    const char *disposition; /* Content-Disposition */
    int retry_after;         /* seconds, 0: none */
} searchd_reply;

/* Open per-thread readers from now on. Returns 0, or -1 with a message on
 * stderr when the index cannot be opened. */
int routes_init(const searchd_config *cfg);
void routes_shutdown(void);

/* Answer a GET or HEAD request for path (decoded, without the query) with
 * the n decoded params; host is the request's Host header or NULL
 * (/opensearch.xml and the citation exports use it to write absolute URLs
 * when --public-url is not given). Fills *reply (status, body...). */
void routes_handle(const char *path, const char *host, const searchd_param *params, size_t n,
                   searchd_reply *reply);

/* The route path (decoded, without the query) is counted under in
 * /metrics, whether or not its request is well formed. */
searchd_route routes_route_of(const char *path);

/* Fill reply with a JSON error {"error":{code,message}}. */
void routes_error(searchd_reply *reply, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- cache.c ----------------------------------------------------------- */

/* Keep up to max_bytes of answers (0: keep none; every call is then a
 * no-op and cache_get misses). */
void cache_init(size_t max_bytes);
void cache_shutdown(void);
/* The key of a request with these params, into key. */
void cache_key(GString *key, const searchd_param *params, size_t n);
/* A malloc'd copy of the answer kept for key at index_version (from
 * civ_xapian_reader_version), or NULL. */
char *cache_get(const GString *key, const char *index_version, size_t *len);
/* Keep a copy of body as the answer for key at index_version. */
void cache_put(const GString *key, const char *index_version, const char *body, size_t len);
void cache_stats(unsigned long long *hits, unsigned long long *misses, size_t *bytes,
                 size_t *entries);

/* ---- http.c ------------------------------------------------------------ */

typedef struct searchd_http searchd_http;

/* Listen and serve with cfg (borrowed for the server's life). Returns
 * NULL with a message on stderr when the address cannot be bound. */
searchd_http *http_start(const searchd_config *cfg);
/* The port actually bound (useful with port 0). */
unsigned http_port(const searchd_http *h);
/* Stop accepting, finish or drop open connections, join the threads. */
void http_stop(searchd_http *h);

/* ---- static_files_data.c (generated) ------------------------------------ */

#include "static_files.h"

#endif /* CIV_SEARCHD_H */
