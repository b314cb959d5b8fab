/* civ_search.c: API parameters -> civ_xapian_query -> grouped hits.
 *
 * Schema knowledge lives here (docs/SCHEMA.md): filters are boolean terms
 * ORed within a parameter and ANDed across parameters, the symbol prefix
 * and the year range are value ranges, and facets count documents.
 *
 * A passage search (group=passage) is one match over the passages.
 *
 * A document search (group=document) takes two matches, three at most,
 * each bounded by the page size:
 *   1. the records (one per file, holding the words of all its passages)
 *      at the requested page: the page's documents, the total number of
 *      matching documents, the facets and the suggestion; a query with a
 *      phrase or NEAR group, which needs positions, matches the passages
 *      instead, collapsed to one per document;
 *   2. the same query over those documents' passages, the best k of
 *      each: a document's passages are one run of docids from its first
 *      (civ_xapian_run), so no term per document is looked up and no
 *      value read per candidate; and the page ordered by them;
 *   3. for documents whose words are spread over several passages (none
 *      holds them all), any word of the query over their passages.
 * So paging counts documents exactly and no more than per_page * k passages
 * are fetched, however deep the page. Snippets, citations and records are
 * made only for what is returned; a record is read once per search.
 *
 * Stored documents and passages are read by civ_stored.c, references and
 * language versions found by civ_refs.c.
 */
#include "civ_search.h"

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "civ_lang.h"
#include "civ_stored.h"

#define MAX_PAGE 1000000

/* Query-string fields (docs/API.md): name, prefix, boolean,
 * passages_only, without_positions, fold_case. */
static const civ_xapian_field query_fields[] = {
    {"title", CIV_PREFIX_TITLE, 0, 0, 1, 0},   {"symbol", CIV_PREFIX_SYMBOL, 1, 0, 0, 0},
    {"lang", CIV_PREFIX_LANG, 1, 0, 0, 0},     {"type", CIV_PREFIX_TYPE, 1, 0, 0, 1},
    {"body", CIV_PREFIX_BODY, 1, 0, 0, 1},     {"year", CIV_PREFIX_YEAR, 1, 0, 0, 0},
    {"format", CIV_PREFIX_FORMAT, 1, 0, 0, 1}, {"para", CIV_PREFIX_PARA, 1, 1, 0, 0},
    {"kind", CIV_PREFIX_TYPE, 1, 0, 0, 1},     {"session", CIV_PREFIX_SESSION, 1, 0, 0, 0},
    {"agenda", CIV_PREFIX_AGENDA, 1, 0, 0, 0}, {"cites", CIV_PREFIX_CITES, 1, 0, 0, 0},
};

static const unsigned facet_slots[CIV_SEARCH_N_FACETS] = CIV_FACET_SLOTS;
static const char *const facet_names[CIV_SEARCH_N_FACETS] = {"language", "type", "body", "year",
                                                             "format"};

void civ_search_limits_default(civ_search_limits *lim)
{
    lim->max_query_bytes = 1024;
    lim->max_per_page = 50;
    lim->max_depth = 1000;
    lim->max_k = 10;
    lim->max_wildcard = 100;
    lim->time_limit = 0.5;
    lim->check_at_least = 1000;
    lim->snippet_chars = 300;
}

/* ---- requests ------------------------------------------------------------ */

enum {
    SEEN_Q = 1,
    SEEN_QLANG = 2,
    SEEN_SYMBOL = 4,
    SEEN_YEAR_FROM = 8,
    SEEN_YEAR_TO = 16,
    SEEN_PAGE = 32,
    SEEN_PER_PAGE = 64,
    SEEN_K = 128,
    SEEN_GROUP = 256
};

void civ_search_request_init(civ_search_request *req)
{
    memset(req, 0, sizeof *req);
    req->page = 1;
    req->per_page = 10;
    req->k = 3;
    req->group = CIV_GROUP_DOCUMENT;
}

static void values_clear(civ_search_values *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->values[i]);
    v->n = 0;
}

void civ_search_request_clear(civ_search_request *req)
{
    if (!req)
        return;
    free(req->q);
    free(req->qlang);
    free(req->symbol);
    values_clear(&req->lang);
    values_clear(&req->type);
    values_clear(&req->body);
    values_clear(&req->format);
    civ_search_request_init(req);
}

civ_status civ_search_check_text(const char *s, size_t len, civ_err *err)
{
    if (memchr(s, '\0', len))
        return civ_err_set(err, CIV_ERR_INPUT, "parameter contains a NUL byte");
    if (!g_utf8_validate(s, (gssize)len, NULL))
        return civ_err_set(err, CIV_ERR_INPUT, "parameter is not valid UTF-8");
    return CIV_OK;
}

static char *dup_len(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

/* A decimal number of at most 7 digits, no sign: page, per_page, k. */
static int parse_count(const char *s, size_t len, unsigned *out)
{
    if (len == 0 || len > 7)
        return 0;
    unsigned v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!g_ascii_isdigit(s[i]))
            return 0;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return 1;
}

/* A language code for a filter or the query: any tag civ_lang_normalise
 * knows ("fr", "fra", "French"), mapped to its ISO 639-1 code. */
static char *parse_language(const char *s, size_t len)
{
    char tag[64], code[8];
    if (len >= sizeof tag)
        return NULL;
    memcpy(tag, s, len);
    tag[len] = '\0';
    if (!civ_lang_normalise(tag, code, sizeof code) || !civ_lang_find(code))
        return NULL;
    return strdup(code);
}

static civ_status add_value(civ_search_values *v, const char *name, char *value, civ_err *err)
{
    if (!value)
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    if (v->n >= CIV_SEARCH_MAX_VALUES) {
        free(value);
        return civ_err_set(err, CIV_ERR_INPUT, "too many values for %s (at most %d)", name,
                           CIV_SEARCH_MAX_VALUES);
    }
    v->values[v->n++] = value;
    return CIV_OK;
}

static int name_is(const char *name, size_t len, const char *want)
{
    return strlen(want) == len && memcmp(name, want, len) == 0;
}

