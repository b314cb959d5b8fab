/* test_cite.c: citation strings, one table row per form docs/API.md shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "civ_cite.h"

typedef struct cite_row {
    civ_cite_source src;
    const char *expected;
} cite_row;

static const cite_row rows[] = {
    {{"A/HRC/14/37", "Report of the Working Group", "12", 5}, "A/HRC/14/37, para. 12 (p. 5)"},
    {{"A/HRC/14/37", NULL, "12.", 5}, "A/HRC/14/37, para. 12 (p. 5)"},
    {{"A/HRC/14/37", NULL, NULL, 5}, "A/HRC/14/37, p. 5"},
    {{"A/HRC/59/15", NULL, "140.131", 18}, "A/HRC/59/15, para. 140.131 (p. 18)"},
    {{NULL, "Universal Declaration of Human Rights", "Article 3", 0},
     "Universal Declaration of Human Rights, Article 3"},
    {{"", "Sub-council By-law", "(a)", 0}, "Sub-council By-law, para. (a)"},
    {{NULL, "Charter", "iv", 0}, "Charter, para. iv"},
    {{NULL, "Charter", "Preamble", 2}, "Charter, Preamble (p. 2)"},
    {{NULL, "Charter", NULL, 0}, "Charter"},
    {{NULL, NULL, "3", 1}, "Untitled document, para. 3 (p. 1)"},
};

static void test_forms(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *c = civ_cite_format(&rows[i].src);
        assert_non_null(c);
        assert_string_equal(c, rows[i].expected);
        free(c);
    }
}

/* A hostile title is cut, on a character boundary, and the cap holds. */
static void test_long_title_capped(void **state)
{
    (void)state;
    char title[4000];
    for (size_t i = 0; i + 2 < sizeof title; i += 2)
        memcpy(title + i, "\xc3\xa9", 2); /* é */
    title[sizeof title - 2] = '\0';
    civ_cite_source src = {NULL, title, "12", 3};
    char *c = civ_cite_format(&src);
    assert_true(strlen(c) <= CIV_CITE_MAX);
    assert_non_null(strstr(c, "\xe2\x80\xa6, para. 12 (p. 3)"));
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_long_title_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
