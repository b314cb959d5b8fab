/* e2e_util.c: see e2e_util.h. */
#include "e2e_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "civ_lang.h"

char *e2e_tmpdir(void)
{
    GError *gerr = NULL;
    char *dir = g_dir_make_tmp("civ-e2e-XXXXXX", &gerr);
    assert_non_null(dir);
    return dir;
}

void e2e_rm_rf(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    if (d) {
        const char *name;
        while ((name = g_dir_read_name(d))) {
            char *child = g_build_filename(path, name, NULL);
            e2e_rm_rf(child);
            g_free(child);
        }
        g_dir_close(d);
    }
    g_remove(path);
}

void e2e_copy(const char *from, const char *to)
{
    char *data = NULL;
    gsize len = 0;
    assert_true(g_file_get_contents(from, &data, &len, NULL));
    assert_true(g_file_set_contents(to, data, (gssize)len, NULL));
    g_free(data);
}

int e2e_run(const char *const argv[], char **out, char **errout)
{
    int status = 0;
    GError *gerr = NULL;
    gboolean ok = g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out,
                               errout, &status, &gerr);
    if (!ok) {
        print_error("cannot run %s: %s\n", argv[0], gerr->message);
        g_error_free(gerr);
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void e2e_index(const char *db, const char *path)
{
    const char *argv[] = {CIV_INDEXER, "--db", db, path, NULL};
    char *out = NULL, *errs = NULL;
    int rc = e2e_run(argv, &out, &errs);
    if (rc != 0)
        print_error("civitas-index exit %d\n%s\n%s\n", rc, out, errs);
    assert_int_equal(rc, 0);
    g_free(out);
    g_free(errs);
}

void e2e_doc_id(const char *path, char id[CIV_ID_LEN + 1])
{
    char *real = realpath(path, NULL);
    assert_non_null(real);
    civ_index_id_for_path(real, id);
    free(real);
}

civ_xapian_reader *e2e_reader(const char *db)
{
    size_t n = 0;
    const civ_xapian_lang *langs = civ_lang_table(&n);
    civ_xapian_reader *r = NULL;
    civ_err err;
    civ_status st = civ_xapian_reader_open(db, langs, n, &r, &err);
    if (st != CIV_OK)
        print_error("cannot open %s: %s\n", db, err.msg);
    assert_int_equal(st, CIV_OK);
    return r;
}

int e2e_count_lines(const char *text, const char *prefix)
{
    int n = 0;
    size_t len = strlen(prefix);
    for (const char *p = text; p && *p;) {
        if (strncmp(p, prefix, len) == 0)
            n++;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return n;
}
