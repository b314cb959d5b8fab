/* civ_lang.c: language codes, the per-language indexing table and language
 * identification.
 *
 * Three jobs, one table. `languages` below is the single list of what
 * Civitas knows about a language: its ISO 639-1 code, the other names
 * metadata uses for it (ISO 639-2/B, 639-2/T, 639-3, English name), its
 * Xapian 1.4 stemmer and whether it is written without spaces (CJK).
 *
 * - civ_lang_normalise maps a tag to a code through that list.
 * - civ_lang_table exposes it as civ_xapian_lang entries, with the stopword
 *   lists compiled in from stopwords/ (civ_stopwords_data.c) split into
 *   words. The split happens once, on first use, under g_once; the copies
 *   are never freed: they live as long as the program, reachable from the
 *   static table, so LeakSanitizer does not count them.
 * - civ_lang_identify compares a sample with libexttextcat's language
 *   models and maps the nearest to a code.
 *
 * Invariant: every code civ_lang_normalise or civ_lang_identify returns has
 * an entry in civ_lang_table.
 */
#include "civ_lang.h"

#include <string.h>

#include <glib.h>
#include <libexttextcat/constants.h>
#include <libexttextcat/fingerprint.h>

#include "civ_stopwords_data.h"

typedef struct language {
    const char *code;    /* ISO 639-1 */
    const char *aliases; /* lower case, space-separated: 639-2/B, 639-2/T, 639-3, names */
    const char *stemmer; /* Xapian 1.4 stemmer, or NULL when Xapian has none */
    int cjk;
    int elision;           /* French-style elided articles (l', d', qu') split from words */
    GUnicodeScript script; /* the script its words are written in (Japanese: Han) */
} language;

/* The Xapian 1.4.22 stemmers (Xapian::Stem::get_available_languages())
 * plus the CJK languages and a few large languages Xapian 1.4 does not
 * stem, indexed unstemmed. Macrolanguage members that metadata uses for
 * the written standard map to the macrolanguage: "arb" (Standard Arabic),
 * "cmn" (Mandarin, the UDHR's "cmn_hans"), "npi" (Nepali), "nb"/"nn"
 * (Norwegian: Xapian has one stemmer). "in" and "iw" are the withdrawn
 * 639-1 codes older metadata still carries. */
static const language languages[] = {
    {"ar", "ara arb arabic", "arabic", 0, 0, G_UNICODE_SCRIPT_ARABIC},
    {"ca", "cat catalan valencian", "catalan", 0, 1, G_UNICODE_SCRIPT_LATIN},
    {"da", "dan danish", "danish", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"de", "ger deu german", "german", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"el", "gre ell greek", NULL, 0, 0, G_UNICODE_SCRIPT_GREEK},
    {"en", "eng english", "english", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"es", "spa spanish castilian", "spanish", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"eu", "baq eus basque", "basque", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"fi", "fin finnish", "finnish", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"fr", "fre fra french", "french", 0, 1, G_UNICODE_SCRIPT_LATIN},
    {"ga", "gle irish", "irish", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"he", "heb iw hebrew", NULL, 0, 0, G_UNICODE_SCRIPT_HEBREW},
    {"hi", "hin hindi", NULL, 0, 0, G_UNICODE_SCRIPT_DEVANAGARI},
    {"hu", "hun hungarian", "hungarian", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"hy", "arm hye armenian", "armenian", 0, 0, G_UNICODE_SCRIPT_ARMENIAN},
    {"id", "ind in indonesian", "indonesian", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"it", "ita italian", "italian", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"ja", "jpn japanese", NULL, 1, 0, G_UNICODE_SCRIPT_HAN},
    {"ko", "kor korean", NULL, 1, 0, G_UNICODE_SCRIPT_HANGUL},
    {"lt", "lit lithuanian", "lithuanian", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"ne", "nep npi nepali", "nepali", 0, 0, G_UNICODE_SCRIPT_DEVANAGARI},
    {"nl", "dut nld dutch flemish", "dutch", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"no", "nor nob nno nb nn norwegian", "norwegian", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"pt", "por portuguese", "portuguese", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"ro", "rum ron romanian", "romanian", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"ru", "rus russian", "russian", 0, 0, G_UNICODE_SCRIPT_CYRILLIC},
    {"sv", "swe swedish", "swedish", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"ta", "tam tamil", "tamil", 0, 0, G_UNICODE_SCRIPT_TAMIL},
    {"tr", "tur turkish", "turkish", 0, 0, G_UNICODE_SCRIPT_LATIN},
    {"zh", "chi zho cmn chinese mandarin", NULL, 1, 0, G_UNICODE_SCRIPT_HAN},
};

