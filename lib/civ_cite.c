/* civ_cite.c: citation strings and exports (see civ_cite.h for the forms).
 *
 * Pure string work on UTF-8 input; nothing here touches the index. Every
 * result is capped at CIV_CITE_MAX bytes so a hostile title cannot make a
 * citation (and every JSON hit carrying it) arbitrarily large. The exports
 * are written field by field with one escaping function per format:
 * jansson for CSL-JSON, one line per value for RIS, balanced braces for
 * BibTeX.
 */
#include "civ_cite.h"

#include <glib.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "civ_unsymbol.h"

/* Room kept for ", para. <label> (p. <page>)" after the head. */
#define CITE_TAIL_MAX 96

static int is_blank(const char *s)
{
    return !s || !s[0];
}

/* A label is a paragraph number when it starts with a digit, an opening
 * parenthesis or is a short lower-case roman numeral: those read as
 * "para. 12", "para. (a)", "para. iv". Words ("Article 3") stand alone. */
static int is_number_label(const char *label)
{
    if (g_ascii_isdigit(label[0]) || label[0] == '(')
        return 1;
    size_t n = strspn(label, "ivxlc");
    return n > 0 && n <= 6 && (label[n] == '\0' || label[n] == '.' || label[n] == ')');
}

/* Append at most max bytes of s to out, cut on a character boundary, with
 * an ellipsis when cut. Invalid UTF-8 stops the copy. */
static void append_capped(GString *out, const char *s, size_t max)
{
    const char *end = NULL;
    g_utf8_validate(s, -1, &end);
    size_t len = (size_t)(end - s);
    if (len <= max) {
        g_string_append_len(out, s, (gssize)len);
        return;
    }
    /* Whole characters while they and the 3-byte ellipsis fit in max. */
    const char *cut = s;
    while (cut < end) {
        const char *next = g_utf8_next_char(cut);
        if ((size_t)(next - s) + 3 > max)
            break;
        cut = next;
    }
    g_string_append_len(out, s, cut - s);
    g_string_append(out, "\xe2\x80\xa6");
}

/* The printed label without its full stop, capped. */
static GString *clean_label(const char *paragraph)
{
    GString *label = g_string_new(NULL);
    append_capped(label, paragraph, 40);
    if (label->len > 1 && label->str[label->len - 1] == '.')
        g_string_truncate(label, label->len - 1);
    return label;
}

/* How a label is cited: a numbered one as a paragraph ("para. 12"), or
 * in an act or bill as a section ("s. 5(1)(a)"); a word label ("Article
 * 3") as printed. */
typedef enum pin_kind { PIN_PARAGRAPH, PIN_SECTION, PIN_AS_PRINTED } pin_kind;

static pin_kind pinpoint_kind(const char *label, const char *kind)
{
    if (!is_number_label(label))
        return PIN_AS_PRINTED;
    if (kind && (strcmp(kind, "act") == 0 || strcmp(kind, "bill") == 0))
        return PIN_SECTION;
    return PIN_PARAGRAPH;
}

char *civ_cite_format(const civ_cite_source *src)
{
    GString *out = g_string_sized_new(64);
    const char *head = !is_blank(src->symbol)  ? src->symbol
                       : !is_blank(src->title) ? src->title
                                               : "Untitled document";
    append_capped(out, head, CIV_CITE_MAX - CITE_TAIL_MAX);

    int has_para = !is_blank(src->paragraph);
    if (has_para) {
        /* "12." is printed with its full stop; the citation drops it. */
        GString *label = clean_label(src->paragraph);
        static const char *const words[] = {", para. ", ", s. ", ", "};
        g_string_append(out, words[pinpoint_kind(label->str, src->kind)]);
        g_string_append(out, label->str);
        g_string_free(label, TRUE);
    }
    if (src->page > 0)
        g_string_append_printf(out, has_para ? " (p. %d)" : ", p. %d", src->page);

    /* Hand back malloc memory: callers free() what libcivitas returns. */
    char *result = strdup(out->str);
    g_string_free(out, TRUE);
    return result;
}