static civ_status set_scalar(civ_search_request *req, unsigned bit, const char *name, civ_err *err)
{
    if (req->seen & bit)
        return civ_err_set(err, CIV_ERR_INPUT, "parameter %s given more than once", name);
    req->seen |= bit;
    return CIV_OK;
}

static civ_status set_number(civ_search_request *req, unsigned bit, const char *name,
                             const char *value, size_t len, unsigned lo, unsigned hi, unsigned *out,
                             civ_err *err)
{
    unsigned v = 0;
    civ_status st = set_scalar(req, bit, name, err);
    if (st)
        return st;
    if (!parse_count(value, len, &v) || v < lo || v > hi)
        return civ_err_set(err, CIV_ERR_INPUT, "%s must be a whole number from %u to %u", name, lo,
                           hi);
    *out = v;
    return CIV_OK;
}

static civ_status set_year(civ_search_request *req, unsigned bit, const char *name,
                           const char *value, size_t len, int *out, civ_err *err)
{
    unsigned v = 0;
    civ_status st = set_scalar(req, bit, name, err);
    if (st)
        return st;
    if (len != 4 || !parse_count(value, len, &v) || v < 1000)
        return civ_err_set(err, CIV_ERR_INPUT, "%s must be a four-digit year", name);
    *out = (int)v;
    return CIV_OK;
}

/* Whether name is a parameter of the search. */
static int known_param(const char *name, size_t len)
{
    static const char *const names[] = {"q",       "page",  "per_page", "k",    "year_from",
                                        "year_to", "group", "qlang",    "lang", "symbol",
                                        "type",    "body",  "format"};
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (name_is(name, len, names[i]))
            return 1;
    return 0;
}

civ_status civ_search_request_set(civ_search_request *req, const civ_search_limits *lim,
                                  const char *name, size_t name_len, const char *value,
                                  size_t value_len, civ_err *err)
{
    civ_status st;
    /* Unknown parameters (cache busters, tracking tags of any length) are
     * ignored before anything is asked of their values. */
    if (!known_param(name, name_len))
        return CIV_OK;
    if ((st = civ_search_check_text(name, name_len, err)) ||
        (st = civ_search_check_text(value, value_len, err)))
        return st;
    if (value_len == 0)
        return CIV_OK;

    if (name_is(name, name_len, "q")) {
        if ((st = set_scalar(req, SEEN_Q, "q", err)))
            return st;
        if (value_len > lim->max_query_bytes)
            return civ_err_set(err, CIV_ERR_TOOLARGE, "q is longer than %zu bytes",
                               lim->max_query_bytes);
        req->q = dup_len(value, value_len);
        return req->q ? CIV_OK : civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    }
    if (name_is(name, name_len, "page"))
        return set_number(req, SEEN_PAGE, "page", value, value_len, 1, MAX_PAGE, &req->page, err);
    if (name_is(name, name_len, "per_page"))
        return set_number(req, SEEN_PER_PAGE, "per_page", value, value_len, 1, lim->max_per_page,
                          &req->per_page, err);
    if (name_is(name, name_len, "k"))
        return set_number(req, SEEN_K, "k", value, value_len, 1, lim->max_k, &req->k, err);
    if (name_is(name, name_len, "year_from"))
        return set_year(req, SEEN_YEAR_FROM, "year_from", value, value_len, &req->year_from, err);
    if (name_is(name, name_len, "year_to"))
        return set_year(req, SEEN_YEAR_TO, "year_to", value, value_len, &req->year_to, err);
    if (name_is(name, name_len, "group")) {
        if ((st = set_scalar(req, SEEN_GROUP, "group", err)))
            return st;
        if (name_is(value, value_len, "document"))
            req->group = CIV_GROUP_DOCUMENT;
        else if (name_is(value, value_len, "passage"))
            req->group = CIV_GROUP_PASSAGE;
        else
            return civ_err_set(err, CIV_ERR_INPUT, "group must be document or passage");
        return CIV_OK;
    }
    if (name_is(name, name_len, "qlang")) {
        if ((st = set_scalar(req, SEEN_QLANG, "qlang", err)))
            return st;
        req->qlang =
            name_is(value, value_len, "none") ? strdup("none") : parse_language(value, value_len);
        return req->qlang ? CIV_OK : civ_err_set(err, CIV_ERR_INPUT, "unknown language in qlang");
    }
    if (name_is(name, name_len, "lang")) {
        char *code = parse_language(value, value_len);
        if (!code)
            return civ_err_set(err, CIV_ERR_INPUT, "unknown language in lang");
        return add_value(&req->lang, "lang", code, err);
    }
    if (value_len > CIV_SEARCH_MAX_VALUE_BYTES)
        return civ_err_set(err, CIV_ERR_INPUT, "parameter value longer than %d bytes",
                           CIV_SEARCH_MAX_VALUE_BYTES);
    if (name_is(name, name_len, "symbol")) {
        if ((st = set_scalar(req, SEEN_SYMBOL, "symbol", err)))
            return st;
        /* Symbols are stored in upper case (docs/SCHEMA.md). */
        req->symbol = dup_len(value, value_len);
        if (!req->symbol)
            return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        for (char *c = req->symbol; *c; c++)
            *c = g_ascii_toupper(*c);
        return CIV_OK;
    }
    if (name_is(name, name_len, "type"))
        return add_value(&req->type, "type", dup_len(value, value_len), err);
    if (name_is(name, name_len, "body"))
        return add_value(&req->body, "body", dup_len(value, value_len), err);
    if (name_is(name, name_len, "format"))
        return add_value(&req->format, "format", dup_len(value, value_len), err);
    return CIV_OK;
}

/* q with the quotation marks of French, Russian, German and typeset
 * English ("«droits de l'homme»", "„права человека“", "“right to food”")
 * as ASCII double quotes, which make a phrase. */
