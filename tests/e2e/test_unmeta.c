/* End-to-end check of UN document metadata: civitas-index runs over
 * corpus/ and every UN PDF's record and passages are read back.
 *
 * Per file: the symbol and where it came from, the printed date, kind,
 * body, session and agenda item, as the record's JSON says and as boolean
 * terms on the record (the filters `symbol:`, `body:`, `kind:`,
 * `session:`). Per passage: no page furniture (job numbers "GE.25-02819",
 * bare page numbers, running headers that repeat the symbol or the date).
 * Resolutions keep their operative paragraphs 1..N in order, and passages
 * carry the documents they cite as XCITES terms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"

#define CORPUS CIV_SOURCE_DIR "/corpus"

static char *tmp;
static char *db;
static civ_xapian_reader *reader;

static int index_corpus(void **state)
{
    (void)state;
    tmp = e2e_tmpdir();
    db = g_build_filename(tmp, "db", NULL);
    e2e_index(db, CORPUS);
    reader = e2e_reader(db);
    return 0;
}

static int remove_corpus(void **state)
{
    (void)state;
    civ_xapian_reader_close(reader);
    e2e_rm_rf(tmp);
    g_free(tmp);
    g_free(db);
    return 0;
}

static void doc_id(const char *file, char id[CIV_ID_LEN + 1])
{
    char *path = g_build_filename(CORPUS, file, NULL);
    e2e_doc_id(path, id);
    g_free(path);
}

static json_t *record(const char *file)
{
    char id[CIV_ID_LEN + 1];
    doc_id(file, id);
    char *term = g_strconcat("Q", id, NULL);
    char *data = NULL;
    civ_err err;
    civ_status st = civ_xapian_reader_get_data(reader, term, &data, NULL, &err);
    if (st != CIV_OK)
        fail_msg("%s: no record (%s)", file, err.msg);
    json_t *rec = json_loads(data, 0, NULL);
    assert_non_null(rec);
    free(data);
    g_free(term);
    return rec;
}

/* The passages of file, as JSON objects, in ordinal order. */
static json_t *passages(const char *file)
{
    char id[CIV_ID_LEN + 1];
    doc_id(file, id);
    char *term = g_strconcat("XP", id, NULL);
    char **datas = NULL;
    size_t n = 0;
    civ_err err;
    assert_int_equal(civ_xapian_reader_term_datas(reader, term, 0, 0, &datas, &n, &err), CIV_OK);
    json_t **by_ord = calloc(n + 1, sizeof *by_ord);
    assert_non_null(by_ord);
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_loads(datas[i], 0, NULL);
        assert_non_null(p);
        json_int_t ord = json_integer_value(json_object_get(p, "ord"));
        assert_true(ord >= 1 && ord <= (json_int_t)n && !by_ord[ord]);
        by_ord[ord] = p;
    }
    json_t *arr = json_array();
    for (size_t ord = 1; ord <= n; ord++)
        json_array_append_new(arr, by_ord[ord]);
    free(by_ord);
    civ_xapian_strings_free(datas, n);
    g_free(term);
    return arr;
}

static int has_term(const char *unique_term, const char *term)
{
    char **terms = NULL;
    size_t n = 0;
    civ_err err;
    assert_int_equal(civ_xapian_reader_doc_terms(reader, unique_term, &terms, &n, &err), CIV_OK);
    int found = 0;
    for (size_t i = 0; i < n && !found; i++)
        found = strcmp(terms[i], term) == 0;
    civ_xapian_strings_free(terms, n);
    return found;
}

static const char *str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static void assert_field(const char *file, json_t *rec, const char *key, const char *want)
{
    const char *got = str(rec, key);
    if (!want) {
        if (got)
            fail_msg("%s: %s is \"%s\", expected none", file, key, got);
        return;
    }
    if (!got || strcmp(got, want) != 0)
        fail_msg("%s: %s is \"%s\", expected \"%s\"", file, key, got ? got : "(none)", want);
}

typedef struct un_file {
    const char *file;
    const char *symbol;
    const char *source; /* symbol_source */
    const char *date;
    const char *kind;
    const char *body;
    const char *session; /* NULL: none */
    const char *agenda;  /* NULL: none printed */
    const char *terms[4];
    const char *title; /* printed on page 1; NULL: none is recognised (the symbol) */
} un_file;

