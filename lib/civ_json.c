/* civ_json.c: API objects to JSON (see civ_json.h).
 *
 * The API's answers are written straight from Civitas's own structs,
 * member by member, into one buffer: nothing is concatenated by hand, and
 * no jansson tree is built first (for a search's answer that was a node
 * and a copy of every string, about a tenth of the daemon's work per
 * request). civ_json_dump writes a jansson value (the CSL-JSON items
 * civ_cite builds) the same way: the same text as json_dumps with this
 * module's flags, but for the escapes of "<", ">", "&", U+2028 and
 * U+2029, which mean the same characters. tests/fuzz/fuzz_json.c checks
 * the two against each other; every answer uses the one string writer.
 */
#include "civ_json.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Scores and timings need no more digits than this (jansson's
 * JSON_REAL_PRECISION(6), which tests/fuzz/fuzz_json.c compares with). */
#define REAL_PRECISION 6

/* The text being written. An answer is appended to a few hundred times
 * (GString's append, which also handles insertion and overlap, was a
 * third of the writing). */
typedef struct out_buf {
    char *p;
    size_t len, cap; /* cap > len: room for the final NUL */
} out_buf;

static void out_init(out_buf *o)
{
    o->cap = 4096;
    o->p = g_malloc(o->cap);
    o->len = 0;
}

static void grow(out_buf *o, size_t n)
{
    while (o->cap <= o->len + n)
        o->cap *= 2;
    o->p = g_realloc(o->p, o->cap);
}

