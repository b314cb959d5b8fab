/* routes.c: the answer to each route, from libcivitas.
 *
 * Each MHD pool thread has its own civ_xapian_reader (Xapian objects are
 * not thread-safe), opened on the thread's first request and kept in a
 * pthread key whose destructor closes it when the pool stops. Before a
 * request the reader moves to the newest committed revision, so a
 * re-index shows up without a restart; a search that still sees the index
 * change under it twice is retried. Looking for a new revision opens and
 * reads a version file per database, a dozen system calls: a thread does
 * it at most every REOPEN_CHECK_MS, so under load most requests skip it,
 * and a commit shows within that time. Readers move on one thread at a
 * time, so a thread whose reader moved says so (index_moves) before its
 * answer goes out, and every other thread looks again on its next request
 * whatever the time: once an answer came from a revision, no request sent
 * later is answered from an older one (a new document found, then not).
 *
 * Status mapping: bad input is 4xx (never 500); an index that is changing
 * or a query past its deadline is 503 with Retry-After; 500 is left for
 * real faults (a damaged index, a bug).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "civ_cite.h"
#include "civ_index.h"
#include "civ_json.h"
#include "civ_lang.h"
#include "civ_search.h"
#include "searchd.h"

#define JSON_TYPE "application/json; charset=utf-8"
#define SEARCH_ATTEMPTS 3
#define DEFAULT_PASSAGE_LIMIT 100
#define MAX_PASSAGE_LIMIT 1000
#define MAX_PASSAGE_OFFSET 10000000
/* How often, at most, a thread looks for a new index revision. */
#define REOPEN_CHECK_MS 50
/* Passages one /api/cite request may name. */
#define MAX_CITE_IDS 50

/* The search page's policy: scripts and styles only from this origin, so
 * even a snippet that escaped escaping could not run script. */
#define PAGE_CSP                                                                                   \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "                    \
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
/* Originals other than PDF open in a sandbox: an HTML or XML original
 * cannot run script on our origin or fetch anything. */
#define ORIGINAL_CSP "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"

static const searchd_config *config;
static pthread_key_t reader_key;
/* Bumped whenever a thread's reader moves to a newer revision. */
static atomic_ullong index_moves;
/* index_moves when this thread last looked for a new revision. */
static __thread unsigned long long moves_seen;
/* This thread's reader's reopen count when it last told index_moves;
 * NO_MOVES_TOLD for a reader not yet told about. */
#define NO_MOVES_TOLD (~0ULL)
static __thread unsigned long long moves_told = NO_MOVES_TOLD;

static void reader_destroy(void *reader)
{
    civ_xapian_reader_close(reader);
}

int routes_init(const searchd_config *cfg)
{
    size_t n_langs = 0;
    const civ_xapian_lang *langs = civ_lang_table(&n_langs);
    civ_xapian_reader *probe = NULL;
    civ_err err;
    civ_status st = civ_xapian_reader_open(cfg->db, langs, n_langs, &probe, &err);
    if (st == CIV_ERR_NOTFOUND) {
        fprintf(stderr, "civitas-searchd: %s: %s\n(run civitas-index --db %s PATH first)\n",
                cfg->db, err.msg, cfg->db);
        return -1;
    }
    if (st != CIV_OK) {
        fprintf(stderr, "civitas-searchd: %s: %s\n", cfg->db, err.msg);
        return -1;
    }
    civ_xapian_reader_close(probe);
    if (pthread_key_create(&reader_key, reader_destroy) != 0) {
        fprintf(stderr, "civitas-searchd: cannot create thread key\n");
        return -1;
    }
    config = cfg;
    cache_init(cfg->cache_bytes);
    return 0;
}

void routes_shutdown(void)
{
    /* The pool threads have exited (and closed their readers); the main
     * thread never opened one. */
    pthread_key_delete(reader_key);
    cache_shutdown();
}

/* This thread's reader, at the newest revision. NULL with err filled when
 * the index cannot be opened. */
static civ_xapian_reader *thread_reader(civ_err *err)
{
    static __thread gint64 checked_us; /* when this thread last looked */
    civ_xapian_reader *r = pthread_getspecific(reader_key);
    unsigned long long moves = atomic_load(&index_moves);
    gint64 now = g_get_monotonic_time();
    if (r && moves == moves_seen && now - checked_us < REOPEN_CHECK_MS * 1000)
        return r;
    checked_us = now;
    moves_seen = moves;
    int changed = 0;
    if (r && civ_xapian_reader_reopen(r, &changed, err) == CIV_OK) {
        if (changed)
            metrics_index_reopened();
        return r;
    }
    /* No reader yet, or the old one cannot move on (the index was deleted
     * and re-created): open afresh. */
    civ_xapian_reader_close(r);
    pthread_setspecific(reader_key, NULL);
    size_t n_langs = 0;
    const civ_xapian_lang *langs = civ_lang_table(&n_langs);
    if (civ_xapian_reader_open(config->db, langs, n_langs, &r, err) != CIV_OK)
        return NULL;
    pthread_setspecific(reader_key, r);
    moves_told = NO_MOVES_TOLD; /* a new reader may be ahead of the others */
    return r;
}

