/* End-to-end tests of civitas-searchd over real HTTP.
 *
 * corpus/ is indexed once with the real civitas-index, one daemon serves it
 * on a free port, and each test speaks HTTP to it as a browser or a script
 * would: known queries and their citations, phrases, filters against
 * facets, the five other UN languages, the document routes, every kind of
 * bad request, /health, /metrics, CORS and the search page. The daemon
 * must stop cleanly on SIGTERM at the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"
#include "http.h"

#define CORPUS CIV_SOURCE_DIR "/corpus"

static char *tmp, *db;
static unsigned indexed_files;
static e2e_searchd daemon_;

static int setup(void **state)
{
    (void)state;
    tmp = e2e_tmpdir();
    db = g_build_filename(tmp, "db", NULL);
    const char *argv[] = {CIV_INDEXER, "--db", db, CORPUS, NULL};
    char *out = NULL, *errs = NULL;
    int rc = e2e_run(argv, &out, &errs);
    const char *done = out ? strstr(out, "done: indexed ") : NULL;
    if (done)
        indexed_files = (unsigned)atoi(done + strlen("done: indexed "));
    if (rc != 0 || !indexed_files)
        print_error("indexer exit %d\n%s\n%s\n", rc, out, errs);
    g_free(out);
    g_free(errs);
    assert_int_equal(rc, 0);
    const char *extra[] = {"--cors-origin", "https://allowed.example", NULL};
    e2e_searchd_start(&daemon_, db, extra);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(e2e_searchd_stop(&daemon_), 0);
    e2e_rm_rf(tmp);
    g_free(tmp);
    g_free(db);
    return 0;
}

/* GET /api/search?<query> expecting 200; the parsed body. */
static json_t *search(const char *query)
{
    char *target = g_strdup_printf("/api/search?%s", query);
    int status = 0;
    json_t *j = e2e_http_get_json(daemon_.port, target, &status);
    if (status != 200 || !j)
        print_error("GET %s: status %d\n", target, status);
    g_free(target);
    assert_int_equal(status, 200);
    assert_non_null(j);
    return j;
}

static const char *str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static json_int_t num(json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

/* Two searches that must find as much as each other, and something. */
static void assert_same_total(const char *query, const char *same_as)
{
    json_t *a = search(query);
    json_t *b = search(same_as);
    if (num(a, "total") != num(b, "total"))
        print_error("%s: %d, %s: %d\n", query, (int)num(a, "total"), same_as, (int)num(b, "total"));
    assert_true(num(b, "total") > 0);
    assert_int_equal(num(a, "total"), num(b, "total"));
    json_decref(a);
    json_decref(b);
}

static char *corpus_id(const char *file)
{
    char *path = g_build_filename(CORPUS, file, NULL);
    char id[CIV_ID_LEN + 1];
    e2e_doc_id(path, id);
    g_free(path);
    return g_strdup(id);
}

/* The citation the API must give a passage of doc: symbol (or title),
 * then "para. N" for numbers or the label as printed, then the page. */
static char *expected_citation(json_t *doc, json_t *passage)
{
    const char *head = str(doc, "symbol") ? str(doc, "symbol") : str(doc, "title");
    const char *para = str(passage, "paragraph");
    json_int_t page = num(passage, "page");
    GString *s = g_string_new(head);
    if (para)
        g_string_append_printf(
            s, g_ascii_isdigit(para[0]) || para[0] == '(' ? ", para. %s" : ", %s", para);
    if (page > 0)
        g_string_append_printf(s, para ? " (p. %d)" : ", p. %d", (int)page);
    return g_string_free(s, FALSE);
}

/* The first hit's document and first passage must be file's, with a <mark>
 * in the snippet and the right citation. */
static void assert_first_hit(json_t *res, const char *file, const char *citation)
{
    char *id = corpus_id(file);
    json_t *hit = json_array_get(json_object_get(res, "hits"), 0);
    json_t *doc = json_object_get(hit, "document");
    json_t *p = json_array_get(json_object_get(hit, "passages"), 0);
    if (!doc || !str(doc, "id") || strcmp(str(doc, "id"), id) != 0)
        print_error("query %s: first hit is %s, expected %s (%s)\n", str(res, "query"),
                    doc ? str(doc, "title") : "nothing", file, id);
    assert_non_null(doc);
    assert_string_equal(str(doc, "id"), id);
    assert_non_null(p);
    assert_non_null(strstr(str(p, "snippet"), "<mark>"));
    char *want = citation ? g_strdup(citation) : expected_citation(doc, p);
    assert_string_equal(str(p, "citation"), want);
    g_free(want);
    g_free(id);
}

/* ---- ranking, snippets, citations ---------------------------------------- */

static void test_known_queries(void **state)
{
    (void)state;
    /* UDHR Article 26: "Everyone has the right to education." */
    json_t *r = search("q=right+to+education");
    assert_first_hit(r, "udhr_eng.xml", NULL);
    json_t *first = json_array_get(
        json_object_get(json_array_get(json_object_get(r, "hits"), 0), "passages"), 0);
    assert_string_equal(str(first, "paragraph"), "Article 26");
    assert_non_null(g_str_has_suffix(str(first, "citation"), ", Article 26") ? "" : NULL);
    json_decref(r);

    /* Oman on Slovenia's housing for young people: A/HRC/59/15, para. 14 (p. 3). */
    r = search("q=Slovenia+housing+needs+young+people");
    assert_first_hit(r, "A_HRC_59_15_g2502644.pdf", NULL);
    json_t *p = json_array_get(
        json_object_get(json_array_get(json_object_get(r, "hits"), 0), "passages"), 0);
    assert_string_equal(str(p, "paragraph"), "14");
    assert_int_equal(num(p, "page"), 3);
    assert_non_null(strstr(str(p, "citation"), ", para. 14 (p. 3)"));
    assert_non_null(strstr(str(p, "url"), "/file#page=3"));
    json_t *doc = json_object_get(json_array_get(json_object_get(r, "hits"), 0), "document");
    assert_string_equal(str(doc, "symbol"), "A/HRC/59/15");
    assert_string_equal(str(p, "citation"), "A/HRC/59/15, para. 14 (p. 3)");
    json_decref(r);

    /* An unknown word: nothing found, and the word the index knows is offered. */
    r = search("q=educaton");
    assert_int_equal(num(r, "total"), 0);
    assert_string_equal(str(r, "suggestion"), "education");
    json_decref(r);
    /* A known word gets no suggestion, even where a more frequent neighbour exists. */
    r = search("q=right");
    assert_true(num(r, "total") > 0);
    assert_null(json_string_value(json_object_get(r, "suggestion")));
    json_decref(r);

    /* Stemming: "housing" highlights "house" forms with the English stemmer. */
    r = search("q=housing&group=passage&per_page=50");
    assert_true(num(r, "total") > 0);
    assert_string_equal(str(r, "language"), "en");
    json_decref(r);
}

/* Every returned text contains the exact phrase, and the same words
 * without quotes match more. */
static void test_phrase(void **state)
{
    (void)state;
    json_t *phrase = search("q=%22right+to+education%22&group=passage&per_page=50");
    json_t *words = search("q=right+to+education&group=passage&per_page=50");
    json_int_t n_phrase = num(phrase, "total");
    assert_true(n_phrase > 0);
    assert_true(num(words, "total") > n_phrase);
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(phrase, "hits"), i, hit)
    {
        json_t *p = json_array_get(json_object_get(hit, "passages"), 0);
        char *target = g_strdup_printf("/api/passages/%s", str(p, "id"));
        int status = 0;
        json_t *full = e2e_http_get_json(daemon_.port, target, &status);
        assert_int_equal(status, 200);
        char *text = g_ascii_strdown(str(json_object_get(full, "passage"), "text"), -1);
        if (!strstr(text, "right to education"))
            print_error("%s does not contain the phrase: %s\n", target, text);
        assert_non_null(strstr(text, "right to education"));
        assert_non_null(strstr(str(p, "snippet"), "<mark>"));
        g_free(text);
        g_free(target);
        json_decref(full);
    }
    json_decref(phrase);
    json_decref(words);
}

