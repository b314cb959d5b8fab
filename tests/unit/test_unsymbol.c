/* test_unsymbol.c: UN document symbols, as advocates and the UN write them.
 *
 * Table tests: every row is a string, how it must be read (normal form,
 * body, kind, session, number, suffixes) or NULL when it is not a symbol.
 * Then the finder over running text from real documents, file names from
 * the Official Document System, and resolutions cited by number.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civ_unsymbol.h"

typedef struct parse_row {
    const char *input;
    int flags;
    const char *symbol; /* NULL: must be rejected */
    const char *body;
    const char *kind;
    const char *session;
    const char *number;
    const char *suffixes;
} parse_row;

#define CL CIV_UNSYMBOL_CASELESS

static const parse_row parse_rows[] = {
    /* The symbols of the issue. */
    {"A/HRC/30/49", 0, "A/HRC/30/49", "HRC", "report", "30", "49", ""},
    {"A/HRC/RES/59/25", 0, "A/HRC/RES/59/25", "HRC", "resolution", "59", "25", ""},
    {"A/HRC/DEC/14/105", 0, "A/HRC/DEC/14/105", "HRC", "decision", "14", "105", ""},
    {"A/HRC/WG.6/48/SVN/3", 0, "A/HRC/WG.6/48/SVN/3", "HRC", "stakeholder-summary", "48", "3", ""},
    {"A/HRC/59/L.17", 0, "A/HRC/59/L.17", "HRC", "draft", "59", "L.17", ""},
    {"E/CN.4/109", 0, "E/CN.4/109", "CHR", "report", "", "109", ""},
    {"E/CN.6/2025/NGO/40", 0, "E/CN.6/2025/NGO/40", "CSW", "ngo-statement", "2025", "40", ""},
    {"CCPR/C/121/D/2025/2011", 0, "CCPR/C/121/D/2025/2011", "CCPR", "communication", "121",
     "2025/2011", ""},
    {"HRI/MC/2025/1", 0, "HRI/MC/2025/1", "HRI", "report", "2025", "1", ""},
    {"S/RES/2768 (2025)", 0, "S/RES/2768 (2025)", "SC", "resolution", "", "2768", ""},
    {"A/79/PV.64", 0, "A/79/PV.64", "GA", "verbatim-record", "79", "PV.64", ""},
    {"A /79/PV.64", 0, "A/79/PV.64", "GA", "verbatim-record", "79", "PV.64", ""},
    {"A/RES/78/323", 0, "A/RES/78/323", "GA", "resolution", "78", "323", ""},
    {"A/INF/76/1", 0, "A/INF/76/1", "GA", "information", "76", "1", ""},
    /* Suffixes. */
    {"A/HRC/30/49/Add.1", 0, "A/HRC/30/49/Add.1", "HRC", "report", "30", "49", "/Add.1"},
    {"A/HRC/30/49/Corr.1", 0, "A/HRC/30/49/Corr.1", "HRC", "report", "30", "49", "/Corr.1"},
    {"A/HRC/59/L.17/Rev.1", 0, "A/HRC/59/L.17/Rev.1", "HRC", "draft", "59", "L.17", "/Rev.1"},
    {"A/HRC/30/49/Add.1/Corr.2", 0, "A/HRC/30/49/Add.1/Corr.2", "HRC", "report", "30", "49",
     "/Add.1/Corr.2"},
    {"A/HRC/RES/59/25/Corr.1", 0, "A/HRC/RES/59/25/Corr.1", "HRC", "resolution", "59", "25",
     "/Corr.1"},
    {"E/CN.4/2005/L.10/Add.17", 0, "E/CN.4/2005/L.10/Add.17", "CHR", "draft", "2005", "L.10",
     "/Add.17"},
    {"CCPR/C/SVN/CO/4/Add.1", 0, "CCPR/C/SVN/CO/4/Add.1", "CCPR", "concluding-observations", "",
     "4", "/Add.1"},
    {"A/HRC/WG.6/7/SVN/1/Rev.1/Add.2", 0, "A/HRC/WG.6/7/SVN/1/Rev.1/Add.2", "HRC",
     "national-report", "7", "1", "/Rev.1/Add.2"},
    {"S/RES/2768 (2025)/Corr.1", 0, "S/RES/2768 (2025)/Corr.1", "SC", "resolution", "", "2768",
     "/Corr.1"},
    /* More of the Human Rights Council. */
    {"A/HRC/WG.6/48/SVN/1", 0, "A/HRC/WG.6/48/SVN/1", "HRC", "national-report", "48", "1", ""},
    {"A/HRC/WG.6/48/SVN/2", 0, "A/HRC/WG.6/48/SVN/2", "HRC", "compilation", "48", "2", ""},
    {"A/HRC/WG.6/48/L.10", 0, "A/HRC/WG.6/48/L.10", "HRC", "draft", "48", "L.10", ""},
    {"A/HRC/PRST/8/1", 0, "A/HRC/PRST/8/1", "HRC", "presidential-statement", "8", "1", ""},
    {"A/HRC/59/NGO/12", 0, "A/HRC/59/NGO/12", "HRC", "ngo-statement", "59", "12", ""},
    {"A/HRC/59/NI/3", 0, "A/HRC/59/NI/3", "HRC", "nhri-statement", "59", "3", ""},
    {"A/HRC/59/SR.12", 0, "A/HRC/59/SR.12", "HRC", "summary-record", "59", "SR.12", ""},
    {"A/HRC/59/CRP.1", 0, "A/HRC/59/CRP.1", "HRC", "conference-room-paper", "59", "CRP.1", ""},
    {"A/HRC/S-35/2", 0, "A/HRC/S-35/2", "HRC", "report", "S-35", "2", ""},
    {"A/HRC/RES/S-35/1", 0, "A/HRC/RES/S-35/1", "HRC", "resolution", "S-35", "1", ""},
    {"A/HRC/14/37", 0, "A/HRC/14/37", "HRC", "report", "14", "37", ""},
    /* General Assembly. */
    {"A/RES/70/1", 0, "A/RES/70/1", "GA", "resolution", "70", "1", ""},
    {"A/RES/60/251", 0, "A/RES/60/251", "GA", "resolution", "60", "251", ""},
    {"A/RES/217(III)", 0, "A/RES/217(III)", "GA", "resolution", "III", "217", ""},
    {"A/RES/217 (III)", 0, "A/RES/217(III)", "GA", "resolution", "III", "217", ""},
    {"A/RES/ES-10/21", 0, "A/RES/ES-10/21", "GA", "resolution", "ES-10", "21", ""},
    {"A/DEC/79/555", 0, "A/DEC/79/555", "GA", "decision", "79", "555", ""},
    {"A/79/L.64", 0, "A/79/L.64", "GA", "draft", "79", "L.64", ""},
    {"A/78/L.96", 0, "A/78/L.96", "GA", "draft", "78", "L.96", ""},
    {"A/79/123", 0, "A/79/123", "GA", "report", "79", "123", ""},
    {"A/C.3/79/L.5", 0, "A/C.3/79/L.5", "GA", "draft", "79", "L.5", ""},
    {"A/C.3/79/SR.20", 0, "A/C.3/79/SR.20", "GA", "summary-record", "79", "SR.20", ""},
    {"A/CONF.157/23", 0, "A/CONF.157/23", "GA", "report", "", "23", ""},
    /* The Assembly's committees, commissions and conferences. */
    {"A/AC.109/2025/19", 0, "A/AC.109/2025/19", "GA", "report", "2025", "19", ""},
    {"A/AC.182/2025/L.3", 0, "A/AC.182/2025/L.3", "GA", "draft", "2025", "L.3", ""},
    {"A/AC.292/2025/INF/5/Rev.1", 0, "A/AC.292/2025/INF/5/Rev.1", "GA", "information", "2025", "5",
     "/Rev.1"},
    {"A/CN.10/2025/INF/1", 0, "A/CN.10/2025/INF/1", "GA", "information", "2025", "1", ""},
    {"A/CN.4/L.950", 0, "A/CN.4/L.950", "GA", "draft", "", "L.950", ""},
    {"A/CONF.230/2025/1", 0, "A/CONF.230/2025/1", "GA", "report", "2025", "1", ""},
    {"A/CONF.243/2025/1/Add.1", 0, "A/CONF.243/2025/1/Add.1", "GA", "report", "2025", "1",
     "/Add.1"},
    {"A/HRC/EMRIP/2025/2", 0, "A/HRC/EMRIP/2025/2", "HRC", "report", "2025", "2", ""},
    {"A/HRC/EMRIP/2025/CRP.1", 0, "A/HRC/EMRIP/2025/CRP.1", "HRC", "conference-room-paper", "2025",
     "CRP.1", ""},
    {"A/HRC/AC/31/2", 0, "A/HRC/AC/31/2", "HRC", "report", "31", "2", ""},
    /* Funds and programmes, and the Chief Executives Board. */
    {"DP/2025/1", 0, "DP/2025/1", "DP", "report", "2025", "1", ""},
    {"DP/2025/L.2", 0, "DP/2025/L.2", "DP", "draft", "2025", "L.2", ""},
    {"DP/2025/12/Add.1", 0, "DP/2025/12/Add.1", "DP", "report", "2025", "12", "/Add.1"},
    {"DP/FPA/2025/2", 0, "DP/FPA/2025/2", "DP", "report", "2025", "2", ""},
    {"DP/OPS/2025/1", 0, "DP/OPS/2025/1", "DP", "report", "2025", "1", ""},
    {"DP/FPA/OPS/2025/1", 0, "DP/FPA/OPS/2025/1", "DP", "report", "2025", "1", ""},
    {"DP-FPA/2025/1", 0, "DP-FPA/2025/1", "DP", "report", "2025", "1", ""},
    {"dp-fpa/2025/1", CL, "DP-FPA/2025/1", "DP", "report", "2025", "1", ""},
    {"CEB/2025/4", 0, "CEB/2025/4", "CEB", "report", "2025", "4", ""},
    {"E/2025/INF/2", 0, "E/2025/INF/2", "ECOSOC", "information", "2025", "2", ""},
    /* Security Council. */
    {"S/RES/2768(2025)", 0, "S/RES/2768 (2025)", "SC", "resolution", "", "2768", ""},
    {"S/RES/2216", 0, "S/RES/2216", "SC", "resolution", "", "2216", ""},
    {"S/2025/10", 0, "S/2025/10", "SC", "report", "", "10", ""},
    {"S/PRST/2025/1", 0, "S/PRST/2025/1", "SC", "presidential-statement", "", "1", ""},
    {"S/PV.9836", 0, "S/PV.9836", "SC", "verbatim-record", "", "PV.9836", ""},
    /* ECOSOC and its commissions. */
    {"E/2025/12", 0, "E/2025/12", "ECOSOC", "report", "2025", "12", ""},
    {"E/RES/1996/31", 0, "E/RES/1996/31", "ECOSOC", "resolution", "1996", "31", ""},
    {"E/CN.4/2005/10", 0, "E/CN.4/2005/10", "CHR", "report", "2005", "10", ""},
    {"E/CN.4/RES/2005/69", 0, "E/CN.4/RES/2005/69", "CHR", "resolution", "2005", "69", ""},
    {"E/CN.4/Sub.2/1998/13", 0, "E/CN.4/Sub.2/1998/13", "CHR", "report", "1998", "13", ""},
    {"E/CN.6/2025/L.3", 0, "E/CN.6/2025/L.3", "CSW", "draft", "2025", "L.3", ""},
    {"E/CN.5/2024/3", 0, "E/CN.5/2024/3", "ECOSOC", "report", "2024", "3", ""},
    {"E/C.12/GC/24", 0, "E/C.12/GC/24", "CESCR", "general-comment", "", "24", ""},
    {"E/C.12/SVN/CO/2", 0, "E/C.12/SVN/CO/2", "CESCR", "concluding-observations", "", "2", ""},
    /* Treaty bodies. */
    {"CCPR/C/GC/36", 0, "CCPR/C/GC/36", "CCPR", "general-comment", "", "36", ""},
    {"CCPR/C/SVN/4", 0, "CCPR/C/SVN/4", "CCPR", "state-report", "", "4", ""},
    {"CCPR/C/SVN/Q/4", 0, "CCPR/C/SVN/Q/4", "CCPR", "list-of-issues", "", "4", ""},
    {"CERD/C/SVN/CO/8-11", 0, "CERD/C/SVN/CO/8-11", "CERD", "concluding-observations", "", "8-11",
     ""},
    {"CEDAW/C/GC/38", 0, "CEDAW/C/GC/38", "CEDAW", "general-comment", "", "38", ""},
    {"CAT/C/SVN/CO/3", 0, "CAT/C/SVN/CO/3", "CAT", "concluding-observations", "", "3", ""},
    {"CAT/OP/SVN/1", 0, "CAT/OP/SVN/1", "CAT", "report", "", "1", ""},
    {"CRC/C/GC/26", 0, "CRC/C/GC/26", "CRC", "general-comment", "", "26", ""},
    {"CRC/C/SR.2500", 0, "CRC/C/SR.2500", "CRC", "summary-record", "", "SR.2500", ""},
    {"CMW/C/SVN/1", 0, "CMW/C/SVN/1", "CMW", "state-report", "", "1", ""},
    {"CRPD/C/SVN/CO/1", 0, "CRPD/C/SVN/CO/1", "CRPD", "concluding-observations", "", "1", ""},
    {"CED/C/SVN/QPR/1", 0, "CED/C/SVN/QPR/1", "CED", "list-of-issues", "", "1", ""},
    {"CRPD/C/27/D/56/2018", 0, "CRPD/C/27/D/56/2018", "CRPD", "communication", "27", "56/2018", ""},
    {"E/C.12/69/D/5/2015", 0, "E/C.12/69/D/5/2015", "CESCR", "communication", "69", "5/2015", ""},
    {"HRI/GEN/1/Rev.9", 0, "HRI/GEN/1/Rev.9", "HRI", "general-comment", "", "1", "/Rev.9"},
    {"HRI/CORE/SVN/2014", 0, "HRI/CORE/SVN/2014", "HRI", "core-document", "", "", ""},
    {"ST/SGB/2003/13", 0, "ST/SGB/2003/13", "Secretariat", "bulletin", "", "13", ""},
    /* Spacing and case. */
    {"  A/HRC/30/49  ", 0, "A/HRC/30/49", "HRC", "report", "30", "49", ""},
    {"A / HRC / 30 / 49", 0, "A/HRC/30/49", "HRC", "report", "30", "49", ""},
    {"a/hrc/res/59/25", CL, "A/HRC/RES/59/25", "HRC", "resolution", "59", "25", ""},
    {"A/HRC/30/49/ADD.1", CL, "A/HRC/30/49/Add.1", "HRC", "report", "30", "49", "/Add.1"},
    {"e/cn.4/sub.2/1998/13", CL, "E/CN.4/Sub.2/1998/13", "CHR", "report", "1998", "13", ""},
    {"a/hrc/59/l.17", CL, "A/HRC/59/L.17", "HRC", "draft", "59", "L.17", ""},
    /* Not symbols. */
    {"a/hrc/res/59/25", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC/30/49/ADD.1", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC/59/l.17", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A//HRC", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A//HRC/30/49", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC/", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC/30/49/", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"/A/HRC/30/49", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC/30", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/RES", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"HRC/30/49", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"HRC/RES/24/2", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC/30/49abc", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC/30/49 abc", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC/2015/49", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC/RES/2015/2", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/2015/49", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/RES/1998/10", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"E/CN.6/25/NGO/40", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"S/RES/2768 (25)", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"S/RES/2768 (2025", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC/030/49", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC/30/0", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC/30/49/Add", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC/30/49/Foo.1", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC/WG.6/48/SV/3", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"CCPR/C/121/D/2025", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"CCPR/121/D/2025/2011", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"N/A", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"n/a", CL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"and/or", CL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"1/2", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"24/2", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"M/V Galaxy", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"UNGDC/BRA/79/2024", CL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC/30/49/Add.1/Corr.2/Rev.1/Add.2/Corr.3/Rev.4/Add.5/Corr.6/Rev.7/Add.8", 0, NULL, NULL,
     NULL, NULL, NULL, NULL},
    {"A/HRC/1234567/1", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/AC.109/19/2025/L.1", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/AC/2025/19", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"A/HRC/EMRIP/25/2", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"DP/25/1", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"DP/FPA", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"DP-XYZ/2025/1", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"CEB/4", 0, NULL, NULL, NULL, NULL, NULL, NULL},
    {"CCPR/C/A-B/4", 0, NULL, NULL, NULL, NULL, NULL, NULL},
};