/* After a request: when this thread's reader moved on during it (in
 * thread_reader, or retrying a search the index changed under), tell the
 * other threads before the answer goes out. */
static void tell_moves(void)
{
    civ_xapian_reader *r = pthread_getspecific(reader_key);
    if (!r)
        return;
    unsigned long long reopens = civ_xapian_reader_reopens(r);
    if (reopens != moves_told) {
        moves_told = reopens;
        atomic_fetch_add(&index_moves, 1);
    }
}

/* ---- replies ------------------------------------------------------------- */

static void reply_json(searchd_reply *reply, unsigned status, char *body, size_t len)
{
    reply->status = status;
    reply->content_type = JSON_TYPE;
    reply->body = body;
    reply->len = len;
    reply->cache_control = "no-cache";
}

void routes_error(searchd_reply *reply, unsigned status, const char *code, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    if (status == 500) /* a fault the operator must see, not just the client */
        fprintf(stderr, "civitas-searchd: 500 %s: %s\n", code, message);
    free(reply->body);
    size_t len = 0;
    char *body = civ_json_error(code, message, &len);
    reply_json(reply, status, body, body ? len : 0);
    if (!body) {
        /* Out of memory even for the error: a fixed body says so. */
        static const char oom[] =
            "{\"error\":{\"code\":\"overloaded\",\"message\":\"out of memory\"}}";
        reply->static_body = oom;
        reply->len = sizeof oom - 1;
        reply->status = 503;
    }
    if (status == 503)
        reply->retry_after = 1;
}

/* Map a libcivitas failure to an HTTP error. */
static void reply_status(searchd_reply *reply, civ_status st, const civ_err *err)
{
    switch (st) {
    case CIV_ERR_INPUT:
        routes_error(reply, 400, "bad_query", "%s", err->msg);
        break;
    case CIV_ERR_TOOLARGE:
        routes_error(reply, 414, "query_too_long", "%s", err->msg);
        break;
    case CIV_ERR_NOTFOUND:
        routes_error(reply, 404, "not_found", "no such document or passage");
        break;
    case CIV_ERR_MODIFIED:
        routes_error(reply, 503, "index_changing", "the index is being updated; retry");
        break;
    case CIV_ERR_NOMEM:
        routes_error(reply, 503, "overloaded", "out of memory");
        break;
    default:
        routes_error(reply, 500, "internal", "%s", err->msg);
        break;
    }
}

/* The index cannot be opened. The client learns that much; why (with the
 * index's path on this machine) goes to stderr for the operator, at most
 * once every 10 seconds however many requests fail. */
static void index_unavailable(searchd_reply *reply, const civ_err *err)
{
    static atomic_llong said_at = -10 * G_USEC_PER_SEC;
    long long now = g_get_monotonic_time(), last = atomic_load(&said_at);
    if (now - last >= 10 * G_USEC_PER_SEC && atomic_compare_exchange_strong(&said_at, &last, now))
        fprintf(stderr, "civitas-searchd: index unavailable: %s\n", err->msg);
    routes_error(reply, 503, "index_unavailable",
                 "the index cannot be opened (missing, unreadable or not yet created); retry");
}

static void reply_body(searchd_reply *reply, char *body, size_t len)
{
    if (body)
        reply_json(reply, 200, body, len);
    else
        routes_error(reply, 503, "overloaded", "out of memory");
}

/* ---- parameters ---------------------------------------------------------- */

static int param_is(const searchd_param *p, const char *name)
{
    return p->name_len == strlen(name) && memcmp(p->name, name, p->name_len) == 0;
}

/* Every parameter of every route must be text (UTF-8, no NUL). */
static int check_params(const searchd_param *params, size_t n, searchd_reply *reply)
{
    civ_err err;
    for (size_t i = 0; i < n; i++)
        if (civ_search_check_text(params[i].name, params[i].name_len, &err) != CIV_OK ||
            civ_search_check_text(params[i].value, params[i].value_len, &err) != CIV_OK) {
            routes_error(reply, 400, "bad_query", "%s", err.msg);
            return -1;
        }
    return 0;
}

