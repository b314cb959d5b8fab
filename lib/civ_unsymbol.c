/* civ_unsymbol.c: recognise, normalise and parse UN document symbols.
 *
 * A symbol is a root ("A", "S", "E", "CCPR", ...) and components separated
 * by '/'. Parsing splits it into components, classifies each (number,
 * year, word, dotted word like "L.17" or "WG.6"), peels the suffixes
 * (Add.n, Corr.n, Rev.n, Amend.n) off the end, and then matches what is
 * left against the grammar of the root's series. Only whole matches count:
 * a string with a component the grammar does not expect is not a symbol.
 *
 * Normal form: components joined by '/' without spaces, the UN's letter
 * case ("Sub.2", "Add.1", "L.17", upper case elsewhere), a year in brackets
 * after a space ("S/RES/2768 (2025)"), a Roman session without one
 * ("A/RES/217(III)").
 *
 * Kinds (the civ_unsymbol.kind strings):
 *   report                  plain numbered document of a series (A/HRC/59/15)
 *   resolution, decision    RES, DEC
 *   draft                   L. documents: draft resolutions and decisions
 *   verbatim-record         PV.
 *   summary-record          SR.
 *   presidential-statement  PRST
 *   ngo-statement           NGO (written statements by NGOs)
 *   nhri-statement          NI (national human rights institutions)
 *   information             INF
 *   conference-room-paper   CRP.
 *   national-report, compilation, stakeholder-summary
 *                           the three UPR documents, A/HRC/WG.6/.../1, 2, 3
 *   communication           treaty-body views and decisions (C/121/D/...)
 *   general-comment         treaty-body general comments / recommendations
 *   concluding-observations, list-of-issues, state-report
 *                           treaty-body country documents
 *   core-document           HRI/CORE
 *   bulletin, administrative-instruction
 *                           ST/SGB, ST/AI
 *
 * Sessions are what the symbol carries: a number for the General Assembly,
 * the Human Rights Council and treaty bodies (years are rejected there:
 * "A/HRC/2015/49" is not a symbol), a year for ECOSOC and its commissions
 * and HRI, "S-35"/"ES-10" for special sessions.
 */
#include "civ_unsymbol.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Components of one symbol, and the bytes of one component. */
#define MAX_COMPS 12
#define COMP_MAX 24

typedef enum comp_type {
    C_NUM,     /* "49", "2025", "8-11" (has_range) */
    C_WORD,    /* "HRC", "RES", "SVN", "Add" */
    C_DOTTED,  /* "L.17", "WG.6", "CN.4", "Add.1" */
    C_SPECIAL, /* "S-35", "ES-10": special sessions */
    C_OTHER
} comp_type;

typedef struct comp {
    comp_type type;
    char word[COMP_MAX]; /* letters as given (C_WORD, C_DOTTED, C_SPECIAL) */
    char num[COMP_MAX];  /* digits (C_NUM, C_DOTTED, C_SPECIAL), with "-n" for a range */
    int has_range;
    char paren[8]; /* "(2025)" or "(III)": contents, "" when none */
    int paren_roman;
} comp;

typedef struct parser {
    comp c[MAX_COMPS];
    size_t n;    /* components, the root included */
    size_t main; /* components before the suffixes */
    int flags;
    const char *why; /* the reason a string is not a symbol */
} parser;

/* Words the UN writes in mixed case; every other word is upper case. */
static const char *const mixed_case[] = {"Sub", "Add", "Corr", "Rev", "Amend"};

static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The UN's spelling of word (as given, len bytes) into out, and whether
 * the given spelling already is it. */
static int canonical_word(const char *word, size_t len, char *out, size_t size)
{
    if (len + 1 > size) {
        out[0] = '\0';
        return 0;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(mixed_case); i++) {
        if (strlen(mixed_case[i]) == len && g_ascii_strncasecmp(word, mixed_case[i], len) == 0) {
            memcpy(out, mixed_case[i], len + 1);
            return memcmp(out, word, len) == 0;
        }
    }
    int same = 1;
    for (size_t i = 0; i < len; i++) {
        out[i] = g_ascii_toupper(word[i]);
        same &= out[i] == word[i];
    }
    out[len] = '\0';
    return same;
}

static size_t count_digits(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && is_digit(s[i]))
        i++;
    return i;
}

/* A number as the UN prints one: 1 to 6 digits without a leading zero. */
static int good_number(const char *s, size_t len)
{
    return len >= 1 && len <= 6 && !(s[0] == '0' && len > 1) && s[0] != '0';
}

static int is_roman(const char *s, size_t len)
{
    if (!len || len > 7)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!strchr("IVXL", s[i]))
            return 0;
    return 1;
}

/* Classify s[0..len) (trimmed) into *c. Returns 0 when the component cannot
 * be part of a symbol at all, or has the wrong letter case for flags. */