static char *with_ascii_quotes(const char *q)
{
    GString *out = g_string_sized_new(strlen(q));
    for (const char *p = q; *p;) {
        gunichar c = g_utf8_get_char(p);
        if (c == 0x00AB || c == 0x00BB || c == 0x201C || c == 0x201D || c == 0x201E)
            g_string_append_c(out, '"');
        else
            g_string_append_len(out, p, g_utf8_next_char(p) - p);
        p = g_utf8_next_char(p);
    }
    return g_string_free(out, FALSE);
}

/* Words typed with a capital ("Derechos", "Liberté", "Education")
 * lower-cased, outside quotes and field values: Xapian stems no word that
 * starts with a capital, so "Derechos humanos" found fewer passages than
 * "derechos humanos", and highlighted only the form typed. Words all in
 * capitals (UN, HRC, and the operators AND, OR, NOT) stay as written. */
static void lower_title_case(GString *q)
{
    GString *out = g_string_sized_new(q->len);
    int quoted = 0;
    for (const char *p = q->str; *p;) {
        if (*p == '"') {
            quoted = !quoted;
            g_string_append_c(out, *p++);
            continue;
        }
        gunichar c = g_utf8_get_char(p);
        if (!g_unichar_isalnum(c)) {
            g_string_append_unichar(out, c);
            p = g_utf8_next_char(p);
            continue;
        }
        /* A word: letters and digits. */
        const char *start = p, *end = p;
        int lower_after_first = 0;
        while (*end && g_unichar_isalnum(g_utf8_get_char(end))) {
            if (end != start && g_unichar_islower(g_utf8_get_char(end)))
                lower_after_first = 1;
            end = g_utf8_next_char(end);
        }
        int field_value = start > q->str && start[-1] == ':';
        if (!quoted && !field_value && g_unichar_isupper(c) && lower_after_first) {
            char *lower = g_utf8_strdown(start, end - start);
            g_string_append(out, lower);
            g_free(lower);
        } else {
            g_string_append_len(out, start, end - start);
        }
        p = end;
    }
    g_string_assign(q, out->str);
    g_string_free(out, TRUE);
}

/* Field values typed in the query are normalised as the index stores
 * them: symbol:a/hrc/14/37 and cites:a/hrc/res/5/1 are upper-cased,
 * lang:FR lower-cased, and a paragraph label with brackets, which the
 * query parser would end at the first ")", is quoted: para:5(1)(a) is
 * para:"5(1)(a)". */
static char *normalise_query(const char *q)
{
    enum { UPPER, LOWER, QUOTE_BRACKETS };
    static const struct {
        const char *field;
        int how;
    } fields[] = {
        {"symbol:", UPPER}, {"cites:", UPPER}, {"lang:", LOWER}, {"para:", QUOTE_BRACKETS}};
    char *ascii_quotes = with_ascii_quotes(q);
    q = ascii_quotes;
    GString *out = g_string_sized_new(strlen(q) + 8);
    for (const char *p = q; *p;) {
        int at_word = p == q || strchr(" \t\n(+-", p[-1]);
        size_t f = 0, n = 0;
        for (; at_word && f < sizeof fields / sizeof fields[0]; f++) {
            n = strlen(fields[f].field);
            if (strncmp(p, fields[f].field, n) == 0)
                break;
        }
        if (!at_word || f == sizeof fields / sizeof fields[0]) {
            g_string_append_c(out, *p++);
            continue;
        }
        g_string_append_len(out, p, (gssize)n);
        const char *v = p + n;
        int quoted = *v == '"';
        const char *end = v + quoted;
        size_t open = 0;
        /* The value: to the closing quote, or to white space or a ")"
         * that closes no "(" of its own. */
        for (; *end && (quoted ? *end != '"' : !strchr(" \t\n", *end)); end++) {
            if (quoted)
                continue;
            if (*end == '(')
                open++;
            if (*end == ')' && open == 0)
                break;
            if (*end == ')')
                open--;
        }
        int add_quotes = fields[f].how == QUOTE_BRACKETS && !quoted && memchr(v, '(', end - v);
        if (add_quotes)
            g_string_append_c(out, '"');
        for (const char *c = v; c < end; c++)
            g_string_append_c(out, fields[f].how == UPPER   ? g_ascii_toupper(*c)
                                   : fields[f].how == LOWER ? g_ascii_tolower(*c)
                                                            : *c);
        if (add_quotes)
            g_string_append_c(out, '"');
        p = end;
    }
    g_free(ascii_quotes);
    lower_title_case(out);
    /* Hand back malloc memory, as plan_clear frees it. */
    char *text = strdup(out->str);
    g_string_free(out, TRUE);
    return text;
}

/* ---- searching ----------------------------------------------------------- */

/* A civ_xapian_query and the strings it points to. */
typedef struct plan {
    civ_xapian_query xq;
    civ_xapian_filter filters[7];
    civ_xapian_range ranges[2];
    char *terms[4][CIV_SEARCH_MAX_VALUES];
    char *only_lang_term[1];
    /* The candidate documents of a document search: their ids (borrowed
     * from the first match's hits), the unique terms of their first
     * passages and their passages as runs. */
    const char **ids;
    char **first_terms;
    civ_xapian_run *runs;
    size_t n_candidates;
    int by_records; /* the first match ranked records (first_match) */
    int suggest;    /* 1: look for a spelling suggestion when nothing matches */
    char *text;
    char year_lo[8], year_hi[8];
    char *symbol_hi;
} plan;

static void plan_clear(plan *pl)
{
    for (size_t g = 0; g < 4; g++)
        for (size_t i = 0; i < CIV_SEARCH_MAX_VALUES; i++)
            free(pl->terms[g][i]);
    for (size_t i = 0; i < pl->n_candidates; i++)
        free(pl->first_terms[i]);
    free(pl->first_terms);
    free(pl->ids);
    free(pl->runs);
    free(pl->only_lang_term[0]);
    free(pl->text);
    free(pl->symbol_hi);
}