/* offset and limit of the passage lists. */
static int paging_params(const searchd_param *params, size_t n, size_t *offset, size_t *limit,
                         searchd_reply *reply)
{
    *offset = 0;
    *limit = DEFAULT_PASSAGE_LIMIT;
    int seen[2] = {0, 0};
    for (size_t i = 0; i < n; i++) {
        int is_offset = param_is(&params[i], "offset");
        if (!is_offset && !param_is(&params[i], "limit"))
            continue;
        if (seen[is_offset]++) {
            routes_error(reply, 400, "bad_query", "parameter %s given more than once",
                         is_offset ? "offset" : "limit");
            return -1;
        }
        size_t max = is_offset ? MAX_PASSAGE_OFFSET : MAX_PASSAGE_LIMIT, v = 0;
        const char *s = params[i].value;
        size_t len = params[i].value_len;
        int ok = len > 0 && len <= 8;
        for (size_t k = 0; ok && k < len; k++) {
            ok = g_ascii_isdigit(s[k]);
            v = v * 10 + (size_t)(s[k] - '0');
        }
        if (!ok || v > max || (!is_offset && v == 0)) {
            routes_error(reply, 400, "bad_query", "%s must be a whole number from %d to %zu",
                         is_offset ? "offset" : "limit", is_offset ? 0 : 1, max);
            return -1;
        }
        *(is_offset ? offset : limit) = v;
    }
    return 0;
}

/* ---- API routes ---------------------------------------------------------- */

static void route_search(const searchd_param *params, size_t n, searchd_reply *reply)
{
    civ_search_request req;
    civ_search_results *res = NULL;
    civ_err err;
    GString *key = g_string_sized_new(128);
    civ_search_request_init(&req);
    civ_status st = CIV_OK;
    for (size_t i = 0; i < n && st == CIV_OK; i++)
        st = civ_search_request_set(&req, &config->limits, params[i].name, params[i].name_len,
                                    params[i].value, params[i].value_len, &err);
    if (st) {
        reply_status(reply, st, &err);
        goto out;
    }
    civ_xapian_reader *r = thread_reader(&err);
    if (!r) {
        index_unavailable(reply, &err);
        goto out;
    }
    char version[CIV_XAPIAN_VERSION_MAX];
    if (civ_xapian_reader_version(r, version, &err) != CIV_OK)
        version[0] = '\0'; /* the search below reports what is wrong */
    cache_key(key, params, n);
    size_t len = 0;
    char *body = version[0] ? cache_get(key, version, &len) : NULL;
    if (body) {
        reply_body(reply, body, len);
        goto out;
    }
    for (int attempt = 0; attempt < SEARCH_ATTEMPTS; attempt++) {
        st = civ_search_run(r, &req, &config->limits, &res, &err);
        if (st != CIV_ERR_MODIFIED)
            break;
        civ_xapian_reader_reopen(r, NULL, NULL);
    }
    if (st) {
        reply_status(reply, st, &err);
        goto out;
    }
    if (res->timed_out) {
        routes_error(reply, 503, "timeout", "the query took longer than %g s; simplify it",
                     config->limits.time_limit);
        goto out;
    }
    body = civ_json_search(res, &len);
    /* Kept only when the search ran at the version looked up: a retry
     * above may have moved the reader on. */
    char now[CIV_XAPIAN_VERSION_MAX];
    if (body && version[0] && civ_xapian_reader_version(r, now, &err) == CIV_OK &&
        strcmp(now, version) == 0)
        cache_put(key, version, body, len);
    reply_body(reply, body, len);
out:
    g_string_free(key, TRUE);
    civ_search_results_free(res);
    civ_search_request_clear(&req);
}

static void route_document(const char *id, int passages_only, const searchd_param *params, size_t n,
                           searchd_reply *reply)
{
    civ_search_document *doc = NULL;
    civ_search_passage *ps = NULL;
    size_t n_ps = 0, offset, limit;
    civ_err err;
    if (paging_params(params, n, &offset, &limit, reply) != 0)
        return;
    civ_xapian_reader *r = thread_reader(&err);
    if (!r) {
        index_unavailable(reply, &err);
        return;
    }
    civ_search_document **versions = NULL;
    size_t n_versions = 0;
    civ_status st = civ_search_document_get(r, id, &doc, NULL, &err);
    if (st == CIV_OK)
        st = civ_search_document_passages(r, doc, offset, limit, &ps, &n_ps, &err);
    if (st == CIV_OK && !passages_only)
        st = civ_search_versions(r, doc, &versions, &n_versions, &err);
    if (st == CIV_OK) {
        size_t len = 0;
        char *body = passages_only ? civ_json_passages(doc, ps, n_ps, offset, limit, &len)
                                   : civ_json_document(doc, ps, n_ps, offset, limit, versions,
                                                       n_versions, &len);
        reply_body(reply, body, len);
    } else {
        reply_status(reply, st, &err);
    }
    civ_search_versions_free(versions, n_versions);
    civ_search_passages_free(ps, n_ps);
    civ_search_document_free(doc);
}