/* ---- styles: Bluebook and OSCOLA ------------------------------------------ */

/* What a style needs to know about an issuing body. */
typedef struct body_names {
    const char *code;
    const char *name;    /* Bluebook author: "Human Rights Council" */
    const char *oscola;  /* OSCOLA author: "UNHRC"; NULL: none */
    const char *bb_res;  /* Bluebook resolution: "G.A. Res."; NULL: general form */
    const char *bb_dec;  /* Bluebook decision */
    const char *osc_res; /* OSCOLA resolution: "UNGA Res" */
    const char *osc_dec;
} body_names;

static const body_names bodies[] = {
    {"GA", "General Assembly", "UNGA", "G.A. Res.", "G.A. Dec.", "UNGA Res", "UNGA Dec"},
    {"SC", "Security Council", "UNSC", "S.C. Res.", NULL, "UNSC Res", NULL},
    {"HRC", "Human Rights Council", "UNHRC", "Human Rights Council Res.",
     "Human Rights Council Dec.", "UNHRC Res", "UNHRC Dec"},
    {"ECOSOC", "Economic and Social Council", "ECOSOC", "E.S.C. Res.", "E.S.C. Dec.", "ECOSOC Res",
     "ECOSOC Dec"},
    {"CHR", "Commission on Human Rights", "UNCHR", "Comm'n on Human Rights Res.",
     "Comm'n on Human Rights Dec.", "UNCHR Res", "UNCHR Dec"},
    {"CSW", "Commission on the Status of Women", "UN Commission on the Status of Women", NULL, NULL,
     NULL, NULL},
    {"CESCR", "Committee on Economic, Social and Cultural Rights", "UNCESCR", NULL, NULL, NULL,
     NULL},
    {"CCPR", "Human Rights Committee", "UN Human Rights Committee", NULL, NULL, NULL, NULL},
    {"CERD", "Committee on the Elimination of Racial Discrimination", "UNCERD", NULL, NULL, NULL,
     NULL},
    {"CEDAW", "Committee on the Elimination of Discrimination against Women", "UNCEDAW", NULL, NULL,
     NULL, NULL},
    {"CAT", "Committee against Torture", "UNCAT", NULL, NULL, NULL, NULL},
    {"CRC", "Committee on the Rights of the Child", "UNCRC", NULL, NULL, NULL, NULL},
    {"CMW", "Committee on Migrant Workers", "UNCMW", NULL, NULL, NULL, NULL},
    {"CRPD", "Committee on the Rights of Persons with Disabilities", "UNCRPD", NULL, NULL, NULL,
     NULL},
    {"CED", "Committee on Enforced Disappearances", "UNCED", NULL, NULL, NULL, NULL},
    {"Secretariat", "U.N. Secretariat", "UN Secretariat", NULL, NULL, NULL, NULL},
    {"DP", "Executive Board of UNDP, UNFPA and UNOPS", "UNDP/UNFPA/UNOPS Executive Board", NULL,
     NULL, NULL, NULL},
    {"CEB", "U.N. System Chief Executives Board for Coordination", "UN CEB", NULL, NULL, NULL,
     NULL},
    /* HRI documents are issued for the treaty bodies as a whole: no author. */
    {"HRI", "International Human Rights Instruments", NULL, NULL, NULL, NULL, NULL},
};

static const body_names *find_body(const char *code)
{
    for (size_t i = 0; code && i < sizeof bodies / sizeof bodies[0]; i++)
        if (strcmp(bodies[i].code, code) == 0)
            return &bodies[i];
    return NULL;
}

const char *civ_cite_body_name(const char *body)
{
    const body_names *b = find_body(body);
    return b ? b->name : body;
}

/* An ISO date split up; fields 0 when absent. */
typedef struct iso_date {
    int year, month, day;
} iso_date;

