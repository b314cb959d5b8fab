/* Unit tests for civ_index: the schema a source file becomes (record +
 * passages), replacing, touching and removing a file, term forms and ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "civ_document.h"
#include "civ_index.h"
#include "civ_lang.h"
#include "civ_xapian.h"

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

static void test_term_forms(void **state)
{
    (void)state;
    static const struct {
        const char *prefix, *value, *term;
    } rows[] = {
        {"XSYM", "A/HRC/59/15", "XSYM:A/HRC/59/15"},
        {"XBODY", "HRC", "XBODY:HRC"},
        {"XPARA", "Article 3", "XPARA:Article 3"},
        {"XPARA", "12", "XPARA12"},
        {"XPARA", "(a)", "XPARA(a)"},
        {"XTYPE", "report", "XTYPEreport"},
        {"L", "en", "Len"},
        {"Q", "Abc", "QAbc"}, /* one-letter prefixes never take a colon */
        {"XFMT", ":odd", "XFMT::odd"},
        {"XK:", "Doc", "XK:Doc"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *t = civ_xapian_term(rows[i].prefix, rows[i].value);
        assert_string_equal(t, rows[i].term);
        free(t);
    }
}

static void test_ids_are_stable(void **state)
{
    (void)state;
    char a[CIV_ID_LEN + 1], b[CIV_ID_LEN + 1], c[CIV_ID_LEN + 1];
    civ_index_id_for_path("/srv/corpus/A_HRC_59_15.pdf", a);
    civ_index_id_for_path("/srv/corpus/A_HRC_59_15.pdf", b);
    civ_index_id_for_path("/srv/corpus/A_HRC_59_16.pdf", c);
    assert_int_equal(strlen(a), CIV_ID_LEN);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    for (size_t i = 0; i < CIV_ID_LEN; i++)
        assert_true(g_ascii_isxdigit(a[i]) && !g_ascii_isupper(a[i]));
}

static civ_document *sample(const char *extra)
{
    civ_document *doc = civ_document_new("pdf");
    civ_err err;
    civ_document_set(doc, &doc->title, "Report of the Working Group");
    civ_document_set(doc, &doc->lang, "en");
    civ_document_set(doc, &doc->date, "2025-03-24");
    civ_document_set(doc, &doc->symbol, "a/hrc/59/15");
    civ_document_set(doc, &doc->doctype, "report");
    civ_document_set(doc, &doc->body, "HRC");
    const char *texts[] = {"The review of Slovenia was held in January.",
                           "Slovenia accepted recommendations on housing.", extra};
    for (int i = 0; i < 3 && texts[i]; i++) {
        char para[8];
        snprintf(para, sizeof para, "%d", i + 1);
        assert_int_equal(civ_document_add_passage(doc, texts[i], strlen(texts[i]), para,
                                                  "Introduction", i + 2, &err),
                         CIV_OK);
    }
    return doc;
}

static unsigned count(civ_xapian_reader *r, const char *term)
{
    unsigned n = 0;
    civ_err err;
    int changed;
    assert_int_equal(civ_xapian_reader_reopen(r, &changed, &err), CIV_OK);
    assert_int_equal(civ_xapian_reader_term_count(r, term, &n, &err), CIV_OK);
    return n;
}

/* The spelling suggestion for text, or NULL. */
static char *suggestion(civ_xapian_reader *r, const char *text)
{
    civ_xapian_query q;
    memset(&q, 0, sizeof q);
    q.text = text;
    q.lang = "en";
    q.count = 10;
    q.collapse_slot = -1;
    q.facet_distinct_slot = -1;
    q.spelling = 1;
    civ_err err;
    int changed;
    civ_xapian_results *res = NULL;
    assert_int_equal(civ_xapian_reader_reopen(r, &changed, &err), CIV_OK);
    assert_int_equal(civ_xapian_search(r, &q, &res, &err), CIV_OK);
    const char *s = civ_xapian_results_suggestion(res);
    char *out = s ? strdup(s) : NULL;
    civ_xapian_results_free(res);
    return out;
}

