/* End-to-end tests of citations, references and language versions over
 * real HTTP.
 *
 * corpus/ is indexed together with two files written here: a French text
 * version of A/HRC/59/15 (same symbol, another language) and an HTML page
 * whose title tries to break out of RIS and BibTeX. One daemon serves the
 * index; the tests search by symbol: and cites:, follow the references
 * between A/HRC/14/37 and A/HRC/DEC/14/105 (each cites the other), list
 * language versions, and parse every citation format with a real parser:
 * jansson for CSL-JSON, bibtool for BibTeX, RIS line by line.
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

static char *tmp, *db, *extra_dir;
static e2e_searchd daemon_;

/* A French version of A/HRC/59/15: its masthead carries the symbol. */
static const char french_version[] =
    "A/HRC/59/15\n\nAssemblée générale\nDistr. générale\n24 mars 2025\n\n"
    "Conseil des droits de l'homme\nCinquante-neuvième session\n\n"
    "Rapport du Groupe de travail sur l'Examen périodique universel\nSlovénie\n\n"
    "Le Groupe de travail sur l'Examen périodique universel, créé conformément à la "
    "résolution 5/1 du Conseil des droits de l'homme, a tenu sa quarante-huitième session. "
    "L'examen concernant la Slovénie a eu lieu à la séance tenue le 21 janvier 2025. La "
    "délégation slovène était dirigée par la ministre des affaires étrangères et européennes. "
    "Le Groupe de travail a adopté le présent rapport concernant la Slovénie à sa séance. "
    "Les États ont salué les efforts faits par la Slovénie pour protéger les droits des "
    "personnes handicapées, des enfants et des personnes âgées, et pour lutter contre la "
    "discrimination et les discours de haine.\n";

/* A title made to end a BibTeX field and start an entry, and to end a RIS
 * record and start another. */
static const char hostile_page[] =
    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<title>Evil} @misc{injected, title={x}} ER  - TY  - JOUR \\ 100% $ &amp; # _ ^ ~ {</title>"
    "</head><body><p>This page exists to test that a document title cannot inject fields "
    "into citation exports of the passages it contains, whatever characters it holds.</p>"
    "</body></html>\n";

static void write_file(const char *dir, const char *name, const char *text)
{
    char *path = g_build_filename(dir, name, NULL);
    assert_true(g_file_set_contents(path, text, -1, NULL));
    g_free(path);
}