/* A document matches when it holds every word, even in different
 * passages: no passage of the Declaration holds both "marriage" (Article
 * 16) and "asylum" (Article 14), yet a document search finds it, showing
 * the passages that hold either word, while a passage search finds none of
 * its passages. */
static void test_words_across_passages(void **state)
{
    (void)state;
    char *udhr = corpus_id("udhr_eng.xml");
    json_t *passages = search("q=marriage+asylum&group=passage&per_page=50");
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(passages, "hits"), i, hit)
        assert_string_not_equal(str(json_object_get(hit, "document"), "id"), udhr);

    json_t *docs = search("q=marriage+asylum&per_page=50");
    json_t *found = NULL;
    json_array_foreach(json_object_get(docs, "hits"), i,
                       hit) if (strcmp(str(json_object_get(hit, "document"), "id"), udhr) == 0)
        found = hit;
    assert_non_null(found);
    int marriage = 0, asylum = 0;
    json_t *p;
    json_array_foreach(json_object_get(found, "passages"), i, p)
    {
        char *snippet = g_ascii_strdown(str(p, "snippet"), -1);
        marriage |= strstr(snippet, "<mark>marriage</mark>") != NULL;
        asylum |= strstr(snippet, "<mark>asylum</mark>") != NULL;
        g_free(snippet);
    }
    assert_true(marriage && asylum);
    json_decref(passages);
    json_decref(docs);
    g_free(udhr);
}

/* A passage search counts passages, as it pages through them: the total
 * of every page is the number of passages its pages hold, more than the
 * documents they come from (the search page's pager divides the total by
 * the page size), and a phrase counts the same way. */
static void test_passage_total_counts_passages(void **state)
{
    (void)state;
    static const char *const queries[] = {"housing+rights", "%22right+to+education%22"};
    for (size_t k = 0; k < sizeof queries / sizeof queries[0]; k++) {
        char *q = g_strdup_printf("q=%s&group=passage&per_page=50", queries[k]);
        json_t *all = search(q);
        size_t n = json_array_size(json_object_get(all, "hits"));
        g_free(q);
        q = g_strdup_printf("q=%s&per_page=50", queries[k]);
        json_t *docs = search(q);
        g_free(q);
        assert_true(n < 50);
        assert_int_equal(num(all, "total"), n);
        assert_true(num(all, "total") > num(docs, "total"));
        /* The last page of 3 holds the rest. */
        unsigned last = (unsigned)((n + 2) / 3);
        q = g_strdup_printf("q=%s&group=passage&per_page=3&page=%u", queries[k], last);
        json_t *page = search(q);
        g_free(q);
        assert_int_equal(num(page, "total"), n);
        assert_int_equal(json_array_size(json_object_get(page, "hits")), n - 3 * (last - 1));
        json_decref(page);
        json_decref(all);
        json_decref(docs);
    }
    /* Every passage: more than --max-depth (1000) allows to page through.
     * "pages" says where a pager must stop, and that page is served. */
    json_t *every = search("group=passage&per_page=50");
    assert_true(num(every, "total") > 1000);
    assert_int_equal(num(every, "pages"), 1000 / 50);
    json_decref(every);
    json_decref(search("group=passage&per_page=50&page=20"));
    int status = 0;
    json_t *deeper =
        e2e_http_get_json(daemon_.port, "/api/search?group=passage&per_page=50&page=21", &status);
    assert_int_equal(status, 400);
    json_decref(deeper);
    json_t *few = search("q=housing+rights&group=passage&per_page=50");
    assert_int_equal(num(few, "pages"), 1);
    json_decref(few);
}

/* The ids of res's hits' documents, as one string ("id id ..."). */
static char *hit_ids(json_t *res)
{
    GString *ids = g_string_new("");
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(res, "hits"), i, hit)
    {
        g_string_append_printf(ids, "%s ", str(json_object_get(hit, "document"), "id"));
    }
    return g_string_free(ids, FALSE);
}