static const un_file un_files[] = {
    {"A_HRC_59_15_g2502644.pdf",
     "A/HRC/59/15",
     "text",
     "2025-03-24",
     "report",
     "HRC",
     "59",
     "6",
     {"XSYM:A/HRC/59/15", "XSESSION59", "XAGENDA6", "XSYMSRCtext"},
     "Report of the Working Group on the Universal Periodic Review: Slovenia"},
    {"A_HRC_59_60.en.pdf",
     "A/HRC/59/60",
     "text",
     "2025-04-22",
     "report",
     "HRC",
     "59",
     "5",
     {"XBODY:HRC", "XTYPEreport", "Y2025"},
     "Report of the Working Group on the issue of human rights and transnational corporations and "
     "other business enterprises"},
    /* A resolution is dated the day it was adopted ("Resolution adopted by
     * the Human Rights Council on 8 July 2025"), not the day it was issued
     * (16 July); a decision whose first page prints no adoption date keeps
     * its issue date. */
    {"A_HRC_RES_59_25.en.pdf",
     "A/HRC/RES/59/25",
     "text",
     "2025-07-08",
     "resolution",
     "HRC",
     "59",
     "3",
     {"XSYM:A/HRC/RES/59/25", "XTYPEresolution"},
     "Human rights and climate change"},
    {"A_HRC_DEC_14_105_g1014611.pdf",
     "A/HRC/DEC/14/105",
     "text",
     "2010-06-23",
     "decision",
     "HRC",
     "14",
     "6",
     {"XTYPEdecision", "XSESSION14", "Y2010"},
     "Outcome of the Universal Periodic Review: Slovenia"},
    {"A_HRC_14_37_g1217781.pdf",
     "A/HRC/14/37",
     "text",
     "2012-10-23",
     "report",
     "HRC",
     "14",
     "1",
     {"Y2012"},
     "Report of the Human Rights Council on its fourteenth session"},
    {"A_HRC_59_L.17.en.pdf",
     "A/HRC/59/L.17",
     "text",
     "2025-07-02",
     "draft",
     "HRC",
     "59",
     "3",
     {"XSYM:A/HRC/59/L.17", "XTYPEdraft"},
     "Human rights and climate change"},
    {"A_HRC_WG.6_48_SVN_3_g2420410.pdf",
     "A/HRC/WG.6/48/SVN/3",
     "text",
     "2024-11-06",
     "stakeholder-summary",
     "HRC",
     "48",
     NULL,
     {"XSYM:A/HRC/WG.6/48/SVN/3", "XSESSION48"},
     "Summary of stakeholders\xe2\x80\x99 submissions on Slovenia"},
    {"HRI_MC_2025_1.en.pdf",
     "HRI/MC/2025/1",
     "text",
     "2025-03-28",
     "report",
     "HRI",
     "2025",
     "3",
     {"XBODY:HRI", "XSESSION2025", "XAGENDA3"},
     "Provisional agenda and annotations"},
    {"A_RES_78_323.en.pdf",
     "A/RES/78/323",
     "text",
     "2024-08-13",
     "resolution",
     "GA",
     "78",
     "69",
     {"XBODY:GA", "XAGENDA69", "Y2024"},
     "International Day of Women and Girls of African Descent"},
    /* Printed "S/RES/2768 (2025)"; the file name has "_2025". */
    {"S_RES_2768_2025.en.pdf",
     "S/RES/2768 (2025)",
     "text",
     "2025-01-15",
     "resolution",
     "SC",
     NULL,
     NULL,
     {"XSYM:S/RES/2768 (2025)", "XBODY:SC"},
     NULL},
    /* Printed "A /79/PV.64"; the date is the meeting's, not the file's
     * (2025-04-24). */
    {"A_79_PV.64.en.pdf",
     "A/79/PV.64",
     "text",
     "2025-04-16",
     "verbatim-record",
     "GA",
     "79",
     "13",
     {"XSYM:A/79/PV.64", "XTYPEverbatim-record", "XAGENDA13"},
     NULL},
    /* The title follows the agenda item's subject, which ends in a
     * closing quote: "...for the twenty-first century” Statement ...". */
    {"E_CN.6_2025_NGO_40.en.pdf",
     "E/CN.6/2025/NGO/40",
     "text",
     "2024-11-11",
     "ngo-statement",
     "CSW",
     "2025",
     NULL,
     {"XBODY:CSW", "XTYPEngo-statement"},
     "Statement submitted by Human Rights Consortium and Women’s Platform Limited, "
     "non-governmental organizations in consultative status with the Economic and Social "
     "Council"},
    {"CCPR_C_121_D_2025_2011.en.pdf",
     "CCPR/C/121/D/2025/2011",
     "text",
     "2017-12-27",
     "communication",
     "CCPR",
     "121",
     NULL,
     {"XBODY:CCPR", "XSESSION121"},
     "Decision adopted by the Committee under the Optional Protocol, concerning communication No. "
     "2025/2011"},
    {"A_INF_76_1.pdf",
     "A/INF/76/1",
     "text",
     "2021-02-15",
     "information",
     "GA",
     "76",
     NULL,
     {"XTYPEinformation"},
     "Opening dates of forthcoming regular sessions of the General Assembly and of the general "
     "debate"},
    /* A 1948 scan whose OCR reads the symbol as "E / C N A/109" and the
     * date as "2 June 19kd": the symbol comes from the file name, and it
     * has no date (the PDF's creation date, 2006, is the scan's). */
    {"E_CN.4_109.en.pdf",
     "E/CN.4/109",
     "filename",
     NULL,
     "report",
     "CHR",
     NULL,
     NULL,
     {"XBODY:CHR", "XSYMSRCfilename"},
     NULL},
};