static int setup(void **state)
{
    (void)state;
    tmp = e2e_tmpdir();
    db = g_build_filename(tmp, "db", NULL);
    extra_dir = g_build_filename(tmp, "extra", NULL);
    assert_int_equal(g_mkdir(extra_dir, 0755), 0);
    write_file(extra_dir, "A_HRC_59_15.fr.txt", french_version);
    write_file(extra_dir, "hostile-title.html", hostile_page);
    const char *argv[] = {CIV_INDEXER, "--db", db, CORPUS, extra_dir, NULL};
    char *out = NULL, *errs = NULL;
    int rc = e2e_run(argv, &out, &errs);
    if (rc != 0)
        print_error("indexer exit %d\n%s\n%s\n", rc, out, errs);
    g_free(out);
    g_free(errs);
    assert_int_equal(rc, 0);
    e2e_searchd_start(&daemon_, db, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(e2e_searchd_stop(&daemon_), 0);
    e2e_rm_rf(tmp);
    g_free(tmp);
    g_free(db);
    g_free(extra_dir);
    return 0;
}

static const char *str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* GET target expecting status; the parsed JSON body. */
static json_t *get_json(const char *target, int want_status)
{
    int status = 0;
    json_t *j = e2e_http_get_json(daemon_.port, target, &status);
    if (status != want_status)
        print_error("GET %s: status %d, expected %d\n", target, status, want_status);
    assert_int_equal(status, want_status);
    assert_non_null(j);
    return j;
}

/* GET target expecting 200 with content type type; the body (g_free). */
static char *get_text(const char *target, const char *type, size_t *len)
{
    e2e_http_response r;
    assert_int_equal(e2e_http_request(daemon_.port, "GET", target, NULL, &r), 0);
    if (r.status != 200)
        print_error("GET %s: status %d\n%s\n", target, r.status, r.body);
    assert_int_equal(r.status, 200);
    char buf[256];
    assert_non_null(e2e_http_header(&r, "Content-Type", buf, sizeof buf));
    assert_string_equal(buf, type);
    char *body = g_strndup(r.body, r.body_len);
    if (len)
        *len = r.body_len;
    e2e_http_response_clear(&r);
    return body;
}

static char *file_id(const char *dir, const char *file)
{
    char *path = g_build_filename(dir, file, NULL);
    char id[CIV_ID_LEN + 1];
    e2e_doc_id(path, id);
    g_free(path);
    return g_strdup(id);
}

/* The full text of passage id. */
static char *passage_text(const char *id)
{
    char *target = g_strdup_printf("/api/passages/%s", id);
    json_t *j = get_json(target, 200);
    char *text = g_strdup(str(json_object_get(j, "passage"), "text"));
    json_decref(j);
    g_free(target);
    return text;
}

/* ---- symbol: and cites: ---------------------------------------------------- */

static void test_symbol_search(void **state)
{
    (void)state;
    char *en = file_id(CORPUS, "A_HRC_59_15_g2502644.pdf");
    char *fr = file_id(extra_dir, "A_HRC_59_15.fr.txt");
    /* Case-insensitive; both language versions and nothing else. */
    json_t *j = get_json("/api/search?q=symbol:a/hrc/59/15&per_page=50", 200);
    json_t *hits = json_object_get(j, "hits");
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
    int saw_en = 0, saw_fr = 0;
    size_t i;
    json_t *hit;
    json_array_foreach(hits, i, hit)
    {
        json_t *doc = json_object_get(hit, "document");
        assert_string_equal(str(doc, "symbol"), "A/HRC/59/15");
        saw_en |= strcmp(str(doc, "id"), en) == 0;
        saw_fr |= strcmp(str(doc, "id"), fr) == 0;
    }
    assert_true(saw_en && saw_fr);
    json_decref(j);
    /* With a language: only that document. */
    j = get_json("/api/search?q=symbol:A/HRC/59/15&lang=en", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    assert_string_equal(
        str(json_object_get(json_array_get(json_object_get(j, "hits"), 0), "document"), "id"), en);
    json_decref(j);
    /* A symbol no document has. */
    j = get_json("/api/search?q=symbol:A/HRC/59/999", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 0);
    json_decref(j);
    g_free(en);
    g_free(fr);
}

static void test_cites_search(void **state)
{
    (void)state;
    /* Passages citing Council resolution 5/1 (the institution-building
     * package): every one says so in its text. */
    json_t *j = get_json("/api/search?q=cites:a/hrc/res/5/1&group=passage&per_page=50", 200);
    json_t *hits = json_object_get(j, "hits");
    assert_true(json_array_size(hits) >= 3);
    size_t i;
    json_t *hit;
    json_array_foreach(hits, i, hit)
    {
        const char *id = str(json_array_get(json_object_get(hit, "passages"), 0), "id");
        char *text = passage_text(id);
        if (!strstr(text, "5/1") || !(strstr(text, "resolution") || strstr(text, "résolution")))
            fail_msg("passage %s cites A/HRC/RES/5/1 but says: %.200s", id, text);
        g_free(text);
    }
    json_decref(j);
    /* Combined with words and filters like any field. */
    j = get_json("/api/search?q=cites:A/HRC/RES/5/1+Slovenia&lang=en", 200);
    assert_true(json_integer_value(json_object_get(j, "total")) >= 1);
    json_decref(j);
}

/* ---- references -------------------------------------------------------------- */

/* In refs[key], the entry whose symbol (or document's symbol) is symbol. */
static json_t *entry_for(json_t *refs, const char *key, const char *symbol)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(refs, key), i, e)
    {
        const char *s =
            str(e, "symbol") ? str(e, "symbol") : str(json_object_get(e, "document"), "symbol");
        if (s && strcmp(s, symbol) == 0)
            return e;
    }
    return NULL;
}

/* Every passage of entry is a passage of doc_id whose text mentions needle. */
static void check_passages(json_t *entry, const char *doc_id, const char *needle)
{
    json_t *ps = json_object_get(entry, "passages");
    assert_true(json_array_size(ps) >= 1);
    size_t i;
    json_t *p;
    json_array_foreach(ps, i, p)
    {
        const char *id = str(p, "id");
        assert_true(g_str_has_prefix(id, doc_id));
        assert_non_null(str(p, "citation"));
        char *text = passage_text(id);
        if (!strstr(text, needle))
            fail_msg("passage %s should mention %s: %.200s", id, needle, text);
        g_free(text);
    }
}