/* A batch commit may leave the spelling dictionary's words for a later
 * commit; a writer that dies in between loses none of them: the next
 * writer learns them again from the records the batch commit noted. */
static void test_spelling_survives_a_crash(void **state)
{
    (void)state;
    char *dir = g_dir_make_tmp("civ-index-XXXXXX", NULL);
    char *db = g_build_filename(dir, "db", NULL);
    civ_err err;
    civ_index *ix = NULL;
    civ_source src;
    memset(&src, 0, sizeof src);
    civ_index_id_for_path("/srv/b.pdf", src.id);
    src.path = "/srv/b.pdf";
    g_strlcpy(src.sha256, "cd34", sizeof src.sha256);

    assert_int_equal(civ_index_open(db, 0, &ix, &err), CIV_OK);
    civ_document *doc = sample("Municipal ombudspersons review complaints.");
    assert_int_equal(civ_index_put(ix, &src, doc, &err), CIV_OK);
    civ_document_free(doc);
    assert_int_equal(civ_index_commit_batch(ix, &err), CIV_OK);
    civ_index_close(ix); /* the crash: nothing after the batch commit */

    size_t n = 0;
    civ_xapian_reader *r = NULL;
    assert_int_equal(civ_xapian_reader_open(db, civ_lang_table(&n), n, &r, &err), CIV_OK);
    assert_int_equal(count(r, "ombudspersons"), 2); /* passage and record are in */
    assert_null(suggestion(r, "ombudsprsons"));     /* the dictionary waits */

    assert_int_equal(civ_index_open(db, 0, &ix, &err), CIV_OK);
    assert_int_equal(civ_index_commit(ix, &err), CIV_OK);
    civ_index_close(ix);
    char *s = suggestion(r, "ombudsprsons");
    assert_non_null(s);
    assert_string_equal(s, "ombudspersons");
    free(s);

    civ_xapian_reader_close(r);
    rm_rf(dir);
    g_free(db);
    g_free(dir);
}

/* Files spread evenly over the shards (the shards are written in
 * parallel, so one shard holding most files would write alone), and a
 * file's shard never changes. */
static void test_shards_share_files(void **state)
{
    (void)state;
    unsigned counts[3] = {0};
    for (int i = 0; i < 3000; i++) {
        char path[64], id[CIV_ID_LEN + 1];
        snprintf(path, sizeof path, "/srv/corpus/speech_%04d.txt", i);
        civ_index_id_for_path(path, id);
        unsigned k = civ_index_shard_of(id, 3);
        assert_true(k < 3);
        assert_int_equal(civ_index_shard_of(id, 3), k);
        assert_int_equal(civ_index_shard_of(id, 1), 0);
        counts[k]++;
    }
    for (int k = 0; k < 3; k++)
        assert_in_range(counts[k], 900, 1100);
}