static void route_references(const char *id, searchd_reply *reply)
{
    civ_search_document *doc = NULL;
    civ_search_references *refs = NULL;
    civ_err err;
    civ_xapian_reader *r = thread_reader(&err);
    if (!r) {
        index_unavailable(reply, &err);
        return;
    }
    civ_status st = civ_search_document_get(r, id, &doc, NULL, &err);
    if (st == CIV_OK)
        st = civ_search_references_get(r, doc, &refs, &err);
    if (st == CIV_OK) {
        size_t len = 0;
        char *body = civ_json_references(doc, refs, &len);
        reply_body(reply, body, len);
    } else {
        reply_status(reply, st, &err);
    }
    civ_search_references_free(refs);
    civ_search_document_free(doc);
}

static void route_passage(const char *id, searchd_reply *reply)
{
    civ_search_document *doc = NULL;
    civ_search_passage *p = NULL;
    civ_err err;
    civ_xapian_reader *r = thread_reader(&err);
    if (!r) {
        index_unavailable(reply, &err);
        return;
    }
    civ_status st = civ_search_passage_get(r, id, &p, &doc, &err);
    if (st == CIV_OK) {
        size_t len = 0;
        char *body = civ_json_passage(p, doc, &len);
        reply_body(reply, body, len);
    } else {
        reply_status(reply, st, &err);
    }
    civ_search_passages_free(p, p ? 1 : 0);
    civ_search_document_free(doc);
}

/* ---- citations ----------------------------------------------------------- */

typedef enum cite_format {
    CITE_UN,
    CITE_BLUEBOOK,
    CITE_OSCOLA,
    CITE_CSL_JSON,
    CITE_RIS,
    CITE_BIBTEX
} cite_format;

static const struct {
    const char *name;
    const char *content_type; /* NULL: a JSON wrapper around a string */
    const char *disposition;
} cite_formats[] = {
    {"un", NULL, NULL},
    {"bluebook", NULL, NULL},
    {"oscola", NULL, NULL},
    {"csl-json", "application/vnd.citationstyles.csl+json; charset=utf-8",
     "inline; filename=\"civitas-citation.json\""},
    {"ris", "application/x-research-info-systems; charset=utf-8",
     "attachment; filename=\"civitas-citation.ris\""},
    {"bibtex", "application/x-bibtex; charset=utf-8",
     "attachment; filename=\"civitas-citation.bib\""},
};

/* The format parameter (default un). -1 after a 400 reply. */
static int cite_format_param(const searchd_param *params, size_t n, searchd_reply *reply)
{
    int format = CITE_UN, seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (!param_is(&params[i], "format"))
            continue;
        if (seen++) {
            routes_error(reply, 400, "bad_query", "parameter format given more than once");
            return -1;
        }
        format = -1;
        for (size_t f = 0; f < sizeof cite_formats / sizeof cite_formats[0]; f++)
            if (params[i].value_len == strlen(cite_formats[f].name) &&
                memcmp(params[i].value, cite_formats[f].name, params[i].value_len) == 0)
                format = (int)f;
        if (format < 0) {
            routes_error(reply, 400, "bad_query",
                         "format must be un, bluebook, oscola, csl-json, ris or bibtex");
            return -1;
        }
    }
    return format;
}

/* Where users reach the daemon, for the URLs in exports: --public-url, else
 * http:// and a plain Host, else "" (relative URLs). g_free it. */
static char *public_base(const char *host);

/* A passage and its document, and the citation source pointing into them. */
typedef struct cited_passage {
    civ_search_passage *passage;
    civ_search_document *document;
    char *url;
} cited_passage;

static void cited_clear(cited_passage *c)
{
    civ_search_passages_free(c->passage, c->passage ? 1 : 0);
    civ_search_document_free(c->document);
    g_free(c->url);
}

static civ_cite_source cite_source(const cited_passage *c)
{
    const civ_search_document *d = c->document;
    const civ_search_passage *p = c->passage;
    civ_cite_source src = {.symbol = d->symbol,
                           .title = d->title,
                           .paragraph = p->paragraph,
                           .page = p->page,
                           .body = d->body,
                           .kind = d->type,
                           .date = d->date,
                           .language = d->language,
                           .url = c->url,
                           .id = p->id};
    return src;
}

/* Cite the n passages ids in format into reply. single: the one-passage
 * route (its JSON shape). */