#define N_LANGUAGES (sizeof languages / sizeof languages[0])

/* Longest primary subtag we try to match: the longest English name. */
#define NAME_MAX_LEN 16

/* Does the space-separated list hold word (already lower case)? */
static int alias_has(const char *aliases, const char *word, size_t word_len)
{
    const char *p = aliases;
    while (*p) {
        size_t n = strcspn(p, " ");
        if (n == word_len && memcmp(p, word, n) == 0)
            return 1;
        p += n;
        while (*p == ' ')
            p++;
    }
    return 0;
}

/* The entry whose code or alias is word (lower case), or NULL. */
static const language *language_lookup(const char *word, size_t word_len)
{
    for (size_t i = 0; i < N_LANGUAGES; i++) {
        if (strlen(languages[i].code) == word_len && memcmp(languages[i].code, word, word_len) == 0)
            return &languages[i];
    }
    for (size_t i = 0; i < N_LANGUAGES; i++) {
        if (alias_has(languages[i].aliases, word, word_len))
            return &languages[i];
    }
    return NULL;
}

/* Names of languages in themselves, as a user may type them (lang=español,
 * lang=中文): code, then names in lower case, space-separated. */
static const struct {
    const char *code, *names;
} native_names[] = {
    {"ar", "العربية عربي"},
    {"ca", "català catala"},
    {"da", "dansk"},
    {"de", "deutsch"},
    {"el", "ελληνικά ελληνικα"},
    {"en", "english"},
    {"es", "español espanol castellano"},
    {"fi", "suomi"},
    {"fr", "français francais"},
    {"he", "עברית"},
    {"hi", "हिन्दी हिंदी"},
    {"hu", "magyar"},
    {"it", "italiano"},
    {"ja", "日本語"},
    {"ko", "한국어"},
    {"nl", "nederlands"},
    {"no", "norsk"},
    {"pt", "português portugues"},
    {"ro", "română romana"},
    {"ru", "русский"},
    {"sv", "svenska"},
    {"tr", "türkçe turkce"},
    {"zh", "中文 汉语 漢語 简体中文 繁體中文 普通话"},
};

/* The code whose native name is tag (any case, surrounding white space
 * ignored), or NULL. */
static const char *native_lookup(const char *tag)
{
    char *trimmed = g_strstrip(g_strdup(tag));
    char *folded = g_utf8_validate(trimmed, -1, NULL) ? g_utf8_strdown(trimmed, -1) : NULL;
    g_free(trimmed);
    const char *code = NULL;
    for (size_t i = 0; folded && folded[0] && !code && i < G_N_ELEMENTS(native_names); i++)
        if (alias_has(native_names[i].names, folded, strlen(folded)))
            code = native_names[i].code;
    g_free(folded);
    return code;
}

/* civ_lang_normalise for codes and English names. */
static const char *normalise_ascii(const char *tag, char *out, size_t out_size)
{
    char primary[NAME_MAX_LEN + 1];
    size_t n = 0;
    const char *p;
    const language *lang;

    if (!tag || !out || out_size < 3)
        return NULL;
    p = tag;
    while (g_ascii_isspace(*p))
        p++;
    /* The primary subtag: letters up to a BCP-47 '-' or a POSIX-locale '_'
     * ("en-US", "zh-Hans", "zh_CN", "cmn_hans"). Anything else after the
     * letters ("en!", "english2") makes the tag garbage, not a language. */
    while (g_ascii_isalpha(p[n])) {
        if (n == NAME_MAX_LEN)
            return NULL;
        primary[n] = g_ascii_tolower(p[n]);
        n++;
    }
    if (n < 2)
        return NULL;
    if (p[n] != '\0' && p[n] != '-' && p[n] != '_') {
        const char *rest = p + n;
        while (g_ascii_isspace(*rest))
            rest++;
        if (*rest != '\0')
            return NULL;
    }
    lang = language_lookup(primary, n);
    if (!lang)
        return NULL;
    g_strlcpy(out, lang->code, out_size);
    return out;
}

