/* civitas-searchd: serve a Civitas index over HTTP.
 *
 * Parses options, checks that the index opens, starts the HTTP server and
 * waits for SIGTERM or SIGINT, then stops the server (joining its threads,
 * which close their Xapian readers) and exits 0. The signals are blocked in
 * every thread and taken with sigwait here, so no handler runs inside
 * libmicrohttpd or Xapian.
 *
 * Exit status: 0 clean shutdown, 1 the index cannot be opened or the
 * address cannot be bound, 2 usage error.
 */
#include <glib.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "searchd.h"

enum { EXIT_STARTUP = 1, EXIT_USAGE = 2 };

/* Parse "ADDR:PORT" or "[V6ADDR]:PORT" into cfg->addr. Host names
 * ("localhost") are resolved; port 0 asks the kernel for a free port. */
static int parse_listen(const char *spec, searchd_config *cfg)
{
    char host[256];
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || !colon[1] || (size_t)(colon - spec) >= sizeof host)
        return -1;
    size_t hlen = (size_t)(colon - spec);
    memcpy(host, spec, hlen);
    host[hlen] = '\0';
    if (host[0] == '[') {
        if (hlen < 3 || host[hlen - 1] != ']')
            return -1;
        memmove(host, host + 1, hlen - 2);
        host[hlen - 2] = '\0';
    }
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return -1;
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    if (getaddrinfo(host, colon + 1, &hints, &ai) != 0 || !ai)
        return -1;
    memcpy(&cfg->addr, ai->ai_addr, ai->ai_addrlen);
    cfg->addr_len = ai->ai_addrlen;
    if (ai->ai_family == AF_INET6)
        snprintf(cfg->host, sizeof cfg->host, "[%s]", host);
    else
        snprintf(cfg->host, sizeof cfg->host, "%s", host);
    freeaddrinfo(ai);
    return 0;
}

/* An http(s) URL of printable ASCII with no quotes, '<', '>' or '&', so it
 * can go into the OpenSearch XML as is; a trailing '/' is dropped. */
static int public_url_ok(char *url)
{
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return 0;
    for (const char *p = url; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f || strchr("\"'<>&{}", *p))
            return 0;
    size_t n = strlen(url);
    while (n > 8 && url[n - 1] == '/')
        url[--n] = '\0';
    return 1;
}