static void reply_citations(char *const *ids, size_t n, int format, int single, const char *host,
                            searchd_reply *reply)
{
    civ_err err;
    civ_xapian_reader *r = thread_reader(&err);
    if (!r) {
        index_unavailable(reply, &err);
        return;
    }
    cited_passage *cited = calloc(n, sizeof *cited);
    civ_cite_source *srcs = calloc(n, sizeof *srcs);
    civ_json_citation *strings = calloc(n, sizeof *strings);
    char *base = public_base(host);
    char *body = NULL;
    size_t len = 0, done = 0;
    if (!cited || !srcs || !strings || !base) {
        routes_error(reply, 503, "overloaded", "out of memory");
        goto out;
    }
    for (; done < n; done++) {
        civ_status st =
            civ_search_passage_get(r, ids[done], &cited[done].passage, &cited[done].document, &err);
        if (st == CIV_ERR_NOTFOUND) {
            routes_error(reply, 404, "not_found", "no such passage: %s", ids[done]);
            goto out;
        }
        if (st) {
            reply_status(reply, st, &err);
            goto out;
        }
        const civ_search_passage *p = cited[done].passage;
        cited[done].url =
            p->page > 0
                ? g_strdup_printf("%s/api/documents/%s/file#page=%d", base, p->document_id, p->page)
                : g_strdup_printf("%s/api/documents/%s/file", base, p->document_id);
        srcs[done] = cite_source(&cited[done]);
    }
    if (format == CITE_CSL_JSON) {
        body = civ_json_csl(srcs, n, &len);
    } else if (format == CITE_RIS) {
        body = civ_cite_ris(srcs, n, &len);
    } else if (format == CITE_BIBTEX) {
        body = civ_cite_bibtex(srcs, n, &len);
    } else {
        civ_cite_style style = format == CITE_BLUEBOOK ? CIV_CITE_BLUEBOOK
                               : format == CITE_OSCOLA ? CIV_CITE_OSCOLA
                                                       : CIV_CITE_UN;
        int ok = 1;
        for (size_t i = 0; i < n; i++) {
            strings[i].passage_id = cited[i].passage->id;
            strings[i].document_id = cited[i].passage->document_id;
            strings[i].citation = civ_cite_style_format(&srcs[i], style);
            ok &= strings[i].citation != NULL;
        }
        if (ok)
            body = civ_json_citations(cite_formats[format].name, strings, n, single, &len);
        for (size_t i = 0; i < n; i++)
            free((char *)strings[i].citation);
    }
    if (!body) {
        routes_error(reply, 503, "overloaded", "out of memory");
        goto out;
    }
    reply_body(reply, body, len);
    if (cite_formats[format].content_type) {
        reply->content_type = cite_formats[format].content_type;
        reply->disposition = cite_formats[format].disposition;
    }
out:
    for (size_t i = 0; cited && i < n; i++)
        cited_clear(&cited[i]);
    free(cited);
    free(srcs);
    free(strings);
    g_free(base);
}

static void route_cite_passage(const char *id, const char *host, const searchd_param *params,
                               size_t n, searchd_reply *reply)
{
    int format = cite_format_param(params, n, reply);
    if (format < 0)
        return;
    char *ids[1] = {(char *)id};
    reply_citations(ids, 1, format, 1, host, reply);
}

/* /api/cite?ids=ID1,ID2,...: every id must be a passage id; repeats are
 * cited once, in the order first given. */
static void route_cite_selection(const char *host, const searchd_param *params, size_t n,
                                 searchd_reply *reply)
{
    int format = cite_format_param(params, n, reply);
    if (format < 0)
        return;
    const searchd_param *ids_param = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!param_is(&params[i], "ids"))
            continue;
        if (ids_param) {
            routes_error(reply, 400, "bad_query", "parameter ids given more than once");
            return;
        }
        ids_param = &params[i];
    }
    if (!ids_param || ids_param->value_len == 0) {
        routes_error(reply, 400, "bad_query", "ids is required: passage ids separated by commas");
        return;
    }
    char *list = g_strndup(ids_param->value, ids_param->value_len);
    char **parts = g_strsplit(list, ",", MAX_CITE_IDS + 2);
    char *ids[MAX_CITE_IDS];
    size_t n_ids = 0, n_parts = g_strv_length(parts);
    if (n_parts > MAX_CITE_IDS) {
        routes_error(reply, 400, "bad_query", "at most %d passage ids", MAX_CITE_IDS);
        goto out;
    }
    for (size_t i = 0; i < n_parts; i++) {
        const char *id = parts[i];
        if (!civ_search_is_passage_id(id, strlen(id))) {
            /* Not echoed: it could be anything. */
            routes_error(reply, 400, "bad_query", "ids item %zu is not a passage id", i + 1);
            goto out;
        }
        int repeat = 0;
        for (size_t k = 0; k < n_ids && !repeat; k++)
            repeat = strcmp(ids[k], id) == 0;
        if (!repeat)
            ids[n_ids++] = parts[i];
    }
    reply_citations(ids, n_ids, format, 0, host, reply);
out:
    g_strfreev(parts);
    g_free(list);
}