static int classify(const char *s, size_t len, int flags, comp *c)
{
    memset(c, 0, sizeof *c);
    c->type = C_OTHER;
    /* A year or Roman session in brackets after the number: "2768 (2025)". */
    const char *open = memchr(s, '(', len);
    if (open) {
        const char *close = s + len - 1;
        size_t inner = (size_t)(close - open - 1);
        if (*close != ')' || inner == 0 || inner >= sizeof c->paren)
            return 0;
        size_t head = (size_t)(open - s);
        while (head && is_space(s[head - 1]))
            head--;
        if (count_digits(open + 1, inner) == inner && inner == 4) {
            c->paren_roman = 0;
        } else if (is_roman(open + 1, inner)) {
            c->paren_roman = 1;
        } else {
            return 0;
        }
        memcpy(c->paren, open + 1, inner);
        c->paren[inner] = '\0';
        len = head;
    }
    if (len == 0 || len >= COMP_MAX)
        return 0;
    size_t d = count_digits(s, len);
    if (d == len) {
        if (!good_number(s, len))
            return 0;
        c->type = C_NUM;
        memcpy(c->num, s, len);
        c->num[len] = '\0';
        return 1;
    }
    if (d > 0) {
        /* A range of reports: "8-11". */
        if (s[d] != '-' || count_digits(s + d + 1, len - d - 1) != len - d - 1 ||
            !good_number(s, d) || !good_number(s + d + 1, len - d - 1) || c->paren[0])
            return 0;
        c->type = C_NUM;
        c->has_range = 1;
        memcpy(c->num, s, len);
        c->num[len] = '\0';
        return 1;
    }
    size_t w = 0;
    while (w < len && is_alpha(s[w]))
        w++;
    if (w == 0 || c->paren[0])
        return 0;
    /* Two bodies' joint series: "DP-FPA" (UNDP and UNFPA). */
    if (w + 1 < len && s[w] == '-' && is_alpha(s[w + 1])) {
        size_t k = w + 1;
        while (k < len && is_alpha(s[k]))
            k++;
        if (k == len)
            w = len;
    }
    char canon[COMP_MAX];
    int same = canonical_word(s, w, canon, sizeof canon);
    if (!same && !(flags & CIV_UNSYMBOL_CASELESS))
        return 0;
    memcpy(c->word, canon, w + 1);
    if (w == len) {
        c->type = C_WORD;
        return 1;
    }
    size_t rest = len - w - 1;
    if ((s[w] == '.' || s[w] == '-') && rest >= 1 && count_digits(s + w + 1, rest) == rest &&
        good_number(s + w + 1, rest)) {
        c->type = s[w] == '.' ? C_DOTTED : C_SPECIAL;
        if (c->type == C_SPECIAL && strcmp(c->word, "S") != 0 && strcmp(c->word, "ES") != 0)
            return 0;
        memcpy(c->num, s + w + 1, rest);
        c->num[rest] = '\0';
        return 1;
    }
    return 0;
}

static int word_is(const comp *c, const char *word)
{
    return c->type == C_WORD && strcmp(c->word, word) == 0;
}

static int dotted_is(const comp *c, const char *word)
{
    return c->type == C_DOTTED && strcmp(c->word, word) == 0;
}

static int plain_num(const comp *c)
{
    return c->type == C_NUM && !c->has_range && !c->paren[0];
}

/* A numbered session: 1 to 3 digits ("59", "121"), never a year. */
static int num_session(const comp *c)
{
    return plain_num(c) && strlen(c->num) <= 3;
}

static int year_value(const char *s)
{
    if (strlen(s) != 4)
        return 0;
    int y = atoi(s);
    return y >= 1946 && y <= 2099 ? y : 0;
}

static int year_session(const comp *c)
{
    return plain_num(c) && year_value(c->num);
}

static int special_session(const comp *c)
{
    return c->type == C_SPECIAL;
}

static int country(const comp *c)
{
    if (c->type != C_WORD || strlen(c->word) != 3 || !is_alpha(c->word[1]))
        return 0;
    static const char *const reserved[] = {"RES", "DEC", "NGO", "INF", "GEN", "SGB",
                                           "CRP", "QPR", "HRC", "MC",  "SP",  "OP"};
    for (size_t i = 0; i < G_N_ELEMENTS(reserved); i++)
        if (strcmp(c->word, reserved[i]) == 0)
            return 0;
    return 1;
}

static int suffix(const comp *c)
{
    return c->type == C_DOTTED && strlen(c->num) <= 3 &&
           (!strcmp(c->word, "Add") || !strcmp(c->word, "Corr") || !strcmp(c->word, "Rev") ||
            !strcmp(c->word, "Amend"));
}

/* Write component c in normal form. */
static void comp_string(const comp *c, char *out, size_t size)
{
    switch (c->type) {
    case C_NUM:
        if (c->paren[0])
            snprintf(out, size, c->paren_roman ? "%s(%s)" : "%s (%s)", c->num, c->paren);
        else
            snprintf(out, size, "%s", c->num);
        break;
    case C_WORD:
        snprintf(out, size, "%s", c->word);
        break;
    case C_DOTTED:
        snprintf(out, size, "%s.%s", c->word, c->num);
        break;
    case C_SPECIAL:
        snprintf(out, size, "%s-%s", c->word, c->num);
        break;
    default:
        out[0] = '\0';
        break;
    }
}

static void set_str(char *dst, size_t size, const char *src)
{
    g_strlcpy(dst, src ? src : "", size);
}

static void set_comp(char *dst, size_t size, const comp *c)
{
    comp_string(c, dst, size);
}

/* ---- grammars, one per root; p->c[0] is the root, [1, p->main) the rest.
 * Each returns 1 and fills out on a match. */

static int yearly(const comp *c, size_t n, int bare_number, civ_unsymbol *u);

