/* Unit tests for the Xapian C wrapper: writing, reading, phrase search with
 * stopwords, filters, facets, snippets, and the error paths (missing
 * database, locked database, uncommitted changes, wildcard limits). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "civ_xapian.h"

static const char *const en_stop[] = {"the", "to", "of", "and", "for"};
static const civ_xapian_lang langs[] = {
    {"en", "english", en_stop, 5, 0, 0},
    {"fr", "french", NULL, 0, 0, 1},
    {"zh", NULL, NULL, 0, 1, 0},
};
#define N_LANGS (sizeof langs / sizeof langs[0])

typedef struct fixture {
    char *dir;
    char *db;
} fixture;

static void rm_rf(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    if (d) {
        const char *name;
        while ((name = g_dir_read_name(d))) {
            char *child = g_build_filename(path, name, NULL);
            rm_rf(child);
            g_free(child);
        }
        g_dir_close(d);
    }
    g_remove(path);
}

static void add(civ_xapian_writer *w, const char *id, const char *lang, const char *text,
                const char *year)
{
    civ_err err;
    civ_xapian_doc *d = civ_xapian_doc_new();
    assert_non_null(d);
    char *q = g_strconcat("Q", id, NULL);
    char *l = g_strconcat("L", lang, NULL);
    assert_int_equal(civ_xapian_doc_add_boolean(d, q, &err), CIV_OK);
    assert_int_equal(civ_xapian_doc_add_boolean(d, l, &err), CIV_OK);
    assert_int_equal(
        civ_xapian_writer_index_text(w, d, lang, text, strlen(text), "", 1, 1, 1, &err), CIV_OK);
    assert_int_equal(civ_xapian_doc_set_value(d, 1, year, strlen(year), &err), CIV_OK);
    assert_int_equal(civ_xapian_doc_set_value(d, 2, lang, strlen(lang), &err), CIV_OK);
    /* Two ids share a parent when their first letter matches. */
    assert_int_equal(civ_xapian_doc_set_value(d, 5, id, 1, &err), CIV_OK);
    /* The same parent and language packed in one slot, as civ_index does. */
    char *packed = g_strdup_printf("%c\x1f%s", id[0], lang);
    assert_int_equal(civ_xapian_doc_set_value(d, 13, packed, strlen(packed), &err), CIV_OK);
    g_free(packed);
    assert_int_equal(civ_xapian_doc_set_data(d, text, strlen(text), &err), CIV_OK);
    assert_int_equal(civ_xapian_writer_replace(w, q, d, &err), CIV_OK);
    civ_xapian_doc_free(d);
    g_free(q);
    g_free(l);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = g_dir_make_tmp("civ-xapian-XXXXXX", NULL);
    f->db = g_build_filename(f->dir, "db", NULL);
    civ_err err;
    civ_xapian_writer *w = NULL;
    assert_int_equal(civ_xapian_writer_open(f->db, 0, langs, N_LANGS, &w, &err), CIV_OK);
    add(w, "a1", "en", "Everyone has the right to education for all children.", "2001");
    add(w, "a2", "en", "The right of education and to work are rights of everyone.", "2001");
    add(w, "b1", "en", "Adequate housing: the houses of the city and its housing policy.", "2015");
    add(w, "c1", "fr", "Toute personne a droit à l'éducation et au logement.", "1948");
    add(w, "d1", "zh", "人人有受教育的权利。", "1948");
    assert_int_equal(civ_xapian_writer_commit(w, &err), CIV_OK);
    civ_xapian_writer_close(w);
    f->dir = f->dir;
    *state = f;
    return 0;
}

