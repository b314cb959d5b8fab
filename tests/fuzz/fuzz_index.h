/* fuzz_index.h: a tiny index for the search fuzzers, built once per
 * process in a temporary directory (removed at exit): a handful of
 * passages in English, French, Russian and Chinese with the words the
 * seed queries use, and markup-like text for the snippet builder. */
#ifndef CIV_FUZZ_INDEX_H
#define CIV_FUZZ_INDEX_H

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civ_document.h"
#include "civ_extract_text.h"
#include "civ_index.h"
#include "civ_lang.h"
#include "civ_xapian.h"

static char *fuzz_index_dir;

static void fuzz_index_remove(void)
{
    if (!fuzz_index_dir)
        return;
    const char *argv[] = {"rm", "-rf", fuzz_index_dir, NULL};
    g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                 NULL);
    g_free(fuzz_index_dir);
    fuzz_index_dir = NULL;
}

static void fuzz_index_die(const char *what, const civ_err *err)
{
    fprintf(stderr, "fuzz index: %s: %s\n", what, err ? err->msg : "");
    abort();
}

/* Build the index and open a reader on it; aborts on any failure. */
static civ_xapian_reader *fuzz_index_open(void)
{
    static const struct {
        const char *name, *lang, *text;
    } docs[] = {
        {"udhr.txt", "en",
         "Article 26\n\n1. Everyone has the right to education. Education shall be free, at "
         "least in the elementary and fundamental stages.\n\n2. Education shall be directed to "
         "the full development of the human personality and to the strengthening of respect "
         "for human rights and fundamental freedoms.\n\n3. Parents have a prior right to choose "
         "the kind of education that shall be given to their children.\n"},
        {"report.txt", "en",
         "14. The Human Rights Council recommended that the State address the housing needs of "
         "young people and <script>alert(1)</script> & \"quoted\" text.\n\n15. The committee "
         "welcomed the report of the Special Rapporteur on the right to adequate housing "
         "\xe2\x80\xa8 and women's rights.\n"},
        {"fr.txt", "fr",
         "Article 26\n\n1. Toute personne a droit \xc3\xa0 l'\xc3\xa9"
         "ducation. "
         "L'\xc3\xa9"
         "ducation doit \xc3\xaatre gratuite.\n"},
        {"ru.txt", "ru",
         "\xd0\x9a\xd0\xb0\xd0\xb6\xd0\xb4\xd1\x8b\xd0\xb9 \xd1\x87\xd0\xb5\xd0\xbb\xd0\xbe"
         "\xd0\xb2\xd0\xb5\xd0\xba \xd0\xb8\xd0\xbc\xd0\xb5\xd0\xb5\xd1\x82 \xd0\xbf\xd1\x80"
         "\xd0\xb0\xd0\xb2\xd0\xbe \xd0\xbd\xd0\xb0 \xd0\xbe\xd0\xb1\xd1\x80\xd0\xb0\xd0\xb7"
         "\xd0\xbe\xd0\xb2\xd0\xb0\xd0\xbd\xd0\xb8\xd0\xb5.\n"},
        {"zh.txt", "zh",
         "\xe4\xba\xba\xe4\xba\xba\xe9\x83\xbd\xe6\x9c\x89\xe5\x8f\x97\xe6\x95\x99\xe8\x82\xb2"
         "\xe7\x9a\x84\xe6\x9d\x83\xe5\x88\xa9\xe3\x80\x82\n"},
    };
    civ_err err;
    fuzz_index_dir = g_dir_make_tmp("civ-fuzz-XXXXXX", NULL);
    if (!fuzz_index_dir)
        fuzz_index_die("mkdtemp", NULL);
    atexit(fuzz_index_remove);
    char *db = g_build_filename(fuzz_index_dir, "db", NULL);
    civ_index *ix = NULL;
    if (civ_index_open(db, 0, &ix, &err) != CIV_OK)
        fuzz_index_die("open", &err);
    /* With word pairs: phrases then take both ways to the records. */
    int pairs = 0;
    if (civ_index_word_pairs(ix, &pairs, &err) != CIV_OK)
        fuzz_index_die("word pairs", &err);
    if (!pairs)
        fuzz_index_die("word pairs refused by a new index", NULL);
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        civ_document *doc = NULL;
        if (civ_extract_text(docs[i].text, strlen(docs[i].text), 1 << 20, &doc, &err) != CIV_OK)
            fuzz_index_die("extract", &err);
        free(doc->lang);
        doc->lang = strdup(docs[i].lang);
        civ_source src;
        memset(&src, 0, sizeof src);
        src.path = g_build_filename(fuzz_index_dir, docs[i].name, NULL);
        civ_index_id_for_path(src.path, src.id);
        memset(src.sha256, '0', 64);
        src.size = (long long)strlen(docs[i].text);
        src.mtime = 1700000000;
        if (civ_index_put(ix, &src, doc, &err) != CIV_OK)
            fuzz_index_die("put", &err);
        g_free(src.path);
        civ_document_free(doc);
    }
    if (civ_index_commit(ix, &err) != CIV_OK)
        fuzz_index_die("commit", &err);
    civ_index_close(ix);
    size_t n_langs = 0;
    const civ_xapian_lang *langs = civ_lang_table(&n_langs);
    civ_xapian_reader *r = NULL;
    if (civ_xapian_reader_open(db, langs, n_langs, &r, &err) != CIV_OK)
        fuzz_index_die("reader", &err);
    g_free(db);
    return r;
}

#endif /* CIV_FUZZ_INDEX_H */