static iso_date parse_date(const char *s)
{
    iso_date d = {0, 0, 0};
    if (is_blank(s) || strlen(s) < 4)
        return d;
    for (int i = 0; i < 4; i++)
        if (!g_ascii_isdigit(s[i]))
            return d;
    d.year = atoi(s);
    if (s[4] == '-' && g_ascii_isdigit(s[5]) && g_ascii_isdigit(s[6])) {
        d.month = atoi(s + 5);
        if (d.month < 1 || d.month > 12)
            d.month = 0;
        else if (s[7] == '-' && g_ascii_isdigit(s[8]) && g_ascii_isdigit(s[9]))
            d.day = atoi(s + 8);
        if (d.day < 1 || d.day > 31)
            d.day = 0;
    }
    return d;
}

/* Bluebook abbreviates months (table T12); OSCOLA spells them out. */
static const char *const bluebook_months[] = {"Jan.", "Feb.", "Mar.",  "Apr.", "May",  "June",
                                              "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."};
static const char *const full_months[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};

static void append_date(GString *out, iso_date d, civ_cite_style style)
{
    if (!d.year)
        return;
    if (style == CIV_CITE_BLUEBOOK) {
        if (d.month && d.day)
            g_string_append_printf(out, "%s %d, %d", bluebook_months[d.month - 1], d.day, d.year);
        else if (d.month)
            g_string_append_printf(out, "%s %d", bluebook_months[d.month - 1], d.year);
        else
            g_string_append_printf(out, "%d", d.year);
    } else {
        if (d.month && d.day)
            g_string_append_printf(out, "%d ", d.day);
        if (d.month)
            g_string_append_printf(out, "%s ", full_months[d.month - 1]);
        g_string_append_printf(out, "%d", d.year);
    }
}

/* The pinpoint in style: Bluebook "¶ 12", "§ 5(1)", "art. 3"; OSCOLA
 * "para 12", "s 5(1)", "art 3"; other labels as printed. Empty when
 * there is no paragraph. */
static void append_pinpoint(GString *out, const civ_cite_source *src, civ_cite_style style)
{
    if (is_blank(src->paragraph))
        return;
    GString *label = clean_label(src->paragraph);
    pin_kind pin = pinpoint_kind(label->str, src->kind);
    int bluebook = style == CIV_CITE_BLUEBOOK;
    if (pin == PIN_PARAGRAPH)
        g_string_append(out, bluebook ? "\xc2\xb6 " : "para ");
    else if (pin == PIN_SECTION)
        g_string_append(out, bluebook ? "\xc2\xa7 " : "s ");
    else if (g_str_has_prefix(label->str, "Article ")) {
        g_string_erase(label, 0, strlen("Article "));
        g_string_append(out, bluebook ? "art. " : "art ");
    }
    g_string_append(out, label->str);
    g_string_free(label, TRUE);
}

/* The resolution or decision number a style prints: "59/25", "2768",
 * "217 (III)". Empty when the symbol is not a resolution or decision. */
static void resolution_number(const civ_unsymbol *u, char *out, size_t size)
{
    out[0] = '\0';
    if (!u->kind || (strcmp(u->kind, "resolution") != 0 && strcmp(u->kind, "decision") != 0) ||
        !u->number[0] || !g_ascii_isdigit(u->number[0]))
        return;
    int roman = u->session[0] && strspn(u->session, "IVXLC") == strlen(u->session);
    if (!u->session[0])
        g_strlcpy(out, u->number, size);
    else if (roman)
        snprintf(out, size, "%s (%s)", u->number, u->session);
    else
        snprintf(out, size, "%s/%s", u->session, u->number);
}

/* The symbol as the styles print it: a Security Council symbol without
 * its year in brackets (the date follows). */
static void style_symbol(const char *symbol, char *out, size_t size)
{
    g_strlcpy(out, symbol, size);
    char *bracket = strstr(out, " (");
    if (g_str_has_prefix(out, "S/") && bracket)
        *bracket = '\0';
}

