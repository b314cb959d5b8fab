/* civ_search_bench: in-process latency of a Civitas search with snippets.
 *
 * Runs each query of the query file through civ_search_run (lib/civ_search.h)
 * exactly as civitas-searchd does for GET /api/search: the same default
 * limits, facets, document grouping or passage ranking, snippets and
 * citations for the passages returned. One reader, one thread, no HTTP.
 *
 * The query file has one query per line: "TEXT<TAB>FILTERS", FILTERS being
 * "" or "name=value[&name=value]" with API parameter names (format=pdf).
 * Every query runs once to warm the caches, then --rounds more times, each
 * timed from the request to the freed results.
 *
 * Prints one line: "queries N samples N p50_ms X p90_ms X p99_ms X mean_ms X
 * hits_mean X snippets_mean X errors N". With --slowest N, the N queries
 * with the highest best-of-rounds time follow on stderr, to show where a
 * tail comes from. Exit 0 ok, 1 error, 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "civ_lang.h"
#include "civ_search.h"
#include "civ_xapian.h"

#define MAX_QUERIES 100000
#define MAX_LINE 4096

typedef struct bench_query {
    char *text;
    char *filters; /* "name=value&..." or "" */
} bench_query;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Queries ordered by best time, slowest first. */
static const double *sort_best;
static int cmp_best_desc(const void *a, const void *b)
{
    double x = sort_best[*(const size_t *)a], y = sort_best[*(const size_t *)b];
    return x < y ? 1 : x > y ? -1 : 0;
}

static void print_slowest(const bench_query *qs, const double *best, size_t n_q, size_t n)
{
    size_t *order = calloc(n_q, sizeof *order);
    if (!order)
        return;
    for (size_t i = 0; i < n_q; i++)
        order[i] = i;
    sort_best = best;
    qsort(order, n_q, sizeof *order, cmp_best_desc);
    for (size_t i = 0; i < n && i < n_q; i++)
        fprintf(stderr, "slow %8.3f ms  %s%s%s\n", best[order[i]], qs[order[i]].text,
                qs[order[i]].filters[0] ? "  " : "", qs[order[i]].filters);
    free(order);
}

static double percentile(const double *sorted, size_t n, double p)
{
    if (n == 0)
        return 0;
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return sorted[i < n ? i : n - 1];
}

static size_t load_queries(const char *path, bench_query *qs)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[MAX_LINE];
    size_t n = 0;
    while (n < MAX_QUERIES && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (tab)
            *tab = '\0';
        qs[n].text = strdup(line);
        qs[n].filters = strdup(tab ? tab + 1 : "");
        if (!qs[n].text || !qs[n].filters)
            break;
        n++;
    }
    fclose(f);
    return n;
}

/* Fill req from one query line; returns CIV_OK or the first error. */
static civ_status set_request(civ_search_request *req, const civ_search_limits *lim,
                              const bench_query *q, const char *group, civ_err *err)
{
    civ_status st = civ_search_request_set(req, lim, "q", 1, q->text, strlen(q->text), err);
    if (st == CIV_OK && group)
        st = civ_search_request_set(req, lim, "group", 5, group, strlen(group), err);
    const char *p = q->filters;
    while (st == CIV_OK && *p) {
        size_t len = strcspn(p, "&");
        const char *eq = memchr(p, '=', len);
        if (eq)
            st = civ_search_request_set(req, lim, p, (size_t)(eq - p), eq + 1,
                                        len - (size_t)(eq - p) - 1, err);
        p += len;
        if (*p == '&')
            p++;
    }
    return st;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *queries = NULL, *group = NULL;
    unsigned rounds = 5;
    size_t slowest = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!strcmp(argv[i], "--queries") && i + 1 < argc)
            queries = argv[++i];
        else if (!strcmp(argv[i], "--group") && i + 1 < argc)
            group = argv[++i];
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--slowest") && i + 1 < argc)
            slowest = (size_t)strtoul(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: civ_search_bench --db DIR --queries FILE "
                            "[--group document|passage] [--rounds N] [--slowest N]\n");
            return 2;
        }
    }
    if (!db || !queries) {
        fprintf(stderr, "civ_search_bench: --db and --queries are required\n");
        return 2;
    }
    int rc = 1;
    bench_query *qs = calloc(MAX_QUERIES, sizeof *qs);
    double *ms = NULL, *best = NULL;
    size_t n_q = qs ? load_queries(queries, qs) : 0;
    civ_xapian_reader *r = NULL;
    civ_err err;
    civ_err_clear(&err);
    if (n_q == 0) {
        fprintf(stderr, "civ_search_bench: no queries in %s\n", queries);
        goto out;
    }
    size_t n_langs = 0;
    const civ_xapian_lang *langs = civ_lang_table(&n_langs);
    if (civ_xapian_reader_open(db, langs, n_langs, &r, &err) != CIV_OK) {
        fprintf(stderr, "civ_search_bench: %s: %s\n", db, err.msg);
        goto out;
    }
    ms = calloc((size_t)n_q * rounds + 1, sizeof *ms);
    best = calloc(n_q, sizeof *best);
    if (!ms || !best)
        goto out;
    civ_search_limits lim;
    civ_search_limits_default(&lim);
    size_t n_ms = 0, errors = 0;
    unsigned long long hits = 0, snippets = 0;
    for (unsigned round = 0; round <= rounds; round++) {
        for (size_t i = 0; i < n_q; i++) {
            double t0 = now_ms();
            civ_search_request req;
            civ_search_request_init(&req);
            civ_search_results *res = NULL;
            civ_status st = set_request(&req, &lim, &qs[i], group, &err);
            if (st == CIV_OK)
                st = civ_search_run(r, &req, &lim, &res, &err);
            size_t n_hits = 0, n_snip = 0;
            if (st == CIV_OK) {
                n_hits = res->n_hits;
                for (size_t h = 0; h < res->n_hits; h++)
                    n_snip += res->hits[h].n_passages;
            }
            civ_search_results_free(res);
            civ_search_request_clear(&req);
            double t1 = now_ms();
            if (st != CIV_OK) {
                if (round == 0)
                    fprintf(stderr, "civ_search_bench: query '%s': %s\n", qs[i].text, err.msg);
                errors += round > 0;
                continue;
            }
            if (round > 0) {
                if (round == 1 || t1 - t0 < best[i])
                    best[i] = t1 - t0;
                ms[n_ms++] = t1 - t0;
                hits += n_hits;
                snippets += n_snip;
            }
        }
    }
    qsort(ms, n_ms, sizeof *ms, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n_ms; i++)
        sum += ms[i];
    printf("queries %zu samples %zu p50_ms %.3f p90_ms %.3f p99_ms %.3f mean_ms %.3f "
           "hits_mean %.1f snippets_mean %.1f errors %zu\n",
           n_q, n_ms, percentile(ms, n_ms, 0.50), percentile(ms, n_ms, 0.90),
           percentile(ms, n_ms, 0.99), n_ms ? sum / (double)n_ms : 0,
           n_ms ? (double)hits / (double)n_ms : 0, n_ms ? (double)snippets / (double)n_ms : 0,
           errors);
    if (rounds > 0)
        print_slowest(qs, best, n_q, slowest);
    rc = 0;
out:
    civ_xapian_reader_close(r);
    for (size_t i = 0; i < n_q; i++) {
        free(qs[i].text);
        free(qs[i].filters);
    }
    free(qs);
    free(ms);
    free(best);
    return rc;
}