static void test_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof parse_rows / sizeof parse_rows[0]; i++) {
        const parse_row *r = &parse_rows[i];
        civ_unsymbol u;
        civ_err err;
        civ_err_clear(&err);
        civ_status st = civ_unsymbol_parse(r->input, strlen(r->input), r->flags, &u, &err);
        if (!r->symbol) {
            if (st != CIV_ERR_INPUT)
                fail_msg("\"%s\" must be rejected, got %s", r->input, u.symbol);
            assert_int_equal(err.code, CIV_ERR_INPUT);
            assert_true(err.msg[0] != '\0');
            assert_string_equal(u.symbol, "");
            continue;
        }
        if (st != CIV_OK)
            fail_msg("\"%s\": %s", r->input, err.msg);
        if (strcmp(u.symbol, r->symbol) != 0 || strcmp(u.body, r->body) != 0 ||
            strcmp(u.kind, r->kind) != 0 || strcmp(u.session, r->session) != 0 ||
            strcmp(u.number, r->number) != 0 || strcmp(u.suffixes, r->suffixes) != 0)
            fail_msg("\"%s\": got %s body %s kind %s session \"%s\" number \"%s\" suffixes "
                     "\"%s\"",
                     r->input, u.symbol, u.body, u.kind, u.session, u.number, u.suffixes);
        /* The normal form is a fixed point. */
        civ_unsymbol again;
        assert_int_equal(civ_unsymbol_parse(u.symbol, strlen(u.symbol), 0, &again, NULL), CIV_OK);
        assert_string_equal(again.symbol, u.symbol);
    }
}