char *civ_cite_style_format(const civ_cite_source *src, civ_cite_style style)
{
    if (style != CIV_CITE_BLUEBOOK && style != CIV_CITE_OSCOLA)
        return civ_cite_format(src);
    GString *out = g_string_sized_new(128);
    const body_names *b = find_body(src->body);
    iso_date date = parse_date(src->date);
    int has_symbol = !is_blank(src->symbol);
    /* A title that only repeats the symbol says nothing. */
    int has_title = !is_blank(src->title) && !(has_symbol && strcmp(src->title, src->symbol) == 0);
    civ_unsymbol u;
    char number[64] = "", symbol[CIV_UNSYMBOL_MAX] = "";
    if (has_symbol) {
        style_symbol(src->symbol, symbol, sizeof symbol);
        if (civ_unsymbol_parse(src->symbol, strlen(src->symbol), CIV_UNSYMBOL_CASELESS, &u, NULL) ==
            CIV_OK)
            resolution_number(&u, number, sizeof number);
    }
    const char *res_abbr = NULL;
    if (number[0] && b) {
        int decision = strcmp(u.kind, "decision") == 0;
        res_abbr = style == CIV_CITE_BLUEBOOK ? (decision ? b->bb_dec : b->bb_res)
                                              : (decision ? b->osc_dec : b->osc_res);
    }
    GString *pin = g_string_new(NULL);
    append_pinpoint(pin, src, style);
    size_t title_max = CIV_CITE_MAX - CITE_TAIL_MAX - 64;

    if (style == CIV_CITE_BLUEBOOK) {
        /* Res.: "G.A. Res. 62/228, ¶ 35, U.N. Doc. A/RES/62/228 (Dec. 22, 2007)".
         * Other: "Author, Title, ¶ 12, U.N. Doc. SYMBOL, at 5 (Mar. 24, 2025)". */
        if (res_abbr) {
            g_string_append_printf(out, "%s %s", res_abbr, number);
        } else {
            /* A body with no OSCOLA author (HRI) has none in Bluebook either. */
            const char *author = b ? (b->oscola ? b->name : NULL) : src->body;
            if (!is_blank(author) && has_symbol)
                g_string_append(out, author);
            if (has_title || !has_symbol) {
                if (out->len)
                    g_string_append(out, ", ");
                append_capped(out, has_title ? src->title : "Untitled document", title_max);
            }
        }
        if (pin->len)
            g_string_append_printf(out, "%s%s", out->len ? ", " : "", pin->str);
        if (has_symbol)
            g_string_append_printf(out, "%sU.N. Doc. %s", out->len ? ", " : "", symbol);
        if (!pin->len && src->page > 0)
            g_string_append_printf(out, ", at %d", src->page);
        if (date.year) {
            g_string_append(out, " (");
            append_date(out, date, style);
            g_string_append_c(out, ')');
        }
    } else {
        /* Res.: "UNGA Res 51/210 (17 December 1996) UN Doc A/RES/51/210, para 3".
         * Other: "Author 'Title' (24 March 2025) UN Doc SYMBOL, para 12". */
        if (res_abbr) {
            g_string_append_printf(out, "%s %s", res_abbr, number);
        } else {
            const char *author = b ? b->oscola : src->body;
            if (!is_blank(author) && has_symbol)
                g_string_append(out, author);
            if (has_title && has_symbol) {
                g_string_append(out, out->len ? " '" : "'");
                append_capped(out, src->title, title_max);
                g_string_append_c(out, '\'');
            } else if (!has_symbol) {
                append_capped(out, has_title ? src->title : "Untitled document", title_max);
            }
        }
        if (date.year) {
            g_string_append(out, out->len ? " (" : "(");
            append_date(out, date, style);
            g_string_append_c(out, ')');
        }
        if (has_symbol)
            g_string_append_printf(out, "%sUN Doc %s", out->len ? " " : "", symbol);
        if (pin->len)
            g_string_append_printf(out, "%s%s", has_symbol ? ", " : " ", pin->str);
        else if (src->page > 0)
            g_string_append_printf(out, "%s%d", has_symbol ? ", " : " ", src->page);
    }
    g_string_free(pin, TRUE);
    char *result = strdup(out->str);
    g_string_free(out, TRUE);
    return result;
}

/* ---- exports ---------------------------------------------------------------- */