const char *civ_lang_normalise(const char *tag, char *out, size_t out_size)
{
    if (normalise_ascii(tag, out, out_size))
        return out;
    const char *native = tag && out && out_size >= 3 ? native_lookup(tag) : NULL;
    if (!native)
        return NULL;
    g_strlcpy(out, native, out_size);
    return out;
}

/* ---- the table ---------------------------------------------------------- */

static civ_xapian_lang lang_table[N_LANGUAGES];
/* Writable copies of the embedded lists; the words in lang_table point
 * into them. Kept here so that they stay reachable for the program's life. */
static char *stopword_text[N_LANGUAGES];

/* Split a list into words: one per line, '#' to the end of the line is a
 * comment, surrounding whitespace (and a CR) is dropped, blank lines are
 * skipped. text is modified in place; the words point into it. */
static const char **split_stopwords(char *text, size_t *n_words)
{
    size_t max_words = 1, n = 0;
    const char **words;
    char *line = text;

    for (const char *c = text; *c; c++)
        max_words += (*c == '\n');
    words = g_new0(const char *, max_words);
    while (line) {
        char *next = strchr(line, '\n');
        char *hash;
        if (next)
            *next++ = '\0';
        hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        g_strstrip(line);
        if (*line)
            words[n++] = line;
        line = next;
    }
    *n_words = n;
    return words;
}

static void build_table(void)
{
    for (size_t i = 0; i < N_LANGUAGES; i++) {
        lang_table[i].code = languages[i].code;
        lang_table[i].stemmer = languages[i].stemmer;
        lang_table[i].cjk = languages[i].cjk;
        lang_table[i].elision = languages[i].elision;
        lang_table[i].stopwords = NULL;
        lang_table[i].n_stopwords = 0;
        for (size_t f = 0; f < civ_stopword_files_count; f++) {
            const civ_stopword_file *file = &civ_stopword_files[f];
            if (strcmp(file->code, languages[i].code) != 0)
                continue;
            stopword_text[i] = g_strndup(file->text, file->len);
            lang_table[i].stopwords = split_stopwords(stopword_text[i], &lang_table[i].n_stopwords);
            break;
        }
    }
}

const civ_xapian_lang *civ_lang_table(size_t *n)
{
    static gsize built = 0;

    if (g_once_init_enter(&built)) {
        build_table();
        g_once_init_leave(&built, 1);
    }
    if (n)
        *n = N_LANGUAGES;
    return lang_table;
}

const civ_xapian_lang *civ_lang_find(const char *code)
{
    size_t n;
    const civ_xapian_lang *table = civ_lang_table(&n);

    if (!code)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (g_ascii_strcasecmp(table[i].code, code) == 0)
            return &table[i];
    }
    return NULL;
}

/* ---- identification ----------------------------------------------------- */

/* The classifier needs a few hundred bytes; the start of a document is as
 * good as the whole and keeps the cost flat. 4 KB also keeps Chinese clear
 * of Japanese, which 256-512 bytes of Chinese do not. */
#define SAMPLE_MAX 4096
/* Below this many bytes libexttextcat answers "SHORT": on "ok" it would
 * otherwise answer Slovak, on "the right" Scots. */
#define SAMPLE_MIN 25