static civ_status add_filter(plan *pl, size_t group, const char *prefix, const civ_search_values *v,
                             civ_err *err)
{
    if (v->n == 0)
        return CIV_OK;
    for (size_t i = 0; i < v->n; i++) {
        /* The same term form the indexer writes (XBODY:HRC). */
        pl->terms[group][i] = civ_xapian_term(prefix, v->values[i]);
        if (!pl->terms[group][i])
            return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    }
    civ_xapian_filter *f = &pl->filters[pl->xq.n_filters++];
    f->terms = (const char *const *)pl->terms[group];
    f->n_terms = v->n;
    /* Languages are normalised already (parse_language); other values
     * are matched ignoring case when not found as given. */
    f->fold_prefix = strcmp(prefix, CIV_PREFIX_LANG) ? prefix : NULL;
    return CIV_OK;
}

/* only_lang (or NULL) adds a filter on that language to the request's. */
static civ_status plan_build(plan *pl, const civ_search_request *req, const civ_search_limits *lim,
                             const char *lang, const char *only_lang, civ_err *err)
{
    civ_status st;
    memset(pl, 0, sizeof *pl);
    civ_xapian_query *xq = &pl->xq;
    if (req->q && !(pl->text = normalise_query(req->q)))
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    xq->text = pl->text;
    xq->lang = lang;
    /* Words as written in any language (a guess that found nothing):
     * French text was indexed with its elisions split. */
    xq->elisions = !lang && !req->qlang;
    xq->fields = query_fields;
    xq->n_fields = sizeof query_fields / sizeof query_fields[0];
    xq->filters = pl->filters;
    xq->ranges = pl->ranges;
    xq->collapse_slot = -1;
    xq->facet_distinct_slot = -1;
    xq->max_wildcard = lim->max_wildcard;
    xq->time_limit = lim->time_limit;
    xq->part = CIV_XAPIAN_PASSAGES;
    if ((st = add_filter(pl, 0, CIV_PREFIX_LANG, &req->lang, err)) ||
        (st = add_filter(pl, 1, CIV_PREFIX_TYPE, &req->type, err)) ||
        (st = add_filter(pl, 2, CIV_PREFIX_BODY, &req->body, err)) ||
        (st = add_filter(pl, 3, CIV_PREFIX_FORMAT, &req->format, err)))
        return st;
    if (only_lang) {
        if (!(pl->only_lang_term[0] = civ_xapian_term(CIV_PREFIX_LANG, only_lang)))
            return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        pl->filters[xq->n_filters].terms = (const char *const *)pl->only_lang_term;
        pl->filters[xq->n_filters++].n_terms = 1;
    }

    if (req->year_from || req->year_to) {
        civ_xapian_range *rg = &pl->ranges[xq->n_ranges++];
        rg->slot = CIV_SLOT_YEAR;
        snprintf(pl->year_lo, sizeof pl->year_lo, "%04d", req->year_from);
        snprintf(pl->year_hi, sizeof pl->year_hi, "%04d", req->year_to);
        rg->lo = req->year_from ? pl->year_lo : NULL;
        rg->hi = req->year_to ? pl->year_hi : NULL;
    }
    if (req->symbol) {
        /* Every symbol starting with the prefix sorts between the prefix and
         * the prefix followed by the highest byte. */
        civ_xapian_range *rg = &pl->ranges[xq->n_ranges++];
        pl->symbol_hi = g_strconcat(req->symbol, "\xff", NULL);
        rg->slot = CIV_SLOT_SYMBOL;
        rg->lo = req->symbol;
        rg->hi = pl->symbol_hi;
    }
    return CIV_OK;
}

/* The record cache of one search: each document fetched once. */
typedef struct doc_cache {
    GHashTable *by_id; /* id -> civ_search_document*, owned by list */
    GPtrArray *list;
} doc_cache;

static const civ_search_document *cache_get(doc_cache *c, civ_xapian_reader *r, const char *id)
{
    civ_search_document *doc = g_hash_table_lookup(c->by_id, id);
    if (doc)
        return doc;
    json_t *rec = NULL;
    /* A passage whose record is missing (a writer between commits cannot
     * cause this, a damaged index could) is still shown, with its id. */
    if (!civ_search_is_document_id(id, strlen(id)) ||
        civ_stored_record(r, id, &rec, NULL) != CIV_OK)
        rec = NULL;
    doc = civ_stored_document(id, rec);
    json_decref(rec);
    if (!doc)
        return NULL;
    g_ptr_array_add(c->list, doc);
    g_hash_table_insert(c->by_id, doc->id, doc);
    return doc;
}

/* Put the document of a record the first match returned in the cache (its
 * data is at hand: reading the record again would parse it twice) and
 * return it, or NULL when the data is not a record with a document id. */
static const civ_search_document *cache_put_record(doc_cache *c, const civ_xapian_hit *h)
{
    json_t *rec = NULL;
    if (civ_stored_parse(h->data, h->data_len, &rec, NULL))
        return NULL;
    const char *id = json_string_value(json_object_get(rec, "id"));
    civ_search_document *doc = NULL;
    if (id && civ_search_is_document_id(id, strlen(id))) {
        doc = g_hash_table_lookup(c->by_id, id);
        if (!doc && (doc = civ_stored_document(id, rec))) {
            g_ptr_array_add(c->list, doc);
            g_hash_table_insert(c->by_id, doc->id, doc);
        }
    }
    json_decref(rec);
    return doc;
}

void civ_search_results_free(civ_search_results *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->n_hits; i++)
        civ_search_passages_free(res->hits[i].passages, res->hits[i].n_passages);
    free(res->hits);
    for (size_t i = 0; i < res->n_documents; i++)
        civ_search_document_free(res->documents[i]);
    free(res->documents);
    for (size_t f = 0; f < CIV_SEARCH_N_FACETS; f++) {
        for (size_t i = 0; i < res->facets[f].n_values; i++)
            free(res->facets[f].values[i].value);
        free(res->facets[f].values);
    }
    free(res->query);
    free(res->language);
    free(res->suggestion);
    free(res);
}