static void test_put_touch_remove(void **state)
{
    (void)state;
    char *dir = g_dir_make_tmp("civ-index-XXXXXX", NULL);
    char *db = g_build_filename(dir, "db", NULL);
    civ_err err;
    civ_index *ix = NULL;
    assert_int_equal(civ_index_open(db, 0, &ix, &err), CIV_OK);

    civ_source src;
    memset(&src, 0, sizeof src);
    civ_index_id_for_path("/srv/a.pdf", src.id);
    src.path = "/srv/a.pdf";
    g_strlcpy(src.sha256, "ab12", sizeof src.sha256);
    src.size = 100;
    src.mtime = 1000;
    civ_document *doc = sample("A third paragraph about water.");
    assert_int_equal(civ_index_put(ix, &src, doc, &err), CIV_OK);
    civ_document_free(doc);
    assert_int_equal(civ_index_commit(ix, &err), CIV_OK);

    size_t n = 0;
    civ_xapian_reader *r = NULL;
    assert_int_equal(civ_xapian_reader_open(db, civ_lang_table(&n), n, &r, &err), CIV_OK);
    char *parent = g_strconcat("XP", src.id, NULL);
    char *qdoc = g_strconcat("Q", src.id, NULL);
    char *qp2 = g_strdup_printf("Q%s-2", src.id);
    assert_int_equal(count(r, parent), 3);
    assert_int_equal(count(r, qdoc), 1);
    assert_int_equal(count(r, "XKdoc"), 1);
    assert_int_equal(count(r, "XKpassage"), 3);
    /* Metadata rides on the record and on every passage. */
    assert_int_equal(count(r, "XSYM:A/HRC/59/15"), 4);
    assert_int_equal(count(r, "XBODY:HRC"), 4);
    assert_int_equal(count(r, "Y2025"), 4);
    assert_int_equal(count(r, "Len"), 4);
    /* Text is stemmed for its language; the title is searchable with S.
     * The record holds the words of its passages (a document search
     * matches records) and the title. */
    assert_int_equal(count(r, "Zhous"), 2);
    assert_int_equal(count(r, "Sgroup"), 4);
    assert_int_equal(count(r, "ZSgroup"), 4);

    char *data = NULL;
    assert_int_equal(civ_xapian_reader_get_data(r, qp2, &data, NULL, &err), CIV_OK);
    json_t *p = json_loads(data, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(p, "para")), "2");
    assert_int_equal(json_integer_value(json_object_get(p, "page")), 3);
    assert_string_equal(json_string_value(json_object_get(p, "heading")), "Introduction");
    assert_string_equal(json_string_value(json_object_get(p, "doc")), src.id);
    json_decref(p);
    free(data);

    civ_source got;
    assert_int_equal(civ_index_get_source(ix, src.id, &got, &err), CIV_OK);
    assert_string_equal(got.path, "/srv/a.pdf");
    assert_string_equal(got.sha256, "ab12");
    assert_int_equal(got.size, 100);
    assert_int_equal(got.mtime, 1000);
    civ_source_clear(&got);

    /* Replacing with a shorter version leaves no stale passage. */
    doc = sample(NULL);
    assert_int_equal(civ_index_put(ix, &src, doc, &err), CIV_OK);
    civ_document_free(doc);
    assert_int_equal(civ_index_commit(ix, &err), CIV_OK);
    assert_int_equal(count(r, parent), 2);
    assert_int_equal(count(r, "Zwater"), 0); /* not in the record either */

    /* Touch keeps the metadata terms, the record's words and the
     * passages, and moves the mtime. */
    src.mtime = 2000;
    assert_int_equal(civ_index_touch(ix, &src, &err), CIV_OK);
    assert_int_equal(civ_index_commit(ix, &err), CIV_OK);
    assert_int_equal(count(r, "XSYM:A/HRC/59/15"), 3);
    assert_int_equal(count(r, "Zhous"), 2);
    assert_int_equal(civ_index_get_source(ix, src.id, &got, &err), CIV_OK);
    assert_int_equal(got.mtime, 2000);
    civ_source_clear(&got);

    civ_source *all = NULL;
    size_t n_all = 0;
    assert_int_equal(civ_index_list_sources(ix, &all, &n_all, &err), CIV_OK);
    assert_int_equal(n_all, 1);
    assert_string_equal(all[0].id, src.id);
    civ_sources_free(all, n_all);

    assert_int_equal(civ_index_remove(ix, src.id, &err), CIV_OK);
    assert_int_equal(civ_index_commit(ix, &err), CIV_OK);
    assert_int_equal(count(r, parent), 0);
    assert_int_equal(count(r, qdoc), 0);
    assert_int_equal(civ_index_get_source(ix, src.id, &got, &err), CIV_ERR_NOTFOUND);

    civ_xapian_reader_close(r);
    civ_index_close(ix);
    g_free(parent);
    g_free(qdoc);
    g_free(qp2);
    rm_rf(dir);
    g_free(dir);
    g_free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_term_forms),
        cmocka_unit_test(test_ids_are_stable),
        cmocka_unit_test(test_shards_share_files),
        cmocka_unit_test(test_put_touch_remove),
        cmocka_unit_test(test_spelling_survives_a_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