/* The code for a libexttextcat category name, or NULL. Its fpdb.conf names
 * categories language-country-encoding: "en--utf8", "zh-CN-utf8" (zh-Hans),
 * "zh-TW-utf8" (zh-Hant), "haw-utf8". Two neighbours are folded into the
 * language they are mistaken for: the Asturian model wins on plain Spanish
 * (UDHR article 26 in Spanish classifies as "ast") and the Scots model on
 * short English; neither is a language of the UN record. */
static const char *code_for_category(const char *name)
{
    size_t n = strcspn(name, "-");
    const language *lang;

    if (n == 3 && memcmp(name, "ast", 3) == 0)
        return "es";
    if (n == 3 && memcmp(name, "sco", 3) == 0)
        return "en";
    /* Only codes, never names, come from here: require a 2-3 letter code. */
    if (n < 2 || n > 3)
        return NULL;
    lang = language_lookup(name, n);
    return lang ? lang->code : NULL;
}

/* The six official UN languages: the only ones trusted from an ambiguous
 * answer, where the best guess must be both first and the likely one. */
static int is_un_language(const char *code)
{
    static const char *const un[] = {"ar", "en", "es", "fr", "ru", "zh"};
    for (size_t i = 0; i < G_N_ELEMENTS(un); i++) {
        if (strcmp(code, un[i]) == 0)
            return 1;
    }
    return 0;
}

/* libexttextcat's models (its fpdb.conf, in its order), read with its
 * fingerprint functions rather than its classifier so that a question can
 * be put to part of them: comparing a sample with each of the ~170 models
 * is nearly all of an answer's cost (about 0.4 ms). The models of the
 * languages in `languages` come first (model_code not NULL), the others
 * after. Read once, then only read: the models live for the program's
 * life, reachable from these statics, and need no lock. */
#define MAX_MODELS 256
static void *models[MAX_MODELS];
static const char *model_code[MAX_MODELS];
static size_t n_models, n_known_models;

static void read_models(void)
{
    /* CIV_TEXTCAT_DIR (from the build) ends with '/': the models are
     * listed in fpdb.conf by file name and found relative to it. */
    char *conf = NULL;
    if (!g_file_get_contents(CIV_TEXTCAT_DIR "fpdb.conf", &conf, NULL, NULL))
        return;
    void *other[MAX_MODELS];
    size_t n_other = 0;
    char **lines = g_strsplit(conf, "\n", -1);
    for (char **l = lines; *l && n_models + n_other < MAX_MODELS; l++) {
        char *hash = strchr(*l, '#');
        if (hash)
            *hash = '\0';
        char **f = g_strsplit_set(g_strstrip(*l), " \t", -1);
        char *file = f[0] && f[0][0] ? f[0] : NULL, *name = NULL;
        for (char **w = f + (file ? 1 : 0); *w && file && !name; w++)
            name = **w ? *w : NULL;
        if (name) {
            char *path = g_strconcat(CIV_TEXTCAT_DIR, file, NULL);
            void *fp = fp_Init(name);
            fp_SetProperty(fp, TCPROP_UTF8AWARE, TC_TRUE);
            if (fp_Read(fp, path, MAXNGRAMS) == 0) {
                fp_Done(fp);
            } else if (code_for_category(fp_Name(fp))) {
                model_code[n_models] = code_for_category(fp_Name(fp));
                models[n_models++] = fp;
            } else {
                other[n_other++] = fp;
            }
            g_free(path);
        }
        g_strfreev(f);
    }
    g_strfreev(lines);
    g_free(conf);
    n_known_models = n_models;
    for (size_t i = 0; i < n_other; i++)
        models[n_models++] = other[i];
}

/* Whether model i is among those asked: every one when held is NULL, else
 * those of a language of held[0..n_held). */
static int model_asked(size_t i, const char *const *held, size_t n_held)
{
    if (!held)
        return 1;
    for (size_t k = 0; model_code[i] && k < n_held; k++)
        if (strcmp(model_code[i], held[k]) == 0)
            return 1;
    return 0;
}

