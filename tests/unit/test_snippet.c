/* Unit tests for the snippet builder (lib/civ_snippet.c): which words are
 * marked, where the excerpt is cut, and what the output may contain.
 *
 * The stemmer here is a small suffix stripper, enough to tell a stemmed
 * match from a plain one; test_xapian.c covers snippets with Xapian's
 * Snowball stemmers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "civ_snippet.h"

/* "houses", "housing", "house" -> "hous"; other words as they are. */
static const char *strip_stem(void *ctx, const char *word, size_t len, size_t *stem_len)
{
    static const char *const suffixes[] = {"ing", "es", "e", "s"};
    int *calls = ctx;
    if (calls)
        (*calls)++;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t n = strlen(suffixes[i]);
        if (len > n + 2 && memcmp(word + len - n, suffixes[i], n) == 0) {
            *stem_len = len - n;
            return word;
        }
    }
    *stem_len = len;
    return word;
}

static civ_snippet_query *query(int elision)
{
    civ_snippet_query *q = civ_snippet_query_new(strip_stem, NULL, elision);
    assert_non_null(q);
    return q;
}

static char *make(const civ_snippet_query *q, const char *text, size_t max_chars)
{
    char *s = civ_snippet_make(q, text, strlen(text), max_chars);
    assert_non_null(s);
    assert_true(g_utf8_validate(s, -1, NULL));
    return s;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Text of n characters: "filler words " repeated, cut at n. */
static char *filler(size_t n)
{
    GString *s = g_string_new(NULL);
    while (s->len < n)
        g_string_append(s, "filler words ");
    g_string_truncate(s, n);
    return g_string_free(s, FALSE);
}

static void test_short_text_whole_and_marked(void **state)
{
    (void)state;
    civ_snippet_query *q = query(0);
    assert_int_equal(civ_snippet_query_add_term(q, "Zhous", 2), 0);
    assert_int_equal(civ_snippet_query_add_term(q, "rights", 1), 0);
    char *s = make(q, "Adequate Housing and houses are  human\n\nRIGHTS.", 300);
    assert_string_equal(s, "Adequate <mark>Housing</mark> and <mark>houses</mark> are human "
                           "<mark>RIGHTS</mark>.");
    free(s);
    civ_snippet_query_free(q);
}

static void test_phrase_marked_only_whole(void **state)
{
    (void)state;
    civ_snippet_query *q = query(0);
    const char *const words[] = {"human", "rights", "council"};
    assert_int_equal(civ_snippet_query_add_phrase(q, words, 3, 3), 0);
    char *s =
        make(q, "Human rights matter. The Human Rights  Council met; human rights council.", 300);
    assert_string_equal(s, "Human rights matter. The <mark>Human Rights Council</mark> met; "
                           "<mark>human rights council</mark>.");
    free(s);
    civ_snippet_query_free(q);
}

static void test_window_on_densest_matches(void **state)
{
    (void)state;
    civ_snippet_query *q = query(0);
    assert_int_equal(civ_snippet_query_add_term(q, "water", 1), 0);
    assert_int_equal(civ_snippet_query_add_term(q, "sanitation", 1), 0);
    char *a = filler(400), *b = filler(400), *c = filler(400);
    char *text = g_strdup_printf("%s water alone. %s Water and sanitation together. %s", a, b, c);
    char *s = make(q, text, 120);
    /* Both words, from the second place; cut on both sides. */
    assert_non_null(strstr(s, "<mark>Water</mark> and <mark>sanitation</mark> together."));
    assert_int_equal(count(s, "<mark>"), 2);
    assert_true(g_str_has_prefix(s, "\xe2\x80\xa6"));
    assert_true(g_str_has_suffix(s, "\xe2\x80\xa6"));
    /* About max_chars characters of text, not the whole passage. */
    assert_true(g_utf8_strlen(s, -1) - 13 * count(s, "<mark>") <= 120 + 8 + 2);
    assert_true(g_utf8_strlen(s, -1) >= 100);
    free(s);
    g_free(text);
    g_free(a);
    g_free(b);
    g_free(c);
    civ_snippet_query_free(q);
}

static void test_window_starts_at_sentence(void **state)
{
    (void)state;
    civ_snippet_query *q = query(0);
    assert_int_equal(civ_snippet_query_add_term(q, "tenure", 1), 0);
    char *a = filler(300), *b = filler(300);
    char *text = g_strdup_printf("%s end. Security of tenure matters. %s", a, b);
    char *s = make(q, text, 100);
    assert_true(g_str_has_prefix(s, "\xe2\x80\xa6Security of <mark>tenure</mark> matters."));
    free(s);
    g_free(text);
    g_free(a);
    g_free(b);
    civ_snippet_query_free(q);
}

static void test_no_match_shows_start(void **state)
{
    (void)state;
    civ_snippet_query *q = query(0);
    assert_int_equal(civ_snippet_query_add_term(q, "absent", 1), 0);
    char *text = filler(1000);
    char *s = make(q, text, 50);
    assert_true(g_str_has_prefix(s, "filler words filler"));
    assert_true(g_str_has_suffix(s, "\xe2\x80\xa6"));
    assert_null(strstr(s, "<mark>"));
    assert_true(g_utf8_strlen(s, -1) <= 50 + 1);
    free(s);
    g_free(text);
    civ_snippet_query_free(q);
}

/* A row of dots before the first word is not shown; a quote is. */
static void test_leading_punctuation(void **state)
{
    (void)state;
    civ_snippet_query *q = query(0);
    assert_int_equal(civ_snippet_query_add_term(q, "tenure", 1), 0);
    char *tail = filler(300);
    char *text = g_strdup_printf("..................................... Tenure %s", tail);
    char *s = make(q, text, 100);
    assert_true(g_str_has_prefix(s, "\xe2\x80\xa6<mark>Tenure</mark> filler"));
    free(s);
    g_free(text);
    text = g_strdup_printf("\"Tenure\" %s", tail);
    s = make(q, text, 100);
    assert_true(g_str_has_prefix(s, "&quot;<mark>Tenure</mark>&quot; filler"));
    free(s);
    g_free(text);
    g_free(tail);
    civ_snippet_query_free(q);
}

static void test_escapes_and_repairs(void **state)
{
    (void)state;
    civ_snippet_query *q = query(0);
    assert_int_equal(civ_snippet_query_add_term(q, "script", 1), 0);
    char *s = make(q, "AT&T <script>\"x\"</script> \xff\xfe end", 300);
    assert_string_equal(s, "AT&amp;T &lt;<mark>script</mark>&gt;&quot;x&quot;&lt;/"
                           "<mark>script</mark>&gt; \xef\xbf\xbd\xef\xbf\xbd end");
    free(s);
    civ_snippet_query_free(q);
}

/* Words as the term generator makes them. */
static void test_words_like_the_indexer(void **state)
{
    (void)state;
    civ_snippet_query *q = query(0);
    const char *const terms[] = {"un", "women's", "c++", "1,000.5", "at&t", "peacekeeping"};
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++)
        assert_int_equal(civ_snippet_query_add_term(q, terms[i], 1), 0);
    char *s = make(q,
                   "The U.N. and UN Women’s fund: C++ code, 1,000.5 units, AT&T, "
                   "peace\xe2\x80\x8bkeeping, UNITED.",
                   300);
    assert_string_equal(s,
                        "The <mark>U.N.</mark> and <mark>UN</mark> <mark>Women’s</mark> fund: "
                        "<mark>C++</mark> code, <mark>1,000.5</mark> units, <mark>AT&amp;T</mark>, "
                        "<mark>peace\xe2\x80\x8bkeeping</mark>, UNITED.");
    free(s);
    civ_snippet_query_free(q);
}