/* Human Rights Council: A/HRC/... */
static int hrc(const parser *p, civ_unsymbol *u)
{
    const comp *c = p->c + 2;
    size_t n = p->main - 2;
    u->body = "HRC";
    if (n == 3 && (word_is(&c[0], "RES") || word_is(&c[0], "DEC") || word_is(&c[0], "PRST")) &&
        (num_session(&c[1]) || special_session(&c[1])) && plain_num(&c[2])) {
        u->kind = word_is(&c[0], "RES")   ? "resolution"
                  : word_is(&c[0], "DEC") ? "decision"
                                          : "presidential-statement";
        set_comp(u->session, sizeof u->session, &c[1]);
        set_comp(u->number, sizeof u->number, &c[2]);
        return 1;
    }
    /* UPR documents: A/HRC/WG.6/48/SVN/3. */
    if (n == 4 && dotted_is(&c[0], "WG") && num_session(&c[1]) && country(&c[2]) &&
        plain_num(&c[3])) {
        int k = atoi(c[3].num);
        if (strcmp(c[0].num, "6") == 0)
            u->kind = k == 1   ? "national-report"
                      : k == 2 ? "compilation"
                      : k == 3 ? "stakeholder-summary"
                               : "report";
        else
            u->kind = "report";
        set_comp(u->session, sizeof u->session, &c[1]);
        set_comp(u->country, sizeof u->country, &c[2]);
        set_comp(u->number, sizeof u->number, &c[3]);
        return 1;
    }
    /* Working-group session documents: A/HRC/WG.6/48/L.10, A/HRC/WG.6/48/1. */
    if (n == 3 && dotted_is(&c[0], "WG") && num_session(&c[1]) &&
        (plain_num(&c[2]) || dotted_is(&c[2], "L"))) {
        u->kind = dotted_is(&c[2], "L") ? "draft" : "report";
        set_comp(u->session, sizeof u->session, &c[1]);
        set_comp(u->number, sizeof u->number, &c[2]);
        return 1;
    }
    /* The Expert Mechanism on the Rights of Indigenous Peoples sits by
     * year: A/HRC/EMRIP/2025/2. */
    if (n >= 2 && word_is(&c[0], "EMRIP"))
        return yearly(c + 1, n - 1, 0, u);
    /* The Advisory Committee numbers its own sessions: A/HRC/AC/31/2. */
    if (n >= 3 && word_is(&c[0], "AC")) {
        c++;
        n--;
    }
    if (n >= 2 && (num_session(&c[0]) || special_session(&c[0]))) {
        set_comp(u->session, sizeof u->session, &c[0]);
        if (n == 2 && plain_num(&c[1])) {
            u->kind = "report";
        } else if (n == 2 && dotted_is(&c[1], "L")) {
            u->kind = "draft";
        } else if (n == 2 && dotted_is(&c[1], "SR")) {
            u->kind = "summary-record";
        } else if (n == 2 && dotted_is(&c[1], "CRP")) {
            u->kind = "conference-room-paper";
        } else if (n == 3 && (word_is(&c[1], "NGO") || word_is(&c[1], "NI")) && plain_num(&c[2])) {
            u->kind = word_is(&c[1], "NGO") ? "ngo-statement" : "nhri-statement";
            set_comp(u->number, sizeof u->number, &c[2]);
            return 1;
        } else {
            return 0;
        }
        set_comp(u->number, sizeof u->number, &c[1]);
        return 1;
    }
    return 0;
}

/* General Assembly: A/... */
static int ga(const parser *p, civ_unsymbol *u)
{
    if (p->main >= 2 && word_is(&p->c[1], "HRC"))
        return hrc(p, u);
    const comp *c = p->c + 1;
    size_t n = p->main - 1;
    u->body = "GA";
    /* Resolutions of the first sessions: A/RES/217(III). */
    if (n == 2 && word_is(&c[0], "RES") && c[1].type == C_NUM && c[1].paren_roman &&
        !c[1].has_range) {
        u->kind = "resolution";
        set_str(u->session, sizeof u->session, c[1].paren);
        set_str(u->number, sizeof u->number, c[1].num);
        return 1;
    }
    if (n == 3 && (word_is(&c[0], "RES") || word_is(&c[0], "DEC") || word_is(&c[0], "INF")) &&
        (num_session(&c[1]) || special_session(&c[1])) && plain_num(&c[2])) {
        u->kind = word_is(&c[0], "RES")   ? "resolution"
                  : word_is(&c[0], "DEC") ? "decision"
                                          : "information";
        set_comp(u->session, sizeof u->session, &c[1]);
        set_comp(u->number, sizeof u->number, &c[2]);
        return 1;
    }
    /* Committees, commissions and conferences of the Assembly, numbered
     * in the series: A/AC.109/2025/19 (decolonization), A/CN.10/2025/INF/1
     * (disarmament), A/CN.4/L.950 (international law), A/CONF.230/2025/1,
     * A/CONF.157/23 (the Vienna Declaration). */
    if (n >= 2 && (dotted_is(&c[0], "AC") || dotted_is(&c[0], "CN") || dotted_is(&c[0], "CONF")))
        return yearly(c + 1, n - 1, 1, u);
    /* Main Committees: A/C.3/79/L.5. */
    if (n >= 3 && dotted_is(&c[0], "C") && strlen(c[0].num) == 1) {
        c++;
        n--;
    }
    if (n == 2 && (num_session(&c[0]) || special_session(&c[0]))) {
        if (plain_num(&c[1]))
            u->kind = "report";
        else if (dotted_is(&c[1], "L"))
            u->kind = "draft";
        else if (dotted_is(&c[1], "PV"))
            u->kind = "verbatim-record";
        else if (dotted_is(&c[1], "SR"))
            u->kind = "summary-record";
        else
            return 0;
        set_comp(u->session, sizeof u->session, &c[0]);
        set_comp(u->number, sizeof u->number, &c[1]);
        return 1;
    }
    return 0;
}

/* Security Council: S/RES/2768 (2025), S/2025/10, S/PRST/2025/1, S/PV.9836. */
static int sc(const parser *p, civ_unsymbol *u)
{
    const comp *c = p->c + 1;
    size_t n = p->main - 1;
    u->body = "SC";
    if (n == 2 && word_is(&c[0], "RES") && c[1].type == C_NUM && !c[1].has_range && c[1].paren[0] &&
        !c[1].paren_roman && year_value(c[1].paren)) {
        u->kind = "resolution";
        set_str(u->year, sizeof u->year, c[1].paren);
        set_str(u->number, sizeof u->number, c[1].num);
        return 1;
    }
    /* Without its year, as running text sometimes cites it. */
    if (n == 2 && word_is(&c[0], "RES") && plain_num(&c[1])) {
        u->kind = "resolution";
        set_comp(u->number, sizeof u->number, &c[1]);
        return 1;
    }
    if (n == 3 && word_is(&c[0], "PRST") && year_session(&c[1]) && plain_num(&c[2])) {
        u->kind = "presidential-statement";
        set_str(u->year, sizeof u->year, c[1].num);
        set_comp(u->number, sizeof u->number, &c[2]);
        return 1;
    }
    if (n == 2 && year_session(&c[0]) && plain_num(&c[1])) {
        u->kind = "report";
        set_str(u->year, sizeof u->year, c[0].num);
        set_comp(u->number, sizeof u->number, &c[1]);
        return 1;
    }
    if (n == 1 && dotted_is(&c[0], "PV")) {
        u->kind = "verbatim-record";
        set_comp(u->number, sizeof u->number, &c[0]);
        return 1;
    }
    return 0;
}

/* The documents of a commission, council or committee sitting by year:
 * <year>/<num>, <year>/L.<n>, <year>/SR.<n>, <year>/CRP.<n>,
 * <year>/NGO/<num>, <year>/INF/<num>, RES|DEC/<year>/<num>, and (the old
 * Commission on Human Rights, the General Assembly's committees and
 * conferences) a bare <num> or L.<n>. */