/* The Content-Type an original is served with, by its indexed format. */
static const char *original_type(const char *format)
{
    static const struct {
        const char *format, *type;
    } types[] = {
        {"pdf", "application/pdf"},           {"udhr-xml", "application/xml"},
        {"akn", "application/xml"},           {"xml", "application/xml"},
        {"html", "text/html; charset=utf-8"}, {"text", "text/plain; charset=utf-8"},
    };
    for (size_t i = 0; format && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(format, types[i].format) == 0)
            return types[i].type;
    return "application/octet-stream";
}

static void route_file(const char *id, searchd_reply *reply)
{
    civ_search_document *doc = NULL;
    char *path = NULL;
    civ_err err;
    civ_xapian_reader *r = thread_reader(&err);
    if (!r) {
        index_unavailable(reply, &err);
        return;
    }
    /* The path comes from the index record, never from the request: the
     * id only selects a record, so no request can name another file. */
    civ_status st = civ_search_document_get(r, id, &doc, &path, &err);
    if (st) {
        reply_status(reply, st, &err);
        goto out;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        routes_error(reply, 404, "file_missing", "the original file is no longer available");
        goto out;
    }
    reply->status = 200;
    reply->fd = fd;
    reply->len = (size_t)sb.st_size;
    reply->content_type = original_type(doc->format);
    reply->cache_control = "no-cache";
    reply->disposition = "inline";
    if (!doc->format || strcmp(doc->format, "pdf") != 0)
        reply->csp = ORIGINAL_CSP;
out:
    free(path);
    civ_search_document_free(doc);
}

/* Bytes of the regular files directly in the index directory (glass keeps
 * all its tables there). */
/* Bytes of the files under dir: the index directory holds its two
 * databases as subdirectories. */
static unsigned long long index_size(const char *dir, int depth)
{
    unsigned long long total = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        struct stat sb;
        if (e->d_name[0] == '.' || fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (S_ISREG(sb.st_mode)) {
            total += (unsigned long long)sb.st_size;
        } else if (S_ISDIR(sb.st_mode) && depth > 0) {
            char *sub = g_build_filename(dir, e->d_name, NULL);
            total += index_size(sub, depth - 1);
            g_free(sub);
        }
    }
    closedir(d);
    return total;
}

typedef struct index_counts {
    unsigned long long revision;
    unsigned documents, passages;
} index_counts;

static civ_status count_index(civ_xapian_reader *r, index_counts *c, civ_err *err)
{
    civ_xapian_stats stats;
    civ_status st = civ_xapian_reader_stats(r, &stats, err);
    if (st == CIV_OK)
        st = civ_xapian_reader_term_count(r, CIV_KIND_DOC, &c->documents, err);
    if (st == CIV_OK)
        st = civ_xapian_reader_term_count(r, CIV_KIND_PASSAGE, &c->passages, err);
    c->revision = stats.revision;
    return st;
}

static void route_health(searchd_reply *reply)
{
    civ_err err;
    index_counts c = {0, 0, 0};
    civ_xapian_reader *r = thread_reader(&err);
    civ_status st = r ? count_index(r, &c, &err) : CIV_ERR_NOTFOUND;
    civ_json_health h = {st == CIV_OK ? "ok" : "unavailable", c.revision, c.documents, c.passages};
    size_t len = 0;
    char *body = civ_json_health_dump(&h, &len);
    reply_body(reply, body, len);
    if (st != CIV_OK && body) {
        reply->status = 503;
        reply->retry_after = 1;
    }
}

static void route_metrics(searchd_reply *reply)
{
    civ_err err;
    index_counts c = {0, 0, 0};
    civ_xapian_reader *r = thread_reader(&err);
    if (r)
        count_index(r, &c, &err);
    size_t len = 0;
    char *body = metrics_render(c.documents, c.passages, index_size(config->db, 1), &len);
    if (!body) {
        routes_error(reply, 503, "overloaded", "out of memory");
        return;
    }
    reply->status = 200;
    reply->content_type = "text/plain; version=0.0.4; charset=utf-8";
    reply->body = body;
    reply->len = len;
    reply->cache_control = "no-store";
}

/* ---- the page ------------------------------------------------------------ */

static const char *static_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot && strcmp(dot, ".html") == 0)
        return "text/html; charset=utf-8";
    if (dot && strcmp(dot, ".js") == 0)
        return "text/javascript; charset=utf-8";
    if (dot && strcmp(dot, ".css") == 0)
        return "text/css; charset=utf-8";
    if (dot && strcmp(dot, ".svg") == 0)
        return "image/svg+xml";
    return "application/octet-stream";
}

/* Send a compiled-in file. csp: the page's policy for documents, NULL for
 * the widget (a script for other sites' pages, where our policy means
 * nothing). */