static void test_parse_details(void **state)
{
    (void)state;
    civ_unsymbol u;
    assert_int_equal(civ_unsymbol_parse("S/RES/2768 (2025)", 17, 0, &u, NULL), CIV_OK);
    assert_string_equal(u.year, "2025");
    assert_int_equal(civ_unsymbol_parse("A/HRC/WG.6/48/SVN/3", 19, 0, &u, NULL), CIV_OK);
    assert_string_equal(u.country, "SVN");
    assert_int_equal(civ_unsymbol_parse("E/CN.6/2025/NGO/40", 18, 0, &u, NULL), CIV_OK);
    assert_string_equal(u.year, "2025");
    assert_int_equal(civ_unsymbol_parse("A/HRC/59/15", 11, 0, &u, NULL), CIV_OK);
    assert_string_equal(u.year, "");
    assert_string_equal(u.country, "");
    /* len is respected: the rest of the buffer is not read. */
    assert_int_equal(civ_unsymbol_parse("A/HRC/59/15/Add.1", 11, 0, &u, NULL), CIV_OK);
    assert_string_equal(u.symbol, "A/HRC/59/15");
    assert_int_equal(civ_unsymbol_parse(NULL, 0, 0, &u, NULL), CIV_ERR_INPUT);
}

typedef struct find_row {
    const char *text;
    const char *symbols[6]; /* normal forms, in order, NULL-terminated */
    const char *printed;    /* how the first one is printed, or NULL */
} find_row;

