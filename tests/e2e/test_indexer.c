/* End-to-end tests of civitas-index, run as a user runs it.
 *
 * test_corpus_check indexes corpus/ and checks, file by file, what must and
 * must not be in the index (in the manner of Omega's omindexcheck): formats,
 * languages, passages with their printed paragraph numbers and pages, terms.
 * The other tests cover incremental runs, stable ids, removal, locking,
 * shards, compaction, failures with reasons, and the command line. */
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
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "civ_index.h"
#include "civ_json.h"
#include "civ_lang.h"
#include "civ_search.h"
#include "e2e_util.h"

#define CORPUS CIV_SOURCE_DIR "/corpus"

static char *corpus_db; /* corpus/ indexed once for the check tests */
static char *corpus_tmp;

static int index_corpus(void **state)
{
    (void)state;
    corpus_tmp = e2e_tmpdir();
    corpus_db = g_build_filename(corpus_tmp, "db", NULL);
    e2e_index(corpus_db, CORPUS);
    return 0;
}

static int remove_corpus(void **state)
{
    (void)state;
    e2e_rm_rf(corpus_tmp);
    g_free(corpus_tmp);
    g_free(corpus_db);
    return 0;
}

/* JSON data of the record of a corpus file. */
static json_t *record(civ_xapian_reader *r, const char *file)
{
    char *path = g_build_filename(CORPUS, file, NULL);
    char id[CIV_ID_LEN + 1];
    e2e_doc_id(path, id);
    g_free(path);
    char *term = g_strconcat("Q", id, NULL);
    char *data = NULL;
    civ_err err;
    civ_status st = civ_xapian_reader_get_data(r, term, &data, NULL, &err);
    if (st != CIV_OK)
        print_error("%s: no record (%s)\n", file, err.msg);
    assert_int_equal(st, CIV_OK);
    json_t *rec = json_loads(data, 0, NULL);
    assert_non_null(rec);
    free(data);
    g_free(term);
    return rec;
}

/* The passages of a corpus file, as JSON objects, in ordinal order. */
static json_t *passages(civ_xapian_reader *r, const char *file)
{
    json_t *rec = record(r, file);
    char *term = g_strconcat("XP", json_string_value(json_object_get(rec, "id")), NULL);
    char **datas = NULL;
    size_t n = 0;
    civ_err err;
    assert_int_equal(civ_xapian_reader_term_datas(r, term, 0, 0, &datas, &n, &err), CIV_OK);
    json_t *arr = json_array();
    for (size_t ord = 1; ord <= n; ord++) {
        for (size_t i = 0; i < n; i++) {
            json_t *p = json_loads(datas[i], 0, NULL);
            if (json_integer_value(json_object_get(p, "ord")) == (json_int_t)ord) {
                json_array_append_new(arr, p);
                break;
            }
            json_decref(p);
        }
    }
    assert_int_equal(json_array_size(arr), n);
    assert_int_equal(json_integer_value(json_object_get(rec, "passages")), (json_int_t)n);
    civ_xapian_strings_free(datas, n);
    g_free(term);
    json_decref(rec);
    return arr;
}

/* First passage with the printed paragraph number para. */
static json_t *find_para(json_t *arr, const char *para)
{
    size_t i;
    json_t *p;
    json_array_foreach(arr, i, p)
    {
        const char *pp = json_string_value(json_object_get(p, "para"));
        if (pp && strcmp(pp, para) == 0)
            return p;
    }
    return NULL;
}

static int passage_has_term(civ_xapian_reader *r, json_t *p, const char *term)
{
    char *q = g_strconcat("Q", json_string_value(json_object_get(p, "id")), NULL);
    char **terms = NULL;
    size_t n = 0;
    civ_err err;
    assert_int_equal(civ_xapian_reader_doc_terms(r, q, &terms, &n, &err), CIV_OK);
    int found = 0;
    for (size_t i = 0; i < n && !found; i++)
        found = strcmp(terms[i], term) == 0;
    civ_xapian_strings_free(terms, n);
    g_free(q);
    return found;
}

/* One row of the corpus check: a passage that must be there. */
typedef struct passage_check {
    const char *para; /* printed number */
    int page;         /* expected page, 0 for formats without pages */
    const char *starts;
    const char *terms[4]; /* terms it must have */
} passage_check;

typedef struct file_check {
    const char *file;
    const char *format;
    const char *lang;
    const char *type; /* or NULL */
    size_t min_passages;
    passage_check passages[3];
} file_check;