static void test_records(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof un_files / sizeof un_files[0]; i++) {
        const un_file *f = &un_files[i];
        json_t *rec = record(f->file);
        assert_field(f->file, rec, "symbol", f->symbol);
        assert_field(f->file, rec, "symbol_source", f->source);
        assert_field(f->file, rec, "date", f->date);
        assert_field(f->file, rec, "type", f->kind);
        assert_field(f->file, rec, "body", f->body);
        assert_field(f->file, rec, "session", f->session);
        assert_field(f->file, rec, "agenda", f->agenda);
        /* None of these PDFs has a title of its own (CCPR's PDF title is
         * its job number, "1723427"): the title printed on page 1 when a
         * rule recognises it, else the symbol. */
        if (strcmp(f->file, "A_79_PV.64.en.pdf") != 0)
            assert_field(f->file, rec, "title", f->title ? f->title : f->symbol);
        char *q = g_strconcat("Q", str(rec, "id"), NULL);
        for (size_t t = 0; t < 4 && f->terms[t]; t++)
            if (!has_term(q, f->terms[t]))
                fail_msg("%s: record has no term %s", f->file, f->terms[t]);
        /* The passages carry the same filters. */
        char *first = g_strconcat(q, "-1", NULL);
        if (!has_term(first, f->terms[0]))
            fail_msg("%s: passage 1 has no term %s", f->file, f->terms[0]);
        g_free(first);
        g_free(q);
        json_decref(rec);
    }
}

/* "GE.25-02819": a Geneva job number. */
static int has_job_number(const char *t)
{
    for (const char *p = strstr(t, "GE."); p; p = strstr(p + 1, "GE.")) {
        if (g_ascii_isdigit(p[3]) && g_ascii_isdigit(p[4]) && p[5] == '-') {
            int d = 0;
            while (g_ascii_isdigit(p[6 + d]))
                d++;
            if (d >= 4)
                return 1;
        }
    }
    return 0;
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!g_ascii_isdigit(*s))
            return 0;
    return 1;
}

static void test_no_furniture(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof un_files / sizeof un_files[0]; i++) {
        const un_file *f = &un_files[i];
        json_t *rec = record(f->file);
        json_t *arr = passages(f->file);
        assert_true(json_array_size(arr) > 0);
        assert_int_equal(json_integer_value(json_object_get(rec, "passages")),
                         (json_int_t)json_array_size(arr));
        /* "16/04/2025": the date as verbatim records print it in their
         * running header. */
        char ddmmyyyy[16] = "";
        const char *date = str(rec, "date");
        if (date && strlen(date) == 10)
            snprintf(ddmmyyyy, sizeof ddmmyyyy, "%.2s/%.2s/%.4s", date + 8, date + 5, date);
        size_t k;
        json_t *p;
        json_array_foreach(arr, k, p)
        {
            const char *text = str(p, "text");
            int page = (int)json_integer_value(json_object_get(p, "page"));
            assert_int_equal(json_integer_value(json_object_get(p, "ord")), (json_int_t)k + 1);
            if (has_job_number(text))
                fail_msg("%s passage %zu has a job number: %.80s", f->file, k + 1, text);
            if (all_digits(text))
                fail_msg("%s passage %zu is a bare number: %s", f->file, k + 1, text);
            if (page > 1 && (strcmp(text, f->symbol) == 0 || strcmp(text, ddmmyyyy) == 0 ||
                             g_str_has_prefix(text, ddmmyyyy)))
                fail_msg("%s passage %zu is a running header: %s", f->file, k + 1, text);
        }
        json_decref(arr);
        json_decref(rec);
    }
}