static const find_row find_rows[] = {
    {"constituted of the report of the Working Group on Slovenia (A/HRC/14/15), together",
     {"A/HRC/14/15"},
     "A/HRC/14/15"},
    {"United Nations A /79/PV.64 General Assembly Official Records", {"A/79/PV.64"}, "A /79/PV.64"},
    {"S/RES/2768 (2025) United Nations Security Council",
     {"S/RES/2768 (2025)"},
     "S/RES/2768 (2025)"},
    {"see A/HRC/30/49. The report", {"A/HRC/30/49"}, "A/HRC/30/49"},
    {"documents A/HRC/WG.6/20/SVN/1; A/HRC/WG.6/20/SVN/2 and A/HRC/WG.6/20/SVN/3.",
     {"A/HRC/WG.6/20/SVN/1", "A/HRC/WG.6/20/SVN/2", "A/HRC/WG.6/20/SVN/3"},
     NULL},
    {"addendum A/HRC/30/49/Add.1, corrected by A/HRC/30/49/Add.1/Corr.2.",
     {"A/HRC/30/49/Add.1", "A/HRC/30/49/Add.1/Corr.2"},
     NULL},
    {"[without reference to a Main Committee (A/78/L.96)]", {"A/78/L.96"}, NULL},
    {"A/HRC/30/49abc is not one, nor is XA/HRC/30/49, nor 5A/HRC/30/49", {NULL}, NULL},
    {"N/A and/or 1/2 of the M/V Galaxy Leader, 24/7, CA/HRC/1/2", {NULL}, NULL},
    {"resolution 24/2 and resolution 2216 (2015) are not symbols here", {NULL}, NULL},
    {"E/C.12/GC/24, para. 3, and CCPR/C/GC/36.", {"E/C.12/GC/24", "CCPR/C/GC/36"}, NULL},
    {"Executive Board DP-FPA/2025/1 Distr.: General, see also DP/FPA/2025/2 and CEB/2025/4.",
     {"DP-FPA/2025/1", "DP/FPA/2025/2", "CEB/2025/4"},
     "DP-FPA/2025/1"},
    {"A/79/716-S/2025/18 United Nations General Assembly Security Council",
     {"A/79/716", "S/2025/18"},
     "A/79/716"},
    {"A/ES-10/1028-S/2025/193 and A/79/716-X/2025/18", {"A/ES-10/1028", "S/2025/193"}, NULL},
    {"(A/AC.109/2025/19) and A/HRC/EMRIP/2025/2; a DP-like word, A-B/2025/1",
     {"A/AC.109/2025/19", "A/HRC/EMRIP/2025/2"},
     NULL},
    {"déjà vuA/HRC/30/49 is glued to a word", {NULL}, NULL},
    {"", {NULL}, NULL},
};

