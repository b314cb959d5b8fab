/* http.c: libmicrohttpd glue; the only file that includes microhttpd.h.
 *
 * MHD runs a pool of threads, each with its own event loop; a request is
 * answered entirely on the thread that read it (routes.c keeps one Xapian
 * reader per thread). A request object is made when the request line is
 * read (the URI log callback sees the raw target, so its length can be
 * capped before anything is decoded) and freed when MHD reports the
 * request complete, which is also when it is logged and counted.
 *
 * The path and the query parameters are decoded from a copy of the raw
 * target by civ_params (lib/civ_params.c), not taken from libmicrohttpd:
 * its decoder passes invalid escapes ("%G1", a trailing "%") through as
 * text and cuts the path at "%00". Ours refuses both with a 400, and
 * reports each value's decoded length, so "%00" inside a value arrives as
 * a NUL and is refused instead of silently cutting the value short.
 */
#include <glib.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "civ_params.h"
#include "searchd.h"

#define LOG_PATH_MAX 200

struct searchd_http {
    struct MHD_Daemon *mhd;
    const searchd_config *cfg;
};

/* One HTTP request, from its request line to its completion. */
typedef struct request {
    gint64 start_us;
    int headers_seen;  /* on_request has been called once */
    size_t target_len; /* raw request target: path and query, still encoded */
    char *target;      /* a copy of it (NULL when over --max-url-bytes) */
    int answered;
    searchd_route route;
    unsigned status;
    size_t bytes;
    char method[16];
    char path[LOG_PATH_MAX + 1];
} request;

/* The raw target is copied here because libmicrohttpd decodes it in place
 * after this callback returns. */
static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)c;
    searchd_http *h = cls;
    request *rq = calloc(1, sizeof *rq);
    if (rq) {
        rq->start_us = g_get_monotonic_time();
        rq->target_len = strlen(uri);
        if (rq->target_len <= h->cfg->max_url_bytes)
            rq->target = strdup(uri);
    }
    return rq;
}

/* Printable ASCII only, so a request cannot forge log lines. */
static void copy_for_log(char *dst, size_t size, const char *src)
{
    size_t i = 0;
    for (; src && src[i] && i + 1 < size; i++)
        dst[i] = (src[i] > 0x20 && src[i] < 0x7f) ? src[i] : '?';
    dst[i] = '\0';
}

static void add_cors(const searchd_config *cfg, struct MHD_Connection *c, struct MHD_Response *resp)
{
    if (!cfg->cors_origins || !cfg->cors_origins[0])
        return;
    /* Caches must keep answers for different origins apart. */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Origin");
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    if (!origin)
        return;
    for (char **o = cfg->cors_origins; *o; o++) {
        if (strcmp(*o, "*") == 0 || strcmp(*o, origin) == 0) {
            MHD_add_response_header(resp, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN,
                                    strcmp(*o, "*") == 0 ? "*" : *o);
            return;
        }
    }
}