/* Query forms a user writes that only passages, or no positions, can
 * answer: each finds what it says, in both groupings. */
static void test_fields_of_passages_and_titles(void **state)
{
    (void)state;
    /* para: labels are held by passages only: a document search finds
     * the documents of the passages a passage search finds. */
    json_t *docs = search("q=para:%22Article+26%22&per_page=50");
    json_t *passages = search("q=para:%22Article+26%22&group=passage&per_page=50");
    assert_true(num(docs, "total") > 0);
    assert_true(num(passages, "total") >= num(docs, "total"));
    char *from_passages = hit_ids(passages);
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(docs, "hits"), i, hit)
    {
        json_t *p = json_array_get(json_object_get(hit, "passages"), 0);
        assert_string_equal(str(p, "paragraph"), "Article 26");
        assert_non_null(strstr(from_passages, str(json_object_get(hit, "document"), "id")));
    }
    g_free(from_passages);
    json_decref(docs);
    json_decref(passages);

    /* A title made from the file name is the record's only: "70th" is in
     * the titles of two general debate statements, not in their text. */
    docs = search("q=70th");
    assert_int_equal(num(docs, "total"), 2);
    json_array_foreach(json_object_get(docs, "hits"), i, hit)
    {
        const char *title = str(json_object_get(hit, "document"), "title");
        assert_non_null(strstr(title, "General Debate of the 70th session"));
    }
    json_decref(docs);
    passages = search("q=70th&group=passage");
    assert_int_equal(num(passages, "total"), 0);
    json_decref(passages);

    /* Titles are indexed without positions: a quoted title finds the
     * titles holding its words. */
    json_t *quoted = search("q=title:%22universal+declaration%22");
    assert_true(num(quoted, "total") > 0);
    char *udhr = corpus_id("udhr_eng.xml");
    char *found = hit_ids(quoted);
    assert_non_null(strstr(found, udhr));
    g_free(found);
    g_free(udhr);
    json_t *words = search("q=title:universal+title:declaration");
    assert_int_equal(num(quoted, "total"), num(words, "total"));
    json_decref(quoted);
    json_decref(words);

    /* Only excluded words: everything without them, as NOT says. */
    json_t *without = search("q=-housing&per_page=50");
    json_t *not_form = search("q=NOT+housing&per_page=50");
    json_t *with = search("q=housing&per_page=50");
    assert_int_equal(num(without, "total"), num(not_form, "total"));
    assert_int_equal(num(without, "total") + num(with, "total"), indexed_files);
    char *with_ids = hit_ids(with);
    json_array_foreach(json_object_get(without, "hits"), i, hit)
    {
        assert_null(strstr(with_ids, str(json_object_get(hit, "document"), "id")));
    }
    g_free(with_ids);
    json_decref(without);
    json_decref(not_form);
    json_decref(with);

    /* A lone "*" asks for every document, as an empty q does. */
    json_t *star = search("q=*");
    assert_int_equal(num(star, "total"), indexed_files);
    json_decref(star);
}

static unsigned facet_count(json_t *res, const char *facet, const char *value)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(json_object_get(res, "facets"), facet), i, v)
    {
        if (strcmp(str(v, "value"), value) == 0)
            return (unsigned)num(v, "count");
    }
    return 0;
}

/* A filter narrows the total to what the facet promised, and the
 * filtered facets then show only that value. */
static void test_filters_and_facets(void **state)
{
    (void)state;
    static const struct {
        const char *query, *param, *facet, *value;
    } rows[] = {
        {"q=education", "format=pdf", "format", "pdf"},
        {"", "lang=fr", "language", "fr"},
        {"q=rights", "format=udhr-xml", "format", "udhr-xml"},
        {"", "lang=ru", "language", "ru"},
        {"q=rights", "year_from=2025&year_to=2025", "year", "2025"},
        {"q=rights", "body=HRC", "body", "HRC"},
        {"q=rights", "type=resolution", "type", "resolution"},
        /* Values as a user types them, in another case than the facets'. */
        {"q=rights", "body=hrc", "body", "HRC"},
        {"q=education", "format=PDF", "format", "pdf"},
        {"q=rights", "type=Resolution", "type", "resolution"},
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        json_t *all = search(rows[k].query);
        unsigned promised = facet_count(all, rows[k].facet, rows[k].value);
        char *q = g_strdup_printf("%s&%s", rows[k].query, rows[k].param);
        json_t *some = search(q);
        if (!promised || (json_int_t)promised != num(some, "total"))
            print_error("%s: facet promised %u, filter gave %d\n", q, promised,
                        (int)num(some, "total"));
        assert_true(promised > 0);
        assert_int_equal(num(some, "total"), promised);
        assert_true(num(some, "total") < num(all, "total"));
        assert_int_equal(facet_count(some, rows[k].facet, rows[k].value), promised);
        assert_int_equal(
            json_array_size(json_object_get(json_object_get(some, "facets"), rows[k].facet)), 1);
        g_free(q);
        json_decref(all);
        json_decref(some);
    }
    /* A field in the query ignores case as the filter does. */
    assert_same_total("q=rights+body:hrc", "q=rights&body=HRC");
    /* Paging counts documents: two pages of one are the top two. */
    json_t *top = search("q=rights&per_page=2");
    json_t *second = search("q=rights&per_page=1&page=2");
    assert_string_equal(
        str(json_object_get(json_array_get(json_object_get(top, "hits"), 1), "document"), "id"),
        str(json_object_get(json_array_get(json_object_get(second, "hits"), 0), "document"), "id"));
    json_decref(top);
    json_decref(second);
}

/* ---- languages ----------------------------------------------------------- */