static void test_french_elision(void **state)
{
    (void)state;
    civ_snippet_query *q = query(1);
    assert_int_equal(civ_snippet_query_add_term(q, "éducation", 1), 0);
    assert_int_equal(civ_snippet_query_add_term(q, "aujourd'hui", 1), 0);
    char *s = make(q, "Droit à l’éducation, L'ÉDUCATION aujourd'hui.", 300);
    assert_string_equal(s, "Droit à l’<mark>éducation</mark>, L'<mark>ÉDUCATION</mark> "
                           "<mark>aujourd'hui</mark>.");
    free(s);
    civ_snippet_query_free(q);
    /* Without elision the apostrophe stays inside the word. */
    q = query(0);
    assert_int_equal(civ_snippet_query_add_term(q, "éducation", 1), 0);
    s = make(q, "Droit à l’éducation.", 300);
    assert_null(strstr(s, "<mark>"));
    free(s);
    civ_snippet_query_free(q);
}

static void test_stems_only_when_asked(void **state)
{
    (void)state;
    int calls = 0;
    civ_snippet_query *q = civ_snippet_query_new(strip_stem, &calls, 0);
    assert_non_null(q);
    assert_int_equal(civ_snippet_query_add_term(q, "housing", 1), 0);
    assert_int_equal(civ_snippet_query_add_term(q, "XFtitle", 1), 0); /* a field: ignored */
    char *s = make(q, "Housing, houses and XFtitle.", 300);
    assert_string_equal(s, "<mark>Housing</mark>, houses and XFtitle.");
    assert_int_equal(calls, 0);
    free(s);
    civ_snippet_query_free(q);
}