static void test_find(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof find_rows / sizeof find_rows[0]; i++) {
        const find_row *r = &find_rows[i];
        civ_unsymbol_match *m = NULL;
        size_t n = 0;
        assert_int_equal(civ_unsymbol_find(r->text, strlen(r->text), &m, &n, NULL), CIV_OK);
        size_t want = 0;
        while (want < 6 && r->symbols[want])
            want++;
        if (n != want)
            fail_msg("\"%s\": %zu symbols, expected %zu (first %s)", r->text, n, want,
                     n ? m[0].symbol.symbol : "-");
        for (size_t k = 0; k < n; k++)
            assert_string_equal(m[k].symbol.symbol, r->symbols[k]);
        if (r->printed) {
            assert_int_equal(m[0].len, strlen(r->printed));
            assert_memory_equal(r->text + m[0].start, r->printed, m[0].len);
        }
        free(m);
    }
}

typedef struct ref_row {
    const char *context;
    const char *text;
    const char *symbols[6];
} ref_row;

static const ref_row ref_rows[] = {
    {"HRC",
     "established in accordance with Human Rights Council resolution 5/1, held",
     {"A/HRC/RES/5/1"}},
    {"HRC",
     "pursuant to Council resolutions 5/1 and 16/21, taking",
     {"A/HRC/RES/5/1", "A/HRC/RES/16/21"}},
    {"HRC",
     "as requested in resolution 24/2; see also A/HRC/27/59.",
     {"A/HRC/RES/24/2", "A/HRC/27/59"}},
    {"GA", "Recalling its resolution 70/1 of 25 September 2015, entitled", {"A/RES/70/1"}},
    {"GA",
     "its resolutions 53/199 of 15 December 1998 and 61/185 of 20 December 2006",
     {"A/RES/53/199", "A/RES/61/185"}},
    {"HRC",
     "General Assembly resolution 60/251 of 15 March 2006 and Council resolution 5/1",
     {"A/RES/60/251", "A/HRC/RES/5/1"}},
    {"SC",
     "including resolutions 2216 (2015), 2722 (2024), and 2739 (2024),",
     {"S/RES/2216 (2015)", "S/RES/2722 (2024)", "S/RES/2739 (2024)"}},
    {"CSW", "Economic and Social Council resolution 1996/31.", {"E/RES/1996/31"}},
    {"HRC",
     "Commission on Human Rights resolution 2005/69 and decision 14/105",
     {"E/CN.4/RES/2005/69", "A/HRC/DEC/14/105"}},
    {"HRC",
     "entrusted to it by the General Assembly in its resolution 60/251 of 15 March 2006",
     {"A/RES/60/251"}},
    {"GA", "the Human Rights Council, in its resolution 24/2, requested", {"A/HRC/RES/24/2"}},
    {"GA", "the Security Council in its resolution 2216 (2015)", {"S/RES/2216 (2015)"}},
    /* "Council" alone means the citing Council, and nothing in a GA text. */
    {"GA", "Council resolution 5/1", {NULL}},
    /* Without a body named or implied, a bare number is no reference. */
    {NULL, "resolution 24/2 and resolution 70/1", {NULL}},
    {"CCPR", "resolution 24/2", {NULL}},
    /* Not references: other numbers after the word. */
    {"HRC", "resolution 24 of the Committee; resolutions of 2015; irresolution 5/1", {NULL}},
};

