/* civ_stored.c: Civitas documents and passages from the data stored in
 * the index (records and passages, docs/SCHEMA.md): the document and
 * passage routes of the API, and the pieces the search and the references
 * (civ_search.c, civ_refs.c) build their answers from. */
#include "civ_stored.h"

#include <glib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "civ_cite.h"

#define EXCERPT_CHARS 200
#define MAX_ORDINAL 9999999

static char *json_dup(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s && s[0] ? strdup(s) : NULL;
}

static int json_int(json_t *obj, const char *key)
{
    json_int_t v = json_integer_value(json_object_get(obj, key));
    return v < 0 || v > G_MAXINT ? 0 : (int)v;
}

void civ_search_document_free(civ_search_document *doc)
{
    if (!doc)
        return;
    free(doc->id);
    free(doc->title);
    free(doc->symbol);
    free(doc->date);
    free(doc->language);
    free(doc->type);
    free(doc->body);
    free(doc->format);
    free(doc);
}

/* ---- reading stored data ------------------------------------------------
 *
 * The index stores compact JSON written by jansson: objects of strings,
 * integers and arrays of them. json_loadb reads a character at a time
 * through a stream (5 us for a 500-byte passage, a tenth of a search's
 * time over the 30 it reads); civ_stored_read_flat takes those shapes
 * straight from the buffer and leaves anything else to json_loadb, so the
 * value is jansson's either way. */

typedef struct flat_reader {
    const char *p, *end;
    GString *buf;    /* a string with escapes, decoded */
    const char *str; /* the last string read: in the data, or buf's */
    size_t len;
} flat_reader;