/* A fixture with no index yet. */
static int setup_empty(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = g_dir_make_tmp("civ-xapian-XXXXXX", NULL);
    f->db = g_build_filename(f->dir, "db", NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rm_rf(f->dir);
    g_free(f->db);
    g_free(f->dir);
    free(f);
    return 0;
}

/* A query for text in lang: the first 10 matches, no collapse, no
 * facets; the tests set what else they need. */
static void query_init(civ_xapian_query *q, const char *text, const char *lang)
{
    memset(q, 0, sizeof *q);
    q->text = text;
    q->lang = lang;
    q->count = 10;
    q->collapse_slot = -1;
    q->facet_distinct_slot = -1;
}

static civ_xapian_results *search(civ_xapian_reader *r, const char *text, const char *lang)
{
    civ_xapian_query q;
    query_init(&q, text, lang);
    q.max_wildcard = 10;
    civ_err err;
    civ_xapian_results *res = NULL;
    civ_status st = civ_xapian_search(r, &q, &res, &err);
    assert_int_equal(st, CIV_OK);
    return res;
}

static int has_hit(civ_xapian_results *res, const char *prefix)
{
    for (size_t i = 0; i < civ_xapian_results_size(res); i++)
        if (strncmp(civ_xapian_results_hit(res, i)->data, prefix, strlen(prefix)) == 0)
            return 1;
    return 0;
}

static civ_xapian_reader *open_reader(fixture *f)
{
    civ_err err;
    civ_xapian_reader *r = NULL;
    assert_int_equal(civ_xapian_reader_open(f->db, langs, N_LANGS, &r, &err), CIV_OK);
    return r;
}

static void test_phrase_keeps_stopwords(void **state)
{
    civ_xapian_reader *r = open_reader(*state);
    civ_xapian_results *res = search(r, "\"right to education\"", "en");
    assert_int_equal(civ_xapian_results_size(res), 1);
    assert_true(has_hit(res, "Everyone has the right to education"));
    civ_xapian_results_free(res);
    /* Without quotes both documents match: "to" is a stopword there. */
    res = search(r, "right to education", "en");
    assert_int_equal(civ_xapian_results_size(res), 2);
    civ_xapian_results_free(res);
    civ_xapian_reader_close(r);
}

static void test_stemming_and_snippet(void **state)
{
    civ_xapian_reader *r = open_reader(*state);
    civ_xapian_results *res = search(r, "house", "en");
    assert_int_equal(civ_xapian_results_size(res), 1);
    const civ_xapian_hit *h = civ_xapian_results_hit(res, 0);
    char *snip = NULL;
    civ_err err;
    assert_int_equal(civ_xapian_results_snippet(res, h->data, h->data_len, 200, &snip, &err),
                     CIV_OK);
    /* The stemmer ties "house" to "houses" and "housing". */
    assert_non_null(strstr(snip, "<mark>houses</mark>"));
    assert_non_null(strstr(snip, "<mark>housing</mark>"));
    free(snip);
    civ_xapian_results_free(res);
    civ_xapian_reader_close(r);
}

/* The snippet of the first hit for text in lang, checked to be there. */
static char *first_snippet(civ_xapian_reader *r, const char *text, const char *lang)
{
    civ_err err;
    civ_xapian_results *res = search(r, text, lang);
    if (civ_xapian_results_size(res) == 0)
        fail_msg("no hit for %s", text);
    const civ_xapian_hit *h = civ_xapian_results_hit(res, 0);
    char *snip = NULL;
    assert_int_equal(civ_xapian_results_snippet(res, h->data, h->data_len, 200, &snip, &err),
                     CIV_OK);
    civ_xapian_results_free(res);
    return snip;
}

/* What the query asks for is what the snippet marks: a phrase as one
 * stretch, the stemmed words; French elisions split as the indexer splits
 * them; CJK and wildcards as Xapian marks them. */
static void test_snippet_marks_the_query(void **state)
{
    civ_xapian_reader *r = open_reader(*state);
    char *snip = first_snippet(r, "\"right to education\"", "en");
    assert_string_equal(snip, "Everyone has the <mark>right to education</mark> for all children.");
    free(snip);
    snip = first_snippet(r, "éducation logements", "fr");
    assert_string_equal(snip, "Toute personne a droit à l'<mark>éducation</mark> et au "
                              "<mark>logement</mark>.");
    free(snip);
    snip = first_snippet(r, "教育", "zh");
    assert_non_null(strstr(snip, "<mark>教育</mark>"));
    free(snip);
    snip = first_snippet(r, "hous*", "en");
    assert_non_null(strstr(snip, "<mark>housing</mark>"));
    free(snip);
    civ_xapian_reader_close(r);
}

/* What the index finds, the snippet marks: the snippet builder splits
 * words as Xapian's term generator does at indexing, for the words where
 * the two could part ways. */
static void test_snippet_marks_what_the_index_finds(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *lang, *text, *query, *marked;
    } cases[] = {
        {"en", "The U.N. system works.", "U.N.", "<mark>U.N.</mark>"},
        {"en", "Women\u2019s rights are human rights.", "women's", "<mark>Women\u2019s</mark>"},
        {"en", "Written in C++ and Lisp.", "C++", "<mark>C++</mark>"},
        {"en", "A budget of 1,000.5 dollars.", "1,000.5", "<mark>1,000.5</mark>"},
        {"en", "Services by AT&T today.", "AT&T", "<mark>AT&amp;T</mark>"},
        {"en", "The peace\u200bkeeping mission.", "peacekeeping",
         "<mark>peace\u200bkeeping</mark>"},
        {"en", "C\u00f4te d\u2019Ivoire voted.", "C\u00f4te d'Ivoire",
         "<mark>C\u00f4te</mark> <mark>d\u2019Ivoire</mark>"},
        {"en", "Send an e-mail now.", "e-mail", "<mark>e-mail</mark>"},
        {"en", "Report A/HRC/14/37 adopted.", "A/HRC/14/37", "<mark>A/HRC/14/37</mark>"},
        {"en", "A NA\u00cfVE approach.", "na\u00efve", "<mark>NA\u00cfVE</mark>"},
        {"en", "Use snake_case names.", "snake_case", "<mark>snake_case</mark>"},
        {"fr", "L'\u00c9DUCATION aujourd'hui.", "\u00e9ducation", "L'<mark>\u00c9DUCATION</mark>"},
    };
    size_t n = sizeof cases / sizeof cases[0];
    civ_err err;
    civ_xapian_writer *w = NULL;
    assert_int_equal(civ_xapian_writer_open(f->db, 0, langs, N_LANGS, &w, &err), CIV_OK);
    for (size_t i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "w%zu", i);
        add(w, id, cases[i].lang, cases[i].text, "2020");
    }
    assert_int_equal(civ_xapian_writer_commit(w, &err), CIV_OK);
    civ_xapian_writer_close(w);
    civ_xapian_reader *r = open_reader(f);
    for (size_t i = 0; i < n; i++) {
        char *snip = first_snippet(r, cases[i].query, cases[i].lang);
        if (!strstr(snip, cases[i].marked))
            fail_msg("%s: got %s", cases[i].query, snip);
        free(snip);
    }
    civ_xapian_reader_close(r);
}

static void test_snippet_escapes_html(void **state)
{
    fixture *f = *state;
    civ_err err;
    civ_xapian_writer *w = NULL;
    assert_int_equal(civ_xapian_writer_open(f->db, 0, langs, N_LANGS, &w, &err), CIV_OK);
    add(w, "x1", "en", "tenure <script>alert(1)</script> security", "2020");
    assert_int_equal(civ_xapian_writer_commit(w, &err), CIV_OK);
    civ_xapian_writer_close(w);
    civ_xapian_reader *r = open_reader(f);
    civ_xapian_results *res = search(r, "tenure", "en");
    assert_int_equal(civ_xapian_results_size(res), 1);
    const civ_xapian_hit *h = civ_xapian_results_hit(res, 0);
    char *snip = NULL;
    assert_int_equal(civ_xapian_results_snippet(res, h->data, h->data_len, 200, &snip, &err),
                     CIV_OK);
    assert_null(strstr(snip, "<script>"));
    assert_non_null(strstr(snip, "&lt;script&gt;"));
    free(snip);
    civ_xapian_results_free(res);
    civ_xapian_reader_close(r);
}

