/* test_lang.c: language tags, the indexing table, and identification of
 * the UDHR in the six UN languages as the corpus ships it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "civ_document.h"
#include "civ_lang.h"

/* ---- civ_lang_normalise -------------------------------------------------- */

typedef struct tag_row {
    const char *tag;
    const char *expected; /* NULL: must be rejected */
} tag_row;

static const tag_row tag_rows[] = {
    /* ISO 639-1, any case */
    {"en", "en"},
    {"EN", "en"},
    {"Fr", "fr"},
    {"ar", "ar"},
    {" ru ", "ru"},
    /* BCP-47 and POSIX locales */
    {"en-US", "en"},
    {"en-GB", "en"},
    {"zh-Hans", "zh"},
    {"zh-Hant-TW", "zh"},
    {"zh_CN", "zh"},
    {"es-419", "es"},
    {"fr_FR.UTF-8", "fr"},
    {"pt-BR", "pt"},
    {"sr-Latn", NULL},
    /* UDHR XML keys */
    {"cmn_hans", "zh"},
    {"arb", "ar"},
    /* ISO 639-2/B and 639-2/T, 639-3 */
    {"eng", "en"},
    {"fre", "fr"},
    {"fra", "fr"},
    {"ger", "de"},
    {"deu", "de"},
    {"chi", "zh"},
    {"zho", "zh"},
    {"cmn", "zh"},
    {"spa", "es"},
    {"rus", "ru"},
    {"ara", "ar"},
    {"RUS", "ru"},
    {"dut", "nl"},
    {"nld", "nl"},
    {"arm", "hy"},
    {"hye", "hy"},
    {"baq", "eu"},
    {"rum", "ro"},
    {"ron", "ro"},
    {"gre", "el"},
    {"ell", "el"},
    {"nob", "no"},
    {"nb", "no"},
    {"npi", "ne"},
    {"gle", "ga"},
    {"jpn", "ja"},
    {"kor", "ko"},
    {"heb", "he"},
    {"iw", "he"},
    {"hin", "hi"},
    /* English names */
    {"English", "en"},
    {"french", "fr"},
    {"SPANISH", "es"},
    {"Russian", "ru"},
    {"Arabic", "ar"},
    {"Chinese", "zh"},
    {"German", "de"},
    {"Armenian", "hy"},
    {"Basque", "eu"},
    {"Catalan", "ca"},
    {"Danish", "da"},
    {"Dutch", "nl"},
    {"Finnish", "fi"},
    {"Hungarian", "hu"},
    {"Indonesian", "id"},
    {"Irish", "ga"},
    {"Italian", "it"},
    {"Lithuanian", "lt"},
    {"Nepali", "ne"},
    {"Norwegian", "no"},
    {"Portuguese", "pt"},
    {"Romanian", "ro"},
    {"Swedish", "sv"},
    {"Tamil", "ta"},
    {"Turkish", "tr"},
    {"Japanese", "ja"},
    {"Korean", "ko"},
    {"Hebrew", "he"},
    {"Hindi", "hi"},
    {"Greek", "el"},
    /* names in the language itself, any case */
    {"français", "fr"},
    {"Español", "es"},
    {"espanol", "es"},
    {"РУССКИЙ", "ru"},
    {"中文", "zh"},
    {" العربية ", "ar"},
    {"Deutsch", "de"},
    /* garbage */
    {"", NULL},
    {"   ", NULL},
    {"e", NULL},
    {"-en", NULL},
    {"xx", NULL},
    {"xyz", NULL},
    {"en!", NULL},
    {"english2", NULL},
    {"en US", NULL},
    {"Klingon", NULL},
    {"und", NULL},
    {"12", NULL},
    {"englishenglishenglish", NULL},
    {"x-pig-latin", NULL},
    {"\xc3\xa9n", NULL},
};

static void test_normalise_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof tag_rows / sizeof tag_rows[0]; i++) {
        char out[8] = "junk";
        const char *got = civ_lang_normalise(tag_rows[i].tag, out, sizeof out);
        if (tag_rows[i].expected) {
            if (!got || strcmp(got, tag_rows[i].expected) != 0)
                fail_msg("tag \"%s\": got %s, expected %s", tag_rows[i].tag, got ? got : "NULL",
                         tag_rows[i].expected);
            assert_ptr_equal(got, out);
        } else if (got) {
            fail_msg("tag \"%s\": got %s, expected NULL", tag_rows[i].tag, got);
        }
    }
}