/* The code of the language of text[0..len) among the first n models (of
 * those, the ones model_asked), or NULL, by libexttextcat's own rule
 * (textcat_ClassifyFull): the model nearest the sample, with every model
 * scoring within THRESHOLDVALUE of it a candidate; more than MAXCANDIDATES
 * candidates is no answer, and of several only one of the UN's six
 * languages is trusted. */
static const char *classify(const char *text, size_t len, size_t n, const char *const *held,
                            size_t n_held)
{
    const char *code = NULL;
    void *sample = fp_Init(NULL);
    if (!sample)
        return NULL;
    fp_SetProperty(sample, TCPROP_UTF8AWARE, TC_TRUE);
    fp_SetProperty(sample, TCPROP_MINIMUM_DOCUMENT_SIZE, SAMPLE_MIN);
    if (fp_Create(sample, text, (uint4)len, MAXNGRAMS)) {
        int score[MAX_MODELS];
        int threshold = MAXSCORE, best = -1;
        for (size_t i = 0; i < n; i++) {
            if (!model_asked(i, held, n_held)) {
                score[i] = MAXSCORE;
                continue;
            }
            score[i] = fp_Compare(models[i], sample, threshold);
            if (best < 0 || score[i] < score[best]) {
                best = (int)i;
                threshold = (int)((double)score[i] * THRESHOLDVALUE);
            }
        }
        size_t candidates = 0;
        for (size_t i = 0; i < n; i++)
            candidates += score[i] < threshold;
        if (best >= 0 && candidates <= MAXCANDIDATES) {
            code = model_code[best];
            if (code && candidates > 1 && !is_un_language(code))
                code = NULL;
        }
    }
    fp_Done(sample);
    return code;
}

static void open_models(void)
{
    static gsize opened = 0;
    if (g_once_init_enter(&opened)) {
        read_models();
        g_once_init_leave(&opened, 1);
    }
}

/* The sample of text[0..len) the classifier may read: at most SAMPLE_MAX
 * bytes, starting and ending on a character, valid UTF-8; NULL when under
 * SAMPLE_MIN bytes. */
static const char *sample_of(const char *text, size_t *len)
{
    const gchar *valid_end;
    if (!text)
        return NULL;
    /* A caller cutting a document by bytes may start us inside a
     * character: skip its continuation bytes (at most three). */
    for (int i = 0; i < 3 && *len > 0 && ((unsigned char)*text & 0xC0) == 0x80; i++) {
        text++;
        (*len)--;
    }
    /* Classify the longest valid UTF-8 prefix of the sample: this cuts on
     * a character boundary and keeps a truncated or invalid sequence (or a
     * NUL) away from the classifier, which trusts lead bytes. */
    if (*len > SAMPLE_MAX)
        *len = SAMPLE_MAX;
    g_utf8_validate(text, (gssize)*len, &valid_end);
    *len = (size_t)(valid_end - text);
    return *len < SAMPLE_MIN ? NULL : text;
}

const char *civ_lang_identify(const char *text, size_t len)
{
    open_models();
    text = sample_of(text, &len);
    return text ? classify(text, len, n_models, NULL, 0) : NULL;
}

/* ---- a query's language ------------------------------------------------- */

/* The scripts whose letters tell a query's language without asking the
 * identifier, and that language. */
typedef struct script_default {
    GUnicodeScript script;
    const char *code; /* the language a query in this script is taken to be in */
} script_default;

static const script_default script_defaults[] = {
    {G_UNICODE_SCRIPT_ARABIC, "ar"},   {G_UNICODE_SCRIPT_CYRILLIC, "ru"},
    {G_UNICODE_SCRIPT_HAN, "zh"},      {G_UNICODE_SCRIPT_HIRAGANA, "ja"},
    {G_UNICODE_SCRIPT_KATAKANA, "ja"}, {G_UNICODE_SCRIPT_HANGUL, "ko"},
    {G_UNICODE_SCRIPT_GREEK, "el"},    {G_UNICODE_SCRIPT_HEBREW, "he"},
    {G_UNICODE_SCRIPT_ARMENIAN, "hy"},
};

/* The entry of the script most of q's letters are in; NULL (Latin) when
 * no such script has more letters than Latin, and for q without letters. */