static void test_cjk_and_french(void **state)
{
    civ_xapian_reader *r = open_reader(*state);
    civ_xapian_results *res = search(r, "教育", "zh");
    assert_int_equal(civ_xapian_results_size(res), 1);
    assert_true(has_hit(res, "人人"));
    civ_xapian_results_free(res);
    res = search(r, "éducations", "fr");
    assert_int_equal(civ_xapian_results_size(res), 1);
    assert_true(has_hit(res, "Toute personne"));
    civ_xapian_results_free(res);
    civ_xapian_reader_close(r);
}

static void test_filters_ranges_facets(void **state)
{
    civ_xapian_reader *r = open_reader(*state);
    const char *fr_terms[] = {"Lfr", "Lzh"};
    civ_xapian_filter filters[] = {{fr_terms, 2, NULL}};
    civ_xapian_range ranges[] = {{1, "1900", "1999"}};
    unsigned facet_slots[] = {2};
    civ_xapian_query q;
    query_init(&q, NULL, NULL);
    q.facet_slots = facet_slots;
    q.n_facets = 1;
    q.check_at_least = 100;
    civ_err err;
    civ_xapian_results *res = NULL;
    /* No text: everything, with a language facet over all of it. */
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    assert_int_equal(civ_xapian_results_size(res), 5);
    const civ_xapian_facet_value *vals;
    size_t n;
    assert_int_equal(civ_xapian_results_facet(res, 0, &vals, &n, &err), CIV_OK);
    assert_int_equal(n, 3);
    assert_string_equal(vals[0].value, "en");
    assert_int_equal(vals[0].count, 3);
    civ_xapian_results_free(res);

    q.filters = filters;
    q.n_filters = 1;
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    assert_int_equal(civ_xapian_results_size(res), 2);
    civ_xapian_results_free(res);

    q.filters = NULL;
    q.n_filters = 0;
    q.ranges = ranges;
    q.n_ranges = 1;
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    assert_int_equal(civ_xapian_results_size(res), 2); /* the two 1948 documents */
    civ_xapian_results_free(res);

    /* Distinct counting: a1 and a2 share parent "a", so "en" counts 2 parents. */
    q.ranges = NULL;
    q.n_ranges = 0;
    q.facet_distinct_slot = 5;
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    assert_int_equal(civ_xapian_results_facet(res, 0, &vals, &n, &err), CIV_OK);
    assert_string_equal(vals[0].value, "en");
    assert_int_equal(vals[0].count, 2);
    civ_xapian_results_free(res);

    /* The packed slot gives the same counts from one value per match. */
    q.facet_packed = 1;
    q.facet_packed_slot = 13;
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    assert_int_equal(civ_xapian_results_facet(res, 0, &vals, &n, &err), CIV_OK);
    assert_int_equal(n, 3);
    assert_string_equal(vals[0].value, "en");
    assert_int_equal(vals[0].count, 2);
    /* Uncollapsed, the total counts the matches (a1, a2, b, c, d), as the
     * hits do; only the facets count parents. */
    assert_int_equal(civ_xapian_results_total(res), 5);
    civ_xapian_results_free(res);
    q.facet_packed = 0;

    /* Collapse: at most one hit per parent. */
    q.facet_distinct_slot = -1;
    q.text = "right";
    q.lang = "en";
    q.collapse_slot = 5;
    q.collapse_max = 1;
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    assert_int_equal(civ_xapian_results_size(res), 1);
    assert_string_equal(civ_xapian_results_hit(res, 0)->key, "a");
    civ_xapian_results_free(res);

    /* Counting documents: the total is the exact number of parents. */
    q.facet_distinct_slot = 5;
    q.check_at_least = 100;
    q.text = "right OR housing OR éducation";
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    assert_int_equal(civ_xapian_results_size(res), 2); /* a, b */
    assert_int_equal(civ_xapian_results_total(res), 2);
    civ_xapian_results_free(res);
    civ_xapian_reader_close(r);
}

static void test_wildcard_limit_is_input_error(void **state)
{
    civ_xapian_reader *r = open_reader(*state);
    civ_xapian_query q;
    query_init(&q, "e*", "en");
    q.max_wildcard = 1;
    civ_err err;
    civ_xapian_results *res = NULL;
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_ERR_INPUT);
    assert_null(res);
    assert_non_null(strstr(err.msg, "wildcard"));
    civ_xapian_reader_close(r);
}

static void test_missing_database(void **state)
{
    fixture *f = *state;
    char *missing = g_build_filename(f->dir, "nothing-here", NULL);
    civ_err err;
    civ_xapian_reader *r = (civ_xapian_reader *)&err;
    assert_int_equal(civ_xapian_reader_open(missing, langs, N_LANGS, &r, &err), CIV_ERR_NOTFOUND);
    assert_null(r);
    assert_true(strlen(err.msg) > 0);
    g_free(missing);
}

static void test_locked_database(void **state)
{
    fixture *f = *state;
    civ_err err;
    civ_xapian_writer *w1 = NULL, *w2 = (civ_xapian_writer *)&err;
    assert_int_equal(civ_xapian_writer_open(f->db, 0, langs, N_LANGS, &w1, &err), CIV_OK);
    assert_int_equal(civ_xapian_writer_open(f->db, 0, langs, N_LANGS, &w2, &err), CIV_ERR_LOCKED);
    assert_null(w2);
    assert_non_null(strstr(err.msg, "locked"));
    civ_xapian_writer_close(w1);
    /* Once the first writer is gone, the lock is free again. */
    assert_int_equal(civ_xapian_writer_open(f->db, 0, langs, N_LANGS, &w2, &err), CIV_OK);
    civ_xapian_writer_close(w2);
}

/* A shard added while a reader is open (a new index being created beside
 * a running daemon) shows up at the reader's next reopen; shards are made
 * in order. */