static void test_languages(void **state)
{
    (void)state;
    static const struct {
        const char *query, *file, *language;
    } rows[] = {
        {"éducation gratuite", "udhr_fra.xml", "fr"},
        {"educación", "udhr_spa.xml", "es"},
        {"образование", "udhr_rus.xml", "ru"},
        {"التعليم", "udhr_arb.xml", "ar"},
        /* "and the education": the conjunction does not hide the word. */
        {"والتعليم", "udhr_arb.xml", "ar"},
        {"教育", "udhr_cmn_hans.xml", "zh"},
        /* Too short to identify: found as written, elision split. */
        {"l’éducation", "udhr_fra.xml", "fr"},
        {"droit à l'éducation", "udhr_fra.xml", "fr"},
        /* Too short to identify, and stemmed as English it would find a
         * report's "France Libertés": the documents holding it as written
         * are French. */
        {"liberté", "udhr_fra.xml", "fr"},
        /* A capital does not stop stemming. */
        {"Educación", "udhr_spa.xml", "es"},
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        char *enc = e2e_url_encode(rows[k].query);
        char *q = g_strdup_printf("q=%s", enc);
        json_t *r = search(q);
        assert_first_hit(r, rows[k].file, NULL);
        assert_string_equal(str(r, "language"), rows[k].language);
        json_t *doc = json_object_get(json_array_get(json_object_get(r, "hits"), 0), "document");
        assert_string_equal(str(doc, "language"), rows[k].language);
        json_decref(r);
        g_free(q);
        g_free(enc);
    }
    /* Every passage of 世界人权宣言 matches 人权 through its title, but
     * the title adds nothing to a passage's weight: the passages that say
     * 人权 come first. */
    json_t *rights = search("q=%E4%BA%BA%E6%9D%83&group=passage&per_page=3");
    assert_int_equal(json_array_size(json_object_get(rights, "hits")), 3);
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(rights, "hits"), i, hit)
    {
        const char *snippet = str(json_array_get(json_object_get(hit, "passages"), 0), "snippet");
        GString *plain = g_string_new(NULL);
        for (const char *c = snippet; *c; c++) {
            if (*c == '<' && strchr(c, '>'))
                c = strchr(c, '>');
            else
                g_string_append_c(plain, *c);
        }
        if (!strstr(plain->str, "\xe4\xba\xba\xe6\x9d\x83"))
            print_error("passage %zu says no 人权: %s\n", i + 1, plain->str);
        assert_non_null(strstr(plain->str, "\xe4\xba\xba\xe6\x9d\x83"));
        g_string_free(plain, TRUE);
    }
    json_decref(rights);

    /* A Chinese word is marked whole, not character by character. */
    json_t *edu = search("q=%E6%95%99%E8%82%B2&group=passage&per_page=1");
    const char *snip =
        str(json_array_get(
                json_object_get(json_array_get(json_object_get(edu, "hits"), 0), "passages"), 0),
            "snippet");
    assert_non_null(strstr(snip, "<mark>\xe6\x95\x99\xe8\x82\xb2</mark>"));
    json_decref(edu);

    /* French, Russian and typeset quotation marks make a phrase too; a
     * language may be named in itself. */
    static const char *const same[][2] = {
        {"q=%C2%ABdroits+de+l%27homme%C2%BB&group=passage",
         "q=%22droits+de+l%27homme%22&group=passage"},
        {"q=%E2%80%9E%D0%BF%D1%80%D0%B0%D0%B2%D0%B0+%D1%87%D0%B5%D0%BB%D0%BE%D0%B2%D0%B5%D0%BA%D0%"
         "B0%E2%80%9C",
         "q=%22%D0%BF%D1%80%D0%B0%D0%B2%D0%B0+%D1%87%D0%B5%D0%BB%D0%BE%D0%B2%D0%B5%D0%BA%D0%B0%22"},
        {"lang=fran%C3%A7ais", "lang=fr"},
        {"lang=%E4%B8%AD%E6%96%87", "lang=zh"},
        {"lang=%D8%A7%D9%84%D8%B9%D8%B1%D8%A8%D9%8A%D8%A9", "lang=ar"},
    };
    for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
        assert_same_total(same[k][0], same[k][1]);

    /* "Derechos Humanos" finds and highlights what "derechos humanos"
     * does: a word typed with a capital is stemmed too. */
    assert_same_total("q=Derechos+Humanos&group=passage", "q=derechos+humanos&group=passage");
}

/* Words typed without their accents, as on many keyboards, find the
 * accented words, marked as printed. */
static void test_without_accents(void **state)
{
    (void)state;
    static const struct {
        const char *query, *file, *marked;
    } rows[] = {
        {"q=derecho+a+la+educacion", "udhr_spa.xml", "<mark>educación</mark>"},
        {"q=libertad+de+expresion", "udhr_spa.xml", "<mark>expresión</mark>"},
        {"q=securite+sociale", "udhr_fra.xml", "<mark>sécurité</mark>"},
        {"q=educacion&group=passage", "udhr_spa.xml", "<mark>educación</mark>"},
        /* In a quoted phrase too, marked as one. */
        {"q=%22securite+sociale%22", "udhr_fra.xml", "<mark>sécurité sociale</mark>"},
        {"q=%22derecho+a+la+educacion%22&group=passage", "udhr_spa.xml",
         "<mark>derecho a la educación</mark>"},
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        json_t *r = search(rows[k].query);
        assert_first_hit(r, rows[k].file, NULL);
        const char *snippet =
            str(json_array_get(
                    json_object_get(json_array_get(json_object_get(r, "hits"), 0), "passages"), 0),
                "snippet");
        if (!strstr(snippet, rows[k].marked))
            fail_msg("%s: %s not in %s", rows[k].query, rows[k].marked, snippet);
        /* Found, so no "did you mean". */
        assert_null(json_string_value(json_object_get(r, "suggestion")));
        json_decref(r);
    }
}

/* ---- documents and passages ---------------------------------------------- */

