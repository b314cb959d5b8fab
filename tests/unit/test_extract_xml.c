/* test_extract_xml.c: UDHR, Akoma Ntoso and generic XML from the corpus,
 * and hostile XML (entity bombs, XXE, deep nesting, bad bytes, caps). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <glib.h>
#include <string.h>

#include "civ_extract_xml.h"
#include "passages.h"

static char *slurp(const char *name, size_t *len)
{
    char *path = g_build_filename(CIV_SOURCE_DIR, "corpus", name, NULL);
    char *data = NULL;
    gsize n = 0;
    gboolean ok = g_file_get_contents(path, &data, &n, NULL);
    g_free(path);
    assert_true(ok);
    *len = n;
    return data;
}

static civ_document *extract_corpus(const char *name)
{
    size_t len;
    char *data = slurp(name, &len);
    civ_document *doc = NULL;
    civ_err err;
    civ_status st = civ_extract_xml(data, len, 0, &doc, &err);
    g_free(data);
    if (st != CIV_OK)
        print_error("%s: %s\n", name, err.msg);
    assert_int_equal(st, CIV_OK);
    assert_non_null(doc);
    return doc;
}

static civ_status extract_string(const char *xml, size_t cap, civ_document **doc, civ_err *err)
{
    return civ_extract_xml(xml, strlen(xml), cap, doc, err);
}

static void udhr_french(void **state)
{
    (void)state;
    civ_document *doc = extract_corpus("udhr_fra.xml");
    assert_string_equal(doc->format, "udhr-xml");
    assert_string_equal(doc->title, "Déclaration universelle des droits de l’homme");
    assert_string_equal(doc->lang, "fr");
    assert_string_equal(doc->date, "1948-12-10");
    assert_string_equal(doc->doctype, "declaration");
    const civ_passage *p = find_passage(doc, "Article 26", "éducation");
    assert_non_null(p);
    assert_string_equal(p->heading, "Article 26");
    /* Three numbered list items, each its own passage, all "Article 26". */
    size_t n = 0;
    for (size_t i = 0; i < doc->n_passages; i++)
        n += doc->passages[i].paragraph && !strcmp(doc->passages[i].paragraph, "Article 26");
    assert_int_equal(n, 3);
    /* The preamble is there, before article 1, and titles are not text. */
    const civ_passage *pre = find_passage(doc, "Preamble", "Considérant que la reconnaissance");
    assert_non_null(pre);
    assert_true(pre->ordinal < find_passage(doc, "Article 1", NULL)->ordinal);
    assert_null(find_passage(doc, NULL, "Préambule"));
    assert_non_null(find_passage(doc, "Article 30", NULL));
    civ_document_free(doc);
}