static void test_shard_added_under_reader(void **state)
{
    fixture *f = *state;
    civ_err err;
    civ_xapian_reader *r = open_reader(f);
    civ_xapian_writer *w = NULL;
    unsigned n = 0;
    assert_int_equal(civ_xapian_index_shards(f->db, &n, &err), CIV_OK);
    assert_int_equal(n, 1);
    assert_int_equal(civ_xapian_writer_open(f->db, 2, langs, N_LANGS, &w, &err), CIV_ERR_INPUT);
    assert_null(w);
    assert_int_equal(civ_xapian_writer_open(f->db, 1, langs, N_LANGS, &w, &err), CIV_OK);
    add(w, "s1", "en", "a zebra in the second shard", "2020");
    assert_int_equal(civ_xapian_writer_commit(w, &err), CIV_OK);
    civ_xapian_writer_close(w);
    assert_int_equal(civ_xapian_index_shards(f->db, &n, &err), CIV_OK);
    assert_int_equal(n, 2);

    int changed = 0;
    assert_int_equal(civ_xapian_reader_reopen(r, &changed, &err), CIV_OK);
    assert_int_equal(changed, 1);
    civ_xapian_results *res = search(r, "zebra", "en");
    assert_int_equal(civ_xapian_results_size(res), 1);
    civ_xapian_results_free(res);
    civ_xapian_stats stats;
    assert_int_equal(civ_xapian_reader_stats(r, &stats, &err), CIV_OK);
    assert_int_equal(stats.doccount, 6);
    civ_xapian_reader_close(r);
}

static void test_uncommitted_is_discarded_and_reopen(void **state)
{
    fixture *f = *state;
    civ_err err;
    civ_xapian_reader *r = open_reader(f);
    civ_xapian_writer *w = NULL;
    assert_int_equal(civ_xapian_writer_open(f->db, 0, langs, N_LANGS, &w, &err), CIV_OK);
    add(w, "z1", "en", "uncommitted zebra", "2020");
    civ_xapian_writer_close(w);
    int changed = -1;
    assert_int_equal(civ_xapian_reader_reopen(r, &changed, &err), CIV_OK);
    assert_int_equal(changed, 0);
    char *data = NULL;
    assert_int_equal(civ_xapian_reader_get_data(r, "Qz1", &data, NULL, &err), CIV_ERR_NOTFOUND);
    assert_null(data);

    assert_int_equal(civ_xapian_writer_open(f->db, 0, langs, N_LANGS, &w, &err), CIV_OK);
    add(w, "z1", "en", "committed zebra", "2020");
    assert_int_equal(civ_xapian_writer_commit(w, &err), CIV_OK);
    civ_xapian_writer_close(w);
    assert_int_equal(civ_xapian_reader_reopen(r, &changed, &err), CIV_OK);
    assert_int_equal(changed, 1);
    civ_xapian_stats stats;
    assert_int_equal(civ_xapian_reader_stats(r, &stats, &err), CIV_OK);
    assert_int_equal(stats.doccount, 6);
    assert_int_equal(stats.reopens, 1);
    size_t len = 0;
    assert_int_equal(civ_xapian_reader_get_data(r, "Qz1", &data, &len, &err), CIV_OK);
    assert_string_equal(data, "committed zebra");
    assert_int_equal(len, strlen("committed zebra"));
    free(data);
    civ_xapian_reader_close(r);
}

static void test_spelling_suggestion(void **state)
{
    civ_xapian_reader *r = open_reader(*state);
    civ_xapian_query q;
    query_init(&q, "educaton", "en");
    q.spelling = 1;
    civ_err err;
    civ_xapian_results *res = NULL;
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    assert_non_null(civ_xapian_results_suggestion(res));
    assert_string_equal(civ_xapian_results_suggestion(res), "education");
    civ_xapian_results_free(res);

    /* Words the index holds, even in no document together, are not
     * "corrected" (Xapian would offer the more frequent "right"). */
    q.text = "rights houses";
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    assert_int_equal(civ_xapian_results_size(res), 0);
    assert_null(civ_xapian_results_suggestion(res));
    civ_xapian_results_free(res);
    civ_xapian_reader_close(r);
}

/* A record gathers its passages' words without positions: a word query
 * finds it, a phrase is not run against records but reported, and putting
 * the record again replaces it. */
static void add_record(civ_xapian_writer *w, const char *file, const char *text);