static civ_status copy_facets(civ_search_results *res, const civ_xapian_results *xr, civ_err *err)
{
    for (size_t f = 0; f < CIV_SEARCH_N_FACETS; f++) {
        const civ_xapian_facet_value *vals = NULL;
        size_t n = 0;
        civ_status st = civ_xapian_results_facet(xr, f, &vals, &n, err);
        if (st)
            return st;
        res->facets[f].name = facet_names[f];
        res->facets[f].values = calloc(n ? n : 1, sizeof *res->facets[f].values);
        if (!res->facets[f].values)
            return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < n; i++) {
            res->facets[f].values[i].value = strdup(vals[i].value);
            res->facets[f].values[i].count = vals[i].count;
            res->facets[f].n_values++;
        }
    }
    return CIV_OK;
}

/* Turn one matched passage into p: data, citation, snippet, score. */
static civ_status passage_from_hit(civ_xapian_reader *r, civ_xapian_results *xr,
                                   const civ_xapian_hit *h, const civ_search_limits *lim,
                                   doc_cache *cache, const civ_search_document **doc,
                                   civ_search_passage *p, civ_err *err)
{
    json_t *json = NULL;
    civ_status st = civ_stored_parse(h->data, h->data_len, &json, err);
    if (st)
        return st;
    const char *parent = json_string_value(json_object_get(json, "doc"));
    *doc = parent ? cache_get(cache, r, parent) : NULL;
    st = civ_stored_passage(json, *doc, p, err);
    if (st == CIV_OK) {
        size_t len;
        const char *text = civ_stored_text(json, &len);
        st = civ_xapian_results_snippet(xr, text, len, lim->snippet_chars, &p->snippet, err);
        p->score = h->weight;
    }
    json_decref(json);
    return st;
}

static int over_deadline(const civ_xapian_results *xr, const civ_search_limits *lim)
{
    return lim->time_limit > 0 && civ_xapian_results_seconds(xr) > lim->time_limit;
}

/* A spelling suggestion for a query that matched nothing and has a word
 * the index does not hold (civ_xapian_search looks only then): Xapian
 * suggests a more frequent neighbour of any word ("rights" for "right"),
 * which is no help when every word is known. The match itself is empty
 * and cheap; only the parser's correction is wanted. */
static civ_status suggest(civ_xapian_reader *r, civ_xapian_query *xq, const civ_search_request *req,
                          civ_search_results *res, civ_err *err)
{
    civ_xapian_query q = *xq;
    q.spelling = 1;
    q.count = 0;
    q.n_facets = 0;
    civ_xapian_results *xr = NULL;
    civ_status st = civ_xapian_search(r, &q, &xr, err);
    if (st)
        return st;
    const char *suggestion = civ_xapian_results_suggestion(xr);
    if (suggestion && strcmp(suggestion, req->q) != 0 && !(res->suggestion = strdup(suggestion)))
        st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    civ_xapian_results_free(xr);
    return st;
}

/* Match pl->xq; a query that needs positions, which records lack, is
 * matched again over passages, one per document. */
static civ_status match(civ_xapian_reader *r, plan *pl, civ_xapian_results **xr, civ_err *err)
{
    civ_xapian_query *xq = &pl->xq;
    civ_status st = civ_xapian_search(r, xq, xr, err);
    if (st == CIV_OK && civ_xapian_results_positional(*xr)) {
        civ_xapian_results_free(*xr);
        *xr = NULL;
        pl->by_records = 0;
        xq->part = CIV_XAPIAN_PASSAGES;
        xq->positionless = 0;
        xq->collapse_slot = CIV_SLOT_PARENT;
        xq->facet_distinct_slot = CIV_SLOT_PARENT;
        st = civ_xapian_search(r, xq, xr, err);
    }
    return st;
}

/* The first match: the totals, facets and suggestion, and the candidates:
 * passages (group=passage), or the page's documents.
 *
 * Documents are found, ranked and counted by their records, which hold the
 * words of all their passages without positions: a few thousand records
 * instead of hundreds of thousands of passages to match, count and facet,
 * and totals and facets that count documents directly. document_hits then
 * orders the page by each document's best passage. A query with a phrase
 * or NEAR group needs positions, and one with para: the paragraph labels,
 * which only passages have: it ranks passages, one per document. */
static civ_status first_match(civ_xapian_reader *r, plan *pl, const civ_search_request *req,
                              const civ_search_limits *lim, civ_search_results *res,
                              civ_xapian_results **xr, civ_err *err)
{
    civ_xapian_query *xq = &pl->xq;
    pl->by_records = req->group == CIV_GROUP_DOCUMENT;
    xq->part = pl->by_records ? CIV_XAPIAN_RECORDS : CIV_XAPIAN_PASSAGES;
    xq->positionless = pl->by_records;
    xq->offset = (req->page - 1) * req->per_page;
    xq->count = req->per_page;
    /* A record is its own parent: records need no collapsing (which costs
     * a value read per candidate, 15% of a search); their ids are in
     * their data. */
    xq->collapse_slot = req->group == CIV_GROUP_DOCUMENT && !pl->by_records ? CIV_SLOT_PARENT : -1;
    xq->collapse_max = 1;
    xq->facet_slots = facet_slots;
    xq->n_facets = CIV_SEARCH_N_FACETS;
    /* Records are documents already: their facets count matches. */
    xq->facet_distinct_slot = pl->by_records ? -1 : CIV_SLOT_PARENT;
    xq->facet_packed = 1;
    xq->facet_packed_slot = CIV_SLOT_FACETS;
    xq->check_at_least = lim->check_at_least;
    /* Spelling correction makes the parser look every word up in the
     * spelling table (a sixth of a search's time): ask for it only below,
     * when nothing matched. */
    xq->spelling = 0;
    xq->accents = 0;
    civ_status st = match(r, pl, xr, err);
    if (st)
        return st;
    res->total = civ_xapian_results_total(*xr);
    /* Nothing matched: a word may be written without its accents
     * ("derecho a la educacion"). Its accented forms are asked for only
     * now; the passages and snippets that follow ask for them too. */
    if (res->total == 0 && req->q) {
        xq->accents = 1;
        civ_xapian_results *again = NULL;
        if ((st = match(r, pl, &again, err)))
            return st;
        if (civ_xapian_results_total(again) > 0) {
            civ_xapian_results_free(*xr);
            *xr = again;
            res->total = civ_xapian_results_total(*xr);
        } else {
            civ_xapian_results_free(again);
            xq->accents = 0;
        }
    }
    res->timed_out = over_deadline(*xr, lim);
    if (res->total == 0 && req->q && pl->suggest && (st = suggest(r, xq, req, res, err)))
        return st;
    return copy_facets(res, *xr, err);
}