static void test_normalise_bad_arguments(void **state)
{
    char out[8];
    char tiny[2];
    (void)state;
    assert_null(civ_lang_normalise(NULL, out, sizeof out));
    assert_null(civ_lang_normalise("en", NULL, 8));
    /* A two-letter code needs three bytes; never write past out_size. */
    assert_null(civ_lang_normalise("en", tiny, sizeof tiny));
}

/* Every code the normaliser hands out can be looked up for indexing. */
static void test_normalised_codes_are_in_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof tag_rows / sizeof tag_rows[0]; i++) {
        if (tag_rows[i].expected && !civ_lang_find(tag_rows[i].expected))
            fail_msg("code %s (from \"%s\") has no table entry", tag_rows[i].expected,
                     tag_rows[i].tag);
    }
}

/* ---- civ_lang_table / civ_lang_find -------------------------------------- */

static int has_stopword(const civ_xapian_lang *lang, const char *word)
{
    for (size_t i = 0; i < lang->n_stopwords; i++) {
        if (strcmp(lang->stopwords[i], word) == 0)
            return 1;
    }
    return 0;
}

static void test_table_stemmers(void **state)
{
    static const struct {
        const char *code;
        const char *stemmer; /* NULL: none */
        int cjk;
    } rows[] = {
        {"en", "english", 0},   {"ar", "arabic", 0},     {"fr", "french", 0},
        {"es", "spanish", 0},   {"ru", "russian", 0},    {"de", "german", 0},
        {"hy", "armenian", 0},  {"eu", "basque", 0},     {"ca", "catalan", 0},
        {"da", "danish", 0},    {"nl", "dutch", 0},      {"fi", "finnish", 0},
        {"hu", "hungarian", 0}, {"id", "indonesian", 0}, {"ga", "irish", 0},
        {"it", "italian", 0},   {"lt", "lithuanian", 0}, {"ne", "nepali", 0},
        {"no", "norwegian", 0}, {"pt", "portuguese", 0}, {"ro", "romanian", 0},
        {"sv", "swedish", 0},   {"ta", "tamil", 0},      {"tr", "turkish", 0},
        {"zh", NULL, 1},        {"ja", NULL, 1},         {"ko", NULL, 1},
        {"he", NULL, 0},        {"hi", NULL, 0},         {"el", NULL, 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const civ_xapian_lang *lang = civ_lang_find(rows[i].code);
        if (!lang)
            fail_msg("no entry for %s", rows[i].code);
        assert_string_equal(lang->code, rows[i].code);
        if (rows[i].stemmer)
            assert_string_equal(lang->stemmer, rows[i].stemmer);
        else
            assert_null(lang->stemmer);
        assert_int_equal(lang->cjk, rows[i].cjk);
    }
    assert_ptr_equal(civ_lang_find("EN"), civ_lang_find("en"));
    assert_null(civ_lang_find("xx"));
    assert_null(civ_lang_find(""));
    assert_null(civ_lang_find(NULL));
}

static void test_table_stopwords(void **state)
{
    const civ_xapian_lang *en = civ_lang_find("en");
    const civ_xapian_lang *fr = civ_lang_find("fr");
    const civ_xapian_lang *ru = civ_lang_find("ru");
    const civ_xapian_lang *ar = civ_lang_find("ar");
    const civ_xapian_lang *it = civ_lang_find("it");
    (void)state;
    assert_true(has_stopword(en, "the"));
    assert_true(has_stopword(en, "to"));
    assert_false(has_stopword(en, "right"));
    assert_true(has_stopword(fr, "le"));
    assert_true(has_stopword(ru, "\xd0\xb8")); /* и */
    assert_true(ar->n_stopwords > 100);
    /* Lists come from stopwords/<code>.txt: a language without one has none. */
    assert_true(civ_lang_find("es")->n_stopwords > 100);
    assert_true(civ_lang_find("de")->n_stopwords > 100);
    assert_true(civ_lang_find("zh")->n_stopwords > 100);
    assert_int_equal(it->n_stopwords, 0);
    /* The comment lines at the top of each file are not words. */
    assert_false(has_stopword(en, "#"));
    assert_int_equal(en->n_stopwords, 174);
}

/* What the header promises of every word: non-empty, no comment, no
 * surrounding space, lower case (Xapian's stopper compares exactly). */
static void test_table_stopwords_are_clean(void **state)
{
    size_t n;
    const civ_xapian_lang *table = civ_lang_table(&n);
    (void)state;
    assert_true(n >= 30);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(table[i].code, table[j].code);
        for (size_t w = 0; w < table[i].n_stopwords; w++) {
            const char *word = table[i].stopwords[w];
            size_t len = strlen(word);
            char *lower;
            assert_true(len > 0);
            assert_null(strchr(word, '#'));
            assert_false(g_ascii_isspace(word[0]) || g_ascii_isspace(word[len - 1]));
            assert_true(g_utf8_validate(word, -1, NULL));
            lower = g_utf8_strdown(word, -1);
            if (strcmp(lower, word) != 0)
                fail_msg("%s stopword \"%s\" is not lower case", table[i].code, word);
            g_free(lower);
        }
    }
    /* Built once: the same storage every time. */
    assert_ptr_equal(civ_lang_table(NULL), table);
}