static enum MHD_Result send_reply(searchd_http *h, struct MHD_Connection *c, request *rq,
                                  searchd_reply *reply)
{
    struct MHD_Response *resp;
    if (reply->fd >= 0)
        resp = MHD_create_response_from_fd(reply->len, reply->fd);
    else if (reply->static_body)
        resp = MHD_create_response_from_buffer(reply->len, (void *)reply->static_body,
                                               MHD_RESPMEM_PERSISTENT);
    else
        resp = MHD_create_response_from_buffer(reply->len, reply->body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        if (reply->fd >= 0)
            close(reply->fd);
        free(reply->body);
        return MHD_NO;
    }
    /* The response owns the body (or the fd) now. */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            reply->content_type ? reply->content_type : "application/octet-stream");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (reply->cache_control)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, reply->cache_control);
    if (reply->csp)
        MHD_add_response_header(resp, "Content-Security-Policy", reply->csp);
    if (reply->allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, reply->allow);
    if (reply->disposition)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, reply->disposition);
    if (reply->retry_after) {
        char secs[16];
        snprintf(secs, sizeof secs, "%d", reply->retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, secs);
    }
    add_cors(h->cfg, c, resp);
    rq->status = reply->status;
    rq->route = reply->route;
    rq->bytes = reply->len;
    enum MHD_Result ret = MHD_queue_response(c, reply->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    (void)upload_data;
    searchd_http *h = cls;
    request *rq = *con_cls;
    if (!rq)
        return MHD_NO; /* out of memory when the request line came in */
    if (rq->answered) {
        /* A body we do not want (the 405 went out already). */
        *upload_data_size = 0;
        return MHD_YES;
    }
    int get = strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    if (get && !rq->headers_seen) {
        /* The first call comes with the headers: libmicrohttpd closes the
         * connection after a reply queued now (it could not read the
         * next request), so a GET is answered on the next call, once
         * the request is complete, and the connection is kept alive. */
        rq->headers_seen = 1;
        return MHD_YES;
    }
    if (get && *upload_data_size) {
        /* A body sent with a GET means nothing here: read and dropped. */
        *upload_data_size = 0;
        return MHD_YES;
    }
    rq->answered = 1;
    copy_for_log(rq->method, sizeof rq->method, method);
    copy_for_log(rq->path, sizeof rq->path, url);

    searchd_reply reply;
    memset(&reply, 0, sizeof reply);
    reply.fd = -1;
    reply.route = ROUTE_OTHER;
    if (rq->target_len > h->cfg->max_url_bytes) {
        routes_error(&reply, MHD_HTTP_URI_TOO_LONG, "uri_too_long",
                     "the request target is longer than %zu bytes", h->cfg->max_url_bytes);
    } else if (!get) {
        routes_error(&reply, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
                     "only GET and HEAD are supported");
        reply.allow = "GET, HEAD";
    } else if (!rq->target) {
        return MHD_NO; /* out of memory when the request line came in */
    } else {
        civ_params *cp = NULL;
        civ_err err;
        civ_status st = civ_params_parse(rq->target, rq->target_len, &cp, &err);
        if (st == CIV_ERR_NOMEM)
            return MHD_NO;
        if (st) {
            /* Counted under its route: the raw path, up to the query. */
            char path[64];
            size_t n = strcspn(rq->target, "?");
            if (n < sizeof path) {
                memcpy(path, rq->target, n);
                path[n] = '\0';
                reply.route = routes_route_of(path);
            }
            routes_error(&reply, MHD_HTTP_BAD_REQUEST, "bad_query", "%s", err.msg);
        } else {
            /* routes.c borrows the decoded text; cp outlives the call. */
            searchd_param params[CIV_PARAMS_MAX];
            for (size_t i = 0; i < cp->n; i++) {
                params[i].name = cp->params[i].name;
                params[i].name_len = cp->params[i].name_len;
                params[i].value = cp->params[i].value;
                params[i].value_len = cp->params[i].value_len;
            }
            copy_for_log(rq->path, sizeof rq->path, cp->path);
            routes_handle(cp->path, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host"), params,
                          cp->n, &reply);
        }
        civ_params_free(cp);
    }
    return send_reply(h, c, rq, &reply);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    (void)toe;
    searchd_http *h = cls;
    request *rq = *con_cls;
    if (!rq)
        return;
    if (rq->answered) {
        double secs = (double)(g_get_monotonic_time() - rq->start_us) / 1e6;
        metrics_observe(rq->route, rq->status, secs);
        if (h->cfg->access_log) {
            char stamp[32];
            time_t now = time(NULL);
            struct tm tm;
            gmtime_r(&now, &tm);
            strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
            /* One fprintf per line: stdio's lock keeps lines whole. */
            fprintf(stdout, "%s %s %s %u %zu %.1fms\n", stamp, rq->method, rq->path, rq->status,
                    rq->bytes, secs * 1000.0);
            fflush(stdout);
        }
    }
    free(rq->target);
    free(rq);
    *con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    fprintf(stderr, "civitas-searchd: http: %s%s", msg,
            msg[0] && msg[strlen(msg) - 1] == '\n' ? "" : "\n");
}

searchd_http *http_start(const searchd_config *cfg)
{
    searchd_http *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->cfg = cfg;
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
    if (cfg->addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    h->mhd = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, h, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&cfg->addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)cfg->threads, MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_connections_per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        cfg->connection_memory, MHD_OPTION_URI_LOG_CALLBACK, on_request_line, h,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, h, MHD_OPTION_END);
    if (!h->mhd) {
        fprintf(stderr, "civitas-searchd: cannot listen on %s\n", cfg->host);
        free(h);
        return NULL;
    }
    return h;
}

unsigned http_port(const searchd_http *h)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

void http_stop(searchd_http *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->mhd);
    free(h);
}