/* A stemmer that keeps first bytes is asked only about words that could
 * stem to a term: here, those beginning with "h". They are marked as
 * before; the others are not stemmed at all. */
static void test_stems_by_first_byte(void **state)
{
    (void)state;
    int calls = 0;
    civ_snippet_query *q = civ_snippet_query_new(strip_stem, &calls, 0);
    assert_non_null(q);
    civ_snippet_query_stems_keep_first_byte(q);
    assert_int_equal(civ_snippet_query_add_term(q, "Zhous", 1), 0);
    char *s = make(q, "Adequate housing: the houses of the city and its housing policy.", 300);
    assert_string_equal(s, "Adequate <mark>housing</mark>: the <mark>houses</mark> of the city "
                           "and its <mark>housing</mark> policy.");
    assert_int_equal(calls, 3);
    free(s);
    civ_snippet_query_free(q);
    /* Without the promise, every word is stemmed. */
    calls = 0;
    q = civ_snippet_query_new(strip_stem, &calls, 0);
    assert_int_equal(civ_snippet_query_add_term(q, "Zhous", 1), 0);
    s = make(q, "Adequate housing: the houses of the city and its housing policy.", 300);
    assert_int_equal(calls, 11);
    free(s);
    civ_snippet_query_free(q);
}

static void test_huge_word_is_cut(void **state)
{
    (void)state;
    civ_snippet_query *q = query(0);
    assert_int_equal(civ_snippet_query_add_term(q, "x", 1), 0);
    char *text = g_strnfill(100000, 'a');
    char *s = make(q, text, 300);
    assert_true(strlen(s) <= 300 + 8 + 3);
    assert_true(g_str_has_suffix(s, "\xe2\x80\xa6"));
    free(s);
    g_free(text);
    /* Text without words is cut too, the spaces counted. */
    GString *dashes = g_string_new(NULL);
    for (int i = 0; i < 1000; i++)
        g_string_append(dashes, "- ");
    s = make(q, dashes->str, 300);
    assert_true(g_utf8_strlen(s, -1) <= 300 + 8 + 1);
    assert_true(g_str_has_suffix(s, "\xe2\x80\xa6"));
    free(s);
    g_string_free(dashes, TRUE);
    s = make(q, "", 300);
    assert_string_equal(s, "");
    free(s);
    civ_snippet_query_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_text_whole_and_marked),
        cmocka_unit_test(test_phrase_marked_only_whole),
        cmocka_unit_test(test_window_on_densest_matches),
        cmocka_unit_test(test_window_starts_at_sentence),
        cmocka_unit_test(test_no_match_shows_start),
        cmocka_unit_test(test_leading_punctuation),
        cmocka_unit_test(test_escapes_and_repairs),
        cmocka_unit_test(test_words_like_the_indexer),
        cmocka_unit_test(test_french_elision),
        cmocka_unit_test(test_stems_only_when_asked),
        cmocka_unit_test(test_stems_by_first_byte),
        cmocka_unit_test(test_huge_word_is_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