int main(int argc, char **argv)
{
    searchd_config cfg;
    memset(&cfg, 0, sizeof cfg);
    civ_search_limits_default(&cfg.limits);
    cfg.threads = (int)g_get_num_processors();
    cfg.max_connections = 256;
    cfg.max_connections_per_ip = 32;
    cfg.connection_timeout = 10;
    cfg.max_url_bytes = 4096;
    cfg.connection_memory = 64 * 1024;
    char *listen = NULL;
    gint max_query = (gint)cfg.limits.max_query_bytes, max_per_page = (gint)cfg.limits.max_per_page,
         max_depth = (gint)cfg.limits.max_depth, max_wildcard = (gint)cfg.limits.max_wildcard,
         max_conn = (gint)cfg.max_connections, max_conn_ip = (gint)cfg.max_connections_per_ip,
         conn_timeout = (gint)cfg.connection_timeout, max_url = (gint)cfg.max_url_bytes,
         conn_memory = (gint)(cfg.connection_memory / 1024), cache_mb = 64;
    gdouble timeout = cfg.limits.time_limit;
    gboolean no_access_log = FALSE;
    GOptionEntry entries[] = {
        {"db", 'd', 0, G_OPTION_ARG_FILENAME, &cfg.db, "Index directory (required)", "DIR"},
        {"listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
         "Address and port (default 127.0.0.1:8080; port 0 picks a free one)", "ADDR:PORT"},
        {"threads", 't', 0, G_OPTION_ARG_INT, &cfg.threads,
         "Worker threads, each with its own index reader (default: number of cores)", "N"},
        {"cors-origin", 0, 0, G_OPTION_ARG_STRING_ARRAY, &cfg.cors_origins,
         "Allow this origin to call the API from a browser (repeatable; '*' for any)", "ORIGIN"},
        {"public-url", 0, 0, G_OPTION_ARG_STRING, &cfg.public_url,
         "Address users reach this server at, for /opensearch.xml (default: http:// and the "
         "request's Host)",
         "URL"},
        {"max-query-bytes", 0, 0, G_OPTION_ARG_INT, &max_query,
         "Longest q parameter, in bytes (default 1024; longer: 414)", "N"},
        {"max-per-page", 0, 0, G_OPTION_ARG_INT, &max_per_page, "Largest per_page (default 50)",
         "N"},
        {"max-depth", 0, 0, G_OPTION_ARG_INT, &max_depth, "Largest page * per_page (default 1000)",
         "N"},
        {"max-wildcard", 0, 0, G_OPTION_ARG_INT, &max_wildcard,
         "Terms one wildcard may expand to; 0 disables wildcards (default 100)", "N"},
        {"query-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &timeout,
         "Seconds a query may take before it is answered 503 (default 0.5)", "SECONDS"},
        {"max-connections", 0, 0, G_OPTION_ARG_INT, &max_conn,
         "Open connections at most (default 256)", "N"},
        {"max-connections-per-ip", 0, 0, G_OPTION_ARG_INT, &max_conn_ip,
         "Open connections per client address at most (default 32)", "N"},
        {"connection-timeout", 0, 0, G_OPTION_ARG_INT, &conn_timeout,
         "Close connections idle for this many seconds (default 10)", "SECONDS"},
        {"max-url-bytes", 0, 0, G_OPTION_ARG_INT, &max_url,
         "Longest request target (path and query), in bytes (default 4096; longer: 414)", "N"},
        {"connection-memory", 0, 0, G_OPTION_ARG_INT, &conn_memory,
         "Memory per connection for the request line and headers, in KiB (default 64; 16 to "
         "1024; a bigger request: 414 or 431)",
         "KIB"},
        {"cache-mb", 0, 0, G_OPTION_ARG_INT, &cache_mb,
         "Memory for recent search answers, reused until the index changes, in MiB "
         "(default 64; 0: no cache)",
         "MIB"},
        {"no-access-log", 0, 0, G_OPTION_ARG_NONE, &no_access_log,
         "Do not print a line per request on standard output", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    GOptionContext *ctx = g_option_context_new("- serve a Civitas index over HTTP");
    g_option_context_set_summary(
        ctx, "Answer searches over an index built by civitas-index: a JSON API under /api/,\n"
             "a search page at /, /health and /metrics. The index may be updated while the\n"
             "daemon runs; each request sees the newest committed revision.");
    g_option_context_set_description(ctx, "Exit status:\n"
                                          "  0  stopped by SIGTERM or SIGINT\n"
                                          "  1  the index cannot be opened or the address bound\n"
                                          "  2  usage error\n");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *gerr = NULL;
    int rc = 0;
    searchd_http *http = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &gerr)) {
        fprintf(stderr, "civitas-searchd: %s\nTry 'civitas-searchd --help'.\n", gerr->message);
        g_error_free(gerr);
        rc = EXIT_USAGE;
        goto out;
    }
    const char *problem =
        !cfg.db                                 ? "--db DIR is required"
        : argc > 1                              ? "unexpected argument"
        : cfg.threads < 1 || cfg.threads > 1024 ? "--threads must be 1 to 1024"
        : max_query < 1 || max_per_page < 1 || max_depth < 1 || max_wildcard < 0 || max_conn < 1 ||
                max_conn_ip < 1 || conn_timeout < 1 || max_url < 64 || timeout < 0
            ? "limits must be positive"
        : conn_memory < 16 || conn_memory > 1024 ? "--connection-memory must be 16 to 1024 (KiB)"
        : cache_mb < 0 || cache_mb > 65536       ? "--cache-mb must be 0 to 65536 (MiB)"
        : (size_t)max_url > (size_t)conn_memory * 1024 / 2
            ? "--max-url-bytes must be at most half of --connection-memory"
        : cfg.public_url && !public_url_ok(cfg.public_url)
            ? "--public-url must be http://HOST[:PORT][/PATH] or https://..."
        : parse_listen(listen ? listen : "127.0.0.1:8080", &cfg) != 0
            ? "--listen must be ADDR:PORT, e.g. 127.0.0.1:8080 or [::1]:0"
            : NULL;
    if (problem) {
        fprintf(stderr, "civitas-searchd: %s\nTry 'civitas-searchd --help'.\n", problem);
        rc = EXIT_USAGE;
        goto out;
    }
    cfg.limits.max_query_bytes = (size_t)max_query;
    cfg.limits.max_per_page = (unsigned)max_per_page;
    cfg.limits.max_depth = (unsigned)max_depth;
    cfg.limits.max_wildcard = (unsigned)max_wildcard;
    cfg.limits.time_limit = timeout;
    cfg.max_connections = (unsigned)max_conn;
    cfg.max_connections_per_ip = (unsigned)max_conn_ip;
    cfg.connection_timeout = (unsigned)conn_timeout;
    cfg.max_url_bytes = (size_t)max_url;
    cfg.connection_memory = (size_t)conn_memory * 1024;
    cfg.access_log = !no_access_log;
    cfg.cache_bytes = (size_t)cache_mb * 1024 * 1024;

    if (routes_init(&cfg) != 0) {
        rc = EXIT_STARTUP;
        goto out;
    }
    /* Block the stop signals before any thread starts, so every thread
     * inherits the mask and only sigwait below sees them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    http = http_start(&cfg);
    if (!http) {
        routes_shutdown();
        rc = EXIT_STARTUP;
        goto out;
    }
    printf("civitas-searchd: listening on http://%s:%u/\n", cfg.host, http_port(http));
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "civitas-searchd: %s: shutting down\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    http_stop(http);
    routes_shutdown();
out:
    g_option_context_free(ctx);
    g_free(cfg.db);
    g_free(listen);
    g_strfreev(cfg.cors_origins);
    g_free(cfg.public_url);
    return rc;
}