/* Operative paragraphs 1..last, in order, with the expected first words. */
static void check_operative(const char *file, long last, const char *first, const char *final)
{
    json_t *arr = passages(file);
    long expect = 1;
    size_t k;
    json_t *p;
    json_array_foreach(arr, k, p)
    {
        const char *para = str(p, "para");
        if (!para || !all_digits(para))
            continue;
        long v = strtol(para, NULL, 10);
        if (v != expect)
            fail_msg("%s: passage %zu is paragraph %ld, expected %ld", file, k + 1, v, expect);
        const char *text = str(p, "text");
        if (v == 1 && !g_str_has_prefix(text, first))
            fail_msg("%s para 1: \"%.80s\"", file, text);
        if (v == last && !g_str_has_prefix(text, final))
            fail_msg("%s para %ld: \"%.80s\"", file, last, text);
        expect++;
    }
    if (expect - 1 != last)
        fail_msg("%s: %ld operative paragraphs, expected %ld", file, expect - 1, last);
    json_decref(arr);
}

static void test_operative_paragraphs(void **state)
{
    (void)state;
    check_operative("A_HRC_RES_59_25.en.pdf", 27, "Expresses grave concern that climate change",
                    "Decides to remain seized of the matter.");
    check_operative("A_RES_78_323.en.pdf", 5, "Decides to proclaim 25 July as the International",
                    "Requests the Secretary-General to bring the present resolution");
    /* The page counter "2/2" that poppler puts before the last paragraph
     * is not part of it. */
    check_operative("S_RES_2768_2025.en.pdf", 6, "Extends the reporting request in paragraph 10",
                    "Decides to remain actively seized of this matter.");
}

/* Passages carry what they cite: symbols as printed, and resolutions
 * cited by number, read as the citing body means them. */
static void test_cites(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        const char *cite;
    } rows[] = {
        /* "established in accordance with Human Rights Council resolution
         * 5/1" */
        {"A_HRC_59_15_g2502644.pdf", "A/HRC/RES/5/1"},
        /* "the report of the Working Group on Slovenia (A/HRC/14/15)",
         * "General Assembly in its resolution 60/251" */
        {"A_HRC_DEC_14_105_g1014611.pdf", "A/HRC/14/15"},
        {"A_HRC_DEC_14_105_g1014611.pdf", "A/RES/60/251"},
        /* A Security Council resolution citing its own earlier ones. */
        {"S_RES_2768_2025.en.pdf", "S/RES/2722 (2024)"},
        /* "[without reference to a Main Committee (A/78/L.96)]" */
        {"A_RES_78_323.en.pdf", "A/78/L.96"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        json_t *rec = record(rows[i].file);
        json_t *cites = json_object_get(rec, "cites");
        int in_record = 0;
        size_t k;
        json_t *v;
        json_array_foreach(cites, k, v)
        {
            in_record |= strcmp(json_string_value(v), rows[i].cite) == 0;
            /* A document does not cite itself. */
            assert_string_not_equal(json_string_value(v), str(rec, "symbol"));
        }
        if (!in_record)
            fail_msg("%s: record does not cite %s", rows[i].file, rows[i].cite);
        /* Some passage of the document has the term. */
        char *upper = g_ascii_strup(rows[i].cite, -1);
        char *term = g_strconcat("XCITES:", upper, NULL);
        char **datas = NULL;
        size_t n = 0;
        civ_err err;
        assert_int_equal(civ_xapian_reader_term_datas(reader, term, 0, 0, &datas, &n, &err),
                         CIV_OK);
        int found = 0;
        for (size_t d = 0; d < n; d++) {
            json_t *p = json_loads(datas[d], 0, NULL);
            const char *doc = str(p, "doc");
            found |= doc && strcmp(doc, str(rec, "id")) == 0 && json_object_get(p, "cites");
            json_decref(p);
        }
        if (!found)
            fail_msg("%s: no passage with %s", rows[i].file, term);
        civ_xapian_strings_free(datas, n);
        g_free(term);
        g_free(upper);
        json_decref(rec);
    }
}

/* Documents without a UN symbol get none, from any source. */
static void test_not_un(void **state)
{
    (void)state;
    static const char *const files[] = {"UNGDC_BRA_79_2024.txt", "udhr_eng.xml",
                                        "za-cpt_sub-council-bylaw_2016-11-04.akn.xml"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        json_t *rec = record(files[i]);
        assert_field(files[i], rec, "symbol", NULL);
        assert_field(files[i], rec, "symbol_source", NULL);
        json_decref(rec);
    }
    /* The Universal Declaration: General Assembly, third session. */
    json_t *rec = record("udhr_eng.xml");
    assert_field("udhr_eng.xml", rec, "body", "GA");
    assert_field("udhr_eng.xml", rec, "session", "3");
    json_decref(rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_no_furniture),
        cmocka_unit_test(test_operative_paragraphs),
        cmocka_unit_test(test_cites),
        cmocka_unit_test(test_not_un),
    };
    return cmocka_run_group_tests_name("unmeta", tests, index_corpus, remove_corpus);
}