static inline void put(out_buf *o, const char *s, size_t n)
{
    if (o->len + n >= o->cap)
        grow(o, n);
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

/* The text, NUL-terminated and malloc'd (GLib's allocator is malloc). */
static char *out_finish(out_buf *o, size_t *len)
{
    o->p[o->len] = '\0';
    if (len)
        *len = o->len;
    return o->p;
}

/* Bytes a JSON string cannot carry as they are: JSON's own (quote,
 * backslash, control characters) and ours ("<", ">", "&", and 0xE2, which
 * starts U+2028 and U+2029). A table: every byte of every answer is
 * looked up here. */
static const unsigned char special[256] = {
    [0x00 ... 0x1F] = 1, ['"'] = 1, ['\\'] = 1, ['<'] = 1, ['>'] = 1, ['&'] = 1, [0xE2] = 1,
};

/* s[0..n) (valid UTF-8, as every jansson string is) as a JSON string:
 * escaped as jansson escapes it, then "<", ">", "&", U+2028 and U+2029 as
 * \u escapes. Runs of ordinary bytes are copied whole. */
static void put_string(out_buf *o, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    put(o, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (!special[u[i]])
            continue;
        const char *esc = NULL;
        char seq[8];
        switch (u[i]) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '<':
            esc = "\\u003c";
            break;
        case '>':
            esc = "\\u003e";
            break;
        case '&':
            esc = "\\u0026";
            break;
        case 0xE2:
            if (i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9)) {
                put(o, s + run, i - run);
                put(o, u[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
                i += 2;
                run = i + 1;
            }
            continue;
        default: /* another control character */
            snprintf(seq, sizeof seq, "\\u%04X", u[i]);
            esc = seq;
            break;
        }
        put(o, s + run, i - run);
        put(o, esc, strlen(esc));
        run = i + 1;
    }
    put(o, s + run, n - run);
    put(o, "\"", 1);
}

/* A real as jansson writes it: %.6g, with ".0" when that reads as an
 * integer, and no "+" or leading zeros in the exponent. */
static void put_real(out_buf *o, double v)
{
    char buf[48];
    int n = snprintf(buf, sizeof buf - 3, "%.*g", REAL_PRECISION, v);
    if (n < 0 || (size_t)n >= sizeof buf - 3)
        n = snprintf(buf, sizeof buf, "0.0"); /* cannot happen for a finite double */
    if (!strchr(buf, '.') && !strchr(buf, 'e')) {
        memcpy(buf + n, ".0", 3);
        n += 2;
    }
    char *e = strchr(buf, 'e');
    if (e) {
        char *start = e + 1, *digits = e + 2;
        if (*start == '-')
            start++;
        while (*digits == '0')
            digits++;
        if (digits != start) {
            memmove(start, digits, strlen(digits) + 1);
            n = (int)strlen(buf);
        }
    }
    put(o, buf, (size_t)n);
}

/* value compactly, keys in their insertion order, as json_dumps with
 * JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(6) would, with the
 * escapes above. The API's trees are a few levels deep. */
static void put_value(out_buf *o, const json_t *value)
{
    char num[32];
    size_t i;
    const char *key;
    json_t *v;
    switch (json_typeof(value)) {
    case JSON_OBJECT: {
        int first = 1;
        put(o, "{", 1);
        json_object_foreach((json_t *)value, key, v)
        {
            if (!first)
                put(o, ",", 1);
            first = 0;
            put_string(o, key, strlen(key));
            put(o, ":", 1);
            put_value(o, v);
        }
        put(o, "}", 1);
        break;
    }
    case JSON_ARRAY:
        put(o, "[", 1);
        json_array_foreach(value, i, v)
        {
            if (i)
                put(o, ",", 1);
            put_value(o, v);
        }
        put(o, "]", 1);
        break;
    case JSON_STRING:
        put_string(o, json_string_value(value), json_string_length(value));
        break;
    case JSON_INTEGER:
        put(o, num,
            (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(value)));
        break;
    case JSON_REAL:
        put_real(o, json_real_value(value));
        break;
    case JSON_TRUE:
        put(o, "true", 4);
        break;
    case JSON_FALSE:
        put(o, "false", 5);
        break;
    default:
        put(o, "null", 4);
        break;
    }
}

char *civ_json_dump(const json_t *value, size_t *len)
{
    out_buf o;
    out_init(&o);
    put_value(&o, value);
    return out_finish(&o, len);
}

/* ---- writing the API's objects --------------------------------------- */

/* An answer is written as it is walked, member by member, with no tree in
 * between: a search's answer built as jansson values first cost a tenth
 * of the daemon's work per request, a node and a copy of every string. */
typedef struct writer {
    out_buf o;
    unsigned depth;
    /* bit d: the container at depth d has a member (answers nest a few
     * levels, far below 64) */
    unsigned long long filled;
} writer;

/* Start a member: the comma before it, then "key": when in an object
 * (key NULL in an array, and for the outermost value). */
static void member(writer *w, const char *key)
{
    unsigned long long bit = 1ULL << w->depth;
    if (w->filled & bit)
        put(&w->o, ",", 1);
    w->filled |= bit;
    if (key) {
        put_string(&w->o, key, strlen(key));
        put(&w->o, ":", 1);
    }
}

static void open_with(writer *w, const char *key, const char *bracket)
{
    member(w, key);
    put(&w->o, bracket, 1);
    w->depth++;
    w->filled &= ~(1ULL << w->depth);
}

static void close_with(writer *w, const char *bracket)
{
    put(&w->o, bracket, 1);
    w->depth--;
}

#define OPEN_OBJECT(w, key) open_with(w, key, "{")
#define CLOSE_OBJECT(w) close_with(w, "}")
#define OPEN_ARRAY(w, key) open_with(w, key, "[")
#define CLOSE_ARRAY(w) close_with(w, "]")

static void write_null(writer *w, const char *key)
{
    member(w, key);
    put(&w->o, "null", 4);
}

/* A JSON string, or null for NULL. Text that is not valid UTF-8 is
 * repaired with U+FFFD rather than dropped. */
static void write_string(writer *w, const char *key, const char *s)
{
    if (!s) {
        write_null(w, key);
        return;
    }
    member(w, key);
    size_t n = strlen(s);
    if (g_utf8_validate(s, (gssize)n, NULL)) {
        put_string(&w->o, s, n);
    } else {
        char *valid = g_utf8_make_valid(s, (gssize)n);
        put_string(&w->o, valid, strlen(valid));
        g_free(valid);
    }
}

static void write_int(writer *w, const char *key, long long n)
{
    char num[32];
    member(w, key);
    put(&w->o, num, (size_t)snprintf(num, sizeof num, "%lld", n));
}

static void write_positive_or_null(writer *w, const char *key, int n)
{
    if (n > 0)
        write_int(w, key, n);
    else
        write_null(w, key);
}

static void write_real(writer *w, const char *key, double v)
{
    member(w, key);
    put_real(&w->o, v);
}

static void write_bool(writer *w, const char *key, int b)
{
    member(w, key);
    put(&w->o, b ? "true" : "false", b ? 4 : 5);
}

static writer writer_start(void)
{
    writer w = {.depth = 0, .filled = 0};
    out_init(&w.o);
    return w;
}

static char *writer_finish(writer *w, size_t *len)
{
    return out_finish(&w->o, len);
}

static void write_document(writer *w, const char *key, const civ_search_document *doc)
{
    char url[64];
    snprintf(url, sizeof url, "/api/documents/%s/file", doc->id);
    OPEN_OBJECT(w, key);
    write_string(w, "id", doc->id);
    write_string(w, "title", doc->title);
    write_string(w, "symbol", doc->symbol);
    write_string(w, "date", doc->date);
    write_string(w, "language", doc->language);
    write_string(w, "type", doc->type);
    write_string(w, "body", doc->body);
    write_string(w, "format", doc->format);
    write_positive_or_null(w, "pages", doc->pages);
    write_int(w, "passages", doc->passages);
    write_string(w, "url", url);
    CLOSE_OBJECT(w);
}

/* A passage with the fields its route filled (civ_search_passage says
 * which are optional). */
static void write_passage(writer *w, const char *key, const civ_search_passage *p)
{
    char url[96];
    if (p->page > 0)
        snprintf(url, sizeof url, "/api/documents/%s/file#page=%d", p->document_id, p->page);
    else
        snprintf(url, sizeof url, "/api/documents/%s/file", p->document_id);
    OPEN_OBJECT(w, key);
    write_string(w, "id", p->id);
    write_string(w, "document_id", p->document_id);
    write_int(w, "ordinal", p->ordinal);
    write_string(w, "paragraph", p->paragraph);
    write_positive_or_null(w, "page", p->page);
    write_string(w, "heading", p->heading);
    write_string(w, "language", p->language);
    if (p->snippet)
        write_string(w, "snippet", p->snippet);
    if (p->text)
        write_string(w, "text", p->text);
    if (p->excerpt)
        write_string(w, "excerpt", p->excerpt);
    write_string(w, "citation", p->citation);
    if (p->score >= 0)
        write_real(w, "score", p->score);
    if (p->text) {
        write_string(w, "previous", p->previous);
        write_string(w, "next", p->next);
    }
    write_string(w, "url", url);
    CLOSE_OBJECT(w);
}

static void write_passages(writer *w, const char *key, const civ_search_passage *passages, size_t n)
{
    OPEN_ARRAY(w, key);
    for (size_t i = 0; i < n; i++)
        write_passage(w, NULL, &passages[i]);
    CLOSE_ARRAY(w);
}

char *civ_json_search(const civ_search_results *res, size_t *len)
{
    writer w = writer_start();
    OPEN_OBJECT(&w, NULL);
    write_string(&w, "query", res->query);
    write_string(&w, "language", res->language);
    write_int(&w, "total", res->total);
    write_real(&w, "took_ms", res->took_ms);
    write_int(&w, "page", res->page);
    write_int(&w, "per_page", res->per_page);
    /* The pages a client can ask for: past --max-depth a page is refused. */
    unsigned pages = res->per_page ? (res->total + res->per_page - 1) / res->per_page : 1;
    write_int(&w, "pages", MAX(1, MIN(pages, res->max_page)));
    write_string(&w, "group", res->group == CIV_GROUP_PASSAGE ? "passage" : "document");
    write_int(&w, "k", res->k);
    OPEN_ARRAY(&w, "hits");
    for (size_t i = 0; i < res->n_hits; i++) {
        const civ_search_hit *h = &res->hits[i];
        OPEN_OBJECT(&w, NULL);
        if (h->document)
            write_document(&w, "document", h->document);
        else
            write_null(&w, "document");
        write_passages(&w, "passages", h->passages, h->n_passages);
        CLOSE_OBJECT(&w);
    }
    CLOSE_ARRAY(&w);
    OPEN_OBJECT(&w, "facets");
    for (size_t f = 0; f < CIV_SEARCH_N_FACETS; f++) {
        OPEN_ARRAY(&w, res->facets[f].name);
        for (size_t i = 0; i < res->facets[f].n_values; i++) {
            OPEN_OBJECT(&w, NULL);
            write_string(&w, "value", res->facets[f].values[i].value);
            write_int(&w, "count", res->facets[f].values[i].count);
            CLOSE_OBJECT(&w);
        }
        CLOSE_ARRAY(&w);
    }
    CLOSE_OBJECT(&w);
    write_string(&w, "suggestion", res->suggestion);
    CLOSE_OBJECT(&w);
    return writer_finish(&w, len);
}

/* A page of a document's passages: {passages, offset, limit, total}, left
 * open for the caller's members. */
static void write_page(writer *w, const civ_search_passage *passages, size_t n, size_t offset,
                       size_t limit, int total)
{
    OPEN_OBJECT(w, NULL);
    write_passages(w, "passages", passages, n);
    write_int(w, "offset", (long long)offset);
    write_int(w, "limit", (long long)limit);
    write_int(w, "total", total);
}

/* A short reference to a document: {id, title, symbol, language, url}. */
static void write_document_ref(writer *w, const char *key, const civ_search_document *doc)
{
    char url[64];
    snprintf(url, sizeof url, "/api/documents/%s", doc->id);
    OPEN_OBJECT(w, key);
    write_string(w, "id", doc->id);
    write_string(w, "title", doc->title);
    write_string(w, "symbol", doc->symbol);
    write_string(w, "language", doc->language);
    write_string(w, "url", url);
    CLOSE_OBJECT(w);
}

char *civ_json_document(const civ_search_document *doc, const civ_search_passage *passages,
                        size_t n, size_t offset, size_t limit, civ_search_document *const *versions,
                        size_t n_versions, size_t *len)
{
    writer w = writer_start();
    write_page(&w, passages, n, offset, limit, doc->passages);
    write_document(&w, "document", doc);
    OPEN_ARRAY(&w, "versions");
    for (size_t i = 0; i < n_versions; i++)
        write_document_ref(&w, NULL, versions[i]);
    CLOSE_ARRAY(&w);
    CLOSE_OBJECT(&w);
    return writer_finish(&w, len);
}

static void write_ref_passages(writer *w, const char *key, const civ_search_ref_passage *ps,
                               size_t n)
{
    OPEN_ARRAY(w, key);
    for (size_t i = 0; i < n; i++) {
        OPEN_OBJECT(w, NULL);
        write_string(w, "id", ps[i].id);
        write_string(w, "paragraph", ps[i].paragraph);
        write_positive_or_null(w, "page", ps[i].page);
        write_string(w, "citation", ps[i].citation);
        CLOSE_OBJECT(w);
    }
    CLOSE_ARRAY(w);
}

char *civ_json_references(const civ_search_document *doc, const civ_search_references *refs,
                          size_t *len)
{
    writer w = writer_start();
    OPEN_OBJECT(&w, NULL);
    write_document_ref(&w, "document", doc);
    OPEN_ARRAY(&w, "cites");
    for (size_t i = 0; i < refs->n_cites; i++) {
        const civ_search_cited *c = &refs->cites[i];
        OPEN_OBJECT(&w, NULL);
        write_string(&w, "symbol", c->symbol);
        if (c->document)
            write_document_ref(&w, "document", c->document);
        else
            write_null(&w, "document");
        write_ref_passages(&w, "passages", c->passages, c->n_passages);
        write_int(&w, "total_passages", c->total_passages);
        CLOSE_OBJECT(&w);
    }
    CLOSE_ARRAY(&w);
    OPEN_ARRAY(&w, "cited_by");
    for (size_t i = 0; i < refs->n_cited_by; i++) {
        const civ_search_citing *c = &refs->cited_by[i];
        OPEN_OBJECT(&w, NULL);
        write_document_ref(&w, "document", c->document);
        write_ref_passages(&w, "passages", c->passages, c->n_passages);
        write_int(&w, "total_passages", c->total_passages);
        CLOSE_OBJECT(&w);
    }
    CLOSE_ARRAY(&w);
    write_bool(&w, "truncated", refs->truncated);
    CLOSE_OBJECT(&w);
    return writer_finish(&w, len);
}

/* A citation's members, in the object the caller has open. */
static void write_citation(writer *w, const civ_json_citation *c)
{
    write_string(w, "passage_id", c->passage_id);
    write_string(w, "document_id", c->document_id);
    write_string(w, "citation", c->citation);
}

char *civ_json_citations(const char *format, const civ_json_citation *cites, size_t n, int single,
                         size_t *len)
{
    writer w = writer_start();
    OPEN_OBJECT(&w, NULL);
    if (single && n == 1) {
        write_citation(&w, &cites[0]);
    } else {
        OPEN_ARRAY(&w, "citations");
        for (size_t i = 0; i < n; i++) {
            OPEN_OBJECT(&w, NULL);
            write_citation(&w, &cites[i]);
            CLOSE_OBJECT(&w);
        }
        CLOSE_ARRAY(&w);
    }
    write_string(&w, "format", format);
    CLOSE_OBJECT(&w);
    return writer_finish(&w, len);
}

/* CSL-JSON items are built by civ_cite as jansson values. */
char *civ_json_csl(const civ_cite_source *srcs, size_t n, size_t *len)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *item = civ_cite_csl_item(&srcs[i]);
        if (!item || json_array_append_new(a, item) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    char *out = a ? civ_json_dump(a, len) : NULL;
    json_decref(a);
    return out;
}

char *civ_json_passages(const civ_search_document *doc, const civ_search_passage *passages,
                        size_t n, size_t offset, size_t limit, size_t *len)
{
    writer w = writer_start();
    write_page(&w, passages, n, offset, limit, doc->passages);
    write_string(&w, "document_id", doc->id);
    CLOSE_OBJECT(&w);
    return writer_finish(&w, len);
}

char *civ_json_passage(const civ_search_passage *passage, const civ_search_document *doc,
                       size_t *len)
{
    writer w = writer_start();
    OPEN_OBJECT(&w, NULL);
    write_passage(&w, "passage", passage);
    write_document(&w, "document", doc);
    CLOSE_OBJECT(&w);
    return writer_finish(&w, len);
}

char *civ_json_error(const char *code, const char *message, size_t *len)
{
    writer w = writer_start();
    OPEN_OBJECT(&w, NULL);
    OPEN_OBJECT(&w, "error");
    write_string(&w, "code", code);
    write_string(&w, "message", message);
    CLOSE_OBJECT(&w);
    CLOSE_OBJECT(&w);
    return writer_finish(&w, len);
}

char *civ_json_health_dump(const civ_json_health *health, size_t *len)
{
    writer w = writer_start();
    OPEN_OBJECT(&w, NULL);
    write_string(&w, "status", health->status);
    write_int(&w, "revision", (long long)health->revision);
    write_int(&w, "documents", health->documents);
    write_int(&w, "passages", health->passages);
    CLOSE_OBJECT(&w);
    return writer_finish(&w, len);
}