static int yearly(const comp *c, size_t n, int bare_number, civ_unsymbol *u)
{
    if (n == 3 && (word_is(&c[0], "RES") || word_is(&c[0], "DEC")) && year_session(&c[1]) &&
        plain_num(&c[2])) {
        u->kind = word_is(&c[0], "RES") ? "resolution" : "decision";
        set_comp(u->session, sizeof u->session, &c[1]);
        set_str(u->year, sizeof u->year, c[1].num);
        set_comp(u->number, sizeof u->number, &c[2]);
        return 1;
    }
    if (n == 3 && year_session(&c[0]) && (word_is(&c[1], "NGO") || word_is(&c[1], "INF")) &&
        plain_num(&c[2])) {
        u->kind = word_is(&c[1], "NGO") ? "ngo-statement" : "information";
        set_comp(u->session, sizeof u->session, &c[0]);
        set_str(u->year, sizeof u->year, c[0].num);
        set_comp(u->number, sizeof u->number, &c[2]);
        return 1;
    }
    if (n == 2 && year_session(&c[0]) &&
        (plain_num(&c[1]) || dotted_is(&c[1], "L") || dotted_is(&c[1], "SR") ||
         dotted_is(&c[1], "CRP"))) {
        u->kind = plain_num(&c[1])         ? "report"
                  : dotted_is(&c[1], "L")  ? "draft"
                  : dotted_is(&c[1], "SR") ? "summary-record"
                                           : "conference-room-paper";
        set_comp(u->session, sizeof u->session, &c[0]);
        set_str(u->year, sizeof u->year, c[0].num);
        set_comp(u->number, sizeof u->number, &c[1]);
        return 1;
    }
    if (bare_number && n == 1 && (plain_num(&c[0]) || dotted_is(&c[0], "L"))) {
        u->kind = plain_num(&c[0]) ? "report" : "draft";
        set_comp(u->number, sizeof u->number, &c[0]);
        return 1;
    }
    return 0;
}

static int treaty_committee(const comp *c, size_t n, civ_unsymbol *u);

/* ECOSOC: E/..., its commissions E/CN.n/... and CESCR E/C.12/... */
static int ecosoc(const parser *p, civ_unsymbol *u)
{
    const comp *c = p->c + 1;
    size_t n = p->main - 1;
    if (n >= 1 && dotted_is(&c[0], "C") && strcmp(c[0].num, "12") == 0) {
        u->body = "CESCR";
        return treaty_committee(c + 1, n - 1, u);
    }
    if (n >= 2 && dotted_is(&c[0], "CN")) {
        int chr = strcmp(c[0].num, "4") == 0;
        u->body = chr ? "CHR" : strcmp(c[0].num, "6") == 0 ? "CSW" : "ECOSOC";
        /* The Sub-Commission: E/CN.4/Sub.2/1998/13. */
        if (chr && dotted_is(&c[1], "Sub") && strcmp(c[1].num, "2") == 0)
            return yearly(c + 2, n - 2, 1, u);
        return yearly(c + 1, n - 1, chr, u);
    }
    u->body = "ECOSOC";
    return yearly(c, n, 0, u);
}

/* A treaty body's committee documents, after "<ROOT>/C/" (or E/C.12/). */
static int treaty_committee(const comp *c, size_t n, civ_unsymbol *u)
{
    if (n == 2 && word_is(&c[0], "GC") && plain_num(&c[1])) {
        u->kind = "general-comment";
        set_comp(u->number, sizeof u->number, &c[1]);
        return 1;
    }
    if (n >= 2 && country(&c[0])) {
        set_comp(u->country, sizeof u->country, &c[0]);
        if (n == 2 && c[1].type == C_NUM && !c[1].paren[0]) {
            u->kind = "state-report";
            set_comp(u->number, sizeof u->number, &c[1]);
            return 1;
        }
        if (n == 3 && (word_is(&c[1], "CO") || word_is(&c[1], "Q") || word_is(&c[1], "QPR")) &&
            c[2].type == C_NUM && !c[2].paren[0]) {
            u->kind = word_is(&c[1], "CO") ? "concluding-observations" : "list-of-issues";
            set_comp(u->number, sizeof u->number, &c[2]);
            return 1;
        }
        return 0;
    }
    /* Views and decisions on communications: CCPR/C/121/D/2025/2011. */
    if (n == 4 && num_session(&c[0]) && word_is(&c[1], "D") && plain_num(&c[2]) &&
        plain_num(&c[3]) && year_value(c[3].num)) {
        u->kind = "communication";
        set_comp(u->session, sizeof u->session, &c[0]);
        if (strlen(c[2].num) + strlen(c[3].num) + 2 > sizeof u->number)
            return 0;
        snprintf(u->number, sizeof u->number, "%.8s/%.8s", c[2].num, c[3].num);
        return 1;
    }
    if (n == 1 && dotted_is(&c[0], "SR")) {
        u->kind = "summary-record";
        set_comp(u->number, sizeof u->number, &c[0]);
        return 1;
    }
    if (n == 2 && (num_session(&c[0]) || year_session(&c[0])) &&
        (plain_num(&c[1]) || dotted_is(&c[1], "SR") || dotted_is(&c[1], "L"))) {
        u->kind = plain_num(&c[1]) ? "report" : dotted_is(&c[1], "SR") ? "summary-record" : "draft";
        set_comp(u->session, sizeof u->session, &c[0]);
        set_comp(u->number, sizeof u->number, &c[1]);
        return 1;
    }
    return 0;
}

static const struct {
    const char *root;
    const char *body;
} treaty_bodies[] = {
    {"CCPR", "CCPR"}, {"CERD", "CERD"}, {"CEDAW", "CEDAW"}, {"CAT", "CAT"},
    {"CRC", "CRC"},   {"CMW", "CMW"},   {"CRPD", "CRPD"},   {"CED", "CED"},
};