static void test_references(void **state)
{
    (void)state;
    /* The Council's report on its fourteenth session records decision
     * 14/105, and the decision names the report (A/HRC/14/37). */
    char *report = file_id(CORPUS, "A_HRC_14_37_g1217781.pdf");
    char *decision = file_id(CORPUS, "A_HRC_DEC_14_105_g1014611.pdf");

    char *target = g_strdup_printf("/api/documents/%s/references", decision);
    json_t *refs = get_json(target, 200);
    assert_string_equal(str(json_object_get(refs, "document"), "symbol"), "A/HRC/DEC/14/105");
    json_t *e = entry_for(refs, "cites", "A/HRC/14/37");
    assert_non_null(e);
    assert_string_equal(str(json_object_get(e, "document"), "id"), report);
    check_passages(e, decision, "A/HRC/14/37");
    /* Cited, but not in the index: no document. */
    e = entry_for(refs, "cites", "A/RES/60/251");
    assert_non_null(e);
    assert_true(json_is_null(json_object_get(e, "document")));
    check_passages(e, decision, "60/251");
    /* And the other direction. */
    e = entry_for(refs, "cited_by", "A/HRC/14/37");
    assert_non_null(e);
    assert_string_equal(str(json_object_get(e, "document"), "id"), report);
    check_passages(e, report, "14/105");
    json_t *p0 = json_array_get(json_object_get(e, "passages"), 0);
    assert_true(g_str_has_prefix(str(p0, "citation"), "A/HRC/14/37, "));
    assert_false(json_is_true(json_object_get(refs, "truncated")));
    json_decref(refs);
    g_free(target);

    target = g_strdup_printf("/api/documents/%s/references", report);
    refs = get_json(target, 200);
    e = entry_for(refs, "cites", "A/HRC/DEC/14/105");
    assert_non_null(e);
    assert_string_equal(str(json_object_get(e, "document"), "id"), decision);
    e = entry_for(refs, "cited_by", "A/HRC/DEC/14/105");
    assert_non_null(e);
    check_passages(e, decision, "A/HRC/14/37");
    /* A document never cites itself. */
    assert_null(entry_for(refs, "cites", "A/HRC/14/37"));
    assert_null(entry_for(refs, "cited_by", "A/HRC/14/37"));
    json_decref(refs);
    g_free(target);

    /* A document without a symbol is cited by nothing. */
    char *udhr = file_id(CORPUS, "udhr_eng.xml");
    target = g_strdup_printf("/api/documents/%s/references", udhr);
    refs = get_json(target, 200);
    assert_int_equal(json_array_size(json_object_get(refs, "cited_by")), 0);
    json_decref(refs);
    g_free(target);

    json_decref(get_json("/api/documents/0000000000000000/references", 404));
    json_decref(get_json("/api/documents/XYZ/references", 404));
    g_free(udhr);
    g_free(report);
    g_free(decision);
}

/* ---- language versions ---------------------------------------------------------- */

/* The languages of /api/documents/{id}'s versions, sorted, comma-joined. */
static char *version_languages(const char *id, const char *must_include_id)
{
    char *target = g_strdup_printf("/api/documents/%s?limit=1", id);
    json_t *j = get_json(target, 200);
    json_t *vs = json_object_get(j, "versions");
    assert_true(json_is_array(vs));
    GString *langs = g_string_new(NULL);
    int found = must_include_id == NULL;
    size_t i;
    json_t *v;
    json_array_foreach(vs, i, v)
    {
        assert_string_not_equal(str(v, "id"), id);
        assert_non_null(str(v, "title"));
        g_string_append_printf(langs, "%s%s", i ? "," : "", str(v, "language"));
        found |= must_include_id && strcmp(str(v, "id"), must_include_id) == 0;
    }
    assert_true(found);
    json_decref(j);
    g_free(target);
    return g_string_free(langs, FALSE);
}