static const file_check checks[] = {
    {"A_HRC_59_15_g2502644.pdf",
     "pdf",
     "en",
     NULL,
     100,
     {{"1",
       2,
       "The Working Group on the Universal Periodic Review, established",
       {"Zslovenia", "XPARA1", "Len", "XFMTpdf"}},
      {"12", 0, NULL, {"XPARA12"}}}},
    {"A_HRC_RES_59_25.en.pdf",
     "pdf",
     "en",
     NULL,
     40,
     {{"27", 0, "Decides to remain seized of the matter.", {"Zseiz", "XPARA27"}}}},
    {"A_HRC_14_37_g1217781.pdf",
     "pdf",
     "en",
     NULL,
     1000,
     {{"1", 5, "Condemns in the strongest terms", {"Zcondemn"}}}},
    {"udhr_eng.xml",
     "udhr-xml",
     "en",
     "declaration",
     50,
     {{"Article 26",
       0,
       "Everyone has the right to education.",
       {"Zeduc", "XPARA:Article 26", "XTYPEdeclaration", "Y1948"}}}},
    {"udhr_fra.xml",
     "udhr-xml",
     "fr",
     "declaration",
     50,
     {{"Article 26", 0, "Toute personne a droit à l’éducation.", {"Zéduc", "Lfr"}}}},
    {"udhr_spa.xml",
     "udhr-xml",
     "es",
     "declaration",
     50,
     {{"Article 26", 0, "Toda persona tiene derecho a la educación.", {"Zeduc", "Les"}}}},
    {"udhr_rus.xml",
     "udhr-xml",
     "ru",
     "declaration",
     50,
     {{"Article 26", 0, "Каждый человек имеет право на образование.", {"Zобразован", "Lru"}}}},
    {"udhr_arb.xml",
     "udhr-xml",
     "ar",
     "declaration",
     50,
     {{"Article 26", 0, NULL, {"Zتعليم", "Lar"}}}},
    /* Chinese: CJK n-grams, no stemming: the bigram 教育 is a term. */
    {"udhr_cmn_hans.xml",
     "udhr-xml",
     "zh",
     "declaration",
     50,
     {{"Article 26", 0, NULL, {"教育", "Lzh"}}}},
    {"za-cpt_sub-council-bylaw_2016-11-04.akn.xml",
     "akn",
     "en",
     "act",
     100,
     {{"1", 0, "In this by-law, unless the context otherwise indicates", {"XPARA1", "Zlaw"}}}},
    {"za-cpt_sub-council-bylaw_2016-11-04.html", "html", "en", NULL, 100, {{NULL}}},
    {"akn_oasis_example_ke_Debate_Bungeni_2011-06-10.xml", "akn", "en", "debate", 10, {{NULL}}},
    {"UNGDC_SVN_70_2015.txt", "text", "en", NULL, 10, {{NULL}}},
};

static void test_corpus_check(void **state)
{
    (void)state;
    civ_xapian_reader *r = e2e_reader(corpus_db);
    for (size_t f = 0; f < sizeof checks / sizeof checks[0]; f++) {
        const file_check *c = &checks[f];
        json_t *rec = record(r, c->file);
        assert_string_equal(json_string_value(json_object_get(rec, "format")), c->format);
        const char *lang = json_string_value(json_object_get(rec, "lang"));
        if (!lang || strcmp(lang, c->lang) != 0)
            print_error("%s: language %s, expected %s\n", c->file, lang, c->lang);
        assert_string_equal(lang, c->lang);
        if (c->type)
            assert_string_equal(json_string_value(json_object_get(rec, "type")), c->type);
        json_t *arr = passages(r, c->file);
        if (json_array_size(arr) < c->min_passages)
            print_error("%s: %zu passages\n", c->file, json_array_size(arr));
        assert_true(json_array_size(arr) >= c->min_passages);
        size_t i;
        json_t *p;
        json_array_foreach(arr, i, p)
        {
            const char *text = json_string_value(json_object_get(p, "text"));
            int page = (int)json_integer_value(json_object_get(p, "page"));
            /* Every passage has text, an ordinal in order, and a page
             * inside the document (PDF) or none (other formats). */
            assert_true(text && text[0]);
            assert_int_equal(json_integer_value(json_object_get(p, "ord")), (json_int_t)i + 1);
            if (strcmp(c->format, "pdf") == 0)
                assert_true(page >= 1 && page <= json_integer_value(json_object_get(rec, "pages")));
            else
                assert_int_equal(page, 0);
            /* Page furniture never reaches a passage of a UN PDF. */
            if (strcmp(c->format, "pdf") == 0) {
                assert_null(strstr(text, "GE.25-"));
                assert_null(strstr(text, "GE.12-"));
            }
            /* Scripts and styles never reach a passage of an HTML page. */
            if (strcmp(c->format, "html") == 0) {
                assert_null(strstr(text, "function("));
                assert_null(strstr(text, "{display"));
            }
        }
        for (size_t k = 0; k < 3 && c->passages[k].para; k++) {
            const passage_check *pc = &c->passages[k];
            json_t *hit = find_para(arr, pc->para);
            if (!hit)
                print_error("%s: no paragraph %s\n", c->file, pc->para);
            assert_non_null(hit);
            if (pc->page)
                assert_int_equal(json_integer_value(json_object_get(hit, "page")), pc->page);
            if (pc->starts &&
                !g_str_has_prefix(json_string_value(json_object_get(hit, "text")), pc->starts))
                fail_msg("%s para %s: text \"%.80s\"", c->file, pc->para,
                         json_string_value(json_object_get(hit, "text")));
            for (size_t t = 0; t < 4 && pc->terms[t]; t++) {
                if (!passage_has_term(r, hit, pc->terms[t]))
                    fail_msg("%s para %s: no term %s", c->file, pc->para, pc->terms[t]);
            }
        }
        json_decref(arr);
        json_decref(rec);
    }
    civ_xapian_reader_close(r);
}

/* Numbered paragraphs of a report come in order, as printed: a reader who
 * cites "para. 12" finds paragraph 12 after paragraph 11. */
static void test_paragraph_numbers_in_order(void **state)
{
    (void)state;
    civ_xapian_reader *r = e2e_reader(corpus_db);
    json_t *arr = passages(r, "A_HRC_59_15_g2502644.pdf");
    long last = 0;
    int numbered = 0;
    size_t i;
    json_t *p;
    json_array_foreach(arr, i, p)
    {
        const char *para = json_string_value(json_object_get(p, "para"));
        if (!para || !g_ascii_isdigit(para[0]) || strchr(para, '.'))
            continue;
        long n = strtol(para, NULL, 10);
        /* An item ("3 (a)") belongs to the paragraph before it. */
        if (strchr(para, ' ')) {
            assert_int_equal(n, last);
            continue;
        }
        assert_true(n > last);
        last = n;
        numbered++;
    }
    assert_true(numbered >= 100);
    json_decref(arr);
    civ_xapian_reader_close(r);
}

/* ---- incremental runs --------------------------------------------------- */

typedef struct tree {
    char *dir, *docs, *db;
} tree;