static void test_references(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ref_rows / sizeof ref_rows[0]; i++) {
        const ref_row *r = &ref_rows[i];
        civ_unsymbol_match *m = NULL;
        size_t n = 0;
        assert_int_equal(
            civ_unsymbol_find_references(r->text, strlen(r->text), r->context, &m, &n, NULL),
            CIV_OK);
        size_t want = 0;
        while (want < 6 && r->symbols[want])
            want++;
        if (n != want)
            fail_msg("\"%s\": %zu references, expected %zu (first %s)", r->text, n, want,
                     n ? m[0].symbol.symbol : "-");
        for (size_t k = 0; k < n; k++)
            assert_string_equal(m[k].symbol.symbol, r->symbols[k]);
        free(m);
    }
}

typedef struct name_row {
    const char *name;
    const char *symbol; /* NULL: no symbol in the name */
} name_row;

static const name_row name_rows[] = {
    {"A_HRC_59_60.en.pdf", "A/HRC/59/60"},
    {"A_HRC_WG.6_48_SVN_3_g2420410.pdf", "A/HRC/WG.6/48/SVN/3"},
    {"corpus/A_HRC_59_15_g2502644.pdf", "A/HRC/59/15"},
    {"A_HRC_DEC_14_105_g1014611.pdf", "A/HRC/DEC/14/105"},
    {"S_RES_2768_2025.en.pdf", "S/RES/2768 (2025)"},
    {"S_RES_2768 (2025).pdf", "S/RES/2768 (2025)"},
    {"A_79_PV.64.en.pdf", "A/79/PV.64"},
    {"A_HRC_59_L.17.en.pdf", "A/HRC/59/L.17"},
    {"E_CN.6_2025_NGO_40.en.pdf", "E/CN.6/2025/NGO/40"},
    {"CCPR_C_121_D_2025_2011.en.pdf", "CCPR/C/121/D/2025/2011"},
    {"HRI_MC_2025_1.en.pdf", "HRI/MC/2025/1"},
    {"E_CN.4_109.en.pdf", "E/CN.4/109"},
    {"A_INF_76_1.pdf", "A/INF/76/1"},
    {"A_RES_78_323.en.pdf", "A/RES/78/323"},
    {"A_AC.109_2025_L.25.en.pdf", "A/AC.109/2025/L.25"},
    {"A_AC.292_2025_INF_5_Rev.1.en.pdf", "A/AC.292/2025/INF/5/Rev.1"},
    {"A_HRC_EMRIP_2025_2.en.pdf", "A/HRC/EMRIP/2025/2"},
    {"DP-FPA_2025_1.en.pdf", "DP-FPA/2025/1"},
    {"DP_FPA_2025_4", "DP/FPA/2025/4"},
    {"CEB_2025_4.en.pdf", "CEB/2025/4"},
    {"A_HRC_30_49_Add.1-EN.pdf", "A/HRC/30/49/Add.1"},
    {"a_hrc_res_59_25.fr.pdf", "A/HRC/RES/59/25"},
    {"/srv/un/A_HRC_30_49", "A/HRC/30/49"},
    {"UNGDC_BRA_79_2024.txt", NULL},
    {"udhr_eng.xml", NULL},
    {"g2502644.pdf", NULL},
    {"A_HRC_30_49abc.pdf", NULL},
    {"report.pdf", NULL},
    {"", NULL},
};