static void test_versions(void **state)
{
    (void)state;
    char *en = file_id(CORPUS, "A_HRC_59_15_g2502644.pdf");
    char *fr = file_id(extra_dir, "A_HRC_59_15.fr.txt");
    char *langs = version_languages(en, fr);
    assert_string_equal(langs, "fr");
    g_free(langs);
    langs = version_languages(fr, en);
    assert_string_equal(langs, "en");
    g_free(langs);
    /* The Universal Declaration in English: the five other translations. */
    char *udhr = file_id(CORPUS, "udhr_eng.xml");
    char *udhr_fr = file_id(CORPUS, "udhr_fra.xml");
    langs = version_languages(udhr, udhr_fr);
    assert_string_equal(langs, "ar,es,fr,ru,zh");
    g_free(langs);
    /* A UN document only in English, and a by-law: none. */
    char *res = file_id(CORPUS, "A_RES_78_323.en.pdf");
    char *bylaw = file_id(CORPUS, "za-cpt_sub-council-bylaw_2016-11-04.akn.xml");
    langs = version_languages(res, NULL);
    assert_string_equal(langs, "");
    g_free(langs);
    langs = version_languages(bylaw, NULL);
    assert_string_equal(langs, "");
    g_free(langs);
    g_free(en);
    g_free(fr);
    g_free(udhr);
    g_free(udhr_fr);
    g_free(res);
    g_free(bylaw);
}

/* ---- citation formats ---------------------------------------------------------- */

/* A passage of A/HRC/59/15 with a printed paragraph number. */
static char *numbered_passage(char **paragraph, int *page)
{
    json_t *j = get_json("/api/search?q=symbol:A/HRC/59/15+Roma&lang=en&group=passage", 200);
    json_t *p = json_array_get(
        json_object_get(json_array_get(json_object_get(j, "hits"), 0), "passages"), 0);
    assert_non_null(p);
    assert_non_null(str(p, "paragraph"));
    char *id = g_strdup(str(p, "id"));
    *paragraph = g_strdup(str(p, "paragraph"));
    *page = (int)json_integer_value(json_object_get(p, "page"));
    json_decref(j);
    return id;
}

static void test_string_formats(void **state)
{
    (void)state;
    char *para = NULL;
    int page = 0;
    char *id = numbered_passage(&para, &page);
    char *target = g_strdup_printf("/api/passages/%s/cite", id);
    json_t *j = get_json(target, 200);
    char *want = g_strdup_printf("A/HRC/59/15, para. %s (p. %d)", para, page);
    assert_string_equal(str(j, "format"), "un");
    assert_string_equal(str(j, "passage_id"), id);
    assert_string_equal(str(j, "citation"), want);
    json_decref(j);
    g_free(want);
    g_free(target);

    target = g_strdup_printf("/api/passages/%s/cite?format=bluebook", id);
    j = get_json(target, 200);
    want = g_strdup_printf("Human Rights Council, Report of the Working Group on the Universal "
                           "Periodic Review: Slovenia, \xc2\xb6 %s, U.N. Doc. A/HRC/59/15 "
                           "(Mar. 24, 2025)",
                           para);
    assert_string_equal(str(j, "citation"), want);
    json_decref(j);
    g_free(want);
    g_free(target);

    target = g_strdup_printf("/api/passages/%s/cite?format=oscola", id);
    j = get_json(target, 200);
    want = g_strdup_printf("UNHRC 'Report of the Working Group on the Universal Periodic "
                           "Review: Slovenia' (24 March 2025) UN Doc A/HRC/59/15, para %s",
                           para);
    assert_string_equal(str(j, "citation"), want);
    json_decref(j);
    g_free(want);
    g_free(target);
    g_free(id);
    g_free(para);
}

/* Items are cited under what they belong to: a UN report's "(a)" under
 * its paragraph, a by-law's item under its section and subsection. The
 * search hit and /cite say the same, and the label can be searched for
 * as printed, brackets and all. */