static const char *const small_files[] = {"udhr_eng.xml", "UNGDC_SVN_70_2015.txt",
                                          "A_HRC_DEC_14_105_g1014611.pdf"};

/* Copy the n files names of corpus/ into dir. */
static void copy_corpus_files(const char *dir, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *from = g_build_filename(CORPUS, names[i], NULL);
        char *to = g_build_filename(dir, names[i], NULL);
        e2e_copy(from, to);
        g_free(from);
        g_free(to);
    }
}

static int make_tree(void **state)
{
    tree *t = calloc(1, sizeof *t);
    t->dir = e2e_tmpdir();
    t->docs = g_build_filename(t->dir, "docs", NULL);
    t->db = g_build_filename(t->dir, "db", NULL);
    g_mkdir(t->docs, 0755);
    copy_corpus_files(t->docs, small_files, G_N_ELEMENTS(small_files));
    /* Files as a user has them: not written in the last seconds (the
     * indexer does not trust the mtime of a file just written). */
    for (size_t i = 0; i < G_N_ELEMENTS(small_files); i++) {
        char *path = g_build_filename(t->docs, small_files[i], NULL);
        struct utimbuf past = {time(NULL) - 3600, time(NULL) - 3600};
        assert_int_equal(utime(path, &past), 0);
        g_free(path);
    }
    *state = t;
    return 0;
}

static int free_tree(void **state)
{
    tree *t = *state;
    e2e_rm_rf(t->dir);
    g_free(t->dir);
    g_free(t->docs);
    g_free(t->db);
    free(t);
    return 0;
}

/* Run the indexer over the tree (non-terminal output: one line per file). */
static char *run_indexer(tree *t, int expect_rc)
{
    const char *argv[] = {CIV_INDEXER, "--db", t->db, t->docs, NULL};
    char *out = NULL, *errs = NULL;
    int rc = e2e_run(argv, &out, &errs);
    if (rc != expect_rc)
        print_error("exit %d\n%s\n%s\n", rc, out, errs);
    assert_int_equal(rc, expect_rc);
    g_free(errs);
    return out;
}

static char *passage_text(const char *db, const char *file_path, int ord)
{
    char id[CIV_ID_LEN + 1];
    e2e_doc_id(file_path, id);
    char *term = g_strdup_printf("Q%s-%d", id, ord);
    civ_xapian_reader *r = e2e_reader(db);
    char *data = NULL;
    civ_err err;
    char *text = NULL;
    if (civ_xapian_reader_get_data(r, term, &data, NULL, &err) == CIV_OK) {
        json_t *p = json_loads(data, 0, NULL);
        text = g_strdup(json_string_value(json_object_get(p, "text")));
        json_decref(p);
        free(data);
    }
    civ_xapian_reader_close(r);
    g_free(term);
    return text;
}

static unsigned term_count(const char *db, const char *term)
{
    civ_xapian_reader *r = e2e_reader(db);
    unsigned n = 0;
    civ_err err;
    assert_int_equal(civ_xapian_reader_term_count(r, term, &n, &err), CIV_OK);
    civ_xapian_reader_close(r);
    return n;
}

static void test_incremental(void **state)
{
    tree *t = *state;
    char *speech = g_build_filename(t->docs, "UNGDC_SVN_70_2015.txt", NULL);
    char *udhr = g_build_filename(t->docs, "udhr_eng.xml", NULL);

    char *out = run_indexer(t, 0);
    assert_int_equal(e2e_count_lines(out, "indexed "), 3);
    assert_non_null(strstr(out, "done: indexed 3, unchanged 0, removed 0, failed 0"));
    g_free(out);
    char *first_text = passage_text(t->db, udhr, 5);
    assert_non_null(first_text);

    /* Unchanged tree: nothing is read. To prove it, rewrite a file with
     * other bytes of the same length and put its mtime back: an indexer
     * that read the file would notice; ours trusts size + mtime. */
    GStatBuf st;
    assert_int_equal(g_stat(speech, &st), 0);
    char *orig = NULL;
    gsize len = 0;
    assert_true(g_file_get_contents(speech, &orig, &len, NULL));
    char *other = g_strdup(orig);
    char *we = strstr(other, "We are at a historic junction");
    assert_non_null(we);
    memcpy(we, "Xy", 2);
    assert_true(g_file_set_contents(speech, other, (gssize)len, NULL));
    struct utimbuf times = {st.st_atime, st.st_mtime};
    assert_int_equal(utime(speech, &times), 0);
    out = run_indexer(t, 0);
    assert_non_null(strstr(out, "done: indexed 0, unchanged 3, removed 0, failed 0"));
    assert_int_equal(e2e_count_lines(out, "unchanged "), 3);
    assert_null(strstr(out, "content same")); /* not even hashed */
    g_free(out);
    assert_int_equal(term_count(t->db, "xy"), 0);
    assert_true(g_file_set_contents(speech, orig, (gssize)len, NULL));
    assert_int_equal(utime(speech, &times), 0);

    /* mtime changes, content does not: hashed, not re-extracted. */
    struct utimbuf later = {st.st_atime, st.st_mtime + 1800};
    assert_int_equal(utime(udhr, &later), 0);
    out = run_indexer(t, 0);
    assert_non_null(strstr(out, "done: indexed 0, unchanged 3, removed 0, failed 0"));
    assert_int_equal(e2e_count_lines(out, "unchanged "), 3);
    assert_non_null(strstr(out, "udhr_eng.xml: content same, mtime updated"));
    g_free(out);
    /* ...and the next run trusts the new mtime. */
    out = run_indexer(t, 0);
    assert_null(strstr(out, "content same"));
    g_free(out);

    /* One file's content changes: exactly that file is re-indexed, its
     * passages replaced, the other files' ids and passages untouched. */
    char *changed = g_strconcat(orig, "\n\nThe zanzibarian amendment closes this speech.\n", NULL);
    assert_true(g_file_set_contents(speech, changed, -1, NULL));
    out = run_indexer(t, 0);
    assert_non_null(strstr(out, "done: indexed 1, unchanged 2, removed 0, failed 0"));
    assert_int_equal(e2e_count_lines(out, "indexed "), 1);
    assert_non_null(strstr(out, "indexed   "));
    assert_non_null(strstr(out, "UNGDC_SVN_70_2015.txt"));
    g_free(out);
    /* The new word is in one passage and in the file's record. */
    assert_int_equal(term_count(t->db, "zanzibarian"), 2);
    char *again = passage_text(t->db, udhr, 5);
    assert_string_equal(again, first_text); /* same id, same passage */
    g_free(again);

    /* The changed file's record counts exactly its new passages: no stale
     * passage of the old version is left behind. */
    char id[CIV_ID_LEN + 1];
    e2e_doc_id(speech, id);
    char *parent = g_strconcat("XP", id, NULL);
    unsigned n_passages = term_count(t->db, parent);
    civ_xapian_reader *r = e2e_reader(t->db);
    char *qterm = g_strconcat("Q", id, NULL);
    char *data = NULL;
    civ_err err;
    assert_int_equal(civ_xapian_reader_get_data(r, qterm, &data, NULL, &err), CIV_OK);
    json_t *rec = json_loads(data, 0, NULL);
    assert_int_equal(json_integer_value(json_object_get(rec, "passages")), n_passages);
    json_decref(rec);
    free(data);
    civ_xapian_reader_close(r);

    /* A removed file's record and passages are deleted. */
    assert_int_equal(g_remove(speech), 0);
    out = run_indexer(t, 0);
    assert_non_null(strstr(out, "done: indexed 0, unchanged 2, removed 1, failed 0"));
    g_free(out);
    assert_int_equal(term_count(t->db, parent), 0);
    assert_int_equal(term_count(t->db, qterm), 0);
    assert_int_equal(term_count(t->db, "zanzibarian"), 0);

    g_free(qterm);
    g_free(parent);
    g_free(changed);
    g_free(orig);
    g_free(other);
    g_free(first_text);
    g_free(speech);
    g_free(udhr);
}