static void test_records(void **state)
{
    fixture *f = *state;
    civ_err err;
    civ_xapian_writer *w = NULL;
    assert_int_equal(civ_xapian_writer_open(f->db, 0, langs, N_LANGS, &w, &err), CIV_OK);
    int pairs = 0;
    assert_int_equal(civ_xapian_writer_word_pairs(w, &pairs, &err), CIV_OK);
    assert_int_equal(pairs, 1);
    for (int round = 0; round < 2; round++) {
        civ_xapian_doc *rec = civ_xapian_doc_new();
        const char *texts[] = {"Municipal water services for everyone.",
                               "The city council adopted the charter."};
        for (size_t i = 0; i < 2; i++) {
            civ_xapian_doc *passage = civ_xapian_doc_new();
            assert_int_equal(civ_xapian_writer_index_text(w, passage, "en", texts[i],
                                                          strlen(texts[i]), "", 1, 1, 0, &err),
                             CIV_OK);
            assert_int_equal(civ_xapian_writer_merge_words(w, rec, passage, &err), CIV_OK);
            civ_xapian_doc_free(passage);
        }
        assert_int_equal(civ_xapian_doc_add_boolean(rec, "Qrec1", &err), CIV_OK);
        assert_int_equal(civ_xapian_doc_add_boolean(rec, "XKdoc", &err), CIV_OK);
        assert_int_equal(civ_xapian_doc_set_data(rec, "rec1", 4, &err), CIV_OK);
        assert_int_equal(civ_xapian_writer_put_record(w, "Qrec1", rec, &err), CIV_OK);
        civ_xapian_doc_free(rec);
    }
    /* A term on a record and on another document: both data, the
     * record's first. */
    civ_xapian_doc *other = civ_xapian_doc_new();
    assert_int_equal(civ_xapian_doc_add_boolean(other, "XKdoc", &err), CIV_OK);
    assert_int_equal(civ_xapian_doc_set_data(other, "other", 5, &err), CIV_OK);
    assert_int_equal(civ_xapian_writer_add(w, other, &err), CIV_OK);
    civ_xapian_doc_free(other);
    char **datas = NULL;
    size_t n_datas = 0;
    assert_int_equal(civ_xapian_writer_term_datas(w, "XKdoc", &datas, &n_datas, &err), CIV_OK);
    assert_int_equal(n_datas, 2);
    assert_string_equal(datas[0], "rec1");
    assert_string_equal(datas[1], "other");
    civ_xapian_strings_free(datas, n_datas);
    assert_int_equal(civ_xapian_writer_set_data(w, "Qrec1", "rec1 touched", 12, &err), CIV_OK);
    assert_int_equal(civ_xapian_writer_set_data(w, "Qnone", "x", 1, &err), CIV_ERR_NOTFOUND);
    assert_int_equal(civ_xapian_writer_commit(w, &err), CIV_OK);
    civ_xapian_writer_close(w);

    civ_xapian_reader *r = open_reader(f);
    unsigned n = 0;
    assert_int_equal(civ_xapian_reader_term_count(r, "Qrec1", &n, &err), CIV_OK);
    assert_int_equal(n, 1);
    const char *kind[] = {"XKdoc"};
    civ_xapian_filter records = {kind, 1, NULL};
    civ_xapian_query q;
    query_init(&q, NULL, "en");
    q.filters = &records;
    q.n_filters = 1;
    q.positionless = 1;
    q.part = CIV_XAPIAN_RECORDS;
    /* Words from two different passages: the record holds both. */
    q.text = "water council";
    civ_xapian_results *res = NULL;
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    assert_int_equal(civ_xapian_results_positional(res), 0);
    assert_int_equal(civ_xapian_results_size(res), 1);
    assert_string_equal(civ_xapian_results_hit(res, 0)->data, "rec1 touched");
    civ_xapian_results_free(res);
    /* A phrase of two words, alone or ORed, is answered by the record's
     * pair term: found when a passage holds the words one after the
     * other, not when a stopword or another passage comes between them.
     * A phrase with a stopword, or ANDed with a word (which must then be
     * in the phrase's passage), needs the passages' positions. */
    const char *by_pairs[][2] = {{"\"water services\"", "1"},
                                 {"\"Municipal water\" OR nothing", "1"},
                                 {"\"services everyone\"", "0"},
                                 {"\"everyone city\"", "0"},
                                 {"\"services water\"", "0"}};
    for (size_t i = 0; i < sizeof by_pairs / sizeof by_pairs[0]; i++) {
        q.text = by_pairs[i][0];
        assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
        assert_int_equal(civ_xapian_results_positional(res), 0);
        assert_int_equal(civ_xapian_results_size(res), atoi(by_pairs[i][1]));
        civ_xapian_results_free(res);
    }
    const char *by_positions[] = {"\"services for everyone\"", "\"water services\" council",
                                  "\"water services\" -council"};
    for (size_t i = 0; i < sizeof by_positions / sizeof by_positions[0]; i++) {
        q.text = by_positions[i];
        assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
        assert_int_equal(civ_xapian_results_positional(res), 1);
        civ_xapian_results_free(res);
    }

    civ_xapian_reader_close(r);

    /* Records written without pairs: phrases need positions, and the
     * database cannot be given pairs once it holds records. */
    char *plain = g_build_filename(f->dir, "plain", NULL);
    assert_int_equal(civ_xapian_writer_open(plain, 0, langs, N_LANGS, &w, &err), CIV_OK);
    add_record(w, "fa", "water services");
    assert_int_equal(civ_xapian_writer_commit(w, &err), CIV_OK);
    civ_xapian_writer_close(w);
    assert_int_equal(civ_xapian_writer_open(plain, 0, langs, N_LANGS, &w, &err), CIV_OK);
    assert_int_equal(civ_xapian_writer_word_pairs(w, &pairs, &err), CIV_OK);
    assert_int_equal(pairs, 0);
    assert_int_equal(civ_xapian_writer_commit(w, &err), CIV_OK);
    civ_xapian_writer_close(w);
    assert_int_equal(civ_xapian_reader_open(plain, langs, N_LANGS, &r, &err), CIV_OK);
    q.text = "\"water services\"";
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    assert_int_equal(civ_xapian_results_positional(res), 1);
    civ_xapian_results_free(res);
    civ_xapian_reader_close(r);
    g_free(plain);
}

/* A document with the unique term "Q<id>", English text (with positions
or not) and id as its data. */
static civ_xapian_doc *text_doc(civ_xapian_writer *w, const char *q, const char *id,
                                const char *text, int positions)
{
    civ_err err;
    civ_xapian_doc *d = civ_xapian_doc_new();
    assert_int_equal(civ_xapian_doc_add_boolean(d, q, &err), CIV_OK);
    assert_int_equal(civ_xapian_writer_index_text(w, d, "en", text, strlen(text), "", 1,
                                                  positions, 0, &err),
                     CIV_OK);
    assert_int_equal(civ_xapian_doc_set_data(d, id, strlen(id), &err), CIV_OK);
    return d;
}

/* A passage "<file>-<n>" with text, added after the writer's last. */
static void add_passage(civ_xapian_writer *w, const char *file, int n, const char *text)
{
    civ_err err;
    char *id = g_strdup_printf("%s-%d", file, n);
    char *q = g_strconcat("Q", id, NULL);
    civ_xapian_doc *d = text_doc(w, q, id, text, 1);
    assert_int_equal(civ_xapian_writer_add(w, d, &err), CIV_OK);
    civ_xapian_doc_free(d);
    g_free(q);
    g_free(id);
}