static int send_static(const char *name, const char *csp, const char *cache_control,
                       searchd_reply *reply)
{
    for (size_t i = 0; i < searchd_static_files_count; i++) {
        const searchd_static_file *f = &searchd_static_files[i];
        if (strcmp(f->name, name) != 0)
            continue;
        reply->status = 200;
        reply->static_body = f->data;
        reply->len = f->len;
        reply->content_type = static_type(f->name);
        reply->cache_control = cache_control;
        reply->csp = csp;
        return 1;
    }
    return 0;
}

static int route_static(const char *name, searchd_reply *reply)
{
    return send_static(name, PAGE_CSP, "no-cache", reply);
}

/* Host as sent, if it is a plain host[:port] (letters, digits, '.', '-',
 * ':' and the brackets of an IPv6 literal): nothing that could break out
 * of the XML or the URL. */
static int plain_host(const char *host)
{
    size_t n = host ? strlen(host) : 0;
    if (n == 0 || n > 255)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!g_ascii_isalnum(host[i]) && !strchr(".-:[]", host[i]))
            return 0;
    return 1;
}

static char *public_base(const char *host)
{
    return config->public_url ? g_strdup(config->public_url)
           : plain_host(host) ? g_strdup_printf("http://%s", host)
                              : g_strdup("");
}

/* The OpenSearch description that the page's <link rel="search"> points
 * at, so a browser can add Civitas as a search engine. Browsers want
 * absolute URLs: --public-url when given (the address users see, e.g.
 * behind a TLS front end), else http:// and the request's Host, else (no
 * usable Host) relative ones. */
static void route_opensearch(const char *host, searchd_reply *reply)
{
    static const char fmt[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n"
        "  <ShortName>Civitas</ShortName>\n"
        "  <Description>Search UN human-rights documents and city charters, paragraph by "
        "paragraph</Description>\n"
        "  <InputEncoding>UTF-8</InputEncoding>\n"
        "  <OutputEncoding>UTF-8</OutputEncoding>\n"
        "  <Url type=\"text/html\" method=\"get\" template=\"%s/?q={searchTerms}\"/>\n"
        "  <Url type=\"application/json\" method=\"get\" "
        "template=\"%s/api/search?q={searchTerms}\"/>\n"
        "  <Url type=\"application/opensearchdescription+xml\" rel=\"self\" "
        "template=\"%s/opensearch.xml\"/>\n"
        "</OpenSearchDescription>\n";
    char *plain = public_base(host);
    char *base = g_markup_escape_text(plain, -1);
    g_free(plain);
    int len = snprintf(NULL, 0, fmt, base, base, base);
    char *body = len > 0 ? malloc((size_t)len + 1) : NULL;
    if (body)
        snprintf(body, (size_t)len + 1, fmt, base, base, base);
    g_free(base);
    if (!body) {
        routes_error(reply, 503, "overloaded", "out of memory");
        return;
    }
    reply->status = 200;
    reply->content_type = "application/opensearchdescription+xml; charset=utf-8";
    reply->body = body;
    reply->len = (size_t)len;
    reply->cache_control = "no-cache";
}

/* ---- dispatch ------------------------------------------------------------ */

/* If path is prefix + an id (+ suffix), copy the id into id[] and return 1.
 * The id must pass is_id, so nothing but hex digits and one '-' can ever
 * reach the index. */
static int match_id(const char *path, const char *prefix, const char *suffix,
                    int (*is_id)(const char *, size_t), char *id, size_t id_size)
{
    size_t np = strlen(prefix), ns = strlen(suffix), n = strlen(path);
    if (n < np + ns || strncmp(path, prefix, np) != 0 || strcmp(path + n - ns, suffix) != 0)
        return 0;
    size_t len = n - np - ns;
    if (len == 0 || len >= id_size || memchr(path + np, '/', len))
        return 0;
    memcpy(id, path + np, len);
    id[len] = '\0';
    return is_id(id, len) ? 1 : -1;
}

/* What a path names. */
typedef enum endpoint {
    EP_NONE,
    EP_SEARCH,
    EP_DOCUMENT_PASSAGES,
    EP_REFERENCES,
    EP_FILE,
    EP_DOCUMENT,
    EP_CITE_PASSAGE,
    EP_CITE,
    EP_PASSAGE,
    EP_HEALTH,
    EP_METRICS,
    EP_PAGE,
    EP_STATIC,
    EP_WIDGET,
    EP_OPENSEARCH,
} endpoint;

static const searchd_route route_of[] = {
    [EP_NONE] = ROUTE_OTHER,
    [EP_SEARCH] = ROUTE_SEARCH,
    [EP_DOCUMENT_PASSAGES] = ROUTE_DOCUMENT_PASSAGES,
    [EP_REFERENCES] = ROUTE_REFERENCES,
    [EP_FILE] = ROUTE_DOCUMENT_FILE,
    [EP_DOCUMENT] = ROUTE_DOCUMENT,
    [EP_CITE_PASSAGE] = ROUTE_CITE,
    [EP_CITE] = ROUTE_CITE,
    [EP_PASSAGE] = ROUTE_PASSAGE,
    [EP_HEALTH] = ROUTE_HEALTH,
    [EP_METRICS] = ROUTE_METRICS,
    [EP_PAGE] = ROUTE_STATIC,
    [EP_STATIC] = ROUTE_STATIC,
    [EP_WIDGET] = ROUTE_STATIC,
    [EP_OPENSEARCH] = ROUTE_STATIC,
};

/* The endpoint path names; for one with an id, the id into id[] and *m
 * (1: a well-formed id, -1: not one). */
static endpoint find_endpoint(const char *path, char *id, size_t id_size, int *m)
{
    static const struct {
        const char *prefix, *suffix;
        int (*is_id)(const char *, size_t);
        endpoint ep;
    } with_id[] = {
        {"/api/documents/", "/passages", civ_search_is_document_id, EP_DOCUMENT_PASSAGES},
        {"/api/documents/", "/references", civ_search_is_document_id, EP_REFERENCES},
        {"/api/documents/", "/file", civ_search_is_document_id, EP_FILE},
        {"/api/documents/", "", civ_search_is_document_id, EP_DOCUMENT},
        {"/api/passages/", "/cite", civ_search_is_passage_id, EP_CITE_PASSAGE},
        {"/api/passages/", "", civ_search_is_passage_id, EP_PASSAGE},
    };
    static const struct {
        const char *path;
        endpoint ep;
    } fixed[] = {
        {"/api/search", EP_SEARCH},
        {"/api/cite", EP_CITE},
        {"/health", EP_HEALTH},
        {"/metrics", EP_METRICS},
        {"/", EP_PAGE},
        {"/index.html", EP_PAGE},
        {"/widget.js", EP_WIDGET},
        {"/opensearch.xml", EP_OPENSEARCH},
    };
    *m = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(fixed); i++)
        if (strcmp(path, fixed[i].path) == 0)
            return fixed[i].ep;
    for (size_t i = 0; i < G_N_ELEMENTS(with_id); i++)
        if ((*m = match_id(path, with_id[i].prefix, with_id[i].suffix, with_id[i].is_id, id,
                           id_size)))
            return with_id[i].ep;
    if (strncmp(path, "/static/", 8) == 0)
        return EP_STATIC;
    return EP_NONE;
}