static civ_status passage_hits(civ_xapian_reader *r, civ_xapian_results *xr,
                               const civ_search_limits *lim, doc_cache *cache,
                               civ_search_results *res, civ_err *err)
{
    size_t n = civ_xapian_results_size(xr);
    res->hits = calloc(n ? n : 1, sizeof *res->hits);
    if (!res->hits)
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        civ_search_hit *hit = &res->hits[res->n_hits];
        hit->passages = calloc(1, sizeof *hit->passages);
        if (!hit->passages)
            return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        res->n_hits++;
        hit->n_passages = 1;
        civ_status st = passage_from_hit(r, xr, civ_xapian_results_hit(xr, i), lim, cache,
                                         &hit->document, hit->passages, err);
        if (st)
            return st;
    }
    return CIV_OK;
}

/* The passages of a page's documents: one match over them, in rank order. */
typedef struct page_match {
    civ_xapian_results *xr;
    long *doc; /* the candidate (index in pl->ids) of each hit */
    size_t n;
} page_match;

/* Match the best k passages of each candidate document in which[0, n),
 * with every word of the query, or any word (any_word); place the
 * documents found, in the order of their best passage, after the n_order
 * already in order. */
static civ_status match_passages(civ_xapian_reader *r, plan *pl, const civ_search_request *req,
                                 const civ_search_limits *lim, const size_t *which, size_t n,
                                 int any_word, page_match *m, size_t *order, size_t *n_order,
                                 unsigned char *placed, civ_search_results *res, civ_err *err)
{
    civ_xapian_query *xq = &pl->xq;
    civ_xapian_run *runs = calloc(n ? n : 1, sizeof *runs);
    if (!runs)
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        runs[i] = pl->runs[which[i]];
    xq->runs = runs;
    xq->n_runs = n;
    xq->run_max = req->k;
    xq->default_or = any_word;
    civ_status st = civ_xapian_search(r, xq, &m->xr, err);
    xq->runs = NULL;
    xq->n_runs = 0;
    free(runs);
    if (st)
        return st;
    res->timed_out |= over_deadline(m->xr, lim);
    m->n = civ_xapian_results_size(m->xr);
    if (!(m->doc = calloc(m->n ? m->n : 1, sizeof *m->doc)))
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < m->n; i++) {
        long run = civ_xapian_results_hit(m->xr, i)->run;
        long d = m->doc[i] = run >= 0 && (size_t)run < n ? (long)which[run] : -1;
        if (d >= 0 && !placed[d]) {
            placed[d] = 1;
            order[(*n_order)++] = (size_t)d;
        }
    }
    return CIV_OK;
}

/* The candidates of a document search, from the first match's hits: each
 * document's id and its passages, the run of docids from its first one
 * (the indexer adds a file's passages one after the other). */
static civ_status plan_candidates(civ_xapian_reader *r, plan *pl, civ_xapian_results *first,
                                  doc_cache *cache, civ_err *err)
{
    size_t n = civ_xapian_results_size(first);
    pl->ids = calloc(n, sizeof *pl->ids);
    pl->first_terms = calloc(n, sizeof *pl->first_terms);
    pl->runs = calloc(n, sizeof *pl->runs);
    if (!pl->ids || !pl->first_terms || !pl->runs)
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const civ_xapian_hit *h = civ_xapian_results_hit(first, i);
        /* A record's id is in its data; passages collapsed on their
         * parent carry it as their key. */
        const civ_search_document *doc =
            pl->by_records ? cache_put_record(cache, h) : cache_get(cache, r, h->key);
        pl->ids[i] = doc ? doc->id : h->key;
        if (!(pl->first_terms[i] = g_strconcat(CIV_PREFIX_ID, pl->ids[i], "-1", NULL)))
            return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        pl->n_candidates++;
        pl->runs[i].first_term = pl->first_terms[i];
        pl->runs[i].in_shard = h->shard + 1; /* a file's record and passages share it */
        pl->runs[i].count = doc && doc->passages > 0 ? (unsigned)doc->passages : 0;
    }
    return CIV_OK;
}

/* The second match of a document search: the best k passages of each
 * document on the page, and the page ordered by each document's best
 * passage (then, those with none, in the first match's order).
 *
 * After a match of records, a document can hold every word without one
 * passage holding them all: its best passages are then those with any of
 * the words, found by a third match over those documents alone, and it
 * comes after the documents with a passage holding them all. */
