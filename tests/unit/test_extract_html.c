/* test_extract_html.c: HTML pages into passages: the Cape Town by-law page
 * rendered from Akoma Ntoso, and small pages with scripts, navigation,
 * headings, numbered paragraphs, bad bytes and caps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <glib.h>
#include <string.h>

#include "civ_extract_html.h"
#include "civ_extract_xml.h"
#include "passages.h"

static civ_status extract_string(const char *html, size_t cap, civ_document **doc, civ_err *err)
{
    return civ_extract_html(html, strlen(html), cap, doc, err);
}

static void bylaw_page(void **state)
{
    (void)state;
    char *path = g_build_filename(CIV_SOURCE_DIR, "corpus",
                                  "za-cpt_sub-council-bylaw_2016-11-04.html", NULL);
    char *data = NULL;
    gsize len = 0;
    assert_true(g_file_get_contents(path, &data, &len, NULL));
    g_free(path);
    civ_document *doc = NULL;
    civ_err err;
    assert_int_equal(civ_extract_html(data, len, 0, &doc, &err), CIV_OK);
    g_free(data);
    assert_string_equal(doc->format, "html");
    /* <title> is empty: the first <h1> names the page. */
    assert_string_equal(doc->title, "Cape Town Sub-Council By-law, 2003 as amended");
    /* <article class="akn-act">: an act, cited by section. */
    assert_string_equal(doc->doctype, "act");
    /* Section 5(1)(a): the section's number from its heading, then the
     * subsection's and the item's; the section heading. */
    const civ_passage *p = find_passage(doc, "5(1)(a)", "the elected ward councillors");
    assert_non_null(p);
    assert_non_null(p->heading);
    assert_non_null(strstr(p->heading, "5. Composition"));
    assert_non_null(find_passage(doc, "5(1)", "A sub-council is composed of"));
    /* A section without subsections: its number alone. */
    assert_non_null(find_passage(doc, "1", "In this by-law, unless the context"));
    /* Each akn-p span is its own passage, not the whole section. */
    p = find_passage(doc, "5(2)", "The mechanism referred to");
    assert_non_null(p);
    assert_null(strstr(p->text, "The speaker, after consultation"));
    /* The inline stylesheet and the table of contents are not text. */
    assert_false(any_passage_contains(doc, "Bootstrap"));
    assert_false(any_passage_contains(doc, "Table of Contents"));

    /* The same by-law in Akoma Ntoso XML cites the same sections, in the
     * same order. */
    path = g_build_filename(CIV_SOURCE_DIR, "corpus", "za-cpt_sub-council-bylaw_2016-11-04.akn.xml",
                            NULL);
    assert_true(g_file_get_contents(path, &data, &len, NULL));
    g_free(path);
    civ_document *akn = NULL;
    assert_int_equal(civ_extract_xml(data, len, 0, &akn, &err), CIV_OK);
    g_free(data);
    GString *html_labels = g_string_new(NULL), *akn_labels = g_string_new(NULL);
    for (size_t i = 0; i < doc->n_passages; i++)
        if (doc->passages[i].paragraph)
            g_string_append_printf(html_labels, "%s ", doc->passages[i].paragraph);
    for (size_t i = 0; i < akn->n_passages; i++)
        if (akn->passages[i].paragraph)
            g_string_append_printf(akn_labels, "%s ", akn->passages[i].paragraph);
    assert_true(strstr(html_labels->str, "13(5)(b) 13(6) 14 14 15(1)") != NULL);
    assert_string_equal(html_labels->str, akn_labels->str);
    g_string_free(html_labels, TRUE);
    g_string_free(akn_labels, TRUE);
    civ_document_free(akn);
    civ_document_free(doc);
}