/* The record of file, its words without positions. */
static void add_record(civ_xapian_writer *w, const char *file, const char *text)
{
    civ_err err;
    char *q = g_strconcat("Q", file, NULL);
    civ_xapian_doc *d = text_doc(w, q, file, text, 0);
    assert_int_equal(civ_xapian_writer_put_record(w, q, d, &err), CIV_OK);
    civ_xapian_doc_free(d);
    g_free(q);
}

/* A query searches the databases of its part only, and with runs it
 * finds the best passages of each file among the files named, in two
 * shards, and says which file each comes from. */
/* The hits of a collapsed match, one per parent, are those of the
 * uncollapsed ranking with every parent's later matches dropped, on every
 * page; its total is the number of parents. "water" ranks parent a's
 * forty passages above all others (the first matches fetched hold one
 * parent: the match is collapsed again by Xapian); "sanitation" is in
 * passages of twelve other parents, which rank them apart at once. */
static void test_collapse_keeps_each_parents_best(void **state)
{
    fixture *f = *state;
    civ_err err;
    civ_xapian_writer *w = NULL;
    assert_int_equal(civ_xapian_writer_open(f->db, 0, langs, N_LANGS, &w, &err), CIV_OK);
    char parent_of[128] = {0}; /* by docid: a fresh database numbers from 1 */
    unsigned n_docs = 0;
    char id[8];
    for (int i = 0; i < 40; i++) {
        g_snprintf(id, sizeof id, "a%02d", i);
        add(w, id, "en", "water water water water", "2001");
        parent_of[++n_docs] = 'a';
    }
    static const char *const others[] = {
        "water and sanitation in the city",
        "clean water: sanitation, sanitation and housing for the city of the future",
        "the right to water",
        "sanitation",
    };
    for (int p = 0; p < 12; p++)
        for (int k = 0; k <= p % 3; k++) {
            g_snprintf(id, sizeof id, "%c%d", 'b' + p, k);
            add(w, id, "en", others[(p + k) % 4], "2015");
            parent_of[++n_docs] = (char)('b' + p);
        }
    assert_int_equal(civ_xapian_writer_commit(w, &err), CIV_OK);
    civ_xapian_writer_close(w);

    civ_xapian_reader *r = open_reader(f);
    static const char *const queries[] = {"water", "sanitation", "water OR sanitation"};
    for (size_t qi = 0; qi < sizeof queries / sizeof *queries; qi++) {
        /* The uncollapsed ranking, and from it each parent's first match. */
        civ_xapian_query q;
        query_init(&q, queries[qi], "en");
        q.part = CIV_XAPIAN_PASSAGES; /* docids as numbered, not interleaved */
        q.count = 1000;
        civ_xapian_results *all = NULL;
        assert_int_equal(civ_xapian_search(r, &q, &all, &err), CIV_OK);
        unsigned best[32];
        int seen[256] = {0};
        size_t n_best = 0;
        for (size_t i = 0; i < civ_xapian_results_size(all); i++) {
            unsigned did = civ_xapian_results_hit(all, i)->docid;
            assert_true(did >= 1 && did <= n_docs);
            if (!seen[(unsigned char)parent_of[did]]++)
                best[n_best++] = did;
        }
        civ_xapian_results_free(all);
        assert_true(n_best >= 10);

        /* Every page of the collapsed match, of every size. */
        q.collapse_slot = 5;
        q.collapse_max = 1;
        q.facet_distinct_slot = 5;
        q.check_at_least = 100;
        for (unsigned count = 1; count <= 4; count++)
            for (unsigned offset = 0; offset <= n_best; offset++) {
                q.offset = offset;
                q.count = count;
                civ_xapian_results *page = NULL;
                assert_int_equal(civ_xapian_search(r, &q, &page, &err), CIV_OK);
                size_t expect = offset >= n_best ? 0 : MIN(count, n_best - offset);
                assert_int_equal(civ_xapian_results_size(page), expect);
                for (size_t i = 0; i < expect; i++) {
                    const civ_xapian_hit *h = civ_xapian_results_hit(page, i);
                    assert_int_equal(h->docid, best[offset + i]);
                    assert_int_equal(h->key[0], parent_of[h->docid]);
                    assert_int_equal(h->key[1], '\0');
                }
                assert_int_equal(civ_xapian_results_total(page), n_best);
                civ_xapian_results_free(page);
            }

        /* Examining fewer matches than there are, the total is an
         * estimate, still of parents: never more than there are, nor
         * fewer than the page shows. */
        q.check_at_least = 5;
        for (unsigned count = 1; count <= 4; count++) {
            q.offset = 0;
            q.count = count;
            civ_xapian_results *page = NULL;
            assert_int_equal(civ_xapian_search(r, &q, &page, &err), CIV_OK);
            unsigned total = civ_xapian_results_total(page);
            assert_true(total >= civ_xapian_results_size(page));
            assert_true(total <= n_best);
            civ_xapian_results_free(page);
        }
    }
    civ_xapian_reader_close(r);
}

/* Run a program (found on PATH, its output discarded) and fail the test
 * unless it exits 0. */
static void run_ok(const char *const *argv)
{
    gint status = -1;
    assert_true(g_spawn_sync(NULL, (char **)argv, NULL,
                             G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                             NULL, &status, NULL));
    assert_true(g_spawn_check_wait_status(status, NULL));
}

/* Writers of the first two shards of f's new index. */
static void open_two_shards(fixture *f, civ_xapian_writer **w0, civ_xapian_writer **w1)
{
    civ_err err;
    assert_int_equal(civ_xapian_writer_open(f->db, 0, langs, N_LANGS, w0, &err), CIV_OK);
    assert_int_equal(civ_xapian_writer_open(f->db, 1, langs, N_LANGS, w1, &err), CIV_OK);
}