/* Kinds that are acts of a body rather than reports about something. */
static int is_act(const char *kind)
{
    static const char *const acts[] = {"resolution", "decision", "presidential-statement",
                                       "declaration", "act"};
    for (size_t i = 0; kind && i < sizeof acts / sizeof acts[0]; i++)
        if (strcmp(kind, acts[i]) == 0)
            return 1;
    return 0;
}

/* The author the exports give: the issuing body, except for a statement,
 * which is its speaker's (named in its title), not the body's it was made
 * in. */
static const char *export_author(const civ_cite_source *src)
{
    return src->kind && strcmp(src->kind, "statement") == 0 ? NULL : civ_cite_body_name(src->body);
}

static const char *csl_type(const civ_cite_source *src)
{
    if (is_act(src->kind))
        return "legislation";
    if (src->kind && strcmp(src->kind, "draft") == 0)
        return "bill";
    if (src->kind &&
        (strcmp(src->kind, "verbatim-record") == 0 || strcmp(src->kind, "statement") == 0))
        return "speech";
    return is_blank(src->symbol) ? "document" : "report";
}

/* A string value capped and made valid UTF-8: nothing a hostile title can
 * do inside a JSON string, jansson escapes the rest. */
static json_t *capped_string(const char *s, size_t max)
{
    GString *g = g_string_new(NULL);
    append_capped(g, s, max);
    json_t *v = json_string(g->str);
    g_string_free(g, TRUE);
    return v;
}

static const char *title_or_symbol(const civ_cite_source *src)
{
    return !is_blank(src->title)    ? src->title
           : !is_blank(src->symbol) ? src->symbol
                                    : "Untitled document";
}

json_t *civ_cite_csl_item(const civ_cite_source *src)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    const char *body = export_author(src);
    iso_date d = parse_date(src->date);
    json_object_set_new(o, "id", capped_string(!is_blank(src->id) ? src->id : "item", 64));
    json_object_set_new(o, "type", json_string(csl_type(src)));
    json_object_set_new(o, "title", capped_string(title_or_symbol(src), CIV_CITE_MAX));
    if (!is_blank(src->symbol))
        json_object_set_new(o, "number", capped_string(src->symbol, 80));
    if (!is_blank(body)) {
        json_t *author = json_object();
        json_object_set_new(author, "literal", capped_string(body, 200));
        json_object_set_new(o, "author", json_pack("[o]", author));
        json_object_set_new(o, "authority", capped_string(body, 200));
    }
    if (!is_blank(src->symbol))
        json_object_set_new(o, "publisher", json_string("United Nations"));
    if (d.year) {
        json_t *parts = json_pack("[i]", d.year);
        if (d.month)
            json_array_append_new(parts, json_integer(d.month));
        if (d.month && d.day)
            json_array_append_new(parts, json_integer(d.day));
        json_object_set_new(o, "issued", json_pack("{s:[o]}", "date-parts", parts));
    }
    if (!is_blank(src->paragraph)) {
        GString *label = clean_label(src->paragraph);
        json_object_set_new(o, "locator", json_string(label->str));
        json_object_set_new(o, "label",
                            json_string(pinpoint_kind(label->str, src->kind) == PIN_PARAGRAPH
                                            ? "paragraph"
                                            : "section"));
        g_string_free(label, TRUE);
    } else if (src->page > 0) {
        json_object_set_new(o, "locator", json_sprintf("%d", src->page));
        json_object_set_new(o, "label", json_string("page"));
    }
    if (src->page > 0)
        json_object_set_new(o, "page", json_sprintf("%d", src->page));
    if (!is_blank(src->language))
        json_object_set_new(o, "language", capped_string(src->language, 16));
    if (!is_blank(src->url))
        json_object_set_new(o, "URL", capped_string(src->url, 1024));
    return o;
}

/* value as one safe line: control characters (CR, LF, tabs ...) become
 * spaces, so no value can start a new tag; capped. */
static void append_line_value(GString *out, const char *value, size_t max)
{
    GString *v = g_string_new(NULL);
    append_capped(v, value, max);
    for (gsize i = 0; i < v->len; i++)
        if ((unsigned char)v->str[i] < 0x20 || v->str[i] == 0x7f)
            v->str[i] = ' ';
    g_string_append(out, v->str);
    g_string_free(v, TRUE);
}