static void drops_scripts_and_furniture(void **state)
{
    (void)state;
    const char *html = "<!DOCTYPE html><html lang=\"es-ES\"><head><title> Informe  anual </title>"
                       "<script>alert(1)</script><style>p{color:red}</style></head><body>"
                       "<header>Site banner</header><nav><a href='/'>Home</a></nav>"
                       "<h1>Informe</h1><h2>Vivienda</h2>"
                       "<p>El derecho a la <b>vivienda</b><script>alert(1)</script> adecuada.</p>"
                       "<noscript>Enable JavaScript</noscript><template><p>hidden</p></template>"
                       "<form><input value='x'>Search the site</form>"
                       "<svg><text>svg text</text></svg>"
                       "<aside>Related links</aside><footer>Copyright</footer>"
                       "<ul><li>Primero</li><li>Segundo<ul><li>Anidado</li></ul></li></ul>"
                       "<div>Texto directo<p>Dentro</p>y después</div>"
                       "<table><tr><th>País</th><td>España</td></tr></table>"
                       "</body></html>";
    civ_document *doc = NULL;
    civ_err err;
    assert_int_equal(extract_string(html, 0, &doc, &err), CIV_OK);
    assert_string_equal(doc->title, "Informe anual");
    assert_string_equal(doc->lang, "es");
    const char *banned[] = {
        "alert",  "color:red",       "Site banner", "Home",          "Enable JavaScript",
        "hidden", "Search the site", "svg text",    "Related links", "Copyright"};
    for (size_t i = 0; i < sizeof banned / sizeof banned[0]; i++) {
        if (any_passage_contains(doc, banned[i]))
            print_error("passage contains \"%s\"\n", banned[i]);
        assert_false(any_passage_contains(doc, banned[i]));
    }
    const civ_passage *p = find_passage(doc, NULL, "El derecho a la vivienda adecuada.");
    assert_non_null(p);
    assert_string_equal(p->heading, "Informe > Vivienda");
    /* Headings label passages; they are not passages themselves. */
    assert_null(find_passage(doc, NULL, "Vivienda"));
    assert_non_null(find_passage(doc, NULL, "Primero"));
    assert_non_null(find_passage(doc, NULL, "Anidado"));
    assert_null(find_passage(doc, NULL, "Segundo Anidado"));
    assert_non_null(find_passage(doc, NULL, "Texto directo"));
    assert_non_null(find_passage(doc, NULL, "y después"));
    assert_non_null(find_passage(doc, NULL, "España"));
    civ_document_free(doc);
}

static void numbered_paragraphs(void **state)
{
    (void)state;
    const char *html = "<html><body><h2>II. Housing</h2>"
                       "<p>12. Local governments should guarantee tenure.</p>"
                       "<p>(a) Prevent forced evictions;</p></body></html>";
    civ_document *doc = NULL;
    civ_err err;
    assert_int_equal(extract_string(html, 0, &doc, &err), CIV_OK);
    const civ_passage *p = find_passage(doc, "12", "Local governments should guarantee");
    assert_non_null(p);
    assert_string_equal(p->heading, "II. Housing");
    assert_non_null(find_passage(doc, "12 (a)", "Prevent forced evictions"));
    civ_document_free(doc);
}

static void hostile_pages(void **state)
{
    (void)state;
    civ_document *doc = NULL;
    civ_err err;
    /* Deep nesting: refused quickly, no stack overflow. */
    GString *x = g_string_new("<html><body>");
    for (int i = 0; i < 100000; i++)
        g_string_append(x, "<div>");
    g_string_append(x, "deep</body></html>");
    civ_status st = civ_extract_html(x->str, x->len, 0, &doc, &err);
    assert_int_equal(st, CIV_ERR_INPUT);
    assert_null(doc);
    g_string_free(x, TRUE);

    /* Text cap. */
    x = g_string_new("<html><body>");
    for (int i = 0; i < 1000; i++)
        g_string_append(x, "<p>Everyone has the right to work.</p>");
    g_string_append(x, "</body></html>");
    assert_int_equal(civ_extract_html(x->str, x->len, 5000, &doc, &err), CIV_ERR_TOOLARGE);
    assert_null(doc);
    g_string_free(x, TRUE);

    /* Not UTF-8: read as Latin-1 rather than rejected (HTML's old default). */
    assert_int_equal(extract_string("<p>caf\xE9 cr\xE8me</p>", 0, &doc, &err), CIV_OK);
    assert_non_null(find_passage(doc, NULL, "café crème"));
    civ_document_free(doc);

    /* Nothing to index. */
    assert_int_equal(extract_string("   ", 0, &doc, &err), CIV_ERR_NOTEXT);
    assert_int_equal(extract_string("<html><script>x()</script></html>", 0, &doc, &err),
                     CIV_ERR_NOTEXT);
    assert_null(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bylaw_page),
        cmocka_unit_test(drops_scripts_and_furniture),
        cmocka_unit_test(numbered_paragraphs),
        cmocka_unit_test(hostile_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