static void test_item_pinpoints(void **state)
{
    (void)state;
    static const struct {
        const char *query, *citation, *oscola;
    } rows[] = {
        {"q=symbol:A/HRC/59/15+para:%223+(a)%22", "A/HRC/59/15, para. 3 (a) (p. 2)",
         "UNHRC 'Report of the Working Group on the Universal Periodic Review: Slovenia' "
         "(24 March 2025) UN Doc A/HRC/59/15, para 3 (a)"},
        {"q=format:akn+para:5(1)(a)", "Cape Town Sub-Council By-law, 2003 as amended, s. 5(1)(a)",
         "Cape Town Sub-Council By-law, 2003 as amended (12 May 2003) s 5(1)(a)"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *target = g_strdup_printf("/api/search?%s&group=passage", rows[i].query);
        json_t *res = get_json(target, 200);
        g_free(target);
        assert_int_equal(json_integer_value(json_object_get(res, "total")), 1);
        json_t *p = json_array_get(
            json_object_get(json_array_get(json_object_get(res, "hits"), 0), "passages"), 0);
        assert_string_equal(str(p, "citation"), rows[i].citation);

        target = g_strdup_printf("/api/passages/%s/cite", str(p, "id"));
        json_t *cite = get_json(target, 200);
        assert_string_equal(str(cite, "citation"), rows[i].citation);
        json_decref(cite);
        g_free(target);
        target = g_strdup_printf("/api/passages/%s/cite?format=oscola", str(p, "id"));
        cite = get_json(target, 200);
        assert_string_equal(str(cite, "citation"), rows[i].oscola);
        json_decref(cite);
        g_free(target);
        json_decref(res);
    }
}

static void test_csl_json(void **state)
{
    (void)state;
    char *para = NULL;
    int page = 0;
    char *id = numbered_passage(&para, &page);
    char *target = g_strdup_printf("/api/passages/%s/cite?format=csl-json", id);
    size_t len = 0;
    char *body = get_text(target, "application/vnd.citationstyles.csl+json; charset=utf-8", &len);
    json_error_t jerr;
    json_t *items = json_loadb(body, len, 0, &jerr);
    if (!items)
        fail_msg("CSL-JSON does not parse: %s", jerr.text);
    assert_true(json_is_array(items));
    assert_int_equal(json_array_size(items), 1);
    json_t *it = json_array_get(items, 0);
    assert_string_equal(str(it, "id"), id);
    assert_string_equal(str(it, "type"), "report");
    assert_string_equal(str(it, "title"),
                        "Report of the Working Group on the Universal Periodic Review: Slovenia");
    assert_string_equal(str(it, "number"), "A/HRC/59/15");
    assert_string_equal(str(it, "authority"), "Human Rights Council");
    assert_string_equal(str(json_array_get(json_object_get(it, "author"), 0), "literal"),
                        "Human Rights Council");
    json_t *parts = json_array_get(json_object_get(json_object_get(it, "issued"), "date-parts"), 0);
    assert_int_equal(json_integer_value(json_array_get(parts, 0)), 2025);
    assert_int_equal(json_integer_value(json_array_get(parts, 1)), 3);
    assert_int_equal(json_integer_value(json_array_get(parts, 2)), 24);
    assert_string_equal(str(it, "locator"), para);
    assert_string_equal(str(it, "label"), "paragraph");
    char *page_s = g_strdup_printf("%d", page);
    assert_string_equal(str(it, "page"), page_s);
    g_free(page_s);
    assert_true(g_str_has_prefix(str(it, "URL"), "http://"));
    assert_non_null(strstr(str(it, "URL"), "/file#page="));
    json_decref(items);
    g_free(body);
    g_free(target);
    g_free(id);
    g_free(para);
}

/* Check RIS text line by line: "XX  - value", TY first and ER last in each
 * record. Returns the number of records; *titles receives the TI values. */
static int check_ris(const char *ris, GPtrArray *titles)
{
    assert_true(g_str_has_suffix(ris, "\r\n"));
    char **lines = g_strsplit(ris, "\r\n", -1);
    size_t n = g_strv_length(lines) - 1;
    int records = 0, open = 0;
    for (size_t i = 0; i < n; i++) {
        const char *l = lines[i];
        if (strlen(l) < 6 || !g_ascii_isupper(l[0]) || !g_ascii_isalnum(l[1]) ||
            memcmp(l + 2, "  - ", 4) != 0 || strpbrk(l, "\r\n"))
            fail_msg("RIS line %zu is not a tag line: \"%s\"", i + 1, l);
        if (g_str_has_prefix(l, "TY  - ")) {
            assert_false(open);
            open = 1;
            records++;
        } else {
            assert_true(open);
        }
        if (g_str_has_prefix(l, "ER  - ")) {
            assert_string_equal(l, "ER  - ");
            open = 0;
        }
        if (titles && g_str_has_prefix(l, "TI  - "))
            g_ptr_array_add(titles, g_strdup(l + 6));
    }
    assert_false(open);
    g_strfreev(lines);
    return records;
}

/* Parse bibtex with bibtool; the number of entries it read. Fails on any
 * message from bibtool. Without bibtool (scripts/deps.sh test installs
 * it), only the brace structure is checked. */
static int check_bibtex(const char *bibtex)
{
    int depth = 0, entries = 0;
    for (const char *c = bibtex; *c; c++) {
        depth += *c == '{';
        depth -= *c == '}';
        assert_true(depth >= 0);
        entries += *c == '@' && depth == 0;
    }
    assert_int_equal(depth, 0);
    char *bibtool = g_find_program_in_path("bibtool");
    if (!bibtool) {
        print_message("bibtool not found: BibTeX checked for balanced braces only\n");
        return entries;
    }
    char *path = g_build_filename(tmp, "cite.bib", NULL);
    assert_true(g_file_set_contents(path, bibtex, -1, NULL));
    const char *argv[] = {bibtool, "-q", path, NULL};
    char *out = NULL, *errs = NULL;
    int rc = e2e_run(argv, &out, &errs);
    if (rc != 0 || (errs && errs[0]))
        fail_msg("bibtool: exit %d: %s", rc, errs);
    /* bibtool prints each entry it read: "@TechReport{ key," */
    int parsed = e2e_count_lines(out, "@");
    g_free(out);
    g_free(errs);
    g_free(path);
    g_free(bibtool);
    assert_int_equal(parsed, entries);
    return parsed;
}

static void test_exports(void **state)
{
    (void)state;
    char *para = NULL;
    int page = 0;
    char *id = numbered_passage(&para, &page);
    char *target = g_strdup_printf("/api/passages/%s/cite?format=ris", id);
    char *ris = get_text(target, "application/x-research-info-systems; charset=utf-8", NULL);
    GPtrArray *titles = g_ptr_array_new_with_free_func(g_free);
    assert_int_equal(check_ris(ris, titles), 1);
    assert_string_equal(g_ptr_array_index(titles, 0),
                        "Report of the Working Group on the Universal Periodic Review: Slovenia");
    assert_true(g_str_has_prefix(ris, "TY  - RPRT\r\n"));
    assert_non_null(strstr(ris, "\r\nM1  - A/HRC/59/15\r\n"));
    assert_non_null(strstr(ris, "\r\nDA  - 2025/03/24/\r\n"));
    g_ptr_array_free(titles, TRUE);
    g_free(ris);
    g_free(target);

    target = g_strdup_printf("/api/passages/%s/cite?format=bibtex", id);
    char *bib = get_text(target, "application/x-bibtex; charset=utf-8", NULL);
    assert_int_equal(check_bibtex(bib), 1);
    assert_true(g_str_has_prefix(bib, "@techreport{A_HRC_59_15-"));
    assert_non_null(strstr(bib, "  number = {A/HRC/59/15}"));
    g_free(bib);
    g_free(target);
    g_free(id);
    g_free(para);
}

/* The hostile page's title survives as text and adds nothing. */
static void test_hostile_title(void **state)
{
    (void)state;
    char *doc = file_id(extra_dir, "hostile-title.html");
    char *first = g_strdup_printf("%s-1", doc);
    char *udhr = file_id(CORPUS, "udhr_eng.xml");
    char *target = g_strdup_printf("/api/cite?ids=%s,%s-5&format=ris", first, udhr);
    char *ris = get_text(target, "application/x-research-info-systems; charset=utf-8", NULL);
    GPtrArray *titles = g_ptr_array_new_with_free_func(g_free);
    assert_int_equal(check_ris(ris, titles), 2);
    assert_true(g_str_has_prefix(g_ptr_array_index(titles, 0), "Evil} @misc{injected"));
    assert_string_equal(g_ptr_array_index(titles, 1), "Universal Declaration of Human Rights");
    g_ptr_array_free(titles, TRUE);
    g_free(ris);
    g_free(target);

    target = g_strdup_printf("/api/cite?ids=%s,%s-5&format=bibtex", first, udhr);
    char *bib = get_text(target, "application/x-bibtex; charset=utf-8", NULL);
    assert_int_equal(check_bibtex(bib), 2);
    assert_null(strstr(bib, "@misc{injected"));
    g_free(bib);
    g_free(target);

    target = g_strdup_printf("/api/passages/%s/cite?format=csl-json", first);
    char *csl = get_text(target, "application/vnd.citationstyles.csl+json; charset=utf-8", NULL);
    json_t *items = json_loads(csl, 0, NULL);
    assert_int_equal(json_array_size(items), 1);
    assert_true(g_str_has_prefix(str(json_array_get(items, 0), "title"), "Evil} @misc{injected"));
    json_decref(items);
    g_free(csl);
    g_free(target);
    g_free(first);
    g_free(udhr);
    g_free(doc);
}

static void test_selection(void **state)
{
    (void)state;
    char *a = file_id(CORPUS, "A_RES_78_323.en.pdf");
    char *b = file_id(CORPUS, "S_RES_2768_2025.en.pdf");
    /* Repeats are cited once, in the order given. */
    char *target = g_strdup_printf("/api/cite?ids=%s-3,%s-8,%s-3&format=oscola", a, b, a);
    json_t *j = get_json(target, 200);
    json_t *cs = json_object_get(j, "citations");
    assert_int_equal(json_array_size(cs), 2);
    assert_true(g_str_has_prefix(str(json_array_get(cs, 0), "citation"),
                                 "UNGA Res 78/323 (13 August 2024) UN Doc A/RES/78/323"));
    assert_true(g_str_has_prefix(str(json_array_get(cs, 1), "citation"),
                                 "UNSC Res 2768 (15 January 2025) UN Doc S/RES/2768"));
    json_decref(j);
    g_free(target);

    target = g_strdup_printf("/api/cite?ids=%s-3,%s-8&format=csl-json", a, b);
    char *csl = get_text(target, "application/vnd.citationstyles.csl+json; charset=utf-8", NULL);
    json_t *items = json_loads(csl, 0, NULL);
    assert_int_equal(json_array_size(items), 2);
    assert_string_equal(str(json_array_get(items, 0), "type"), "legislation");
    assert_string_equal(str(json_array_get(items, 1), "number"), "S/RES/2768 (2025)");
    json_decref(items);
    g_free(csl);
    g_free(target);

    /* Errors: each a JSON 400 or 404. */
    GString *many = g_string_new("/api/cite?ids=");
    for (int i = 1; i <= 51; i++)
        g_string_append_printf(many, "%s%s-%d", i > 1 ? "," : "", a, i);
    const struct {
        char *target;
        int status;
    } bad[] = {
        {g_strdup("/api/cite"), 400},
        {g_strdup("/api/cite?ids="), 400},
        {g_strdup_printf("/api/cite?ids=%s-1,nope", a), 400},
        {g_strdup_printf("/api/cite?ids=%s-0", a), 400},
        {g_strdup_printf("/api/cite?ids=%s-1,", a), 400},
        {g_strdup_printf("/api/cite?ids=%s-1&ids=%s-2", a, a), 400},
        {g_strdup_printf("/api/cite?ids=%s-1&format=apa", a), 400},
        {g_strdup_printf("/api/cite?ids=%s-1&format=ris&format=ris", a), 400},
        {g_string_free(many, FALSE), 400},
        {g_strdup_printf("/api/cite?ids=%s-9999999", a), 404},
        {g_strdup("/api/cite?ids=0000000000000000-1"), 404},
        {g_strdup_printf("/api/passages/%s-1/cite?format=mla", a), 400},
        {g_strdup_printf("/api/passages/%s-9999999/cite", a), 404},
        {g_strdup("/api/passages/zzz/cite"), 404},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *e = get_json(bad[i].target, bad[i].status);
        assert_non_null(str(json_object_get(e, "error"), "code"));
        json_decref(e);
        g_free(bad[i].target);
    }
    g_free(a);
    g_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_symbol_search),  cmocka_unit_test(test_cites_search),
        cmocka_unit_test(test_references),     cmocka_unit_test(test_versions),
        cmocka_unit_test(test_string_formats), cmocka_unit_test(test_csl_json),
        cmocka_unit_test(test_exports),        cmocka_unit_test(test_hostile_title),
        cmocka_unit_test(test_selection),      cmocka_unit_test(test_item_pinpoints),
    };
    return cmocka_run_group_tests_name("citations", tests, setup, teardown);
}