static void ris_tag(GString *out, const char *tag, const char *value, size_t max)
{
    if (is_blank(value))
        return;
    g_string_append_printf(out, "%s  - ", tag);
    append_line_value(out, value, max);
    g_string_append(out, "\r\n");
}

char *civ_cite_ris(const civ_cite_source *srcs, size_t n, size_t *len)
{
    GString *out = g_string_new(NULL);
    for (size_t i = 0; i < n; i++) {
        const civ_cite_source *s = &srcs[i];
        iso_date d = parse_date(s->date);
        char buf[64];
        const char *type = is_act(s->kind) || (s->kind && strcmp(s->kind, "draft") == 0) ? "GOVDOC"
                           : !is_blank(s->symbol)                                        ? "RPRT"
                                                                                         : "GEN";
        ris_tag(out, "TY", type, 16);
        ris_tag(out, "ID", s->id, 64);
        ris_tag(out, "TI", title_or_symbol(s), CIV_CITE_MAX);
        ris_tag(out, "AU", export_author(s), 200);
        if (!is_blank(s->symbol)) {
            ris_tag(out, "PB", "United Nations", 32);
            /* The document number (a report's number, a resolution's
             * symbol): RIS's free "M1" field, which EndNote and Zotero read
             * as the number of reports and bills. */
            ris_tag(out, "M1", s->symbol, 80);
        }
        if (d.year) {
            snprintf(buf, sizeof buf, "%d", d.year);
            ris_tag(out, "PY", buf, 8);
            if (d.month && d.day)
                snprintf(buf, sizeof buf, "%04d/%02d/%02d/", d.year, d.month, d.day);
            else if (d.month)
                snprintf(buf, sizeof buf, "%04d/%02d//", d.year, d.month);
            else
                snprintf(buf, sizeof buf, "%04d///", d.year);
            ris_tag(out, "DA", buf, 16);
        }
        if (s->page > 0) {
            snprintf(buf, sizeof buf, "%d", s->page);
            ris_tag(out, "SP", buf, 16);
        }
        ris_tag(out, "LA", s->language, 16);
        ris_tag(out, "UR", s->url, 1024);
        char *pin = civ_cite_format(s);
        ris_tag(out, "N1", pin, CIV_CITE_MAX);
        free(pin);
        g_string_append(out, "ER  - \r\n");
    }
    if (len)
        *len = out->len;
    char *result = malloc(out->len + 1);
    if (result)
        memcpy(result, out->str, out->len + 1);
    g_string_free(out, TRUE);
    return result;
}

/* value for a BibTeX field in braces: LaTeX's special characters escaped
 * with commands that contain no brace of their own but balanced "{}", so
 * braces in the value always balance and nothing can end the field or the
 * entry; control characters become spaces. */
static void append_bibtex_value(GString *out, const char *value, size_t max)
{
    GString *v = g_string_new(NULL);
    append_capped(v, value, max);
    for (gsize i = 0; i < v->len; i++) {
        char c = v->str[i];
        switch (c) {
        case '{':
            g_string_append(out, "\\textbraceleft{}");
            break;
        case '}':
            g_string_append(out, "\\textbraceright{}");
            break;
        case '\\':
            g_string_append(out, "\\textbackslash{}");
            break;
        case '^':
            g_string_append(out, "\\textasciicircum{}");
            break;
        case '~':
            g_string_append(out, "\\textasciitilde{}");
            break;
        case '$':
        case '&':
        case '%':
        case '#':
        case '_':
            g_string_append_c(out, '\\');
            g_string_append_c(out, c);
            break;
        default:
            g_string_append_c(out, (unsigned char)c < 0x20 || c == 0x7f ? ' ' : c);
        }
    }
    g_string_free(v, TRUE);
}