/* A file written again within the same tick of the file system's clock
 * keeps its size and mtime: a record made in the seconds after a write
 * does not vouch for the file, and the next run reads it. */
static void test_edit_just_after_indexing(void **state)
{
    tree *t = *state;
    char *note = g_build_filename(t->docs, "note.txt", NULL);
    assert_true(g_file_set_contents(note, "The council met on housing.\n", -1, NULL));
    char *out = run_indexer(t, 0);
    assert_non_null(strstr(out, "done: indexed 4, unchanged 0"));
    g_free(out);
    GStatBuf before;
    assert_int_equal(g_stat(note, &before), 0);
    /* Same size, other words, and the same mtime as the first version. */
    assert_true(g_file_set_contents(note, "The council met on walrus.\n", -1, NULL));
    struct timespec times[2] = {before.st_atim, before.st_mtim};
    assert_int_equal(utimensat(AT_FDCWD, note, times, 0), 0);
    out = run_indexer(t, 0);
    assert_non_null(strstr(out, "done: indexed 1, unchanged 3"));
    g_free(out);
    assert_int_equal(term_count(t->db, "walrus"), 2); /* its passage and record */
    assert_int_equal(term_count(t->db, "housing") > 0, 1);
    /* Once the file has settled, its record vouches for it again. */
    struct timespec past[2] = {{time(NULL) - 60, 0}, {time(NULL) - 60, 0}};
    assert_int_equal(utimensat(AT_FDCWD, note, past, 0), 0);
    out = run_indexer(t, 0);
    assert_non_null(strstr(out, "note.txt: content same"));
    g_free(out);
    out = run_indexer(t, 0);
    assert_non_null(strstr(out, "done: indexed 0, unchanged 4"));
    assert_null(strstr(out, "content same"));
    g_free(out);
    g_free(note);
}

/* Run argv: it exits with rc, and says want_out on stdout and want_err on
 * stderr (each unless NULL). */
static void run_expect(const char *const *argv, int rc, const char *want_out, const char *want_err)
{
    char *out = NULL, *errs = NULL;
    int got = e2e_run(argv, &out, &errs);
    if (got != rc || (want_out && !strstr(out, want_out)) || (want_err && !strstr(errs, want_err)))
        print_error("exit %d\n%s\n%s\n", got, out, errs);
    assert_int_equal(got, rc);
    if (want_out)
        assert_non_null(strstr(out, want_out));
    if (want_err)
        assert_non_null(strstr(errs, want_err));
    g_free(out);
    g_free(errs);
}

/* A second writer gets a clear "locked" error and exit status 3, and the
 * index is untouched. */
static void test_locked(void **state)
{
    tree *t = *state;
    g_free(run_indexer(t, 0));
    size_t n = 0;
    civ_xapian_writer *w = NULL;
    civ_err err;
    assert_int_equal(civ_xapian_writer_open(t->db, 0, civ_lang_table(&n), n, &w, &err), CIV_OK);
    const char *argv[] = {CIV_INDEXER, "--db", t->db, t->docs, NULL};
    run_expect(argv, 3, NULL, "index is locked");
    civ_xapian_writer_close(w);
}

/* Whether the database at path (one database of a shard) holds term. */
static int database_has(const char *path, const char *term)
{
    const char *argv[] = {"xapian-delve", "-1", "-t", term, path, NULL};
    char *out = NULL, *errs = NULL;
    int rc = e2e_run(argv, &out, &errs);
    /* "Posting List for term ...", or "term ... not in database". */
    int has = rc == 0 && out && g_str_has_prefix(out, "Posting List");
    g_free(out);
    g_free(errs);
    return has;
}