/* ---- civ_lang_identify --------------------------------------------------- */

/* The text content of a corpus XML file, tags dropped crudely (good enough
 * for the UDHR files, which hold no CDATA and no '>' in attributes). */
static char *corpus_text(const char *name, size_t *len)
{
    char *path = g_build_filename(CIV_SOURCE_DIR, "corpus", name, NULL);
    char *xml = NULL;
    size_t xml_len = 0, n = 0;
    int in_tag = 0;
    char *text;

    if (!g_file_get_contents(path, &xml, &xml_len, NULL))
        fail_msg("cannot read %s", path);
    text = g_malloc(xml_len + 1);
    for (size_t i = 0; i < xml_len; i++) {
        if (xml[i] == '<')
            in_tag = 1;
        else if (xml[i] == '>') {
            in_tag = 0;
            text[n++] = ' ';
        } else if (!in_tag)
            text[n++] = xml[i];
    }
    text[n] = '\0';
    g_free(xml);
    g_free(path);
    *len = n;
    return text;
}

static void test_identify_udhr(void **state)
{
    static const struct {
        const char *file;
        const char *code;
    } rows[] = {
        {"udhr_eng.xml", "en"}, {"udhr_fra.xml", "fr"}, {"udhr_spa.xml", "es"},
        {"udhr_rus.xml", "ru"}, {"udhr_arb.xml", "ar"}, {"udhr_cmn_hans.xml", "zh"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        size_t len;
        char *text = corpus_text(rows[i].file, &len);
        const char *whole = civ_lang_identify(text, len);
        /* And from the middle, cut by bytes as a careless caller would
         * (possibly inside a character): a passage, not the title page. */
        const char *middle = civ_lang_identify(text + len / 2, len - len / 2);
        g_free(text);
        if (!whole || strcmp(whole, rows[i].code) != 0)
            fail_msg("%s: got %s, expected %s", rows[i].file, whole ? whole : "NULL", rows[i].code);
        if (!middle || strcmp(middle, rows[i].code) != 0)
            fail_msg("%s (middle): got %s, expected %s", rows[i].file, middle ? middle : "NULL",
                     rows[i].code);
    }
}

/* The opening of UDHR article 26.1, as the corpus files give it: a
 * passage-sized text, as the indexer might pass for a short document. */
static void test_identify_sentences(void **state)
{
    static const struct {
        const char *text;
        const char *code;
    } rows[] = {
        {"Everyone has the right to education. Education shall be free, at least "
         "in the "
         "elementary and fundamental stages.",
         "en"},
        {"Toute personne a droit à l’éducation. L’éducation doit être gratuite, "
         "au moins en ce "
         "qui concerne l’enseignement élémentaire et fondamental.",
         "fr"},
        {"Toda persona tiene derecho a la educación. La educación debe ser "
         "gratuita, al menos en "
         "lo concerniente a la instrucción elemental y fundamental.",
         "es"},
        {"Каждый человек имеет право на образование. Образование должно быть "
         "бесплатным по "
         "меньшей мере в том, что касается начального и общего образования.",
         "ru"},
        {"لكل شخص الحق في التعلم. ويجب أن يكون التعليم في مراحله الأولى "
         "والأساسية على الأقل "
         "بالمجان، وأن يكون التعليم الأولي إلزاميا.",
         "ar"},
        {"人人都有受教育的权利,教育应当免费,"
         "至少在初级和基本阶段应如此。初级教育应属义务性质。"
         "技术和职业教育应普遍设立。高等教育应根据成绩而对一切人平等开放。",
         "zh"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *got = civ_lang_identify(rows[i].text, strlen(rows[i].text));
        if (!got || strcmp(got, rows[i].code) != 0)
            fail_msg("row %zu: got %s, expected %s", i, got ? got : "NULL", rows[i].code);
    }
}

static void test_identify_unsure(void **state)
{
    static const char invalid[] = "\xff\xfe\xfd not UTF-8 at all, so nothing is classified";
    static const char binary[] = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d"
                                 "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b";
    /* A sentence cut inside a 3-byte character: the cut must not reach
     * the classifier, and what is left still classifies. */
    static const char cut[] = "Everyone has the right to education and to work \xe4\xba";
    (void)state;
    assert_null(civ_lang_identify("ok", 2));
    assert_null(civ_lang_identify("", 0));
    assert_null(civ_lang_identify(NULL, 10));
    assert_null(civ_lang_identify("1234 5678 9012 3456 7890 1234 5678", 34));
    assert_null(civ_lang_identify(invalid, sizeof invalid - 1));
    assert_null(civ_lang_identify(binary, sizeof binary - 1));
    assert_string_equal(civ_lang_identify(cut, sizeof cut - 1), "en");
}

/* civ_lang_of_query's answer, checking whether it was libexttextcat's. */
static const char *of_query(const char *q, const char *const *held, size_t n_held, int identified)
{
    int got = -1;
    const char *code = civ_lang_of_query(q, held, n_held, &got);
    if (got != identified)
        fail_msg("%s: identified %d, expected %d", q, got, identified);
    return code;
}

/* A query's language is chosen among the languages the index holds: an
 * English-only index parses English words that look French as English,
 * a query in a language the index lacks is taken for one it holds, and the
 * script of the letters still decides outside Latin. */
static void test_query_language(void **state)
{
    /* libexttextcat, asked alone, takes both of these for French. */
    static const char english[] = "commitment develop weapons";
    static const char french[] = "la déclaration universelle des droits de l'homme";
    static const char german[] = "die allgemeine Erklärung der Menschenrechte";
    static const char *const only_en[] = {"en"};
    static const char *const en_fr[] = {"en", "fr"};
    static const char *const en_fr_es[] = {"en", "es", "fr"};
    static const char *const six[] = {"ar", "en", "es", "fr", "ru", "zh"};
    static const char *const only_ja[] = {"en", "ja"};
    static const char *const zh_ja[] = {"ja", "zh"};
    (void)state;
    assert_string_equal(civ_lang_identify(english, strlen(english)), "fr");
    assert_string_equal(of_query(english, NULL, 0, 1), "fr");
    assert_string_equal(of_query(english, only_en, 1, 0), "en");
    assert_string_equal(of_query(english, en_fr, 2, 1), "fr");
    assert_string_equal(of_query(french, only_en, 1, 0), "en");
    assert_string_equal(of_query(french, en_fr, 2, 1), "fr");
    /* Too few letters to be sure: English by default, said so. */
    assert_string_equal(of_query("liberté", en_fr, 2, -1), "en");
    assert_string_equal(civ_lang_identify(german, strlen(german)), "de");
    assert_string_equal(of_query(german, NULL, 0, 1), "de");
    /* A language the index lacks: only the models of the languages held
     * are asked, so the answer is one of those. */
    const char *held_one = of_query(german, en_fr_es, 3, 1);
    assert_true(strcmp(held_one, "en") == 0 || strcmp(held_one, "es") == 0 ||
                strcmp(held_one, "fr") == 0);
    static const char *const en_de[] = {"en", "de"};
    assert_string_equal(of_query(german, en_de, 2, 1), "de");
    /* However many languages are held before it. */
    const char *many[101];
    for (size_t i = 0; i < 100; i++)
        many[i] = "en";
    many[100] = "de";
    assert_string_equal(of_query(german, many, 101, 1), "de");
    /* Other scripts: their language, whatever the Latin ones held. */
    assert_string_equal(of_query("права человека", six, 6, 0), "ru");
    assert_string_equal(of_query("права человека", only_en, 1, 0), "ru");
    assert_string_equal(of_query("人权理事会", six, 6, 0), "zh");
    assert_string_equal(of_query("人权理事会", only_ja, 2, 0), "ja");
    assert_string_equal(of_query("人权理事会", zh_ja, 2, 0), "zh");
    assert_string_equal(of_query("日本の人権", zh_ja, 2, 0), "ja");
    assert_string_equal(of_query("حقوق الإنسان", six, 6, 0), "ar");
}

/* Identification and the table from several threads at once: each must
 * see the whole table and the right answers (and ASan no races on the
 * classifier's buffers). */
/* A document whose passages alternate between English, French and Russian
 * (as a multilingual gazette does) gets each passage's own language; a
 * document in one language gets none. */
static void test_identify_mixed_document(void **state)
{
    (void)state;
    static const char *const files[] = {"udhr_eng.xml", "udhr_fra.xml", "udhr_rus.xml"};
    static const char *const codes[] = {"en", "fr", "ru"};
    char *texts[3];
    size_t lens[3];
    for (int i = 0; i < 3; i++)
        texts[i] = corpus_text(files[i], &lens[i]);
    civ_document *mixed = civ_document_new("text");
    civ_document *single = civ_document_new("text");
    civ_err err;
    for (int k = 0; k < 12; k++) {
        int l = k % 3;
        /* 600 bytes from a different place of the declaration each time,
         * cut on a character boundary by civ_document_add_passage. */
        size_t off = 2000 + (size_t)k * 700;
        assert_true(off + 600 < lens[l]);
        const char *start = g_utf8_find_next_char(texts[l] + off, NULL);
        assert_int_equal(civ_document_add_passage(mixed, start, 600, NULL, NULL, 0, &err), CIV_OK);
        start = g_utf8_find_next_char(texts[0] + off, NULL);
        assert_int_equal(civ_document_add_passage(single, start, 600, NULL, NULL, 0, &err), CIV_OK);
    }
    civ_lang_identify_document(mixed);
    civ_lang_identify_document(single);
    assert_string_equal(mixed->lang, "en");
    for (size_t k = 0; k < mixed->n_passages; k++) {
        const char *want = codes[k % 3];
        const char *got = mixed->passages[k].lang ? mixed->passages[k].lang : mixed->lang;
        if (strcmp(got, want) != 0)
            fail_msg("passage %zu: %s, expected %s", k, got, want);
    }
    assert_string_equal(single->lang, "en");
    for (size_t k = 0; k < single->n_passages; k++)
        assert_null(single->passages[k].lang);
    civ_document_free(mixed);
    civ_document_free(single);
    for (int i = 0; i < 3; i++)
        g_free(texts[i]);
}

static gpointer identify_thread(gpointer data)
{
    const char *text = data;
    for (int i = 0; i < 20; i++) {
        size_t n;
        if (!civ_lang_table(&n) || n < 30 || civ_lang_find("en")->n_stopwords == 0)
            return GINT_TO_POINTER(0);
        const char *got = civ_lang_identify(text, strlen(text));
        if (!got || strcmp(got, "en") != 0)
            return GINT_TO_POINTER(0);
    }
    return GINT_TO_POINTER(1);
}

static void test_identify_threads(void **state)
{
    static const char text[] = "All human beings are born free and equal in dignity and rights. "
                               "They are endowed with reason and conscience.";
    GThread *threads[4];
    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(threads); i++)
        threads[i] = g_thread_new("identify", identify_thread, (gpointer)text);
    for (size_t i = 0; i < G_N_ELEMENTS(threads); i++)
        assert_int_equal(GPOINTER_TO_INT(g_thread_join(threads[i])), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* First, so that the once-only setup runs under contention. */
        cmocka_unit_test(test_identify_threads),
        cmocka_unit_test(test_normalise_rows),
        cmocka_unit_test(test_normalise_bad_arguments),
        cmocka_unit_test(test_normalised_codes_are_in_table),
        cmocka_unit_test(test_table_stemmers),
        cmocka_unit_test(test_table_stopwords),
        cmocka_unit_test(test_table_stopwords_are_clean),
        cmocka_unit_test(test_identify_udhr),
        cmocka_unit_test(test_identify_sentences),
        cmocka_unit_test(test_identify_unsure),
        cmocka_unit_test(test_identify_mixed_document),
        cmocka_unit_test(test_query_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