static const script_default *query_script(const char *q)
{
    size_t n = G_N_ELEMENTS(script_defaults);
    unsigned counts[G_N_ELEMENTS(script_defaults)] = {0}, latin = 0;
    for (const char *p = q; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!g_unichar_isalpha(c))
            continue;
        GUnicodeScript s = g_unichar_get_script(c);
        if (s == G_UNICODE_SCRIPT_LATIN)
            latin++;
        for (size_t i = 0; i < n; i++)
            if (script_defaults[i].script == s)
                counts[i]++;
    }
    size_t best = 0, kana = n;
    for (size_t i = 0; i < n; i++) {
        if (counts[i] > counts[best])
            best = i;
        if (counts[i] && (script_defaults[i].script == G_UNICODE_SCRIPT_HIRAGANA ||
                          script_defaults[i].script == G_UNICODE_SCRIPT_KATAKANA))
            kana = i;
    }
    /* Japanese mixes Han with kana: any kana makes Han text Japanese. */
    if (script_defaults[best].script == G_UNICODE_SCRIPT_HAN && kana < n)
        best = kana;
    return counts[best] > latin ? &script_defaults[best] : NULL;
}

const char *civ_lang_of_query(const char *q, const char *const *held, size_t n_held,
                              int *identified)
{
    *identified = 0;
    const script_default *sd = query_script(q);
    /* Japanese kana: the Han languages held do not settle it. */
    GUnicodeScript script =
        !sd ? G_UNICODE_SCRIPT_LATIN
        : sd->script == G_UNICODE_SCRIPT_HIRAGANA || sd->script == G_UNICODE_SCRIPT_KATAKANA
            ? G_UNICODE_SCRIPT_INVALID_CODE
            : sd->script;
    /* The languages held that are written in q's script (each one
     * static, as language_lookup's codes are). */
    const char **written = g_new(const char *, n_held + 1);
    size_t n_written = 0;
    for (size_t i = 0; i < n_held; i++) {
        const language *lang = language_lookup(held[i], strlen(held[i]));
        if (lang && lang->script == script && strcmp(lang->code, held[i]) == 0)
            written[n_written++] = lang->code;
    }
    const char *code = NULL;
    if (n_written == 1) {
        code = written[0];
    } else if (sd && civ_lang_find(sd->code)) {
        code = sd->code;
    } else if (n_written > 1 || n_held == 0) {
        /* Only the models of those languages are asked (all, when the
         * index's languages are not known): comparing a query with each
         * of ~170 models was most of the cost of choosing its language. */
        open_models();
        size_t len = strlen(q);
        const char *sample = sample_of(q, &len);
        if (sample)
            code = classify(sample, len, n_models, n_held ? written : NULL, n_written);
        if (code && civ_lang_find(code)) {
            *identified = 1;
        } else {
            *identified = -1;
            code = "en";
        }
    } else {
        code = "en";
    }
    g_free(written);
    return code;
}

/* Whether text[0..len) is in a language of `languages` other than code,
 * asked of those languages' models only (about a fifth of all): a text in
 * code is nearer code's model than any other either way. */
static int in_other_language(const char *text, size_t len, const char *code)
{
    open_models();
    text = sample_of(text, &len);
    const char *got = text ? classify(text, len, n_known_models, NULL, 0) : NULL;
    return got && strcmp(got, code) != 0;
}

/* A sample of about this many bytes is enough for libexttextcat and keeps
 * identification cheap on big documents. */
#define IDENTIFY_SAMPLE_BYTES 4096

/* Mixed-language documents (a trilingual gazette, the UDHR's first article
 * in many languages) are found by sampling a few long passages spread over
 * the document; only when some are confidently in another language is every
 * passage identified, so single-language documents pay for the sample only. */
#define MIXED_SAMPLES 4
#define MIXED_MIN_BYTES 200   /* shorter passages identify poorly */
#define PASSAGE_MIN_BYTES 100 /* a passage of a mixed document worth asking about */
#define PASSAGE_MAX_BYTES 1024