static void test_parts_and_runs(void **state)
{
    fixture *f = *state;
    civ_err err;
    civ_xapian_writer *w0 = NULL, *w1 = NULL;
    open_two_shards(f, &w0, &w1);
    add_passage(w0, "fa", 1, "water rights of the city");
    add_passage(w0, "fa", 2, "water water water for every home");
    add_passage(w0, "fa", 3, "clean water");
    add_record(w0, "fa", "water rights city every home clean");
    add_passage(w0, "fb", 1, "water and housing");
    add_record(w0, "fb", "water housing");
    add_passage(w1, "fc", 1, "no water here at all");
    add_passage(w1, "fc", 2, "drinking water");
    add_record(w1, "fc", "water here drinking");
    assert_int_equal(civ_xapian_writer_commit(w0, &err), CIV_OK);
    assert_int_equal(civ_xapian_writer_commit(w1, &err), CIV_OK);
    civ_xapian_writer_close(w0);
    civ_xapian_writer_close(w1);

    civ_xapian_reader *r = open_reader(f);
    civ_xapian_query q;
    query_init(&q, "water", "en");
    q.count = 20;
    civ_xapian_results *res = NULL;
    /* Records only: the three files, none of their passages. */
    q.part = CIV_XAPIAN_RECORDS;
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    assert_int_equal(civ_xapian_results_size(res), 3);
    for (size_t i = 0; i < 3; i++) {
        const civ_xapian_hit *h = civ_xapian_results_hit(res, i);
        assert_null(strchr(h->data, '-'));
        assert_int_equal(h->shard, strcmp(h->data, "fc") == 0 ? 1 : 0);
    }
    civ_xapian_results_free(res);
    /* Passages only: six of them, no record. */
    q.part = CIV_XAPIAN_PASSAGES;
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    assert_int_equal(civ_xapian_results_size(res), 6);
    for (size_t i = 0; i < 6; i++)
        assert_non_null(strchr(civ_xapian_results_hit(res, i)->data, '-'));
    civ_xapian_results_free(res);

    /* Files fc (second shard) and fa, two passages each at most; fb is not
     * named, and a run whose first passage is in no database finds none. */
    const civ_xapian_run runs[] = {{"Qfc-1", 2, 0}, {"Qgone-1", 5, 0}, {"Qfa-1", 3, 0}};
    q.runs = runs;
    q.n_runs = 3;
    q.run_max = 2;
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    assert_int_equal(civ_xapian_results_size(res), 4);
    unsigned per_run[3] = {0};
    double last = 1e9;
    for (size_t i = 0; i < 4; i++) {
        const civ_xapian_hit *h = civ_xapian_results_hit(res, i);
        assert_true(h->run == 0 || h->run == 2);
        assert_memory_equal(h->data, h->run == 0 ? "fc-" : "fa-", 3);
        assert_true(h->weight <= last);
        last = h->weight;
        per_run[h->run]++;
    }
    assert_int_equal(per_run[0], 2);
    assert_int_equal(per_run[2], 2);
    /* fa's best two: the passage saying water three times comes first. */
    for (size_t i = 0; i < 4; i++)
        if (civ_xapian_results_hit(res, i)->run == 2) {
            assert_string_equal(civ_xapian_results_hit(res, i)->data, "fa-2");
            break;
        }
    civ_xapian_results_free(res);
    /* A run is looked for in the shard it names, when it names one. */
    const civ_xapian_run in_shards[] = {{"Qfc-1", 2, 2}, {"Qfa-1", 3, 2}};
    q.runs = in_shards;
    q.n_runs = 2;
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    assert_int_equal(civ_xapian_results_size(res), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(civ_xapian_results_hit(res, i)->run, 0);
        assert_int_equal(civ_xapian_results_hit(res, i)->shard, 1);
    }
    civ_xapian_results_free(res);
    /* A run shorter than the file's passages ends where it says. */
    const civ_xapian_run first_only[] = {{"Qfa-1", 1, 0}};
    q.runs = first_only;
    q.n_runs = 1;
    q.run_max = 3;
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    assert_int_equal(civ_xapian_results_size(res), 1);
    assert_string_equal(civ_xapian_results_hit(res, 0)->data, "fa-1");
    civ_xapian_results_free(res);
    civ_xapian_reader_close(r);
}

/* The language facet of the passages matching text, as "en:N fr:N":
 * parents counted (distinct) or matches. */
static void language_counts(civ_xapian_reader *r, const char *text, int distinct, char *out,
                            size_t size)
{
    unsigned facet_slots[] = {2};
    civ_xapian_query q;
    query_init(&q, text, "en");
    q.facet_slots = facet_slots;
    q.n_facets = 1;
    q.facet_packed = 1;
    q.facet_packed_slot = 13;
    q.facet_distinct_slot = distinct ? 5 : -1;
    q.check_at_least = 100;
    civ_err err;
    civ_xapian_results *res = NULL;
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    const civ_xapian_facet_value *vals;
    size_t n;
    assert_int_equal(civ_xapian_results_facet(res, 0, &vals, &n, &err), CIV_OK);
    unsigned en = 0, fr = 0;
    for (size_t i = 0; i < n; i++)
        *(strcmp(vals[i].value, "en") == 0 ? &en : &fr) += vals[i].count;
    snprintf(out, size, "en:%u fr:%u", en, fr);
    civ_xapian_results_free(res);
}

/* Facets count each passage's own values when two shards hold passages
 * under the same docids, and follow a passage replaced in place. */