static civ_status document_hits(civ_xapian_reader *r, plan *pl, const civ_search_request *req,
                                const civ_search_limits *lim, civ_xapian_results *first,
                                doc_cache *cache, civ_search_results *res, civ_err *err)
{
    size_t n_docs = civ_xapian_results_size(first);
    if (n_docs == 0)
        return CIV_OK;
    res->hits = calloc(n_docs, sizeof *res->hits);
    size_t *order = calloc(n_docs, sizeof *order);
    size_t *which = calloc(n_docs, sizeof *which);
    unsigned char *placed = calloc(n_docs, 1);
    page_match m[2] = {{0}};
    size_t n_order = 0, n_which = 0;
    civ_status st = CIV_OK;
    if (!res->hits || !order || !which || !placed) {
        st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((st = plan_candidates(r, pl, first, cache, err)))
        goto out;
    civ_xapian_query *xq = &pl->xq;
    xq->part = CIV_XAPIAN_PASSAGES;
    xq->positionless = 0;
    xq->n_facets = 0;
    xq->facet_distinct_slot = -1;
    xq->check_at_least = 0;
    xq->spelling = 0;
    for (size_t d = 0; d < n_docs; d++)
        which[n_which++] = d;
    if ((st = match_passages(r, pl, req, lim, which, n_which, 0, &m[0], order, &n_order, placed,
                             res, err)))
        goto out;
    n_which = 0;
    for (size_t d = 0; d < n_docs; d++)
        if (!placed[d])
            which[n_which++] = d;
    if (pl->by_records && n_which > 0 && req->q &&
        (st = match_passages(r, pl, req, lim, which, n_which, 1, &m[1], order, &n_order, placed,
                             res, err)))
        goto out;
    for (size_t d = 0; d < n_docs; d++)
        if (!placed[d])
            order[n_order++] = d;

    for (size_t i = 0; i < n_docs && st == CIV_OK; i++) {
        size_t d = order[i];
        if (!pl->ids[d][0])
            continue; /* a record whose data is damaged: nothing to show */
        civ_search_hit *hit = &res->hits[res->n_hits++];
        if (!(hit->passages = calloc(req->k, sizeof *hit->passages))) {
            st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
            break;
        }
        for (size_t k = 0; k < 2; k++)
            for (size_t j = 0; j < m[k].n && hit->n_passages < req->k && st == CIV_OK; j++) {
                if (m[k].doc[j] != (long)d)
                    continue;
                civ_search_passage *p = &hit->passages[hit->n_passages];
                const civ_search_document *doc = NULL;
                st = passage_from_hit(r, m[k].xr, civ_xapian_results_hit(m[k].xr, j), lim, cache,
                                      &doc, p, err);
                /* The run is the document's passages, unless the index
                 * broke that (a damaged index could): a passage of
                 * another document is never shown under this one. */
                if (st == CIV_OK && doc && strcmp(doc->id, pl->ids[d]) == 0) {
                    hit->document = doc;
                    hit->n_passages++;
                } else {
                    civ_stored_passage_clear(p);
                    memset(p, 0, sizeof *p);
                }
            }
        /* A document without a passage here (its passages vanished between
         * the matches, a re-index committed in between) still shows. */
        if (st == CIV_OK && !hit->document)
            hit->document = cache_get(cache, r, pl->ids[d]);
    }
out:
    for (size_t k = 0; k < 2; k++) {
        civ_xapian_results_free(m[k].xr);
        free(m[k].doc);
    }
    free(which);
    free(order);
    free(placed);
    return st;
}

/* ---- choosing the query's language --------------------------------------- */

/* The language of the documents holding q's words as written, when most
 * of the matching documents are in one: the index's own answer to which
 * language a query is in. Phrases count as their words. *code is NULL
 * when the words match nothing or no language has most of the matches.
 * Only advice: words that cannot be searched without their quotes (a
 * wildcard in a phrase, which unquoted expands) give no answer, not an
 * error; the query itself is judged by its own search. */
static civ_status language_of_words(civ_xapian_reader *r, const civ_search_request *req,
                                    const civ_search_limits *lim, const char **code, civ_err *err)
{
    *code = NULL;
    civ_search_request words = *req;
    char *q = with_ascii_quotes(req->q);
    for (char *p = q; *p; p++)
        if (*p == '"')
            *p = ' ';
    words.q = q;
    plan pl;
    civ_xapian_results *xr = NULL;
    civ_status st = plan_build(&pl, &words, lim, NULL, NULL, err);
    if (st == CIV_OK) {
        civ_xapian_query *xq = &pl.xq;
        xq->part = CIV_XAPIAN_RECORDS;
        xq->positionless = 1;
        xq->count = 0;
        xq->facet_slots = facet_slots;
        xq->n_facets = 1; /* language first */
        xq->check_at_least = lim->check_at_least;
        st = civ_xapian_search(r, xq, &xr, err);
    }
    const civ_xapian_facet_value *langs = NULL;
    size_t n = 0;
    if (st == CIV_OK && !civ_xapian_results_positional(xr))
        st = civ_xapian_results_facet(xr, 0, &langs, &n, err);
    unsigned long long matched = 0;
    for (size_t i = 0; i < n; i++)
        matched += langs[i].count;
    /* Most frequent first: a majority, and a language Civitas knows. */
    if (n && 2ULL * langs[0].count > matched) {
        const civ_xapian_lang *found = civ_lang_find(langs[0].value);
        *code = found ? found->code : NULL;
    }
    civ_xapian_results_free(xr);
    plan_clear(&pl);
    g_free(q);
    if (st != CIV_OK && st != CIV_ERR_NOMEM) {
        *code = NULL;
        civ_err_clear(err);
        st = CIV_OK;
    }
    return st;
}

/* Whether q has a letter outside ASCII ("liberté", "educación"): a
 * Latin-script query with one is seldom English. */
static int has_non_ascii_letter(const char *q)
{
    for (const char *p = q; *p; p = g_utf8_next_char(p))
        if ((unsigned char)*p >= 0x80 && g_unichar_isalpha(g_utf8_get_char(p)))
            return 1;
    return 0;
}

/* The language whose stemmer parses the query and highlights snippets:
 * qlang when given ("none": unstemmed), else the one lang filter, else the
 * one the query's letters show among the languages the index holds
 * (civ_lang_of_query). When libexttextcat is not sure (a few words), or
 * its answer is not the index's most common language, the documents
 * holding the query's words have the last word: on a few words
 * libexttextcat often mistakes English for French ("joint sustainable
 * development"), and "derechos humanos" is Spanish because the documents
 * holding those words are. A language other than the most common one
 * chosen so also sets *only_lang, to search among its documents.
 * *guessed is set when the choice came from the query text itself. */
static civ_status choose_language(civ_xapian_reader *r, const civ_search_request *req,
                                  const civ_search_limits *lim, const char **lang,
                                  const char **only_lang, int *guessed, civ_err *err)
{
    *guessed = 0;
    *lang = NULL;
    *only_lang = NULL;
    if (req->qlang) {
        *lang = strcmp(req->qlang, "none") == 0 ? NULL : req->qlang;
        return CIV_OK;
    }
    if (req->lang.n == 1) {
        *lang = req->lang.values[0];
        return CIV_OK;
    }
    if (!req->q)
        return CIV_OK;
    const char *const *held = NULL;
    const unsigned *counts = NULL;
    size_t n_held = 0, most = 0;
    civ_status st = civ_xapian_reader_languages(r, &held, &counts, &n_held, err);
    if (st)
        return st;
    for (size_t i = 1; i < n_held; i++)
        if (counts[i] > counts[most])
            most = i;
    *guessed = 1;
    int identified = 0;
    *lang = civ_lang_of_query(req->q, held, n_held, &identified);
    /* Not identified (a few words: "liberté", "dignité"), the query's
     * language is the index's most common one, unless it has a letter
     * outside ASCII and the documents holding its words say otherwise.
     * Asking them is a search of its own: asked for every short query,
     * it made the mean search over the UN PDFs 7% slower. */
    int ask = identified > 0 ? strcmp(*lang, held[most]) != 0
                             : identified < 0 && has_non_ascii_letter(req->q);
    if (n_held > 1 && ask) {
        const char *by_words = NULL;
        if ((st = language_of_words(r, req, lim, &by_words, err)))
            return st;
        if (by_words)
            *lang = by_words;
        /* Among that language's documents: words of two languages can
         * share a stem (Spanish "educación" and English "education"). */
        if (by_words && strcmp(by_words, held[most]) != 0)
            *only_lang = by_words;
    }
    return CIV_OK;
}

/* One complete search with the query parsed in lang, restricted to
 * documents in only_lang when that is not NULL. suggest: 0 when an empty
 * result will be searched again (its suggestion would be thrown away). */
static civ_status search_once(civ_xapian_reader *r, const civ_search_request *req,
                              const civ_search_limits *lim, const char *lang, const char *only_lang,
                              int suggest, civ_search_results *res, civ_err *err)
{
    plan pl;
    civ_xapian_results *first = NULL;
    doc_cache cache = {g_hash_table_new(g_str_hash, g_str_equal), g_ptr_array_new()};
    civ_status st = plan_build(&pl, req, lim, lang, only_lang, err);
    pl.suggest = suggest;
    if (st == CIV_OK)
        st = first_match(r, &pl, req, lim, res, &first, err);
    if (st == CIV_OK)
        st = req->group == CIV_GROUP_DOCUMENT
                 ? document_hits(r, &pl, req, lim, first, &cache, res, err)
                 : passage_hits(r, first, lim, &cache, res, err);
    res->language = lang ? strdup(lang) : NULL;
    /* The results own the documents, found or not. */
    res->n_documents = cache.list->len;
    res->documents = (civ_search_document **)g_ptr_array_free(cache.list, FALSE);
    g_hash_table_destroy(cache.by_id);
    civ_xapian_results_free(first);
    plan_clear(&pl);
    return st;
}

static civ_search_results *results_new(const civ_search_request *req, const civ_search_limits *lim)
{
    civ_search_results *res = calloc(1, sizeof *res);
    if (!res)
        return NULL;
    res->query = strdup(req->q ? req->q : "");
    res->page = req->page;
    res->per_page = req->per_page;
    res->max_page = MAX(1, lim->max_depth / MAX(1, req->per_page));
    res->k = req->k;
    res->group = req->group;
    for (size_t f = 0; f < CIV_SEARCH_N_FACETS; f++)
        res->facets[f].name = facet_names[f];
    if (!res->query) {
        free(res);
        return NULL;
    }
    return res;
}

/* Replace *res by the results of the search with lang (and only_lang). */
static civ_status search_again(civ_xapian_reader *r, const civ_search_request *req,
                               const civ_search_limits *lim, const char *lang,
                               const char *only_lang, civ_search_results **res, civ_err *err)
{
    civ_search_results_free(*res);
    if (!(*res = results_new(req, lim)))
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    return search_once(r, req, lim, lang, only_lang, 1, *res, err);
}

civ_status civ_search_run(civ_xapian_reader *r, const civ_search_request *req,
                          const civ_search_limits *lim, civ_search_results **out, civ_err *err)
{
    *out = NULL;
    if ((unsigned long long)req->page * req->per_page > lim->max_depth)
        return civ_err_set(err, CIV_ERR_INPUT,
                           "page %u is too deep: page * per_page may be at most %u", req->page,
                           lim->max_depth);
    gint64 t0 = g_get_monotonic_time();
    int guessed = 0;
    const char *lang = NULL;
    const char *only_lang = NULL;
    civ_status st = choose_language(r, req, lim, &lang, &only_lang, &guessed, err);
    if (st)
        return st;
    civ_search_results *res = results_new(req, lim);
    if (!res)
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    /* A guessed language that finds nothing is searched again (below). */
    int again = guessed && lang;
    st = search_once(r, req, lim, lang, only_lang, !again, res, err);
    if (st == CIV_OK && res->total == 0 && again) {
        /* A guessed stemmer can miss a query in another language of the
         * same script ("educación" stemmed as English). Unstemmed words
         * match the text as written in every language. When those matches
         * are all in one language, the query is in that language: it is
         * parsed again with that stemmer (finding the other forms of the
         * words and highlighting them) among that language's documents
         * (Spanish "educación" stems like English "education"). */
        st = search_again(r, req, lim, NULL, NULL, &res, err);
        const civ_search_facet *langs = st == CIV_OK ? &res->facets[0] : NULL;
        const civ_xapian_lang *found =
            langs && langs->n_values == 1 ? civ_lang_find(langs->values[0].value) : NULL;
        if (found && strcmp(found->code, lang) != 0)
            st = search_again(r, req, lim, found->code, found->code, &res, err);
    }
    if (st) {
        civ_search_results_free(res);
        return st;
    }
    res->took_ms = (double)(g_get_monotonic_time() - t0) / 1000.0;
    *out = res;
    return CIV_OK;
}