static int treaty_body(const parser *p, const char *body, civ_unsymbol *u)
{
    const comp *c = p->c + 1;
    size_t n = p->main - 1;
    u->body = body;
    if (n >= 2 && word_is(&c[0], "C"))
        return treaty_committee(c + 1, n - 1, u);
    /* The Subcommittee on Prevention of Torture (CAT/OP/SVN/1) and the
     * meetings of States parties (CCPR/SP/...). */
    if (n == 3 && (word_is(&c[0], "OP") || word_is(&c[0], "SP")) &&
        (country(&c[1]) || num_session(&c[1]) || year_session(&c[1])) && plain_num(&c[2])) {
        u->kind = "report";
        if (country(&c[1]))
            set_comp(u->country, sizeof u->country, &c[1]);
        else
            set_comp(u->session, sizeof u->session, &c[1]);
        set_comp(u->number, sizeof u->number, &c[2]);
        return 1;
    }
    return 0;
}

/* HRI/MC/2025/1, HRI/GEN/1, HRI/CORE/SVN/2014. */
static int hri(const parser *p, civ_unsymbol *u)
{
    const comp *c = p->c + 1;
    size_t n = p->main - 1;
    u->body = "HRI";
    if (n == 3 && word_is(&c[0], "MC") && (year_session(&c[1]) || num_session(&c[1])) &&
        plain_num(&c[2])) {
        u->kind = "report";
        set_comp(u->session, sizeof u->session, &c[1]);
        if (year_session(&c[1]))
            set_str(u->year, sizeof u->year, c[1].num);
        set_comp(u->number, sizeof u->number, &c[2]);
        return 1;
    }
    if (n == 2 && word_is(&c[0], "GEN") && plain_num(&c[1])) {
        u->kind = "general-comment";
        set_comp(u->number, sizeof u->number, &c[1]);
        return 1;
    }
    if (n == 3 && word_is(&c[0], "CORE") && country(&c[1]) && year_session(&c[2])) {
        u->kind = "core-document";
        set_comp(u->country, sizeof u->country, &c[1]);
        set_str(u->year, sizeof u->year, c[2].num);
        return 1;
    }
    return 0;
}

/* ST/SGB/2003/13, ST/AI/2010/3. */
static int secretariat(const parser *p, civ_unsymbol *u)
{
    const comp *c = p->c + 1;
    size_t n = p->main - 1;
    u->body = "Secretariat";
    if (n == 3 && (word_is(&c[0], "SGB") || word_is(&c[0], "AI")) && year_session(&c[1]) &&
        plain_num(&c[2])) {
        u->kind = word_is(&c[0], "SGB") ? "bulletin" : "administrative-instruction";
        set_str(u->year, sizeof u->year, c[1].num);
        set_comp(u->number, sizeof u->number, &c[2]);
        return 1;
    }
    return 0;
}

/* The Executive Board of UNDP, UNFPA and UNOPS, by year: DP/2025/1,
 * DP/2025/L.2, DP/FPA/2025/2 (UNFPA), DP/OPS/2025/1 (UNOPS), DP-FPA/2025/1
 * (UNDP and UNFPA together), DP/FPA/OPS/2025/1 (all three). */
static int executive_board(const parser *p, civ_unsymbol *u)
{
    const comp *c = p->c + 1;
    size_t n = p->main - 1;
    u->body = "DP";
    if (n >= 3 && word_is(&c[0], "FPA")) {
        c++;
        n--;
    }
    if (n >= 3 && word_is(&c[0], "OPS")) {
        c++;
        n--;
    }
    return yearly(c, n, 0, u);
}

/* The Chief Executives Board for Coordination: CEB/2025/4. */
static int ceb(const parser *p, civ_unsymbol *u)
{
    u->body = "CEB";
    return yearly(p->c + 1, p->main - 1, 0, u);
}

/* Whether root[0..len) starts a series Civitas knows. */
static int known_root(const char *root, size_t len, int caseless)
{
    static const char *const roots[] = {"A",   "S",   "E",      "CCPR", "CERD", "CEDAW",
                                        "CAT", "CRC", "CMW",    "CRPD", "CED",  "HRI",
                                        "ST",  "DP",  "DP-FPA", "CEB"};
    for (size_t i = 0; i < G_N_ELEMENTS(roots); i++) {
        if (strlen(roots[i]) != len)
            continue;
        if (caseless ? g_ascii_strncasecmp(root, roots[i], len) == 0
                     : memcmp(root, roots[i], len) == 0)
            return 1;
    }
    return 0;
}

/* Split text into components and classify them. */
static int split(parser *p, const char *text, size_t len)
{
    size_t i = 0;
    p->n = 0;
    while (len && is_space(text[len - 1]))
        len--;
    while (i < len && is_space(text[i]))
        i++;
    if (i == len) {
        p->why = "empty";
        return 0;
    }
    for (;;) {
        size_t start = i;
        while (i < len && text[i] != '/')
            i++;
        size_t end = i;
        while (start < end && is_space(text[start]))
            start++;
        while (end > start && is_space(text[end - 1]))
            end--;
        if (start == end) {
            p->why = "empty component";
            return 0;
        }
        if (p->n == MAX_COMPS) {
            p->why = "too many components";
            return 0;
        }
        if (!classify(text + start, end - start, p->flags, &p->c[p->n])) {
            p->why = "component is neither a number nor a word of a symbol";
            return 0;
        }
        p->n++;
        if (i == len)
            break;
        i++; /* past '/' */
    }
    return 1;
}