static void test_facets_over_shards_follow_the_index(void **state)
{
    fixture *f = *state;
    civ_err err;
    civ_xapian_writer *w0 = NULL, *w1 = NULL;
    open_two_shards(f, &w0, &w1);
    /* Docids 1-3 in each shard, their languages in another order. */
    add(w0, "a1", "en", "the right to water", "2001");
    add(w0, "a2", "en", "the right to housing", "2001");
    add(w0, "b1", "fr", "the right to work", "2002");
    add(w1, "d1", "fr", "the right to rest", "2003");
    add(w1, "e1", "fr", "the right to food", "2004");
    add(w1, "c1", "en", "the right to health", "2005");
    assert_int_equal(civ_xapian_writer_commit(w0, &err), CIV_OK);
    assert_int_equal(civ_xapian_writer_commit(w1, &err), CIV_OK);

    civ_xapian_reader *r = open_reader(f);
    char counts[64];
    language_counts(r, "right", 1, counts, sizeof counts);
    assert_string_equal(counts, "en:2 fr:3"); /* parents a, c; b, d, e */
    language_counts(r, "right", 0, counts, sizeof counts);
    assert_string_equal(counts, "en:3 fr:3");
    /* Docid 1 of the first shard, then docid 2 of the second: read from
     * the first shard's facets, food would count as housing, in English. */
    language_counts(r, "water OR food", 0, counts, sizeof counts);
    assert_string_equal(counts, "en:1 fr:1");
    language_counts(r, "water OR food", 1, counts, sizeof counts);
    assert_string_equal(counts, "en:1 fr:1");

    /* b1 keeps its docid and becomes English. */
    add(w0, "b1", "en", "the right to work", "2002");
    assert_int_equal(civ_xapian_writer_commit(w0, &err), CIV_OK);
    civ_xapian_writer_close(w0);
    civ_xapian_writer_close(w1);
    int changed = 0;
    assert_int_equal(civ_xapian_reader_reopen(r, &changed, &err), CIV_OK);
    assert_int_equal(changed, 1);
    language_counts(r, "right", 1, counts, sizeof counts);
    assert_string_equal(counts, "en:3 fr:2");
    language_counts(r, "right", 0, counts, sizeof counts);
    assert_string_equal(counts, "en:4 fr:2");
    civ_xapian_reader_close(r);
}

/* The version names what a reader sees, not only how many commits made
 * it: two copies of one index (the same UUIDs), each with one more commit
 * in a different shard, have the same revision total and different
 * contents, as two readers that reopened at different moments of a
 * re-index can. A search cache keyed by the version must tell them apart. */
static void test_version_tells_shards_apart(void **state)
{
    fixture *f = *state;
    civ_err err;
    civ_xapian_writer *w0 = NULL, *w1 = NULL;
    open_two_shards(f, &w0, &w1);
    add(w0, "a1", "en", "the right to water", "2001");
    add(w1, "b1", "en", "the right to housing", "2002");
    assert_int_equal(civ_xapian_writer_commit(w0, &err), CIV_OK);
    assert_int_equal(civ_xapian_writer_commit(w1, &err), CIV_OK);
    civ_xapian_writer_close(w0);
    civ_xapian_writer_close(w1);
    char *copy = g_build_filename(f->dir, "copy", NULL);
    const char *argv[] = {"cp", "-R", f->db, copy, NULL};
    run_ok(argv);

    civ_xapian_writer *w = NULL;
    assert_int_equal(civ_xapian_writer_open(f->db, 0, langs, N_LANGS, &w, &err), CIV_OK);
    add(w, "a2", "en", "the right to food", "2003");
    assert_int_equal(civ_xapian_writer_commit(w, &err), CIV_OK);
    civ_xapian_writer_close(w);
    assert_int_equal(civ_xapian_writer_open(copy, 1, langs, N_LANGS, &w, &err), CIV_OK);
    add(w, "b2", "en", "the right to rest", "2004");
    assert_int_equal(civ_xapian_writer_commit(w, &err), CIV_OK);
    civ_xapian_writer_close(w);

    civ_xapian_reader *r = open_reader(f), *rc = NULL;
    assert_int_equal(civ_xapian_reader_open(copy, langs, N_LANGS, &rc, &err), CIV_OK);
    civ_xapian_stats st, stc;
    assert_int_equal(civ_xapian_reader_stats(r, &st, &err), CIV_OK);
    assert_int_equal(civ_xapian_reader_stats(rc, &stc, &err), CIV_OK);
    assert_int_equal(st.revision, stc.revision); /* the case this is about */
    char v[CIV_XAPIAN_VERSION_MAX], vc[CIV_XAPIAN_VERSION_MAX];
    assert_int_equal(civ_xapian_reader_version(r, v, &err), CIV_OK);
    assert_int_equal(civ_xapian_reader_version(rc, vc, &err), CIV_OK);
    assert_string_not_equal(v, vc);
    /* And a reader's version is stable while nothing changes. */
    char again[CIV_XAPIAN_VERSION_MAX];
    assert_int_equal(civ_xapian_reader_version(r, again, &err), CIV_OK);
    assert_string_equal(v, again);
    civ_xapian_reader_close(r);
    civ_xapian_reader_close(rc);
    g_free(copy);
}

/* An index directory that is one glass database, as older versions wrote
 * it, is refused, by reader and writer, with what to do. */
static void test_older_layout_refused(void **state)
{
    fixture *f = *state;
    char *passages = g_build_filename(f->db, "passages", NULL);
    char *old = g_build_filename(f->dir, "old", NULL);
    const char *argv[] = {"copydatabase", passages, old, NULL};
    run_ok(argv);
    civ_err err;
    civ_xapian_reader *r = NULL;
    assert_int_equal(civ_xapian_reader_open(old, langs, N_LANGS, &r, &err), CIV_ERR_UNSUPPORTED);
    assert_null(r);
    assert_non_null(strstr(err.msg, "older version of Civitas"));
    civ_xapian_writer *w = NULL;
    assert_int_equal(civ_xapian_writer_open(old, 0, langs, N_LANGS, &w, &err), CIV_ERR_UNSUPPORTED);
    assert_null(w);
    assert_non_null(strstr(err.msg, "build a new index"));
    g_free(passages);
    g_free(old);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_phrase_keeps_stopwords, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stemming_and_snippet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snippet_escapes_html, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snippet_marks_the_query, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snippet_marks_what_the_index_finds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cjk_and_french, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters_ranges_facets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_facets_over_shards_follow_the_index, setup_empty,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_version_tells_shards_apart, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_wildcard_limit_is_input_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_locked_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uncommitted_is_discarded_and_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shard_added_under_reader, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spelling_suggestion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_collapse_keeps_each_parents_best, setup_empty,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_parts_and_runs, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_older_layout_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
