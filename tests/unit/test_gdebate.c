/* test_gdebate.c: general debate statements known by their file names
 * (civ_gdebate.h): who spoke, in which session and year, and the names
 * that only look like one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "civ_gdebate.h"

static void assert_statement(const char *name, const char *code, const char *speaker, int session,
                             int year)
{
    civ_gdebate g;
    if (!civ_gdebate_from_filename(name, &g))
        fail_msg("%s: not read as a statement", name);
    assert_string_equal(g.code, code);
    assert_string_equal(g.speaker, speaker);
    assert_int_equal(g.session, session);
    assert_int_equal(g.year, year);
}

static void test_names(void **state)
{
    (void)state;
    assert_statement("CRI_70_2015.txt", "CRI", "Costa Rica", 70, 2015);
    assert_statement("/data/ungdc/Session 79 - 2024/BRA_79_2024.txt", "BRA", "Brazil", 79, 2024);
    assert_statement("UNGDC_SVN_70_2015.txt", "SVN", "Slovenia", 70, 2015);
    assert_statement("EU_66_2011.txt", "EU", "European Union", 66, 2011);
    assert_statement("TTO_21_1966", "TTO", "Trinidad and Tobago", 21, 1966);
    assert_statement("YUG_1_1946.txt", "YUG", "Yugoslavia", 1, 1946);
}

/* A member that spoke under another name is named as it was then. */
static void test_former_names(void **state)
{
    (void)state;
    assert_statement("RUS_30_1975.txt", "RUS", "Union of Soviet Socialist Republics", 30, 1975);
    assert_statement("RUS_46_1991.txt", "RUS", "Union of Soviet Socialist Republics", 46, 1991);
    assert_statement("RUS_47_1992.txt", "RUS", "Russian Federation", 47, 1992);
    assert_statement("DEU_45_1990.txt", "DEU", "Federal Republic of Germany", 45, 1990);
    assert_statement("DEU_46_1991.txt", "DEU", "Germany", 46, 1991);
    assert_statement("COD_25_1970.txt", "COD", "Democratic Republic of the Congo", 25, 1970);
    assert_statement("COD_40_1985.txt", "COD", "Zaire", 40, 1985);
    assert_statement("COD_52_1997.txt", "COD", "Democratic Republic of the Congo", 52, 1997);
    assert_statement("SWZ_72_2017.txt", "SWZ", "Swaziland", 72, 2017);
    assert_statement("SWZ_73_2018.txt", "SWZ", "Eswatini", 73, 2018);
}

/* Every country code in the UN General Debate Corpus (1946-2024). */
static void test_corpus_codes(void **state)
{
    (void)state;
    static const char codes[] =
        "AFG AGO ALB AND ARE ARG ARM ATG AUS AUT AZE BDI BEL BEN BFA BGD BGR BHR BHS BIH BLR BLZ "
        "BOL BRA BRB BRN BTN BWA CAF CAN CHE CHL CHN CIV CMR COD COG COL COM CPV CRI CSK CUB CYP "
        "CZE DDR DEU DJI DMA DNK DOM DZA ECU EGY ERI ESP EST ETH EU FIN FJI FRA FSM GAB GBR GEO "
        "GHA GIN GMB GNB GNQ GRC GRD GTM GUY HND HRV HTI HUN IDN IND IRL IRN IRQ ISL ISR ITA JAM "
        "JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAR "
        "MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MOZ MRT MUS MWI MYS NAM NER NGA NIC NLD "
        "NOR NPL NRU NZL OMN PAK PAN PER PHL PLW PNG POL PRK PRT PRY PSE QAT ROU RUS RWA SAU SDN "
        "SEN SGP SLB SLE SLV SMR SOM SRB SSD STP SUR SVK SVN SWE SWZ SYC SYR TCD TGO THA TJK TKM "
        "TLS TON TTO TUN TUR TUV TZA UGA UKR URY USA UZB VAT VCT VEN VNM VUT WSM YEM YMD YUG ZAF "
        "ZMB ZWE";
    gchar **list = g_strsplit(codes, " ", -1);
    size_t n = 0;
    for (gchar **c = list; *c; c++, n++) {
        char name[32];
        snprintf(name, sizeof name, "%s_79_2024.txt", *c);
        civ_gdebate g;
        if (!civ_gdebate_from_filename(name, &g))
            fail_msg("%s: no speaker", name);
        assert_string_equal(g.code, *c);
        assert_true(strlen(g.speaker) > 3);
    }
    g_strfreev(list);
    assert_int_equal(n, 200);
}

static void test_not_statements(void **state)
{
    (void)state;
    static const char *const names[] = {
        "CRI_70_2016.txt",   /* the 70th session met in 2015 */
        "CRI_0_1945.txt",    /* there was no session 0 */
        "XYZ_70_2015.txt",   /* not a country */
        "cri_70_2015.txt",   /* codes are capitals */
        "ACRI_70_2015.txt",  /* four letters */
        "XCRI_70_2015.txt",  /* nor glued to a word */
        "CRI-70-2015.txt",   /* underscores */
        "CRI_70_20150.txt",  /* a five-digit year */
        "CRI_1070_3015.txt", /* sessions have at most three digits */
        "70_2015.txt",       "CRI_2015.txt", "A_HRC_59_15.pdf", "",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        civ_gdebate g;
        if (civ_gdebate_from_filename(names[i], &g))
            fail_msg("\"%s\" read as a statement", names[i]);
    }
    civ_gdebate g;
    assert_false(civ_gdebate_from_filename(NULL, &g));
}

static void test_title(void **state)
{
    (void)state;
    static const struct {
        const char *name, *title;
    } rows[] = {
        {"CRI_70_2015.txt",
         "Costa Rica, General Debate of the 70th session of the General Assembly"},
        {"FRA_1_1946.txt", "France, General Debate of the 1st session of the General Assembly"},
        {"FRA_2_1947.txt", "France, General Debate of the 2nd session of the General Assembly"},
        {"FRA_3_1948.txt", "France, General Debate of the 3rd session of the General Assembly"},
        {"FRA_11_1956.txt", "France, General Debate of the 11th session of the General Assembly"},
        {"FRA_12_1957.txt", "France, General Debate of the 12th session of the General Assembly"},
        {"FRA_13_1958.txt", "France, General Debate of the 13th session of the General Assembly"},
        {"FRA_21_1966.txt", "France, General Debate of the 21st session of the General Assembly"},
        {"FRA_111_2056.txt", "France, General Debate of the 111th session of the General Assembly"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        civ_gdebate g;
        assert_true(civ_gdebate_from_filename(rows[i].name, &g));
        char title[200];
        civ_gdebate_title(&g, title, sizeof title);
        assert_string_equal(title, rows[i].title);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),        cmocka_unit_test(test_former_names),
        cmocka_unit_test(test_corpus_codes), cmocka_unit_test(test_not_statements),
        cmocka_unit_test(test_title),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