static void bibtex_field(GString *out, const char *name, const char *value, size_t max,
                         int protect_case)
{
    if (is_blank(value))
        return;
    g_string_append_printf(out, ",\n  %s = {%s", name, protect_case ? "{" : "");
    append_bibtex_value(out, value, max);
    g_string_append(out, protect_case ? "}}" : "}");
}

/* A key of letters, digits and "_-:." only: "A_HRC_59_15-12" (symbol and
 * ordinal), "civitas-<passage id>" without a symbol. */
static void bibtex_key(GString *out, const civ_cite_source *s, size_t index)
{
    const char *ordinal = s->id ? strrchr(s->id, '-') : NULL;
    if (!is_blank(s->symbol)) {
        for (const char *c = s->symbol; *c && c - s->symbol < 80; c++)
            g_string_append_c(out, g_ascii_isalnum(*c) || *c == '.' ? *c : '_');
        /* A symbol names all six language versions: the language keeps
         * their keys apart in one bibliography. */
        if (!is_blank(s->language)) {
            g_string_append_c(out, '-');
            for (const char *c = s->language; *c && c - s->language < 16; c++)
                if (g_ascii_isalnum(*c))
                    g_string_append_c(out, *c);
        }
        if (ordinal && ordinal[1])
            g_string_append(out, ordinal);
        else
            g_string_append_printf(out, "-%zu", index + 1);
        return;
    }
    g_string_append(out, "civitas");
    if (!is_blank(s->id)) {
        g_string_append_c(out, '-');
        for (const char *c = s->id; *c && c - s->id < 64; c++)
            g_string_append_c(out, g_ascii_isalnum(*c) || *c == '-' ? *c : '_');
    } else {
        g_string_append_printf(out, "-%zu", index + 1);
    }
}

char *civ_cite_bibtex(const civ_cite_source *srcs, size_t n, size_t *len)
{
    static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};
    GString *out = g_string_new(NULL);
    for (size_t i = 0; i < n; i++) {
        const civ_cite_source *s = &srcs[i];
        iso_date d = parse_date(s->date);
        int report = !is_blank(s->symbol) && !is_act(s->kind);
        const char *body = export_author(s);
        char buf[32];
        if (i)
            g_string_append(out, "\n");
        g_string_append(out, report ? "@techreport{" : "@misc{");
        bibtex_key(out, s, i);
        bibtex_field(out, "title", title_or_symbol(s), CIV_CITE_MAX, 1);
        bibtex_field(out, "author", body, 200, 1);
        if (report)
            bibtex_field(out, "institution", "United Nations", 32, 0);
        else if (!is_blank(s->symbol))
            bibtex_field(out, "publisher", "United Nations", 32, 0);
        bibtex_field(out, "number", s->symbol, 80, 0);
        if (d.year) {
            snprintf(buf, sizeof buf, "%d", d.year);
            bibtex_field(out, "year", buf, 8, 0);
            if (d.month) {
                /* A month macro, unbraced, as BibTeX styles expect. */
                g_string_append_printf(out, ",\n  month = %s", months[d.month - 1]);
            }
            if (d.month && d.day) {
                snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
                bibtex_field(out, "date", buf, 16, 0);
            }
        }
        if (s->page > 0) {
            snprintf(buf, sizeof buf, "%d", s->page);
            bibtex_field(out, "pages", buf, 16, 0);
        }
        char *pin = civ_cite_format(s);
        bibtex_field(out, "note", pin, CIV_CITE_MAX, 0);
        free(pin);
        bibtex_field(out, "language", s->language, 16, 0);
        /* A URL is written as is (url fields are verbatim), so only one
         * made of URL characters without braces, backslashes or spaces. */
        if (!is_blank(s->url) && strlen(s->url) <= 1024 &&
            strspn(s->url, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                           ":/?#[]@!$&'()*+,;=-._~%") == strlen(s->url))
            g_string_append_printf(out, ",\n  url = {%s}", s->url);
        g_string_append(out, "\n}\n");
    }
    if (len)
        *len = out->len;
    char *result = malloc(out->len + 1);
    if (result)
        memcpy(result, out->str, out->len + 1);
    g_string_free(out, TRUE);
    return result;
}