static void skip_space(flat_reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static int hex4(flat_reader *r, gunichar *out)
{
    if (r->end - r->p < 4)
        return 0;
    *out = 0;
    for (int i = 0; i < 4; i++) {
        int d = g_ascii_xdigit_value(r->p[i]);
        if (d < 0)
            return 0;
        *out = *out * 16 + (gunichar)d;
    }
    r->p += 4;
    return 1;
}

/* The string starting at r->p (its opening quote), in r->str and r->len:
 * where it is in the data, or decoded into r->buf when it has an escape.
 * 0 for what jansson would refuse (or decode otherwise): a control
 * character, a bad escape, a lone surrogate, U+0000, invalid UTF-8. */
static int read_string(flat_reader *r)
{
    /* Most strings have no escape: they are read where they are, and
     * checked as UTF-8 only when they have a byte past ASCII. */
    const char *run = ++r->p;
    unsigned char seen = 0;
    while (r->p < r->end && *r->p != '\\') {
        unsigned char c = (unsigned char)*r->p;
        if (c == '"') {
            r->str = run;
            r->len = (size_t)(r->p - run);
            r->p++;
            return !(seen & 0x80) || g_utf8_validate(r->str, (gssize)r->len, NULL);
        }
        if (c < 0x20)
            return 0;
        seen |= c;
        r->p++;
    }
    g_string_truncate(r->buf, 0);
    while (r->p < r->end) {
        unsigned char c = (unsigned char)*r->p;
        if (c == '"') {
            g_string_append_len(r->buf, run, r->p - run);
            r->p++;
            r->str = r->buf->str;
            r->len = r->buf->len;
            return g_utf8_validate(r->buf->str, (gssize)r->buf->len, NULL);
        }
        if (c < 0x20)
            return 0;
        if (c != '\\') {
            r->p++;
            continue;
        }
        g_string_append_len(r->buf, run, r->p - run);
        if (r->end - r->p < 2)
            return 0;
        char e = r->p[1];
        r->p += 2;
        static const char plain[] = "\"\\/bfnrt", decoded[] = "\"\\/\b\f\n\r\t";
        const char *k = e ? strchr(plain, e) : NULL;
        if (k) {
            g_string_append_c(r->buf, decoded[k - plain]);
        } else if (e == 'u') {
            gunichar u, low;
            if (!hex4(r, &u) || u == 0 || (u >= 0xDC00 && u < 0xE000))
                return 0;
            if (u >= 0xD800 && u < 0xDC00) {
                if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
                    return 0;
                r->p += 2;
                if (!hex4(r, &low) || low < 0xDC00 || low >= 0xE000)
                    return 0;
                u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
            }
            g_string_append_unichar(r->buf, u);
        } else {
            return 0;
        }
        run = r->p;
    }
    return 0;
}

/* The largest json_int_t. */
#if JSON_INTEGER_IS_LONG_LONG
#define JSON_INT_MAX LLONG_MAX
#else
#define JSON_INT_MAX LONG_MAX
#endif

/* A string, an integer jansson can hold (a json_int_t: a record's
 * mtime_ns has 19 digits), or (when arrays) an array of those; NULL for
 * anything else. */
static json_t *read_value(flat_reader *r, int arrays)
{
    if (r->p >= r->end)
        return NULL;
    if (*r->p == '"')
        return read_string(r) ? json_stringn_nocheck(r->str, r->len) : NULL;
    if (*r->p == '-' || g_ascii_isdigit(*r->p)) {
        int negative = *r->p == '-';
        const char *digits = r->p + negative, *q = digits;
        /* 19 digits fit in 64 unsigned bits; the range is checked below. */
        unsigned long long v = 0;
        while (q < r->end && g_ascii_isdigit(*q) && q - digits < 19)
            v = v * 10 + (unsigned)(*q++ - '0');
        size_t n = (size_t)(q - digits);
        unsigned long long most = (unsigned long long)JSON_INT_MAX;
        if (n == 0 || (n > 1 && digits[0] == '0') || v > most + (unsigned)negative ||
            (q < r->end && (g_ascii_isdigit(*q) || *q == '.' || *q == 'e' || *q == 'E')))
            return NULL;
        r->p = q;
        /* -(most + 1) is the one value whose magnitude is not a json_int_t. */
        return json_integer(!negative  ? (json_int_t)v
                            : v > most ? -JSON_INT_MAX - 1
                                       : -(json_int_t)v);
    }
    if (*r->p != '[' || !arrays)
        return NULL;
    json_t *a = json_array();
    r->p++;
    skip_space(r);
    if (r->p < r->end && *r->p == ']') {
        r->p++;
        return a;
    }
    for (;;) {
        json_t *v;
        skip_space(r);
        if (!(v = read_value(r, 0)) || json_array_append_new(a, v) != 0)
            break;
        skip_space(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == ']') {
            r->p++;
            return a;
        }
        break;
    }
    json_decref(a);
    return NULL;
}

json_t *civ_stored_read_flat(const char *data, size_t len)
{
    flat_reader r = {data, data + len, g_string_sized_new(256), NULL, 0};
    json_t *obj = json_object();
    skip_space(&r);
    if (r.p >= r.end || *r.p != '{')
        goto refuse;
    r.p++;
    skip_space(&r);
    if (r.p < r.end && *r.p == '}') {
        r.p++;
        goto end;
    }
    for (;;) {
        skip_space(&r);
        if (r.p >= r.end || *r.p != '"' || !read_string(&r) || memchr(r.str, 0, r.len))
            goto refuse;
        char *key = g_strndup(r.str, r.len);
        skip_space(&r);
        json_t *v = NULL;
        if (r.p < r.end && *r.p == ':') {
            r.p++;
            skip_space(&r);
            v = read_value(&r, 1);
        }
        int set = v && json_object_set_new_nocheck(obj, key, v) == 0;
        g_free(key);
        if (!set)
            goto refuse;
        skip_space(&r);
        if (r.p < r.end && *r.p == ',') {
            r.p++;
            continue;
        }
        if (r.p < r.end && *r.p == '}') {
            r.p++;
            break;
        }
        goto refuse;
    }
end:
    skip_space(&r);
    if (r.p == r.end) {
        g_string_free(r.buf, TRUE);
        return obj;
    }
refuse:
    g_string_free(r.buf, TRUE);
    json_decref(obj);
    return NULL;
}

civ_status civ_stored_parse(const char *data, size_t len, json_t **out, civ_err *err)
{
    if ((*out = civ_stored_read_flat(data, len)))
        return CIV_OK;
    *out = json_loadb(data, len, 0, NULL);
    if (!*out || !json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        return civ_err_set(err, CIV_ERR_INTERNAL, "stored data is not a JSON object");
    }
    return CIV_OK;
}

/* Fetch the record of document id: the data of Q<id>. */
civ_status civ_stored_record(civ_xapian_reader *r, const char *id, json_t **out, civ_err *err)
{
    char term[CIV_ID_LEN + 2];
    char *data = NULL;
    size_t len = 0;
    *out = NULL;
    snprintf(term, sizeof term, "%s%s", CIV_PREFIX_ID, id);
    civ_status st = civ_xapian_reader_get_data(r, term, &data, &len, err);
    if (st == CIV_OK)
        st = civ_stored_parse(data, len, out, err);
    free(data);
    return st;
}

civ_search_document *civ_stored_document(const char *id, json_t *rec)
{
    civ_search_document *doc = calloc(1, sizeof *doc);
    if (!doc)
        return NULL;
    doc->id = strdup(id);
    if (rec) {
        doc->title = json_dup(rec, "title");
        doc->symbol = json_dup(rec, "symbol");
        doc->date = json_dup(rec, "date");
        doc->language = json_dup(rec, "lang");
        doc->type = json_dup(rec, "type");
        doc->body = json_dup(rec, "body");
        doc->format = json_dup(rec, "format");
        doc->pages = json_int(rec, "pages");
        doc->passages = json_int(rec, "passages");
    }
    if (!doc->id) {
        civ_search_document_free(doc);
        return NULL;
    }
    return doc;
}

int civ_search_is_document_id(const char *s, size_t len)
{
    if (len != CIV_ID_LEN)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!(g_ascii_isdigit(s[i]) || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

int civ_search_is_passage_id(const char *s, size_t len)
{
    if (len < CIV_ID_LEN + 2 || len > CIV_ID_LEN + 8 || s[CIV_ID_LEN] != '-' ||
        !civ_search_is_document_id(s, CIV_ID_LEN))
        return 0;
    const char *ord = s + CIV_ID_LEN + 1;
    size_t n = len - CIV_ID_LEN - 1;
    if (ord[0] == '0')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!g_ascii_isdigit(ord[i]))
            return 0;
    return 1;
}

civ_status civ_search_document_get(civ_xapian_reader *r, const char *id, civ_search_document **out,
                                   char **path, civ_err *err)
{
    *out = NULL;
    if (path)
        *path = NULL;
    if (!civ_search_is_document_id(id, strlen(id)))
        return civ_err_set(err, CIV_ERR_INPUT, "not a document id");
    json_t *rec = NULL;
    civ_status st = civ_stored_record(r, id, &rec, err);
    if (st)
        return st;
    *out = civ_stored_document(id, rec);
    if (*out && path)
        *path = json_dup(rec, "path");
    json_decref(rec);
    if (!*out || (path && !*path)) {
        civ_search_document_free(*out);
        *out = NULL;
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    }
    return CIV_OK;
}

void civ_stored_passage_clear(civ_search_passage *p)
{
    free(p->id);
    free(p->document_id);
    free(p->paragraph);
    free(p->heading);
    free(p->language);
    free(p->snippet);
    free(p->text);
    free(p->excerpt);
    free(p->citation);
    free(p->previous);
    free(p->next);
}

void civ_search_passages_free(civ_search_passage *passages, size_t n)
{
    if (!passages)
        return;
    for (size_t i = 0; i < n; i++)
        civ_stored_passage_clear(&passages[i]);
    free(passages);
}

/* Fill p from a passage's stored JSON and cite it from doc (NULL: cited
 * by nothing better than "Untitled document"). */
civ_status civ_stored_passage(json_t *json, const civ_search_document *doc, civ_search_passage *p,
                              civ_err *err)
{
    memset(p, 0, sizeof *p);
    p->score = -1;
    p->id = json_dup(json, "id");
    p->document_id = json_dup(json, "doc");
    p->ordinal = json_int(json, "ord");
    p->page = json_int(json, "page");
    p->paragraph = json_dup(json, "para");
    p->heading = json_dup(json, "heading");
    p->language = json_dup(json, "lang");
    if (!p->id || !p->document_id)
        return civ_err_set(err, CIV_ERR_INTERNAL, "stored passage has no id");
    civ_cite_source cs = {.symbol = doc ? doc->symbol : NULL,
                          .title = doc ? doc->title : NULL,
                          .paragraph = p->paragraph,
                          .page = p->page,
                          .kind = doc ? doc->type : NULL};
    p->citation = civ_cite_format(&cs);
    return CIV_OK;
}

/* The first EXCERPT_CHARS characters of text, with an ellipsis when cut. */
static char *excerpt_of(const char *text)
{
    if (g_utf8_strlen(text, -1) <= EXCERPT_CHARS)
        return strdup(text);
    const char *end = g_utf8_offset_to_pointer(text, EXCERPT_CHARS);
    size_t n = (size_t)(end - text);
    char *out = malloc(n + 4);
    if (out) {
        memcpy(out, text, n);
        memcpy(out + n, "\xe2\x80\xa6", 4);
    }
    return out;
}

const char *civ_stored_text(json_t *obj, size_t *len)
{
    json_t *t = json_object_get(obj, "text");
    *len = json_string_length(t);
    return json_string_value(t) ? json_string_value(t) : "";
}

static gint compare_ordinals(gconstpointer a, gconstpointer b)
{
    const civ_search_passage *pa = a, *pb = b;
    return (pa->ordinal > pb->ordinal) - (pa->ordinal < pb->ordinal);
}

civ_status civ_search_document_passages(civ_xapian_reader *r, const civ_search_document *doc,
                                        size_t offset, size_t limit, civ_search_passage **out,
                                        size_t *n, civ_err *err)
{
    *out = NULL;
    *n = 0;
    char term[CIV_ID_LEN + 8];
    snprintf(term, sizeof term, "%s%s", CIV_PREFIX_PARENT, doc->id);
    char **datas = NULL;
    size_t count = 0;
    civ_status st = civ_xapian_reader_term_datas(r, term, offset, limit, &datas, &count, err);
    if (st)
        return st;
    civ_search_passage *ps = calloc(count ? count : 1, sizeof *ps);
    if (!ps) {
        st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < count && st == CIV_OK; i++) {
        json_t *json = NULL;
        st = civ_stored_parse(datas[i], strlen(datas[i]), &json, err);
        if (st == CIV_OK)
            st = civ_stored_passage(json, doc, &ps[i], err);
        if (st == CIV_OK) {
            size_t len;
            ps[i].excerpt = excerpt_of(civ_stored_text(json, &len));
        }
        json_decref(json);
    }
    if (st) {
        civ_search_passages_free(ps, count);
        goto out;
    }
    /* Passages are written in reading order; sorting keeps the promise
     * even if a writer ever interleaves them. */
    qsort(ps, count, sizeof *ps, (int (*)(const void *, const void *))compare_ordinals);
    *out = ps;
    *n = count;
out:
    civ_xapian_strings_free(datas, count);
    return st;
}

/* Id of the passage `delta` places from p in the same document when it
 * exists, else NULL. */
static char *neighbour(civ_xapian_reader *r, const civ_search_passage *p, int delta)
{
    long ord = (long)p->ordinal + delta;
    if (ord < 1 || ord > MAX_ORDINAL)
        return NULL;
    char id[CIV_ID_LEN + 16], term[CIV_ID_LEN + 20];
    snprintf(id, sizeof id, "%s-%ld", p->document_id, ord);
    snprintf(term, sizeof term, "%s%s", CIV_PREFIX_ID, id);
    unsigned count = 0;
    if (civ_xapian_reader_term_count(r, term, &count, NULL) != CIV_OK || count == 0)
        return NULL;
    return strdup(id);
}

civ_status civ_search_passage_get(civ_xapian_reader *r, const char *id, civ_search_passage **out,
                                  civ_search_document **doc, civ_err *err)
{
    *out = NULL;
    *doc = NULL;
    if (!civ_search_is_passage_id(id, strlen(id)))
        return civ_err_set(err, CIV_ERR_INPUT, "not a passage id");
    char term[CIV_ID_LEN + 20];
    snprintf(term, sizeof term, "%s%s", CIV_PREFIX_ID, id);
    char parent[CIV_ID_LEN + 1];
    memcpy(parent, id, CIV_ID_LEN);
    parent[CIV_ID_LEN] = '\0';

    char *data = NULL;
    size_t len = 0;
    json_t *json = NULL;
    civ_search_passage *p = calloc(1, sizeof *p);
    civ_status st = p ? CIV_OK : civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    if (st || (st = civ_xapian_reader_get_data(r, term, &data, &len, err)) ||
        (st = civ_search_document_get(r, parent, doc, NULL, err)) ||
        (st = civ_stored_parse(data, len, &json, err)) ||
        (st = civ_stored_passage(json, *doc, p, err)))
        goto out;
    size_t text_len;
    p->text = strdup(civ_stored_text(json, &text_len));
    p->previous = neighbour(r, p, -1);
    p->next = neighbour(r, p, +1);
out:
    json_decref(json);
    free(data);
    if (st) {
        civ_search_passages_free(p, p ? 1 : 0);
        civ_search_document_free(*doc);
        *doc = NULL;
        return st;
    }
    *out = p;
    return CIV_OK;
}
