/* cache.c: recent search answers, shared by the pool threads.
 *
 * A search is the one costly route, and the same searches come back: a
 * committee site's visitors type "housing" and "water" much more often
 * than anything else. The cache keeps the JSON of recent successful
 * answers, keyed by the request's parameters, and forgets everything as
 * soon as a request sees another index version (UUIDs and revisions: see
 * civ_xapian_reader_version), so an answer is never older than the index
 * a fresh search would read. Least recently used answers go first once
 * the bytes held pass the budget. One mutex guards it; a lookup or store
 * is a hash probe and a copy, tiny beside the search it saves.
 */
#include <glib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "searchd.h"

typedef struct entry {
    GString *key; /* also the hash table's key */
    char *body;
    size_t len;
    GList link; /* in lru: head is the most recently used */
} entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static GHashTable *entries; /* GString key -> entry */
static GQueue lru = G_QUEUE_INIT;
static char version[CIV_XAPIAN_VERSION_MAX];
static size_t budget, held;
static atomic_ullong hits, misses;

/* What an entry costs: its bytes and bookkeeping. */
static size_t entry_size(const entry *e)
{
    return e->len + e->key->len + sizeof *e + 64;
}

static void entry_free(entry *e)
{
    g_string_free(e->key, TRUE);
    free(e->body);
    g_free(e);
}

static void forget(entry *e)
{
    g_queue_unlink(&lru, &e->link);
    held -= entry_size(e);
    g_hash_table_remove(entries, e->key);
    entry_free(e);
}

static void forget_all(void)
{
    while (lru.head)
        forget(lru.head->data);
}

void cache_init(size_t max_bytes)
{
    budget = max_bytes;
    if (budget)
        entries = g_hash_table_new((GHashFunc)g_string_hash, (GEqualFunc)g_string_equal);
}

void cache_shutdown(void)
{
    if (!entries)
        return;
    forget_all();
    g_hash_table_destroy(entries);
    entries = NULL;
}

void cache_key(GString *key, const searchd_param *params, size_t n)
{
    g_string_truncate(key, 0);
    for (size_t i = 0; i < n; i++) {
        /* Lengths first, so no name or value can pass for another. */
        g_string_append_printf(key, "%zu:%zu:", params[i].name_len, params[i].value_len);
        g_string_append_len(key, params[i].name, (gssize)params[i].name_len);
        g_string_append_len(key, params[i].value, (gssize)params[i].value_len);
    }
}

char *cache_get(const GString *key, const char *index_version, size_t *len)
{
    if (!entries)
        return NULL;
    char *copy = NULL;
    pthread_mutex_lock(&lock);
    entry *e = strcmp(version, index_version) == 0 ? g_hash_table_lookup(entries, key) : NULL;
    if (e && (copy = malloc(e->len + 1))) {
        memcpy(copy, e->body, e->len + 1);
        *len = e->len;
        g_queue_unlink(&lru, &e->link);
        g_queue_push_head_link(&lru, &e->link);
    }
    pthread_mutex_unlock(&lock);
    atomic_fetch_add(copy ? &hits : &misses, 1);
    return copy;
}

void cache_put(const GString *key, const char *index_version, const char *body, size_t len)
{
    if (!entries)
        return;
    entry *e = g_new0(entry, 1);
    e->key = g_string_new_len(key->str, (gssize)key->len);
    e->body = malloc(len + 1);
    e->len = len;
    e->link.data = e;
    if (!e->body || entry_size(e) > budget / 8) {
        /* No room, or one answer would crowd out too many others. */
        entry_free(e);
        return;
    }
    memcpy(e->body, body, len);
    e->body[len] = '\0';
    pthread_mutex_lock(&lock);
    if (strcmp(version, index_version) != 0) {
        /* The index moved on: every answer held is of an older version. */
        forget_all();
        g_strlcpy(version, index_version, sizeof version);
    }
    entry *old = g_hash_table_lookup(entries, e->key);
    if (old)
        forget(old);
    g_hash_table_insert(entries, e->key, e);
    g_queue_push_head_link(&lru, &e->link);
    held += entry_size(e);
    while (held > budget)
        forget(lru.tail->data);
    pthread_mutex_unlock(&lock);
}

void cache_stats(unsigned long long *n_hits, unsigned long long *n_misses, size_t *bytes,
                 size_t *n_entries)
{
    pthread_mutex_lock(&lock);
    *bytes = held;
    *n_entries = lru.length;
    pthread_mutex_unlock(&lock);
    *n_hits = atomic_load(&hits);
    *n_misses = atomic_load(&misses);
}