static void test_filenames(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof name_rows / sizeof name_rows[0]; i++) {
        const name_row *r = &name_rows[i];
        civ_unsymbol u;
        civ_status st = civ_unsymbol_from_filename(r->name, &u, NULL);
        if (!r->symbol) {
            if (st == CIV_OK)
                fail_msg("%s: no symbol expected, got %s", r->name, u.symbol);
            continue;
        }
        if (st != CIV_OK)
            fail_msg("%s: expected %s", r->name, r->symbol);
        assert_string_equal(u.symbol, r->symbol);
    }
    civ_unsymbol u;
    assert_int_equal(civ_unsymbol_from_filename(NULL, &u, NULL), CIV_ERR_INPUT);
}

/* A long run of capitals and slashes costs linear time and finds nothing;
 * a symbol after it is still found. */
static void test_find_hostile(void **state)
{
    (void)state;
    size_t n_runs = 20000;
    char *text = malloc(n_runs * 3 + 32);
    assert_non_null(text);
    for (size_t i = 0; i < n_runs; i++)
        memcpy(text + i * 3, "A /", 3);
    strcpy(text + n_runs * 3, " see A/HRC/30/49.");
    civ_unsymbol_match *m = NULL;
    size_t n = 0;
    assert_int_equal(civ_unsymbol_find(text, strlen(text), &m, &n, NULL), CIV_OK);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].symbol.symbol, "A/HRC/30/49");
    free(m);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_table), cmocka_unit_test(test_parse_details),
        cmocka_unit_test(test_find),        cmocka_unit_test(test_references),
        cmocka_unit_test(test_filenames),   cmocka_unit_test(test_find_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