/* An index of several shards: every file's record and passages are in the
 * shard its id names, readers see all shards as one index, and re-runs
 * find files unchanged or removed whichever shard holds them. */
static void test_shards(void **state)
{
    tree *t = *state;
    static const char *const more[] = {"UNGDC_BRA_79_2024.txt", "UNGDC_CRI_70_2015.txt",
                                       "udhr_fra.xml", "udhr_rus.xml", "udhr_arb.xml"};
    copy_corpus_files(t->docs, more, G_N_ELEMENTS(more));
    const unsigned n_files = G_N_ELEMENTS(small_files) + G_N_ELEMENTS(more), n_shards = 3;
    /* A file named twice (under two PATHs) is indexed once. */
    char *twice = g_build_filename(t->docs, "udhr_fra.xml", NULL);
    const char *first[] = {CIV_INDEXER, "--shards", "3", "--db", t->db, t->docs, twice, NULL};
    run_expect(first, 0, "done: indexed 8, unchanged 0", NULL);
    g_free(twice);

    char *stub = NULL;
    char *stub_path = g_build_filename(t->db, "XAPIANDB", NULL);
    assert_true(g_file_get_contents(stub_path, &stub, NULL, NULL));
    assert_string_equal(stub, "glass passages\nglass records\nglass passages.1\nglass "
                              "records.1\nglass passages.2\nglass records.2\n");
    g_free(stub);
    g_free(stub_path);

    GDir *dir = g_dir_open(t->docs, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name(dir))) {
        char *path = g_build_filename(t->docs, name, NULL);
        char id[CIV_ID_LEN + 1];
        e2e_doc_id(path, id);
        char *qterm = g_strconcat("Q", id, NULL), *pterm = g_strconcat("XP", id, NULL);
        unsigned home = civ_index_shard_of(id, n_shards);
        for (unsigned k = 0; k < n_shards; k++) {
            char *records = k ? g_strdup_printf("%s/records.%u", t->db, k)
                              : g_strdup_printf("%s/records", t->db);
            char *passages = k ? g_strdup_printf("%s/passages.%u", t->db, k)
                               : g_strdup_printf("%s/passages", t->db);
            assert_int_equal(database_has(records, qterm), k == home);
            assert_int_equal(database_has(passages, pterm), k == home);
            g_free(records);
            g_free(passages);
        }
        g_free(qterm);
        g_free(pterm);
        g_free(path);
    }
    g_dir_close(dir);
    assert_int_equal(term_count(t->db, "XKdoc"), n_files);

    /* Again, with another --shards: the index keeps its three, and finds
     * every file unchanged; then one file goes and is removed. */
    const char *argv[] = {CIV_INDEXER, "--shards", "2", "--db", t->db, t->docs, NULL};
    run_expect(argv, 0, "done: indexed 0, unchanged 8, removed 0",
               "has 3 shards; --shards applies to a new index only");
    char *gone = g_build_filename(t->docs, "udhr_rus.xml", NULL);
    char id[CIV_ID_LEN + 1];
    e2e_doc_id(gone, id);
    assert_int_equal(g_unlink(gone), 0);
    run_expect(argv, 0, "done: indexed 0, unchanged 7, removed 1", NULL);
    char *pterm = g_strconcat("XP", id, NULL);
    assert_int_equal(term_count(t->db, pterm), 0);
    assert_int_equal(term_count(t->db, "XKdoc"), n_files - 1);
    g_free(pterm);
    g_free(gone);
}

/* Reader r's results for q (group=document, with snippets and facets),
 * run as the daemon runs a search; per_page as the API takes it, or NULL. */
static civ_search_results *run_query(civ_xapian_reader *r, const char *q, const char *per_page)
{
    civ_search_limits lim;
    civ_search_limits_default(&lim);
    civ_search_request req;
    civ_search_request_init(&req);
    civ_err err;
    assert_int_equal(civ_search_request_set(&req, &lim, "q", 1, q, strlen(q), &err), CIV_OK);
    if (per_page)
        assert_int_equal(
            civ_search_request_set(&req, &lim, "per_page", 8, per_page, strlen(per_page), &err),
            CIV_OK);
    civ_search_results *res = NULL;
    assert_int_equal(civ_search_run(r, &req, &lim, &res, &err), CIV_OK);
    civ_search_request_clear(&req);
    return res;
}

/* The answer of reader r to q, as the API's JSON without the time it took. */
static char *answer(civ_xapian_reader *r, const char *q)
{
    civ_search_results *res = run_query(r, q, NULL);
    assert_true(res->n_hits > 0);
    res->took_ms = 0;
    char *json = civ_json_search(res, NULL);
    civ_search_results_free(res);
    return json;
}

/* The language reader r parses q in (NULL: unstemmed), and how many
 * documents match. */
static char *query_language(civ_xapian_reader *r, const char *q, unsigned *total)
{
    civ_search_results *res = run_query(r, q, NULL);
    char *lang = g_strdup(res->language);
    *total = res->total;
    civ_search_results_free(res);
    return lang;
}

/* A query's language is guessed among the languages the index holds. In
 * an English index, English words libexttextcat takes for French are
 * parsed as English, and "develop" finds the speech's "development"
 * (parsed as French they found nothing). Once the index holds French
 * too, a French query is parsed as French, and English words taken for
 * French are parsed as English when the documents holding them are
 * English. */