civ_status civ_unsymbol_parse(const char *text, size_t len, int flags, civ_unsymbol *out,
                              civ_err *err)
{
    parser p;
    memset(&p, 0, sizeof p);
    memset(out, 0, sizeof *out);
    p.flags = flags;
    if (!text || !split(&p, text, len))
        goto reject;
    if (p.c[0].type != C_WORD ||
        !known_root(p.c[0].word, strlen(p.c[0].word), flags & CIV_UNSYMBOL_CASELESS)) {
        p.why = "not a series Civitas knows";
        goto reject;
    }
    p.main = p.n;
    while (p.main > 2 && suffix(&p.c[p.main - 1]))
        p.main--;
    if (p.main < 2) {
        p.why = "too short";
        goto reject;
    }
    const char *root = p.c[0].word;
    int ok = 0;
    if (!strcmp(root, "A")) {
        ok = ga(&p, out);
    } else if (!strcmp(root, "S")) {
        ok = sc(&p, out);
    } else if (!strcmp(root, "E")) {
        ok = ecosoc(&p, out);
    } else if (!strcmp(root, "HRI")) {
        ok = hri(&p, out);
    } else if (!strcmp(root, "ST")) {
        ok = secretariat(&p, out);
    } else if (!strcmp(root, "DP") || !strcmp(root, "DP-FPA")) {
        ok = executive_board(&p, out);
    } else if (!strcmp(root, "CEB")) {
        ok = ceb(&p, out);
    } else {
        for (size_t i = 0; i < G_N_ELEMENTS(treaty_bodies); i++)
            if (!strcmp(root, treaty_bodies[i].root))
                ok = treaty_body(&p, treaty_bodies[i].body, out);
    }
    if (!ok) {
        p.why = "components do not fit the series";
        goto reject;
    }
    /* The normal form. */
    size_t at = 0;
    for (size_t i = 0; i < p.n; i++) {
        char part[2 * COMP_MAX + 16];
        comp_string(&p.c[i], part, sizeof part);
        size_t plen = strlen(part);
        if (at + (i > 0) + plen + 1 > sizeof out->symbol) {
            p.why = "too long";
            goto reject;
        }
        if (i > 0)
            out->symbol[at++] = '/';
        memcpy(out->symbol + at, part, plen + 1);
        at += plen;
        if (i >= p.main) {
            size_t sl = strlen(out->suffixes);
            if (sl + 1 + plen + 1 > sizeof out->suffixes) {
                p.why = "too many suffixes";
                goto reject;
            }
            out->suffixes[sl] = '/';
            memcpy(out->suffixes + sl + 1, part, plen + 1);
        }
    }
    return CIV_OK;

reject:;
    const char *why = p.why ? p.why : "not a symbol";
    memset(out, 0, sizeof *out);
    return civ_err_set(err, CIV_ERR_INPUT, "not a UN document symbol: %s", why);
}

/* ---- finding symbols in running text ---------------------------------- */

typedef struct match_list {
    civ_unsymbol_match *items;
    size_t n, cap;
} match_list;

static int push(match_list *m, size_t start, size_t len, const civ_unsymbol *u)
{
    if (m->n >= CIV_UNSYMBOL_MAX_MATCHES)
        return 1;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        civ_unsymbol_match *items = realloc(m->items, cap * sizeof *items);
        if (!items)
            return 0;
        m->items = items;
        m->cap = cap;
    }
    m->items[m->n].start = start;
    m->items[m->n].len = len;
    m->items[m->n].symbol = *u;
    m->n++;
    return 1;
}

static int symbol_char(char c)
{
    return is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '/';
}

/* Whether a symbol may start at text[i]: not glued to what comes before. */
static int boundary_before(const char *text, size_t i)
{
    if (i == 0)
        return 1;
    unsigned char c = (unsigned char)text[i - 1];
    return !(symbol_char((char)c) || c == '_' || c >= 0x80);
}

/* The end of the symbol-shaped run that starts at text[i]: symbol
 * characters, with a space allowed next to '/' ("A /79/PV.64"). A run
 * longer than any symbol stops at SPAN_MAX bytes (and will not parse), so
 * that a long run of slashes and capitals costs linear time. */
#define SPAN_MAX (2 * CIV_UNSYMBOL_MAX)

static size_t scan_span(const char *text, size_t len, size_t i)
{
    size_t j = i;
    if (len - i > SPAN_MAX)
        len = i + SPAN_MAX;
    while (j < len) {
        char c = text[j];
        if (symbol_char(c)) {
            j++;
        } else if (c == ' ' && j + 1 < len && text[j + 1] == '/') {
            j++;
        } else if (c == ' ' && j > i && text[j - 1] == '/' && j + 1 < len &&
                   (is_alpha(text[j + 1]) || is_digit(text[j + 1]))) {
            j++;
        } else {
            break;
        }
    }
    return j;
}

/* A year or Roman session in brackets right after text[0..at): its end, or
 * at when there is none. */
static size_t bracket_after(const char *text, size_t len, size_t at)
{
    size_t j = at;
    if (j < len && text[j] == ' ')
        j++;
    if (j >= len || text[j] != '(')
        return at;
    size_t k = j + 1;
    while (k < len && k - j <= 8 && (is_digit(text[k]) || strchr("IVXL", text[k])))
        k++;
    if (k < len && text[k] == ')' && k > j + 1)
        return k + 1;
    return at;
}

/* The symbol starting at text[i], if any: fills *u and returns its length
 * as printed, or 0. */
static size_t symbol_at(const char *text, size_t len, size_t i, civ_unsymbol *u)
{
    size_t r = i;
    while (r < len && is_upper(text[r]))
        r++;
    /* A joint series: "DP-FPA/2025/1". */
    if (r > i && r + 1 < len && text[r] == '-' && is_upper(text[r + 1])) {
        size_t k = r + 1;
        while (k < len && is_upper(text[k]))
            k++;
        if (known_root(text + i, k - i, 0))
            r = k;
    }
    if (r == i || r - i > 6 || !known_root(text + i, r - i, 0))
        return 0;
    size_t k = r;
    if (k < len && text[k] == ' ')
        k++;
    if (k >= len || text[k] != '/')
        return 0;
    size_t end = scan_span(text, len, i);
    if (end - i >= SPAN_MAX)
        return 0;
    /* Sentence punctuation is not part of the symbol. */
    while (end > i && (text[end - 1] == '.' || text[end - 1] == '-' || text[end - 1] == '/'))
        end--;
    /* Letters or digits glued on are part of the run, and a run that does
     * not parse is rejected whole: "A/HRC/30/49abc" is not A/HRC/30/49. */
    size_t with = bracket_after(text, len, end);
    if (with != end && civ_unsymbol_parse(text + i, with - i, 0, u, NULL) == CIV_OK)
        return with - i;
    if (civ_unsymbol_parse(text + i, end - i, 0, u, NULL) == CIV_OK)
        return end - i;
    /* One document's symbols in two series, joined by a hyphen, as letters
     * to the Assembly and the Council are: "A/79/716-S/2025/18". The first
     * is a symbol here, the second the next one. */
    for (size_t hyphen = i + 1; hyphen + 1 < end; hyphen++) {
        if (text[hyphen] != '-' || !is_upper(text[hyphen + 1]))
            continue;
        size_t root_end = hyphen + 1;
        while (root_end < end && is_upper(text[root_end]))
            root_end++;
        if (root_end < end && text[root_end] == '/' &&
            known_root(text + hyphen + 1, root_end - hyphen - 1, 0) &&
            civ_unsymbol_parse(text + i, hyphen - i, 0, u, NULL) == CIV_OK)
            return hyphen - i;
    }
    return 0;
}