searchd_route routes_route_of(const char *path)
{
    char id[64];
    int m;
    return route_of[find_endpoint(path, id, sizeof id, &m)];
}

void routes_handle(const char *path, const char *host, const searchd_param *params, size_t n,
                   searchd_reply *reply)
{
    char id[64];
    int m;
    endpoint ep = find_endpoint(path, id, sizeof id, &m);
    reply->fd = -1;
    reply->route = route_of[ep];
    if (check_params(params, n, reply) != 0)
        return;
    if (m < 0) {
        routes_error(reply, 404, "not_found",
                     ep == EP_PASSAGE || ep == EP_CITE_PASSAGE ? "not a passage id"
                                                               : "not a document id");
        return;
    }
    switch (ep) {
    case EP_SEARCH:
        route_search(params, n, reply);
        break;
    case EP_DOCUMENT_PASSAGES:
        route_document(id, 1, params, n, reply);
        break;
    case EP_REFERENCES:
        route_references(id, reply);
        break;
    case EP_FILE:
        route_file(id, reply);
        break;
    case EP_DOCUMENT:
        route_document(id, 0, params, n, reply);
        break;
    case EP_CITE_PASSAGE:
        route_cite_passage(id, host, params, n, reply);
        break;
    case EP_CITE:
        route_cite_selection(host, params, n, reply);
        break;
    case EP_PASSAGE:
        route_passage(id, reply);
        break;
    case EP_HEALTH:
        route_health(reply);
        break;
    case EP_METRICS:
        route_metrics(reply);
        break;
    case EP_PAGE:
        route_static("index.html", reply);
        break;
    case EP_STATIC:
        if (!route_static(path + 8, reply)) {
            reply->route = ROUTE_OTHER;
            routes_error(reply, 404, "not_found", "no such route");
        }
        break;
    case EP_WIDGET:
        /* Loaded by other sites' pages: a short cache, no page policy. The
         * API calls it makes are governed by --cors-origin. */
        send_static("widget.js", NULL, "public, max-age=300", reply);
        break;
    case EP_OPENSEARCH:
        route_opensearch(host, reply);
        break;
    case EP_NONE:
        routes_error(reply, 404, "not_found", "no such route");
        break;
    }
    tell_moves();
}