static void udhr_languages(void **state)
{
    (void)state;
    static const struct {
        const char *file, *lang, *needle;
    } rows[] = {
        {"udhr_eng.xml", "en", "All human beings are born free"},
        {"udhr_cmn_hans.xml", "zh", "人人生而自由"},
        {"udhr_arb.xml", "ar", "يولد جميع الناس"},
        {"udhr_rus.xml", "ru", "Все люди рождаются свободными"},
        {"udhr_spa.xml", "es", "Todos los seres humanos nacen libres"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        civ_document *doc = extract_corpus(rows[i].file);
        assert_string_equal(doc->format, "udhr-xml");
        assert_string_equal(doc->lang, rows[i].lang);
        assert_non_null(doc->title);
        if (!find_passage(doc, "Article 1", rows[i].needle))
            print_error("%s: article 1 lacks \"%s\"\n", rows[i].file, rows[i].needle);
        assert_non_null(find_passage(doc, "Article 1", rows[i].needle));
        civ_document_free(doc);
    }
}

static void akn_bylaw(void **state)
{
    (void)state;
    civ_document *doc = extract_corpus("za-cpt_sub-council-bylaw_2016-11-04.akn.xml");
    assert_string_equal(doc->format, "akn");
    assert_string_equal(doc->lang, "en");
    assert_string_equal(doc->date, "2003-05-12"); /* FRBRWork date */
    assert_string_equal(doc->doctype, "act");
    assert_string_equal(doc->title, "Cape Town Sub-Council By-law, 2003 as amended");
    /* Section 5(1)(a): cited by section, subsection and item, as acts
     * are; part and section as path. */
    const civ_passage *p = find_passage(doc, "5(1)(a)", "the elected ward councillors");
    assert_non_null(p);
    assert_string_equal(p->heading, "Part 1 - Establishment and related matters > 5. Composition");
    assert_true(strstr(p->text, "contained in the sub-council") != NULL); /* inline <term> kept */
    p = find_passage(doc, "5(1)", "is composed of");
    assert_non_null(p);
    p = find_passage(doc, "5(2)", "The mechanism referred to in Section 62(cA)");
    assert_non_null(p);
    /* Section 1 has no subsections: its number labels its paragraphs. */
    p = find_passage(doc, "1", "unless the context otherwise indicates");
    assert_non_null(p);
    assert_string_equal(p->heading, "1. Definitions");
    /* Metadata is not text; numbers and headings are not passages. */
    assert_false(any_passage_contains(doc, "/za-cpt/act/by-law"));
    assert_null(find_passage(doc, NULL, "Definitions"));
    civ_document_free(doc);
}

static void akn_debate(void **state)
{
    (void)state;
    civ_document *doc = extract_corpus("akn_oasis_example_ke_Debate_Bungeni_2011-06-10.xml");
    assert_string_equal(doc->format, "akn");
    assert_string_equal(doc->doctype, "debate");
    assert_string_equal(doc->lang, "en");
    assert_string_equal(doc->date, "2011-06-10");
    assert_string_equal(doc->title, "SECOND MEETING, 2011");
    const civ_passage *p = find_passage(doc, NULL, "I beg to move to the following Motion");
    assert_non_null(p);
    assert_non_null(p->heading);
    assert_non_null(strstr(p->heading, "MOTIONS"));
    assert_non_null(strstr(p->heading, "Mr. Alfa"));
    assert_false(any_passage_contains(doc, "BES: definition of Educational System")); /* meta */
    civ_document_free(doc);
}

static void generic_xml(void **state)
{
    (void)state;
    const char *xml = "<?xml version='1.0'?>\n"
                      "<report xml:lang='fr-CA'><title>Rapport annuel</title>"
                      "<body><para>Le droit au <em>logement</em> est garanti.</para>"
                      "<para><![CDATA[Texte <brut> & libre]]></para><!-- caché --></body></report>";
    civ_document *doc = NULL;
    civ_err err;
    assert_int_equal(extract_string(xml, 0, &doc, &err), CIV_OK);
    assert_string_equal(doc->format, "xml");
    assert_string_equal(doc->title, "Rapport annuel");
    assert_string_equal(doc->lang, "fr");
    assert_non_null(find_passage(doc, NULL, "Le droit au logement est garanti."));
    assert_non_null(find_passage(doc, NULL, "Texte <brut> & libre"));
    assert_false(any_passage_contains(doc, "caché"));
    civ_document_free(doc);
}

static void billion_laughs(void **state)
{
    (void)state;
    /* lolN is ten lol(N-1): 10^9 "lol"s if anything expanded it. */
    GString *x =
        g_string_new("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for (int i = 1; i <= 9; i++) {
        g_string_append_printf(x, " <!ENTITY lol%d \"", i);
        for (int k = 0; k < 10; k++) {
            if (i == 1)
                g_string_append(x, "&lol;");
            else
                g_string_append_printf(x, "&lol%d;", i - 1);
        }
        g_string_append(x, "\">\n");
    }
    g_string_append(x, "]>\n<lolz a=\"&lol9;\">start &lol9; end</lolz>\n");
    civ_document *doc = NULL;
    civ_err err;
    civ_status st = civ_extract_xml(x->str, x->len, 0, &doc, &err);
    g_string_free(x, TRUE);
    /* Either refused or parsed without expansion: never gigabytes. */
    assert_true(st == CIV_OK || st == CIV_ERR_INPUT);
    if (st == CIV_OK) {
        for (size_t i = 0; i < doc->n_passages; i++)
            assert_true(strlen(doc->passages[i].text) < 100);
    }
    civ_document_free(doc);
}

static void xxe_not_read(void **state)
{
    (void)state;
    const char *xml[] = {
        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>before &e; after</x>",
        "<!DOCTYPE x SYSTEM \"file:///etc/passwd\"><x>text</x>",
        "<!DOCTYPE x [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><x>t</x>",
        "<x xmlns:xi=\"http://www.w3.org/2001/XInclude\">a<xi:include href=\"/etc/passwd\" "
        "parse=\"text\"/></x>",
    };
    for (size_t i = 0; i < sizeof xml / sizeof xml[0]; i++) {
        civ_document *doc = NULL;
        civ_err err;
        civ_status st = extract_string(xml[i], 0, &doc, &err);
        if (st == CIV_OK)
            assert_false(any_passage_contains(doc, "root:"));
        else
            assert_null(doc);
        civ_document_free(doc);
    }
}

static void deep_nesting(void **state)
{
    (void)state;
    const int depth = 100000;
    GString *x = g_string_sized_new((gsize)depth * 7 + 16);
    for (int i = 0; i < depth; i++)
        g_string_append(x, "<a>");
    g_string_append(x, "deep");
    for (int i = 0; i < depth; i++)
        g_string_append(x, "</a>");
    civ_document *doc = NULL;
    civ_err err;
    assert_int_equal(civ_extract_xml(x->str, x->len, 0, &doc, &err), CIV_ERR_INPUT);
    assert_null(doc);
    assert_non_null(strstr(err.msg, "depth"));
    g_string_free(x, TRUE);

    /* Just under libxml2's limit parses, and our walk copes with it. */
    x = g_string_new(NULL);
    for (int i = 0; i < 250; i++)
        g_string_append(x, "<a>");
    g_string_append(x, "deep");
    for (int i = 0; i < 250; i++)
        g_string_append(x, "</a>");
    assert_int_equal(civ_extract_xml(x->str, x->len, 0, &doc, &err), CIV_OK);
    assert_string_equal(doc->passages[0].text, "deep");
    civ_document_free(doc);
    g_string_free(x, TRUE);
}

static void bad_input(void **state)
{
    (void)state;
    civ_document *doc = NULL;
    civ_err err;
    /* Invalid UTF-8 in text. */
    assert_int_equal(
        extract_string("<?xml version='1.0' encoding='UTF-8'?><x>caf\xC3(</x>", 0, &doc, &err),
        CIV_ERR_INPUT);
    assert_null(doc);
    /* Not well-formed: the message names the line. */
    assert_int_equal(extract_string("<x>\n<y>\n</x>", 0, &doc, &err), CIV_ERR_INPUT);
    assert_non_null(strstr(err.msg, "line 3"));
    /* Empty and text-less documents. */
    assert_int_equal(extract_string("", 0, &doc, &err), CIV_ERR_INPUT);
    assert_int_equal(extract_string("<x><y/> </x>", 0, &doc, &err), CIV_ERR_NOTEXT);
    assert_null(doc);
}

static void text_cap(void **state)
{
    (void)state;
    GString *x = g_string_new("<doc>");
    for (int i = 0; i < 1000; i++)
        g_string_append(x, "<p>Everyone has the right to education.</p>");
    g_string_append(x, "</doc>");
    civ_document *doc = NULL;
    civ_err err;
    assert_int_equal(civ_extract_xml(x->str, x->len, 10000, &doc, &err), CIV_ERR_TOOLARGE);
    assert_null(doc);
    assert_int_equal(civ_extract_xml(x->str, x->len, 0, &doc, &err), CIV_OK);
    assert_int_equal(doc->n_passages, 1000);
    civ_document_free(doc);
    g_string_free(x, TRUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(udhr_french),  cmocka_unit_test(udhr_languages),
        cmocka_unit_test(akn_bylaw),    cmocka_unit_test(akn_debate),
        cmocka_unit_test(generic_xml),  cmocka_unit_test(billion_laughs),
        cmocka_unit_test(xxe_not_read), cmocka_unit_test(deep_nesting),
        cmocka_unit_test(bad_input),    cmocka_unit_test(text_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