static void test_query_language_follows_index(void **state)
{
    tree *t = *state;
    static const char english[] = "commitment develop weapons";
    static const char french[] = "la déclaration universelle des droits de l'homme";
    g_free(run_indexer(t, 0));
    civ_xapian_reader *r = e2e_reader(t->db);
    unsigned total = 0;
    char *lang = query_language(r, english, &total);
    assert_non_null(lang);
    assert_string_equal(lang, "en");
    assert_int_equal(total, 1);
    g_free(lang);

    static const char *const more[] = {"udhr_fra.xml"};
    copy_corpus_files(t->docs, more, 1);
    g_free(run_indexer(t, 0));
    civ_err err;
    int changed = 0;
    assert_int_equal(civ_xapian_reader_reopen(r, &changed, &err), CIV_OK);
    assert_true(changed);
    lang = query_language(r, french, &total);
    assert_non_null(lang);
    assert_string_equal(lang, "fr");
    assert_int_equal(total, 1);
    g_free(lang);
    /* The check of the words is only advice: without its quotes this
     * phrase's wildcard would expand past the limit, and the query is
     * still searched (query_language asserts the search succeeds). */
    static const char wildcard[] = "la déclaration universelle des droits \"c*\"";
    g_free(query_language(r, wildcard, &total));
    static const char words[] = "challenges implementation possible";
    lang = query_language(r, words, &total);
    assert_non_null(lang);
    assert_string_equal(lang, "en");
    assert_int_equal(total, 1);
    g_free(lang);
    civ_xapian_reader_close(r);
}

/* Bytes in the regular files under dir (one level of subdirectories: the
 * index's databases). */
static unsigned long long index_bytes(const char *dir)
{
    unsigned long long sum = 0;
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        char *sub = g_build_filename(dir, name, NULL);
        GDir *dd = g_dir_open(sub, 0, NULL);
        const char *f;
        while (dd && (f = g_dir_read_name(dd))) {
            char *path = g_build_filename(sub, f, NULL);
            struct stat sb;
            if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
                sum += (unsigned long long)sb.st_size;
            g_free(path);
        }
        if (dd)
            g_dir_close(dd);
        g_free(sub);
    }
    if (d)
        g_dir_close(d);
    return sum;
}

/* --compact rewrites the index smaller while a reader has it open: the
 * reader's answers do not change, later runs find every file unchanged
 * and write to the compacted shards, and a writer's lock stops it. */