static const char *identify_passage(const civ_passage *p, size_t min_bytes)
{
    size_t len = strlen(p->text);
    if (len < min_bytes)
        return NULL;
    return civ_lang_identify(p->text, len < PASSAGE_MAX_BYTES ? len : PASSAGE_MAX_BYTES);
}

/* The script most letters of the start of text are written in. */
static GUnicodeScript main_script(const char *text)
{
    enum { SEEN = 8 };
    GUnicodeScript scripts[SEEN];
    int counts[SEEN] = {0}, n = 0, letters = 0;
    for (const char *c = text; *c && letters < 64; c = g_utf8_next_char(c)) {
        gunichar u = g_utf8_get_char(c);
        if (!g_unichar_isalpha(u))
            continue;
        letters++;
        GUnicodeScript sc = g_unichar_get_script(u);
        int k = 0;
        while (k < n && scripts[k] != sc)
            k++;
        if (k == n && n < SEEN)
            scripts[n++] = sc;
        if (k < n)
            counts[k]++;
    }
    int best = -1;
    for (int k = 0; k < n; k++)
        if (best < 0 || counts[k] > counts[best])
            best = k;
    return best < 0 ? G_UNICODE_SCRIPT_UNKNOWN : scripts[best];
}

/* Passages in several scripts (Latin, Cyrillic, Arabic, Han ...) are a
 * cheap, sure sign of a mixed document; languages sharing a script are
 * found by asking the identifier about a few long passages spread over the
 * document. */
static int is_mixed(const civ_document *doc)
{
    size_t n = doc->n_passages;
    GUnicodeScript first = G_UNICODE_SCRIPT_UNKNOWN;
    size_t other_script = 0;
    for (size_t i = 0; i < n && other_script < 2; i++) {
        GUnicodeScript sc = main_script(doc->passages[i].text);
        if (sc == G_UNICODE_SCRIPT_UNKNOWN || sc == G_UNICODE_SCRIPT_COMMON)
            continue;
        if (first == G_UNICODE_SCRIPT_UNKNOWN)
            first = sc;
        else if (sc != first)
            other_script++;
    }
    if (other_script >= 2)
        return 1;

    size_t quarter = n / MIXED_SAMPLES + 1, asked = 0, other = 0;
    /* Round-robin over the document's parts: passage j/k of part j%k.
     * Stop asking once two answered another language, or once the
     * samples left cannot make two. */
    for (size_t j = 0;
         j < MIXED_SAMPLES * quarter && other < 2 && other + (MIXED_SAMPLES - asked) >= 2; j++) {
        size_t idx = (j % MIXED_SAMPLES) * quarter + j / MIXED_SAMPLES;
        if (idx >= n || strlen(doc->passages[idx].text) < MIXED_MIN_BYTES)
            continue;
        asked++;
        const char *text = doc->passages[idx].text;
        size_t len = strlen(text);
        other +=
            in_other_language(text, len < PASSAGE_MAX_BYTES ? len : PASSAGE_MAX_BYTES, doc->lang);
    }
    return other >= 2;
}

void civ_lang_identify_document(civ_document *doc)
{
    if (!doc)
        return;
    if (!doc->lang) {
        GString *sample = g_string_new(NULL);
        for (size_t i = 0; i < doc->n_passages && sample->len < IDENTIFY_SAMPLE_BYTES; i++) {
            g_string_append(sample, doc->passages[i].text);
            g_string_append_c(sample, '\n');
        }
        civ_document_set(doc, &doc->lang, civ_lang_identify(sample->str, sample->len));
        g_string_free(sample, TRUE);
    }
    if (!doc->lang || doc->n_passages < 2 || !is_mixed(doc))
        return;
    for (size_t i = 0; i < doc->n_passages; i++) {
        civ_passage *p = &doc->passages[i];
        if (p->lang)
            continue;
        const char *code = identify_passage(p, PASSAGE_MIN_BYTES);
        if (code && strcmp(code, doc->lang) != 0)
            p->lang = strdup(code);
    }
}