static civ_status scan(const char *text, size_t len, int references, const char *context_body,
                       civ_unsymbol_match **out, size_t *n, civ_err *err);

civ_status civ_unsymbol_find(const char *text, size_t len, civ_unsymbol_match **out, size_t *n,
                             civ_err *err)
{
    return scan(text, len, 0, NULL, out, n, err);
}

/* ---- resolutions cited by number: "resolution 24/2" -------------------- */

/* The body named just before text[at] ("Human Rights Council resolution",
 * "the General Assembly in its resolution"), looking back over a few words;
 * otherwise context, the body of the citing document (NULL when it has
 * none Civitas can resolve numbers for). */
static const char *named_body(const char *text, size_t at, const char *context)
{
    size_t from = at > 60 ? at - 60 : 0;
    size_t wl = at - from;
    const char *w = text + from;
    /* "... Assembly in its resolution", "... Council, by its resolution". */
    static const char *const links[] = {", in its ", ", by its ", " in its ",
                                        " by its ",  " its ",     " "};
    for (size_t i = 0; i < G_N_ELEMENTS(links); i++) {
        size_t ll = strlen(links[i]);
        if (wl >= ll && memcmp(w + wl - ll, links[i], ll) == 0) {
            wl -= ll;
            break;
        }
    }
    static const struct {
        const char *name;
        const char *body;
    } names[] = {
        {"Human Rights Council", "HRC"},
        {"General Assembly", "GA"},
        {"Security Council", "SC"},
        {"Economic and Social Council", "ECOSOC"},
        {"Commission on Human Rights", "CHR"},
        {"Assembly", "GA"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        size_t nl = strlen(names[i].name);
        if (wl >= nl && memcmp(w + wl - nl, names[i].name, nl) == 0)
            return names[i].body;
    }
    /* "Council resolution" in a Council's own document. */
    if (wl >= 7 && memcmp(w + wl - 7, "Council", 7) == 0)
        return context && (!strcmp(context, "HRC") || !strcmp(context, "SC") ||
                           !strcmp(context, "ECOSOC"))
                   ? context
                   : NULL;
    return context;
}

/* Build the symbol of resolution or decision number[0..len) of body. */
static size_t reference_at(const char *text, size_t len, size_t i, const char *body, int decision,
                           civ_unsymbol *u)
{
    char buf[CIV_UNSYMBOL_MAX];
    size_t d1 = count_digits(text + i, len - i);
    if (d1 == 0 || d1 > 4)
        return 0;
    size_t j = i + d1;
    if (!strcmp(body, "SC")) {
        /* "2216 (2015)" */
        if (decision || j + 7 > len || text[j] != ' ' || text[j + 1] != '(' ||
            count_digits(text + j + 2, len - j - 2) != 4 || text[j + 6] != ')')
            return 0;
        snprintf(buf, sizeof buf, "S/RES/%.*s", (int)(j + 7 - i), text + i);
        j += 7;
    } else {
        if (j + 1 >= len || text[j] != '/')
            return 0;
        size_t d2 = count_digits(text + j + 1, len - j - 1);
        if (d2 == 0 || d2 > 4)
            return 0;
        const char *series = !strcmp(body, "HRC")      ? "A/HRC"
                             : !strcmp(body, "GA")     ? "A"
                             : !strcmp(body, "ECOSOC") ? "E"
                             : !strcmp(body, "CHR")    ? "E/CN.4"
                                                       : NULL;
        if (!series)
            return 0;
        snprintf(buf, sizeof buf, "%s/%s/%.*s", series, decision ? "DEC" : "RES",
                 (int)(j + 1 + d2 - i), text + i);
        j += 1 + d2;
    }
    if (j < len && (is_alpha(text[j]) || is_digit(text[j]) || text[j] == '/'))
        return 0;
    if (civ_unsymbol_parse(buf, strlen(buf), 0, u, NULL) != CIV_OK)
        return 0;
    return j - i;
}

/* The length of " of 15 March 2006" at text[j], or 0. */
static size_t date_after(const char *text, size_t len, size_t j)
{
    size_t k = j;
    if (k + 4 > len || memcmp(text + k, " of ", 4) != 0)
        return 0;
    k += 4;
    size_t d = count_digits(text + k, len - k);
    if (d < 1 || d > 2 || k + d >= len || text[k + d] != ' ')
        return 0;
    k += d + 1;
    size_t w = 0;
    while (k + w < len && is_alpha(text[k + w]))
        w++;
    if (w < 3 || k + w >= len || text[k + w] != ' ')
        return 0;
    k += w + 1;
    if (count_digits(text + k, len - k) != 4)
        return 0;
    return k + 4 - j;
}

/* If text[i] starts "resolution(s)"/"decision(s)" followed by numbers, add
 * each number as a reference; returns the bytes consumed (0 if none). */
static size_t references_at(const char *text, size_t len, size_t i, const char *context,
                            match_list *m, int *oom)
{
    static const char *const words[] = {"resolutions ", "resolution ", "decisions ", "decision "};
    size_t w = 0;
    int decision = 0;
    for (size_t k = 0; k < G_N_ELEMENTS(words); k++) {
        size_t wl = strlen(words[k]);
        if (i + wl <= len && g_ascii_strncasecmp(text + i, words[k], wl) == 0) {
            w = wl;
            decision = words[k][0] == 'd';
            break;
        }
    }
    if (!w || (i > 0 && (is_alpha(text[i - 1]) || is_digit(text[i - 1]))))
        return 0;
    const char *body = named_body(text, i, context);
    if (!body)
        return 0;
    size_t j = i + w;
    size_t any = 0;
    for (;;) {
        civ_unsymbol u;
        size_t l = reference_at(text, len, j, body, decision, &u);
        if (!l)
            break;
        if (!push(m, j, l, &u)) {
            *oom = 1;
            return 0;
        }
        any = 1;
        j += l;
        j += date_after(text, len, j);
        /* Lists: "5/1, 16/21 and 24/2". */
        static const char *const seps[] = {", and ", ", ", " and "};
        size_t s = 0;
        for (size_t k = 0; k < G_N_ELEMENTS(seps); k++) {
            size_t sl = strlen(seps[k]);
            if (j + sl <= len && memcmp(text + j, seps[k], sl) == 0 && j + sl < len &&
                is_digit(text[j + sl])) {
                s = sl;
                break;
            }
        }
        if (!s)
            break;
        j += s;
    }
    return any ? j - i : 0;
}

civ_status civ_unsymbol_find_references(const char *text, size_t len, const char *context_body,
                                        civ_unsymbol_match **out, size_t *n, civ_err *err)
{
    return scan(text, len, 1, context_body, out, n, err);
}

static civ_status scan(const char *text, size_t len, int references, const char *context_body,
                       civ_unsymbol_match **out, size_t *n, civ_err *err)
{
    match_list m = {NULL, 0, 0};
    int oom = 0;
    *out = NULL;
    *n = 0;
    if (!text)
        return CIV_OK;
    for (size_t i = 0; i < len && m.n < CIV_UNSYMBOL_MAX_MATCHES; i++) {
        char c = text[i];
        if (is_upper(c) && boundary_before(text, i)) {
            civ_unsymbol u;
            size_t l = symbol_at(text, len, i, &u);
            if (l) {
                if (!push(&m, i, l, &u))
                    goto nomem;
                i += l - 1;
                /* The second of two joined symbols: "A/79/716-S/2025/18". */
                size_t l2 = i + 2 < len && text[i + 1] == '-' && is_upper(text[i + 2])
                                ? symbol_at(text, len, i + 2, &u)
                                : 0;
                if (l2) {
                    if (!push(&m, i + 2, l2, &u))
                        goto nomem;
                    i += 1 + l2;
                }
                continue;
            }
        }
        if (references && (c == 'r' || c == 'R' || c == 'd' || c == 'D')) {
            size_t l = references_at(text, len, i, context_body, &m, &oom);
            if (oom)
                goto nomem;
            if (l) {
                i += l - 1;
                continue;
            }
        }
        /* Skip the rest of a word: a symbol never starts inside one. */
        if (is_alpha(c) || is_digit(c))
            while (i + 1 < len && (is_alpha(text[i + 1]) || is_digit(text[i + 1])))
                i++;
    }
    *out = m.items;
    *n = m.n;
    return CIV_OK;
nomem:
    free(m.items);
    return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
}

/* ---- Official Document System file names ------------------------------ */

/* Strip a trailing ".xx"/"-xx"/"_xx" UN language tag from name[0..*len). */
static void strip_language(const char *name, size_t *len)
{
    static const char *const langs[] = {"ar", "en", "es", "fr", "ru", "zh"};
    if (*len < 4)
        return;
    const char *tag = name + *len - 3;
    if (tag[0] != '.' && tag[0] != '-' && tag[0] != '_')
        return;
    for (size_t i = 0; i < G_N_ELEMENTS(langs); i++)
        if (g_ascii_strncasecmp(tag + 1, langs[i], 2) == 0) {
            *len -= 3;
            return;
        }
}

/* Strip a trailing ODS job code: "_g2420410", "_n2412345" (Geneva, New
 * York, Vienna). */
static void strip_job_code(const char *name, size_t *len)
{
    if (*len < 10)
        return;
    const char *code = name + *len - 9;
    if ((code[0] == '_' || code[0] == '-') && strchr("gGnNvV", code[1]) &&
        count_digits(code + 2, 7) == 7)
        *len -= 9;
}

civ_status civ_unsymbol_from_filename(const char *name, civ_unsymbol *out, civ_err *err)
{
    memset(out, 0, sizeof *out);
    if (!name)
        return civ_err_set(err, CIV_ERR_INPUT, "no file name");
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    char buf[CIV_UNSYMBOL_MAX + 32];
    size_t len = strlen(base);
    if (len >= sizeof buf)
        return civ_err_set(err, CIV_ERR_INPUT, "file name too long for a symbol");
    memcpy(buf, base, len + 1);
    /* Extensions: ".pdf", ".doc", ... but not ".17" of "L.17". */
    static const char *const exts[] = {".pdf", ".doc", ".docx", ".html",
                                       ".htm", ".txt", ".xml",  ".rtf"};
    for (size_t i = 0; i < G_N_ELEMENTS(exts); i++) {
        size_t el = strlen(exts[i]);
        if (len > el && g_ascii_strcasecmp(buf + len - el, exts[i]) == 0) {
            len -= el;
            break;
        }
    }
    strip_language(buf, &len);
    strip_job_code(buf, &len);
    strip_language(buf, &len);
    buf[len] = '\0';
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '_')
            buf[i] = '/';
    civ_status st = civ_unsymbol_parse(buf, len, CIV_UNSYMBOL_CASELESS, out, err);
    if (st == CIV_OK)
        return st;
    /* Security Council resolutions: "S_RES_2768_2025" is S/RES/2768 (2025). */
    char *slash = strrchr(buf, '/');
    if (slash && g_ascii_strncasecmp(buf, "S/RES/", 6) == 0 && slash > buf + 6 &&
        strlen(slash + 1) == 4 && count_digits(slash + 1, 4) == 4 && len + 3 < sizeof buf) {
        char year[5];
        memcpy(year, slash + 1, 5);
        snprintf(slash, sizeof buf - (size_t)(slash - buf), " (%s)", year);
        st = civ_unsymbol_parse(buf, strlen(buf), CIV_UNSYMBOL_CASELESS, out, err);
    }
    return st;
}
