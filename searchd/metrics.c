/* metrics.c: request counters and the Prometheus text exposition.
 *
 * Counters are lock-free atomics updated by every pool thread: one per
 * (route, status) pair, a latency histogram, and the count of index
 * reopens (each time a thread's reader moved to a newer revision). Routes
 * and statuses are small fixed sets, so the label space is bounded and a
 * client cannot grow it.
 */
#include <glib.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "searchd.h"

#define STATUS_MIN 100
#define STATUS_COUNT 500 /* 100..599 */

static const double bucket_bounds[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                       0.25,  0.5,   1.0,  2.5,   5.0};
#define N_BUCKETS (sizeof bucket_bounds / sizeof bucket_bounds[0])

static atomic_ullong requests[ROUTE_COUNT][STATUS_COUNT];
static atomic_ullong buckets[N_BUCKETS + 1]; /* last: +Inf */
static atomic_ullong latency_sum_us;
static atomic_ullong latency_count;
static atomic_ullong reopens;

static const char *const route_names[ROUTE_COUNT] = {
    "search",     "document", "document_passages", "document_file", "passage", "cite",
    "references", "health",   "metrics",           "static",        "other"};

const char *metrics_route_name(searchd_route route)
{
    return route < ROUTE_COUNT ? route_names[route] : "other";
}

void metrics_observe(searchd_route route, unsigned status, double seconds)
{
    if (route >= ROUTE_COUNT)
        route = ROUTE_OTHER;
    if (status >= STATUS_MIN && status < STATUS_MIN + STATUS_COUNT)
        atomic_fetch_add(&requests[route][status - STATUS_MIN], 1);
    size_t b = 0;
    while (b < N_BUCKETS && seconds > bucket_bounds[b])
        b++;
    atomic_fetch_add(&buckets[b], 1);
    atomic_fetch_add(&latency_sum_us, (unsigned long long)(seconds * 1e6));
    atomic_fetch_add(&latency_count, 1);
}

void metrics_index_reopened(void)
{
    atomic_fetch_add(&reopens, 1);
}

char *metrics_render(unsigned documents, unsigned passages, unsigned long long size_bytes,
                     size_t *len)
{
    GString *s = g_string_sized_new(4096);
    g_string_append(s, "# HELP civitas_requests_total HTTP requests answered, by route and "
                       "status.\n# TYPE civitas_requests_total counter\n");
    for (int r = 0; r < ROUTE_COUNT; r++)
        for (int st = 0; st < STATUS_COUNT; st++) {
            unsigned long long n = atomic_load(&requests[r][st]);
            if (n)
                g_string_append_printf(s,
                                       "civitas_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                                       route_names[r], st + STATUS_MIN, n);
        }
    g_string_append(s, "# HELP civitas_request_seconds Time to answer a request.\n"
                       "# TYPE civitas_request_seconds histogram\n");
    unsigned long long cumulative = 0;
    for (size_t b = 0; b <= N_BUCKETS; b++) {
        cumulative += atomic_load(&buckets[b]);
        if (b < N_BUCKETS)
            g_string_append_printf(s, "civitas_request_seconds_bucket{le=\"%g\"} %llu\n",
                                   bucket_bounds[b], cumulative);
        else
            g_string_append_printf(s, "civitas_request_seconds_bucket{le=\"+Inf\"} %llu\n",
                                   cumulative);
    }
    g_string_append_printf(s, "civitas_request_seconds_sum %.6f\n",
                           (double)atomic_load(&latency_sum_us) / 1e6);
    g_string_append_printf(s, "civitas_request_seconds_count %llu\n", atomic_load(&latency_count));
    g_string_append_printf(s,
                           "# HELP civitas_index_reopens_total Times a reader moved to a newer "
                           "index revision.\n# TYPE civitas_index_reopens_total counter\n"
                           "civitas_index_reopens_total %llu\n",
                           atomic_load(&reopens));
    unsigned long long cache_hits, cache_misses;
    size_t cache_bytes, cache_entries;
    cache_stats(&cache_hits, &cache_misses, &cache_bytes, &cache_entries);
    g_string_append_printf(
        s,
        "# HELP civitas_search_cache_hits_total Searches answered from the cache.\n"
        "# TYPE civitas_search_cache_hits_total counter\ncivitas_search_cache_hits_total %llu\n"
        "# HELP civitas_search_cache_misses_total Searches the cache could not answer.\n"
        "# TYPE civitas_search_cache_misses_total counter\n"
        "civitas_search_cache_misses_total %llu\n"
        "# HELP civitas_search_cache_bytes Bytes of answers the cache holds.\n"
        "# TYPE civitas_search_cache_bytes gauge\ncivitas_search_cache_bytes %zu\n"
        "# HELP civitas_search_cache_entries Answers the cache holds.\n"
        "# TYPE civitas_search_cache_entries gauge\ncivitas_search_cache_entries %zu\n",
        cache_hits, cache_misses, cache_bytes, cache_entries);
    g_string_append_printf(s,
                           "# HELP civitas_index_documents Source documents in the index.\n"
                           "# TYPE civitas_index_documents gauge\ncivitas_index_documents %u\n"
                           "# HELP civitas_index_passages Passages in the index.\n"
                           "# TYPE civitas_index_passages gauge\ncivitas_index_passages %u\n"
                           "# HELP civitas_index_size_bytes Bytes of the index files on disk.\n"
                           "# TYPE civitas_index_size_bytes gauge\n"
                           "civitas_index_size_bytes %llu\n",
                           documents, passages, size_bytes);
    /* Hand back malloc memory, as every reply body is. */
    char *out = malloc(s->len + 1);
    if (out) {
        memcpy(out, s->str, s->len + 1);
        *len = s->len;
    }
    g_string_free(s, TRUE);
    return out;
}