static void test_compact(void **state)
{
    tree *t = *state;
    static const char *const more[] = {"UNGDC_BRA_79_2024.txt", "UNGDC_CRI_70_2015.txt",
                                       "udhr_fra.xml"};
    copy_corpus_files(t->docs, more, G_N_ELEMENTS(more));
    /* Small batches: many commits, as a large build makes. */
    const char *build[] = {CIV_INDEXER, "--batch", "1", "--db", t->db, t->docs, NULL};
    run_expect(build, 0, "done: indexed 6", NULL);
    civ_xapian_reader *r = e2e_reader(t->db);
    char *before = answer(r, "human rights development");
    unsigned long long bytes = index_bytes(t->db);

    const char *compact[] = {CIV_INDEXER, "--db", t->db, "--compact", NULL};
    run_expect(compact, 0, "compacted: ", NULL);
    assert_true(index_bytes(t->db) < bytes);
    /* The open reader moves to the compacted files and answers alike, and
     * so does a new one. */
    char *after = answer(r, "human rights development");
    assert_string_equal(after, before);
    g_free(after);
    civ_xapian_reader_close(r);
    r = e2e_reader(t->db);
    after = answer(r, "human rights development");
    assert_string_equal(after, before);
    g_free(after);
    civ_xapian_reader_close(r);
    g_free(before);

    /* A run after it finds the files unchanged, and writes a changed one
     * (then compacts again, as --compact with PATHs does). */
    const char *again[] = {CIV_INDEXER, "--db", t->db, t->docs, NULL};
    run_expect(again, 0, "done: indexed 0, unchanged 6", NULL);
    char *speech = g_build_filename(t->docs, "UNGDC_SVN_70_2015.txt", NULL);
    assert_true(
        g_file_set_contents(speech, "Zanzibarian cooperatives deserve a paragraph.\n", -1, NULL));
    const char *update[] = {CIV_INDEXER, "--db", t->db, "--compact", t->docs, NULL};
    run_expect(update, 0, "done: indexed 1, unchanged 5", NULL);
    /* Its one passage and its record. */
    assert_int_equal(term_count(t->db, "zanzibarian"), 2);
    g_free(speech);

    /* A shard held by a writer is not compacted; an empty directory has
     * nothing to compact. */
    size_t n = 0;
    civ_xapian_writer *w = NULL;
    civ_err err;
    assert_int_equal(civ_xapian_writer_open(t->db, 1, civ_lang_table(&n), n, &w, &err), CIV_OK);
    run_expect(compact, 3, NULL, "index is locked");
    civ_xapian_writer_close(w);
    char *empty = g_build_filename(t->dir, "empty", NULL);
    g_mkdir(empty, 0755);
    const char *nothing[] = {CIV_INDEXER, "--db", empty, "--compact", NULL};
    run_expect(nothing, 4, NULL, "no index to compact");
    g_free(empty);
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What a document search for q shows of its matches, as far as word pairs
 * must not change it: the total, the facets, and every document found
 * (50 to a page, in id order) with the passages shown under it. The order
 * of the documents is left out: found by their records, they rank by all
 * their text, as documents do for words. */
static char *phrase_answer(civ_xapian_reader *r, const char *q)
{
    civ_search_results *res = run_query(r, q, "50");
    assert_true(res->total <= 50);
    GString *out = g_string_new(NULL);
    g_string_append_printf(out, "total %u\n", res->total);
    for (size_t f = 0; f < CIV_SEARCH_N_FACETS; f++)
        for (size_t v = 0; v < res->facets[f].n_values; v++)
            g_string_append_printf(out, "%s %s %u\n", res->facets[f].name,
                                   res->facets[f].values[v].value, res->facets[f].values[v].count);
    GPtrArray *docs = g_ptr_array_new_with_free_func(g_free);
    for (size_t i = 0; i < res->n_hits; i++) {
        GString *d = g_string_new(res->hits[i].document->id);
        for (size_t k = 0; k < res->hits[i].n_passages; k++)
            g_string_append_printf(d, " %s %s", res->hits[i].passages[k].id,
                                   res->hits[i].passages[k].snippet);
        g_ptr_array_add(docs, g_string_free(d, FALSE));
    }
    g_ptr_array_sort(docs, compare_strings);
    for (guint i = 0; i < docs->len; i++)
        g_string_append_printf(out, "%s\n", (char *)g_ptr_array_index(docs, i));
    g_ptr_array_free(docs, TRUE);
    civ_search_results_free(res);
    return g_string_free(out, FALSE);
}

/* A quoted phrase of two words a document search answers from the
 * records' word pairs finds what the passages' positions find: the same
 * documents, totals, facets and passages, in every language, with
 * hyphenated words (a phrase too), ORed with others; ANDed with a word it
 * still needs both in one passage. corpus/ is indexed again with
 * --word-pairs to compare. */
static void test_word_pairs_find_what_positions_find(void **state)
{
    (void)state;
    char *tmp = e2e_tmpdir();
    char *paired = g_build_filename(tmp, "db", NULL);
    const char *argv[] = {CIV_INDEXER, "--word-pairs", "--db", paired, CORPUS, NULL};
    assert_true(e2e_run(argv, NULL, NULL) <= 1); /* corpus/ has an unsupported file */
    assert_true(term_count(paired, "XWhuman rights") > 10);
    assert_int_equal(term_count(corpus_db, "XWhuman rights"), 0);
    static const char *const phrases[] = {"\"human rights\"",
                                          "\"local government\"",
                                          "\"united nations\"",
                                          "\"adequate housing\"",
                                          "\"sustainable development\"",
                                          "\"general assembly\"",
                                          "non-discrimination",
                                          "\"social security\" work",
                                          "\"droits humains\"",
                                          "\"права человека\"",
                                          "\"derechos humanos\"",
                                          "\"human dignity\" -slavery",
                                          "\"member states\" OR \"civil society\" OR migrants"};
    civ_xapian_reader *with = e2e_reader(paired), *without = e2e_reader(corpus_db);
    for (size_t i = 0; i < G_N_ELEMENTS(phrases); i++) {
        char *a = phrase_answer(with, phrases[i]), *b = phrase_answer(without, phrases[i]);
        if (strcmp(a, b) != 0)
            fail_msg("%s: with pairs\n%s\nwithout\n%s", phrases[i], a, b);
        g_free(a);
        g_free(b);
    }
    civ_xapian_reader_close(with);
    civ_xapian_reader_close(without);

    /* An index built without pairs cannot be given them. */
    char *docs = g_build_filename(tmp, "docs", NULL), *plain = g_build_filename(tmp, "plain", NULL);
    g_mkdir(docs, 0755);
    copy_corpus_files(docs, small_files, 1);
    const char *first[] = {CIV_INDEXER, "--db", plain, docs, NULL};
    run_expect(first, 0, "done: indexed 1", NULL);
    const char *again[] = {CIV_INDEXER, "--word-pairs", "--db", plain, docs, NULL};
    run_expect(again, 0, "done: indexed 0, unchanged 1",
               "built without word pairs; --word-pairs applies to a new index only");
    e2e_rm_rf(tmp);
    g_free(docs);
    g_free(plain);
    g_free(paired);
    g_free(tmp);
}

/* Files that cannot be indexed are listed with their reason, counted in
 * the summary, and the run goes on (exit status 1). */
static void test_failures_reported(void **state)
{
    tree *t = *state;
    const char *bad[] = {"pdfminer_aes-128_pw-foo.pdf", "huridocs_ocr-sample-french_imageonly.pdf"};
    for (size_t i = 0; i < 2; i++) {
        char *from = g_build_filename(CIV_SOURCE_DIR, "tests", "fixtures", "real", bad[i], NULL);
        char *to = g_build_filename(t->docs, bad[i], NULL);
        e2e_copy(from, to);
        g_free(from);
        g_free(to);
    }
    char *notes = g_build_filename(t->docs, "notes.csv", NULL);
    assert_true(g_file_set_contents(notes, "a,b\n1,2\n", -1, NULL));
    const char *argv[] = {CIV_INDEXER, "--db", t->db, t->docs, NULL};
    char *out = NULL, *errs = NULL;
    assert_int_equal(e2e_run(argv, &out, &errs), 1);
    assert_non_null(strstr(out, "done: indexed 3, unchanged 0, removed 0, failed 2, skipped 1"));
    assert_non_null(strstr(out, "by reason: encrypted 1, no text 1, unsupported 1"));
    assert_non_null(strstr(errs, "pdfminer_aes-128_pw-foo.pdf: encrypted"));
    assert_non_null(strstr(errs, "huridocs_ocr-sample-french_imageonly.pdf: no text"));
    assert_non_null(strstr(out, "skipped   "));
    g_free(out);
    g_free(errs);
    g_free(notes);
}

/* What the walk does not index is said, with its reason, and counted;
 * a symbolic link never brings a file from outside the PATHs given into
 * the index (the daemon would serve it). */
static void test_walk_reports_what_it_passes_over(void **state)
{
    tree *t = *state;
    char *outside = g_build_filename(t->dir, "outside.txt", NULL);
    assert_true(g_file_set_contents(outside, "The xylophonist's private notes.\n", -1, NULL));
    struct {
        const char *name, *target;
    } links[] = {{"secret.txt", outside},
                 {"again.txt", "udhr_eng.xml"},
                 {"gone.txt", "no-such-file.txt"},
                 {"up", ".."}};
    for (size_t i = 0; i < G_N_ELEMENTS(links); i++) {
        char *link = g_build_filename(t->docs, links[i].name, NULL);
        assert_int_equal(symlink(links[i].target, link), 0);
        g_free(link);
    }
    char *fifo = g_build_filename(t->docs, "pipe.txt", NULL);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    char *latin1 = g_build_filename(t->docs, "r\xe9solution.txt", NULL);
    assert_true(g_file_set_contents(latin1, "A resolution.\n", -1, NULL));
    /* A newline in a name must not start a line of its own in the log. */
    char *newline = g_build_filename(t->docs, "two\nlines.txt", NULL);
    assert_true(g_file_set_contents(newline, "A statement.\n", -1, NULL));
    GString *deep = g_string_new(t->docs);
    for (int i = 0; i < 65; i++) {
        g_string_append(deep, "/d");
        assert_int_equal(g_mkdir(deep->str, 0755), 0);
    }

    const char *argv[] = {CIV_INDEXER, "--db", t->db, t->docs, NULL};
    char *out = NULL, *errs = NULL;
    assert_int_equal(e2e_run(argv, &out, &errs), 0);
    assert_non_null(strstr(out, "done: indexed 4, unchanged 0, removed 0, failed 0, skipped 6"));
    assert_non_null(strstr(out, "secret.txt: symbolic link to "));
    assert_non_null(strstr(out, "outside.txt, outside the PATHs given: not followed"));
    assert_non_null(strstr(out, "gone.txt: broken symbolic link"));
    assert_non_null(strstr(out, "docs/up: symbolic link to a directory: not followed"));
    assert_non_null(strstr(out, "pipe.txt: not a regular file"));
    /* The name's byte that is not UTF-8 is shown, not printed raw. */
    assert_non_null(strstr(out, "r\\xe9solution.txt: file name is not UTF-8"));
    assert_non_null(strstr(out, "two\\x0alines.txt: 1 passages"));
    assert_non_null(strstr(out, "/d/d: directory more than 64 levels below its PATH"));
    assert_int_equal(e2e_count_lines(out, "skipped "), 6);
    /* A link to a file under the PATH is that file, indexed once. */
    assert_int_equal(e2e_count_lines(out, "indexed "), 4);
    g_free(out);
    g_free(errs);
    assert_int_equal(term_count(t->db, "xylophonist's"), 0);
    assert_int_equal(term_count(t->db, "Zxylophonist"), 0);

    /* A PATH that does not exist is a failure of its own, in the same form. */
    char *missing = g_build_filename(t->dir, "missing", NULL);
    const char *argv2[] = {CIV_INDEXER, "--db", t->db, missing, t->docs, NULL};
    out = NULL;
    errs = NULL;
    assert_int_equal(e2e_run(argv2, &out, &errs), 1);
    assert_non_null(strstr(errs, "missing: i/o error (No such file or directory)"));
    assert_non_null(strstr(out, "done: indexed 0, unchanged 4, removed 0, failed 1, skipped 6"));
    g_free(out);
    g_free(errs);
    g_free(missing);
    g_string_free(deep, TRUE);
    g_free(newline);
    g_free(latin1);
    g_free(fifo);
    g_free(outside);
}

static void test_command_line(void **state)
{
    (void)state;
    const char *help[] = {CIV_INDEXER, "--help", NULL};
    run_expect(help, 0, "Exit status", NULL);
    run_expect(help, 0, "--shards", NULL);
    run_expect(help, 0, "--compact", NULL);
    const char *no_db[] = {CIV_INDEXER, CORPUS, NULL};
    const char *no_path[] = {CIV_INDEXER, "--db", "x", NULL};
    run_expect(no_path, 2, NULL, "no PATH to index");
    run_expect(no_db, 2, NULL, "--db DIR is required");
    const char *bad_opt[] = {CIV_INDEXER, "--db", "x", "--jobs", "zero", CORPUS, NULL};
    run_expect(bad_opt, 2, NULL, NULL);
    const char *bad_shards[] = {CIV_INDEXER, "--db", "x", "--shards", "17", CORPUS, NULL};
    run_expect(bad_shards, 2, NULL, "--shards 1 to 16");
    /* A size that would overflow in bytes is refused, not wrapped. */
    const char *huge[] = {CIV_INDEXER,      "--db", "x", "--max-file-size",
                          "17592186044417", CORPUS, NULL};
    run_expect(huge, 2, NULL, "--max-file-size 1 to 1048576");
}

int main(void)
{
    const struct CMUnitTest corpus_tests[] = {
        cmocka_unit_test(test_corpus_check),
        cmocka_unit_test(test_paragraph_numbers_in_order),
        cmocka_unit_test(test_word_pairs_find_what_positions_find),
    };
    const struct CMUnitTest tree_tests[] = {
        cmocka_unit_test_setup_teardown(test_incremental, make_tree, free_tree),
        cmocka_unit_test_setup_teardown(test_locked, make_tree, free_tree),
        cmocka_unit_test_setup_teardown(test_shards, make_tree, free_tree),
        cmocka_unit_test_setup_teardown(test_compact, make_tree, free_tree),
        cmocka_unit_test_setup_teardown(test_query_language_follows_index, make_tree, free_tree),
        cmocka_unit_test_setup_teardown(test_failures_reported, make_tree, free_tree),
        cmocka_unit_test_setup_teardown(test_edit_just_after_indexing, make_tree, free_tree),
        cmocka_unit_test_setup_teardown(test_walk_reports_what_it_passes_over, make_tree,
                                        free_tree),
        cmocka_unit_test(test_command_line),
    };
    int failed = cmocka_run_group_tests_name("corpus", corpus_tests, index_corpus, remove_corpus);
    failed += cmocka_run_group_tests_name("tree", tree_tests, NULL, NULL);
    return failed;
}