static void test_documents(void **state)
{
    (void)state;
    char *id = corpus_id("udhr_eng.xml");
    char *target = g_strdup_printf("/api/documents/%s?limit=5", id);
    int status = 0;
    json_t *d = e2e_http_get_json(daemon_.port, target, &status);
    assert_int_equal(status, 200);
    assert_string_equal(str(json_object_get(d, "document"), "title"),
                        "Universal Declaration of Human Rights");
    json_t *ps = json_object_get(d, "passages");
    assert_int_equal(json_array_size(ps), 5);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(num(json_array_get(ps, i), "ordinal"), (json_int_t)i + 1);
    assert_true(num(d, "total") > 30);
    json_decref(d);
    g_free(target);

    /* A passage knows its neighbours; the first has no previous. */
    target = g_strdup_printf("/api/passages/%s-2", id);
    json_t *p = e2e_http_get_json(daemon_.port, target, &status);
    assert_int_equal(status, 200);
    json_t *passage = json_object_get(p, "passage");
    char *prev = g_strdup_printf("%s-1", id), *next = g_strdup_printf("%s-3", id);
    assert_string_equal(str(passage, "previous"), prev);
    assert_string_equal(str(passage, "next"), next);
    assert_true(strlen(str(passage, "text")) > 20);
    json_decref(p);
    g_free(target);
    target = g_strdup_printf("/api/passages/%s", prev);
    p = e2e_http_get_json(daemon_.port, target, &status);
    assert_int_equal(status, 200);
    assert_true(json_is_null(json_object_get(json_object_get(p, "passage"), "previous")));
    json_decref(p);
    g_free(target);
    g_free(prev);
    g_free(next);

    /* Originals: XML in a sandbox, PDF as PDF. */
    e2e_http_response r;
    char buf[256];
    target = g_strdup_printf("/api/documents/%s/file", id);
    assert_int_equal(e2e_http_request(daemon_.port, "GET", target, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(e2e_http_header(&r, "Content-Type", buf, sizeof buf), "application/xml");
    assert_non_null(
        strstr(e2e_http_header(&r, "Content-Security-Policy", buf, sizeof buf), "sandbox"));
    assert_non_null(strstr(r.body, "<udhr"));
    e2e_http_response_clear(&r);
    g_free(target);
    g_free(id);

    id = corpus_id("A_HRC_59_15_g2502644.pdf");
    target = g_strdup_printf("/api/documents/%s/file", id);
    assert_int_equal(e2e_http_request(daemon_.port, "GET", target, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(e2e_http_header(&r, "Content-Type", buf, sizeof buf), "application/pdf");
    assert_int_equal(r.body_len, 296938);
    assert_memory_equal(r.body, "%PDF", 4);
    e2e_http_response_clear(&r);
    g_free(target);
    g_free(id);
}

/* ---- bad requests -------------------------------------------------------- */

static void test_bad_requests(void **state)
{
    (void)state;
    char *long_q = g_strnfill(1100, 'a');
    char *long_target = g_strdup_printf("/api/search?q=%s", long_q);
    const struct {
        const char *method, *target;
        int status;
        const char *code;
    } rows[] = {
        {"GET", "/api/search?q=right%00education", 400, "bad_query"},
        {"GET", "/api/search?q=%FF%FE", 400, "bad_query"},
        {"GET", "/api/search?lang=%C0%AF", 400, "bad_query"},
        {"GET", "/api/search?q=ok&x%00=1", 400, "bad_query"},
        {"GET", "/api/search?per_page=10000", 400, "bad_query"},
        {"GET", "/api/search?per_page=0", 400, "bad_query"},
        {"GET", "/api/search?page=-1", 400, "bad_query"},
        {"GET", "/api/search?page=500&per_page=50", 400, "bad_query"},
        {"GET", "/api/search?k=99", 400, "bad_query"},
        {"GET", "/api/search?group=all", 400, "bad_query"},
        {"GET", "/api/search?year_from=20x5", 400, "bad_query"},
        {"GET", "/api/search?lang=klingon", 400, "bad_query"},
        {"GET", "/api/search?q=a&q=b", 400, "bad_query"},
        {"GET", "/api/documents/0123456789abcdef?limit=5&limit=6", 400, "bad_query"},
        {"GET", "/api/documents/0123456789abcdef?offset=1&offset=2", 400, "bad_query"},
        {"GET", "/api/search?q=a*", 400, "bad_query"},          /* expands past --max-wildcard */
        {"GET", "/api/search?q=housing+NOT", 400, "bad_query"}, /* malformed */
        {"GET", "/api/search?q=%28", 400, "bad_query"},         /* no words: "(" */
        {"GET", "/api/search?q=...", 400, "bad_query"},
        {"GET", long_target, 414, "query_too_long"},
        {"POST", "/api/search?q=x", 405, "method_not_allowed"},
        {"PUT", "/health", 405, "method_not_allowed"},
        {"DELETE", "/api/documents/0123456789abcdef", 405, "method_not_allowed"},
        {"GET", "/nope", 404, "not_found"},
        {"GET", "/api/documents/XYZ", 404, "not_found"},
        {"GET", "/api/documents/0123456789ABCDEF", 404, "not_found"},
        {"GET", "/api/documents/0123456789abcdef", 404, "not_found"},
        {"GET", "/api/documents/..%2F..%2Fetc%2Fpasswd/file", 404, "not_found"},
        {"GET", "/api/documents/%2Fetc%2Fpasswd/file", 404, "not_found"},
        {"GET", "/api/passages/0123456789abcdef-0", 404, "not_found"},
        {"GET", "/api/passages/0123456789abcdef-01", 404, "not_found"},
        {"GET", "/api/passages/0123456789abcdef-1", 404, "not_found"},
        {"GET", "/api/passages/..%2F..%2Fetc%2Fpasswd", 404, "not_found"},
        {"GET", "/static/..%2F..%2Fetc%2Fpasswd", 404, "not_found"},
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        e2e_http_response r;
        assert_int_equal(e2e_http_request(daemon_.port, rows[k].method, rows[k].target, NULL, &r),
                         0);
        json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
        const char *code = str(json_object_get(j, "error"), "code");
        if (r.status != rows[k].status || !code || strcmp(code, rows[k].code) != 0)
            print_error("%s %.80s: %d %s\n", rows[k].method, rows[k].target, r.status, r.body);
        assert_int_equal(r.status, rows[k].status);
        assert_string_equal(code, rows[k].code);
        assert_non_null(str(json_object_get(j, "error"), "message"));
        char buf[128];
        assert_string_equal(e2e_http_header(&r, "X-Content-Type-Options", buf, sizeof buf),
                            "nosniff");
        assert_string_equal(e2e_http_header(&r, "Content-Type", buf, sizeof buf),
                            "application/json; charset=utf-8");
        if (r.status == 405)
            assert_string_equal(e2e_http_header(&r, "Allow", buf, sizeof buf), "GET, HEAD");
        json_decref(j);
        e2e_http_response_clear(&r);
    }
    /* A request line past the URL cap is refused before it is parsed. */
    char *huge = g_strnfill(6000, 'b');
    char *target = g_strdup_printf("/api/search?x=%s", huge);
    e2e_http_response r;
    assert_int_equal(e2e_http_request(daemon_.port, "GET", target, NULL, &r), 0);
    assert_int_equal(r.status, 414);
    e2e_http_response_clear(&r);
    /* Garbage instead of HTTP gets a 4xx, never a 5xx. */
    static const char garbage[] = "\x16\x03\x01\x02\x00 not http\r\n\r\n";
    if (e2e_http_raw(daemon_.port, garbage, sizeof garbage - 1, &r) == 0)
        assert_true(r.status == 0 || (r.status >= 400 && r.status < 500));
    e2e_http_response_clear(&r);
    /* And the daemon still answers. */
    json_t *ok = search("q=education");
    json_decref(ok);
    /* An unknown parameter is ignored whatever its value: a long tracking
     * tag added by a mail or a social site does not break a search. */
    char *tag = g_strnfill(300, '7');
    char *tagged = g_strdup_printf("q=education&fbclid=%s", tag);
    ok = search(tagged);
    assert_true(num(ok, "total") > 0);
    json_decref(ok);
    g_free(tagged);
    g_free(tag);
    g_free(target);
    g_free(huge);
    g_free(long_target);
    g_free(long_q);
}

/* Queries built to be expensive within the length cap get an answer
 * (200, 400 or 503), never a 5xx of another kind, and quickly. */
static void test_pathological_queries(void **state)
{
    (void)state;
    GString *q[4];
    for (size_t i = 0; i < 4; i++)
        q[i] = g_string_new("/api/search?q=");
    for (int i = 0; i < 300; i++) {
        g_string_append(q[0], "%28");
        g_string_append(q[1], i ? "+NEAR+the" : "the");
        g_string_append(q[2], "th*+");
        g_string_append(q[3], "%22the+right%22+OR+");
    }
    for (size_t i = 0; i < 4; i++) {
        g_string_truncate(q[i], 1000);
        e2e_http_response r;
        gint64 t0 = g_get_monotonic_time();
        assert_int_equal(e2e_http_request(daemon_.port, "GET", q[i]->str, NULL, &r), 0);
        double secs = (double)(g_get_monotonic_time() - t0) / 1e6;
        if (!(r.status == 200 || r.status == 400 || r.status == 414 || r.status == 503))
            print_error("%.60s...: %d %s\n", q[i]->str, r.status, r.body);
        assert_true(r.status == 200 || r.status == 400 || r.status == 414 || r.status == 503);
        assert_true(secs < 5.0);
        e2e_http_response_clear(&r);
        g_string_free(q[i], TRUE);
    }
    json_decref(search("q=education"));
}

/* JSON is safe to embed: no raw "<" even though snippets carry <mark>. */
static void test_json_escaping(void **state)
{
    (void)state;
    e2e_http_response r;
    assert_int_equal(e2e_http_request(daemon_.port, "GET", "/api/search?q=education", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_null(strchr(r.body, '<'));
    assert_null(strchr(r.body, '>'));
    assert_non_null(strstr(r.body, "\\u003cmark\\u003e"));
    e2e_http_response_clear(&r);
}

/* ---- operations ---------------------------------------------------------- */

static void test_health_and_metrics(void **state)
{
    (void)state;
    int status = 0;
    json_t *h = e2e_http_get_json(daemon_.port, "/health", &status);
    assert_int_equal(status, 200);
    assert_string_equal(str(h, "status"), "ok");
    assert_int_equal(num(h, "documents"), indexed_files);
    assert_true(num(h, "passages") > (json_int_t)indexed_files);
    assert_true(num(h, "revision") > 0);
    json_decref(h);

    e2e_http_response r;
    char buf[128];
    assert_int_equal(e2e_http_request(daemon_.port, "GET", "/metrics", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(e2e_http_header(&r, "Content-Type", buf, sizeof buf), "text/plain"));
    assert_non_null(strstr(r.body, "civitas_requests_total{route=\"health\",status=\"200\"}"));
    assert_non_null(strstr(r.body, "civitas_request_seconds_bucket{le=\"+Inf\"}"));
    assert_non_null(strstr(r.body, "civitas_request_seconds_count"));
    assert_non_null(strstr(r.body, "civitas_index_reopens_total"));

    /* The index's size counts the files of both its databases (they are
     * subdirectories of the index directory). */
    const char *size = strstr(r.body, "\ncivitas_index_size_bytes ");
    assert_non_null(size);
    unsigned long long bytes = strtoull(size + strlen("\ncivitas_index_size_bytes "), NULL, 10);
    assert_true(bytes > 100000);
    char *docs = g_strdup_printf("civitas_index_documents %u\n", indexed_files);
    assert_non_null(strstr(r.body, docs));
    g_free(docs);
    e2e_http_response_clear(&r);
}

/* Requests on one connection are answered on it: a client (the widget,
 * a proxy, a script) need not connect again for each search. Two
 * requests are sent at once; the first must be answered without
 * "Connection: close" and the second on the same connection. */
static void test_keep_alive(void **state)
{
    (void)state;
    static const char two[] = "GET /api/search?q=housing HTTP/1.1\r\nHost: t\r\n\r\n"
                              "GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    e2e_http_response r;
    assert_int_equal(e2e_http_raw(daemon_.port, two, sizeof two - 1, &r), 0);
    assert_int_equal(r.status, 200);
    char buf[64];
    const char *connection = e2e_http_header(&r, "Connection", buf, sizeof buf);
    assert_true(!connection || g_ascii_strcasecmp(connection, "close") != 0);
    /* The second response follows the first one's body. */
    const char *second = strstr(r.body, "HTTP/1.1 200");
    assert_non_null(second);
    assert_non_null(strstr(second, "\"status\":\"ok\""));
    e2e_http_response_clear(&r);
}

/* A counter or gauge from /metrics of the daemon on port. */
static unsigned long long metric(unsigned port, const char *name)
{
    e2e_http_response r;
    assert_int_equal(e2e_http_request(port, "GET", "/metrics", NULL, &r), 0);
    char *line = g_strdup_printf("\n%s ", name);
    const char *at = strstr(r.body, line);
    assert_non_null(at);
    unsigned long long v = strtoull(at + strlen(line), NULL, 10);
    g_free(line);
    e2e_http_response_clear(&r);
    return v;
}

/* A search refused before its parameters could be read (invalid
 * percent-encoding, a byte that is not UTF-8) is counted as a search, as
 * docs/OPERATIONS.md says of every route's answers. */
static void test_refused_searches_counted_as_searches(void **state)
{
    (void)state;
    static const char *const targets[] = {"/api/search?q=%G1", "/api/search?q=%FF"};
    static const char series[] = "civitas_requests_total{route=\"search\",status=\"400\"}";
    static const char other[] = "civitas_requests_total{route=\"other\",status=\"400\"}";
    for (size_t i = 0; i < G_N_ELEMENTS(targets); i++) {
        unsigned long long before = metric(daemon_.port, series);
        e2e_http_response r;
        assert_int_equal(e2e_http_request(daemon_.port, "GET", targets[i], NULL, &r), 0);
        assert_int_equal(r.status, 400);
        e2e_http_response_clear(&r);
        assert_int_equal(metric(daemon_.port, series), before + 1);
    }
    /* No 400 of this file's requests was counted under another route. */
    e2e_http_response r;
    assert_int_equal(e2e_http_request(daemon_.port, "GET", "/metrics", NULL, &r), 0);
    assert_null(strstr(r.body, other));
    e2e_http_response_clear(&r);
}

/* A daemon whose index went away answers 503 without telling the client
 * where on the machine it looked; its operator reads that on stderr. */
static void test_missing_index(void **state)
{
    (void)state;
    char *docs = g_build_filename(tmp, "one", NULL);
    char *gone = g_build_filename(tmp, "index-moved-away", NULL);
    char *moved = g_build_filename(tmp, "elsewhere", NULL);
    char *speech = g_build_filename(docs, "UNGDC_SVN_70_2015.txt", NULL);
    g_mkdir(docs, 0755);
    e2e_copy(CORPUS "/UNGDC_SVN_70_2015.txt", speech);
    const char *argv[] = {CIV_INDEXER, "--db", gone, docs, NULL};
    assert_int_equal(e2e_run(argv, NULL, NULL), 0);
    e2e_searchd d;
    e2e_searchd_start(&d, gone, NULL);
    assert_int_equal(g_rename(gone, moved), 0);
    int status = 0;
    json_t *j = e2e_http_get_json(d.port, "/api/search?q=housing", &status);
    assert_int_equal(status, 503);
    json_t *error = json_object_get(j, "error");
    assert_string_equal(str(error, "code"), "index_unavailable");
    assert_null(strstr(str(error, "message"), "index-moved-away"));
    json_decref(j);
    char *err_path = g_build_filename(d.dir, "stderr", NULL);
    char *log = NULL;
    assert_true(g_file_get_contents(err_path, &log, NULL, NULL));
    assert_non_null(strstr(log, "index unavailable"));
    assert_non_null(strstr(log, "index-moved-away"));
    assert_int_equal(e2e_searchd_stop(&d), 0);
    e2e_rm_rf(moved);
    e2e_rm_rf(docs);
    g_free(log);
    g_free(err_path);
    g_free(speech);
    g_free(moved);
    g_free(gone);
    g_free(docs);
}

/* The same search twice: the second answer comes from the cache and is
 * the same, byte for byte; a search that differs in any parameter is not
 * taken for it. (test_reindex shows that an answer cached before a
 * re-index is not served after it.) */
static void test_search_cache(void **state)
{
    (void)state;
    const char *query = "/api/search?q=adequate+housing&per_page=7",
               *other = "/api/search?q=adequate+housing&per_page=8";
    unsigned long long hits = metric(daemon_.port, "civitas_search_cache_hits_total"),
                       misses = metric(daemon_.port, "civitas_search_cache_misses_total");
    e2e_http_response first, second, third;
    assert_int_equal(e2e_http_request(daemon_.port, "GET", query, NULL, &first), 0);
    assert_int_equal(e2e_http_request(daemon_.port, "GET", query, NULL, &second), 0);
    assert_int_equal(e2e_http_request(daemon_.port, "GET", other, NULL, &third), 0);
    assert_int_equal(first.status, 200);
    assert_int_equal(second.status, 200);
    assert_int_equal(third.status, 200);
    assert_string_equal(first.body, second.body);
    assert_string_not_equal(first.body, third.body);
    assert_int_equal(metric(daemon_.port, "civitas_search_cache_hits_total"), hits + 1);
    assert_int_equal(metric(daemon_.port, "civitas_search_cache_misses_total"), misses + 2);
    assert_true(metric(daemon_.port, "civitas_search_cache_entries") >= 2);
    assert_true(metric(daemon_.port, "civitas_search_cache_bytes") > first.body_len);
    e2e_http_response_clear(&first);
    e2e_http_response_clear(&second);
    e2e_http_response_clear(&third);

    /* --cache-mb 0 turns it off: every search runs. */
    e2e_searchd plain;
    const char *extra[] = {"--cache-mb", "0", NULL};
    e2e_searchd_start(&plain, db, extra);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(e2e_http_request(plain.port, "GET", query, NULL, &first), 0);
        assert_int_equal(first.status, 200);
        e2e_http_response_clear(&first);
    }
    assert_int_equal(metric(plain.port, "civitas_search_cache_hits_total"), 0);
    assert_int_equal(metric(plain.port, "civitas_search_cache_entries"), 0);
    assert_int_equal(e2e_searchd_stop(&plain), 0);

    /* --help names the option; a bad value is a usage error (exit 2). */
    char *out = NULL, *errs = NULL;
    const char *help[] = {CIV_SEARCHD, "--help", NULL};
    assert_int_equal(e2e_run(help, &out, &errs), 0);
    assert_non_null(strstr(out, "--cache-mb"));
    g_free(out);
    g_free(errs);
    const char *bad[] = {CIV_SEARCHD, "--db", db, "--cache-mb", "-1", NULL};
    assert_int_equal(e2e_run(bad, &out, &errs), 2);
    assert_non_null(strstr(errs, "--cache-mb must be 0 to 65536"));
    g_free(out);
    g_free(errs);
}

static void test_cors(void **state)
{
    (void)state;
    e2e_http_response r;
    char buf[256];
    assert_int_equal(e2e_http_request(daemon_.port, "GET", "/api/search?q=education",
                                      "Origin: https://allowed.example\r\n", &r),
                     0);
    assert_string_equal(e2e_http_header(&r, "Access-Control-Allow-Origin", buf, sizeof buf),
                        "https://allowed.example");
    assert_string_equal(e2e_http_header(&r, "Vary", buf, sizeof buf), "Origin");
    e2e_http_response_clear(&r);
    assert_int_equal(e2e_http_request(daemon_.port, "GET", "/api/search?q=education",
                                      "Origin: https://evil.example\r\n", &r),
                     0);
    assert_int_equal(r.status, 200);
    assert_null(e2e_http_header(&r, "Access-Control-Allow-Origin", buf, sizeof buf));
    assert_string_equal(e2e_http_header(&r, "Vary", buf, sizeof buf), "Origin");
    e2e_http_response_clear(&r);
}

static void test_page(void **state)
{
    (void)state;
    e2e_http_response r;
    char buf[512];
    assert_int_equal(e2e_http_request(daemon_.port, "GET", "/", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(e2e_http_header(&r, "Content-Type", buf, sizeof buf),
                        "text/html; charset=utf-8");
    assert_non_null(strstr(e2e_http_header(&r, "Content-Security-Policy", buf, sizeof buf),
                           "script-src 'self'"));
    assert_non_null(strstr(r.body, "role=\"search\""));
    assert_non_null(strstr(r.body, "aria-live"));
    assert_non_null(strstr(r.body, "/static/app.js"));
    e2e_http_response_clear(&r);
    assert_int_equal(e2e_http_request(daemon_.port, "GET", "/static/app.js", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(e2e_http_header(&r, "Content-Type", buf, sizeof buf),
                        "text/javascript; charset=utf-8");
    assert_non_null(strstr(r.body, "textContent"));
    e2e_http_response_clear(&r);
    /* HEAD: the headers of GET, no body. */
    assert_int_equal(e2e_http_request(daemon_.port, "HEAD", "/static/app.css", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(atoi(e2e_http_header(&r, "Content-Length", buf, sizeof buf)) > 100);
    assert_int_equal(r.body_len, 0);
    e2e_http_response_clear(&r);
    /* The widget: one script holding the shared renderer, no page policy. */
    assert_int_equal(e2e_http_request(daemon_.port, "GET", "/widget.js", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(e2e_http_header(&r, "Content-Type", buf, sizeof buf),
                        "text/javascript; charset=utf-8");
    assert_null(e2e_http_header(&r, "Content-Security-Policy", buf, sizeof buf));
    assert_non_null(strstr(r.body, "const CivitasRender"));
    assert_non_null(strstr(r.body, "document.currentScript"));
    e2e_http_response_clear(&r);
    /* OpenSearch: absolute URLs from the Host the client used. */
    assert_int_equal(e2e_http_request(daemon_.port, "GET", "/opensearch.xml", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(e2e_http_header(&r, "Content-Type", buf, sizeof buf),
                        "application/opensearchdescription+xml; charset=utf-8");
    snprintf(buf, sizeof buf, "template=\"http://127.0.0.1:%u/?q={searchTerms}\"", daemon_.port);
    assert_non_null(strstr(r.body, buf));
    e2e_http_response_clear(&r);
    /* A Host that is not a plain host name gives relative URLs, never markup. */
    static const char forged[] =
        "GET /opensearch.xml HTTP/1.1\r\nHost: a\"><x\r\nConnection: close\r\n\r\n";
    assert_int_equal(e2e_http_raw(daemon_.port, forged, sizeof forged - 1, &r), 0);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "<x"));
    assert_non_null(strstr(r.body, "template=\"/?q={searchTerms}\""));
    e2e_http_response_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_queries),
        cmocka_unit_test(test_phrase),
        cmocka_unit_test(test_words_across_passages),
        cmocka_unit_test(test_passage_total_counts_passages),
        cmocka_unit_test(test_fields_of_passages_and_titles),
        cmocka_unit_test(test_filters_and_facets),
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_without_accents),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_bad_requests),
        cmocka_unit_test(test_pathological_queries),
        cmocka_unit_test(test_json_escaping),
        cmocka_unit_test(test_health_and_metrics),
        cmocka_unit_test(test_keep_alive),
        cmocka_unit_test(test_refused_searches_counted_as_searches),
        cmocka_unit_test(test_missing_index),
        cmocka_unit_test(test_search_cache),
        cmocka_unit_test(test_cors),
        cmocka_unit_test(test_page),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
