/* civ_index.c: write and read the Civitas schema (docs/SCHEMA.md).
 *
 * A source file becomes one record (kind "doc") and one Xapian document per
 * passage (kind "passage"); both carry the file's metadata as boolean terms
 * and values, so filters and facets work on either. The record's JSON data
 * holds all the metadata, so a record can be rewritten (civ_index_touch)
 * from its own data without the file.
 */
#include "civ_index.h"

#include <glib.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civ_lang.h"
#include "civ_unsymbol.h"
#include "civ_xapian.h"

/* References kept per passage and per document: a bound on what one
 * hostile file can add to the index. */
#define CITES_PER_PASSAGE 200
#define CITES_PER_DOCUMENT 2000

struct civ_index {
    civ_xapian_writer *writer;
    int spelling; /* passage words go into the spelling dictionary */
};

/* The metadata every Xapian document of a source file carries. */
typedef struct meta {
    const char *id;
    const char *format;
    const char *lang;
    const char *date; /* ISO "YYYY-MM-DD", "YYYY-MM" or "YYYY" */
    const char *doctype;
    const char *body;
    const char *symbol;
    const char *session;
    const char *agenda; /* "6", "2, 3", "69 (b)" */
    const char *symbol_source;
} meta;

void civ_index_id_for_path(const char *path, char id[CIV_ID_LEN + 1])
{
    gchar *hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256, path, -1);
    memcpy(id, hex, CIV_ID_LEN);
    id[CIV_ID_LEN] = '\0';
    g_free(hex);
}

unsigned civ_index_shard_of(const char *id, unsigned n_shards)
{
    if (n_shards <= 1)
        return 0;
    /* The id is hex of a SHA-256: its first digits are spread evenly. */
    char head[9];
    g_strlcpy(head, id, sizeof head);
    return (unsigned)(strtoul(head, NULL, 16) % n_shards);
}

civ_status civ_index_shards(const char *path, unsigned *n, civ_err *err)
{
    return civ_xapian_index_shards(path, n, err);
}

civ_status civ_index_compact(const char *path, unsigned shard, unsigned long long *before,
                             unsigned long long *after, civ_err *err)
{
    return civ_xapian_compact(path, shard, before, after, err);
}

civ_status civ_index_open(const char *path, unsigned shard, civ_index **out, civ_err *err)
{
    *out = NULL;
    civ_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    size_t n_langs = 0;
    const civ_xapian_lang *langs = civ_lang_table(&n_langs);
    civ_status st = civ_xapian_writer_open(path, shard, langs, n_langs, &ix->writer, err);
    if (st != CIV_OK) {
        free(ix);
        return st;
    }
    ix->spelling = 1;
    *out = ix;
    return CIV_OK;
}

void civ_index_set_spelling(civ_index *ix, int on)
{
    ix->spelling = on != 0;
}

civ_status civ_index_word_pairs(civ_index *ix, int *on, civ_err *err)
{
    return civ_xapian_writer_word_pairs(ix->writer, on, err);
}

void civ_index_close(civ_index *ix)
{
    if (!ix)
        return;
    civ_xapian_writer_close(ix->writer);
    free(ix);
}

civ_status civ_index_commit(civ_index *ix, civ_err *err)
{
    return civ_xapian_writer_commit(ix->writer, err);
}

civ_status civ_index_commit_batch(civ_index *ix, civ_err *err)
{
    return civ_xapian_writer_commit_batch(ix->writer, err);
}

static civ_status add_term(civ_xapian_doc *xd, const char *prefix, const char *value, civ_err *err)
{
    if (!value || !value[0])
        return CIV_OK;
    char *term = civ_xapian_term(prefix, value);
    if (!term)
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    civ_status st = civ_xapian_doc_add_boolean(xd, term, err);
    free(term);
    return st;
}

static civ_status set_string(civ_xapian_doc *xd, unsigned slot, const char *value, civ_err *err)
{
    if (!value || !value[0])
        return CIV_OK;
    return civ_xapian_doc_set_value(xd, slot, value, strlen(value), err);
}

/* "2025-04-03" -> "20250403"; "2025" -> "2025". Writes at most 8 digits. */
static void date_digits(const char *date, char out[9])
{
    size_t n = 0;
    for (const char *p = date; p && *p && n < 8; p++)
        if (g_ascii_isdigit(*p))
            out[n++] = *p;
    out[n] = '\0';
}

/* Terms and values shared by the record and the passages of a file. */
static civ_status add_meta(civ_xapian_doc *xd, const meta *m, civ_err *err)
{
    char digits[9], year[5] = "";
    date_digits(m->date, digits);
    if (strlen(digits) >= 4) {
        memcpy(year, digits, 4);
        year[4] = '\0';
    }
    char *symbol = m->symbol ? g_ascii_strup(m->symbol, -1) : NULL;
    civ_status st = CIV_OK;
    /* One term per agenda item, by its number: "69 (b), 70" -> 69, 70. */
    for (const char *a = m->agenda; a && *a;) {
        char item[8];
        size_t n = 0;
        while (g_ascii_isdigit(*a) && n + 1 < sizeof item)
            item[n++] = *a++;
        item[n] = '\0';
        if (n && (st = add_term(xd, CIV_PREFIX_AGENDA, item, err)))
            goto out;
        a = strchr(a, ',');
        if (a)
            a += strspn(a, ", ");
    }
    if ((st = add_term(xd, CIV_PREFIX_LANG, m->lang, err)) ||
        (st = add_term(xd, CIV_PREFIX_FORMAT, m->format, err)) ||
        (st = add_term(xd, CIV_PREFIX_TYPE, m->doctype, err)) ||
        (st = add_term(xd, CIV_PREFIX_BODY, m->body, err)) ||
        (st = add_term(xd, CIV_PREFIX_SYMBOL, symbol, err)) ||
        (st = add_term(xd, CIV_PREFIX_YEAR, year, err)) ||
        (st = set_string(xd, CIV_SLOT_DATE, digits, err)) ||
        (st = set_string(xd, CIV_SLOT_YEAR, year, err)) ||
        (st = set_string(xd, CIV_SLOT_LANG, m->lang, err)) ||
        (st = set_string(xd, CIV_SLOT_TYPE, m->doctype, err)) ||
        (st = set_string(xd, CIV_SLOT_BODY, m->body, err)) ||
        (st = set_string(xd, CIV_SLOT_FORMAT, m->format, err)) ||
        (st = set_string(xd, CIV_SLOT_SYMBOL, symbol, err)) ||
        (st = add_term(xd, CIV_PREFIX_SESSION, m->session, err)) ||
        (st = add_term(xd, CIV_PREFIX_SYMBOL_SOURCE, m->symbol_source, err)) ||
        (st = set_string(xd, CIV_SLOT_SESSION, m->session, err)) ||
        (st = set_string(xd, CIV_SLOT_AGENDA, m->agenda, err)) ||
        (st = set_string(xd, CIV_SLOT_SYMBOL_SOURCE, m->symbol_source, err)))
        goto out;
out:
    g_free(symbol);
    return st;
}

static civ_status set_json_data(civ_xapian_doc *xd, json_t *obj, civ_err *err)
{
    char *s = json_dumps(obj, JSON_COMPACT);
    if (!s)
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    civ_status st = civ_xapian_doc_set_data(xd, s, strlen(s), err);
    free(s);
    return st;
}

static void json_set_str(json_t *obj, const char *key, const char *value)
{
    if (value && value[0])
        json_object_set_new(obj, key, json_string(value));
}

static int json_array_has(const json_t *arr, const char *s)
{
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (strcmp(json_string_value(v), s) == 0)
            return 1;
    }
    return 0;
}

/* Add to cites (a JSON array of normal-form symbols, at most max) every
 * document text refers to: symbols and "resolution 24/2" read as a
 * document of body would mean it, less the document's own symbol. */
static civ_status find_cites(const char *text, const char *body, const char *self, json_t *cites,
                             size_t max, civ_err *err)
{
    civ_unsymbol_match *m = NULL;
    size_t n = 0;
    civ_status st = civ_unsymbol_find_references(text, strlen(text), body, &m, &n, err);
    if (st)
        return st;
    for (size_t i = 0; i < n && json_array_size(cites) < max; i++) {
        const char *s = m[i].symbol.symbol;
        if ((self && g_ascii_strcasecmp(s, self) == 0) || json_array_has(cites, s))
            continue;
        json_array_append_new(cites, json_string(s));
    }
    free(m);
    return CIV_OK;
}

/* One XCITES term per symbol in cites, upper case as XSYM. */
static civ_status add_cites(civ_xapian_doc *xd, const json_t *cites, civ_err *err)
{
    size_t i;
    const json_t *v;
    json_array_foreach(cites, i, v)
    {
        const char *s = json_string_value(v);
        if (!s)
            continue;
        char *upper = g_ascii_strup(s, -1);
        civ_status st = add_term(xd, CIV_PREFIX_CITES, upper, err);
        g_free(upper);
        if (st)
            return st;
    }
    return CIV_OK;
}

/* CIV_SLOT_FACETS: parent id, then the values of CIV_FACET_SLOTS, each
 * as add_meta stores it in its own slot. */
static civ_status set_facets(civ_xapian_doc *xd, const meta *m, civ_err *err)
{
    char digits[9], year[5] = "";
    date_digits(m->date, digits);
    if (strlen(digits) >= 4)
        g_strlcpy(year, digits, sizeof year);
    const char *values[] = {m->lang, m->doctype, m->body, year, m->format};
    GString *packed = g_string_new(m->id);
    for (size_t i = 0; i < G_N_ELEMENTS(values); i++) {
        g_string_append_c(packed, CIV_FACET_SEP);
        if (values[i])
            g_string_append(packed, values[i]);
    }
    civ_status st = civ_xapian_doc_set_value(xd, CIV_SLOT_FACETS, packed->str, packed->len, err);
    g_string_free(packed, TRUE);
    return st;
}

/* The document's title, without positions, as words and as title: terms
 * (title:housing), so that a query naming the document and the topic finds
 * the paragraph. wdf 1 counts its words toward a record's weight; a
 * passage's get wdf 0: they let it match, but add nothing to its weight,
 * else every passage of "Universal Declaration of Human Rights" would
 * rank for "universal", the short ones first, above the one that says it. */
static civ_status index_title(civ_index *ix, civ_xapian_doc *xd, const char *lang,
                              const char *title, unsigned wdf, civ_err *err)
{
    civ_status st = CIV_OK;
    if (title && !(st = civ_xapian_writer_index_text(ix->writer, xd, lang, title, strlen(title), "",
                                                     wdf, 0, 0, err)))
        st = civ_xapian_writer_index_text(ix->writer, xd, lang, title, strlen(title),
                                          CIV_PREFIX_TITLE, wdf, 0, 0, err);
    return st;
}

/* A document's title terms, made once in one language and merged into
 * each passage in it: tokenizing and stemming the title again for every
 * passage cost 3% of indexing a PDF. A title Civitas made from the file
 * name ("UNGDC_CRI_70_2015", "Costa Rica, General Debate of the 70th
 * session of the General Assembly") says nothing of what a passage is
 * about: only the record gets it. On every passage of the General Debate
 * speeches, "general", "session" and "assembly" made a passage search
 * for "assembly" walk all 369,000 passages (15 ms instead of 5). */
typedef struct title_terms {
    civ_xapian_doc *terms; /* NULL until asked for */
    char *lang;
    int from_name; /* the title was made from the file name: none */
} title_terms;

static civ_status add_title(civ_index *ix, title_terms *tt, civ_xapian_doc *xd, const char *lang,
                            const char *title, civ_err *err)
{
    if (!title || tt->from_name)
        return CIV_OK;
    if (!tt->terms || g_strcmp0(tt->lang, lang) != 0) {
        civ_xapian_doc_free(tt->terms);
        g_free(tt->lang);
        tt->lang = g_strdup(lang);
        tt->terms = civ_xapian_doc_new();
        if (!tt->terms)
            return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        civ_status st = index_title(ix, tt->terms, lang, title, 0, err);
        if (st) {
            civ_xapian_doc_free(tt->terms);
            tt->terms = NULL;
            return st;
        }
    }
    return civ_xapian_doc_merge_terms(xd, tt->terms, err);
}

/* all_cites collects the references of every passage for the record, and
 * record its words (civ_index_put). */
static civ_status put_passage(civ_index *ix, const meta *m, const civ_document *doc,
                              const civ_passage *p, title_terms *title, json_t *all_cites,
                              civ_xapian_doc *record, civ_err *err)
{
    civ_status st = CIV_OK;
    char pid[CIV_ID_LEN + 16];
    snprintf(pid, sizeof pid, "%s-%d", m->id, p->ordinal);
    char *qterm = g_strconcat(CIV_PREFIX_ID, pid, NULL);
    const char *lang = p->lang ? p->lang : m->lang;
    meta pm = *m;
    pm.lang = lang;
    json_t *data = json_object();
    json_t *cites = json_array();
    civ_xapian_doc *xd = civ_xapian_doc_new();
    if (!xd || !data || !cites) {
        st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        goto out;
    }
    /* The passage text carries positions (phrases); the heading path rides
     * along without positions so that a query naming the topic finds the
     * paragraph. The record gets the same words, without positions, before
     * any other term is added. */
    if ((st = civ_xapian_writer_index_text(ix->writer, xd, lang, p->text, strlen(p->text), "", 1, 1,
                                           0, err)) ||
        (p->heading && (st = civ_xapian_writer_index_text(ix->writer, xd, lang, p->heading,
                                                          strlen(p->heading), "", 1, 0, 0, err))) ||
        (st = civ_xapian_writer_merge_words(ix->writer, record, xd, err)) ||
        (st = add_title(ix, title, xd, lang, doc->title, err)))
        goto out;
    if ((st = find_cites(p->text, m->body, m->symbol, cites, CITES_PER_PASSAGE, err)) ||
        (st = add_cites(xd, cites, err)))
        goto out;
    size_t ci;
    json_t *cv;
    json_array_foreach(cites, ci, cv)
    {
        if (json_array_size(all_cites) < CITES_PER_DOCUMENT &&
            !json_array_has(all_cites, json_string_value(cv)))
            json_array_append(all_cites, cv);
    }
    if ((st = civ_xapian_doc_add_boolean(xd, qterm, err)) ||
        (st = civ_xapian_doc_add_boolean(xd, CIV_KIND_PASSAGE, err)) ||
        (st = add_term(xd, CIV_PREFIX_PARENT, m->id, err)) ||
        (st = add_term(xd, CIV_PREFIX_PARA, p->paragraph, err)) || (st = add_meta(xd, &pm, err)))
        goto out;
    if ((st = set_facets(xd, &pm, err)) ||
        (st = civ_xapian_doc_set_value(xd, CIV_SLOT_PARENT, m->id, strlen(m->id), err)) ||
        (st = civ_xapian_doc_set_number(xd, CIV_SLOT_PAGE, p->page, err)) ||
        (st = civ_xapian_doc_set_number(xd, CIV_SLOT_ORDINAL, p->ordinal, err)))
        goto out;

    json_object_set_new(data, "id", json_string(pid));
    json_object_set_new(data, "doc", json_string(m->id));
    json_object_set_new(data, "ord", json_integer(p->ordinal));
    json_object_set_new(data, "page", json_integer(p->page));
    json_set_str(data, "para", p->paragraph);
    json_set_str(data, "heading", p->heading);
    json_set_str(data, "lang", lang);
    json_object_set_new(data, "text", json_string(p->text));
    if (json_array_size(cites))
        json_object_set(data, "cites", cites);
    if ((st = set_json_data(xd, data, err)))
        goto out;
    /* civ_index_put deleted every passage of this file first, so no
     * document has this passage's id: add, without replace's lookup. */
    st = civ_xapian_writer_add(ix->writer, xd, err);
out:
    civ_xapian_doc_free(xd);
    json_decref(data);
    json_decref(cites);
    g_free(qterm);
    return st;
}

/* Write the record of a source from its JSON data (which holds every
 * metadata field) into xd, which holds its passages' words, replacing any
 * earlier record. */
static civ_status put_record(civ_index *ix, json_t *rec, civ_xapian_doc *xd, civ_err *err)
{
    meta m = {
        .id = json_string_value(json_object_get(rec, "id")),
        .format = json_string_value(json_object_get(rec, "format")),
        .lang = json_string_value(json_object_get(rec, "lang")),
        .date = json_string_value(json_object_get(rec, "date")),
        .doctype = json_string_value(json_object_get(rec, "type")),
        .body = json_string_value(json_object_get(rec, "body")),
        .symbol = json_string_value(json_object_get(rec, "symbol")),
        .session = json_string_value(json_object_get(rec, "session")),
        .agenda = json_string_value(json_object_get(rec, "agenda")),
        .symbol_source = json_string_value(json_object_get(rec, "symbol_source")),
    };
    json_t *cites = json_object_get(rec, "cites");
    const char *title = json_string_value(json_object_get(rec, "title"));
    char *qterm = g_strconcat(CIV_PREFIX_ID, m.id, NULL);
    civ_status st;
    /* The record is its own parent: a document search collapses records
     * and passages alike on CIV_SLOT_PARENT and counts facets from
     * CIV_SLOT_FACETS. */
    if ((st = civ_xapian_doc_add_boolean(xd, qterm, err)) ||
        (st = civ_xapian_doc_add_boolean(xd, CIV_KIND_DOC, err)) || (st = add_meta(xd, &m, err)) ||
        (cites && (st = add_cites(xd, cites, err))) ||
        (st = index_title(ix, xd, m.lang, title, 1, err)) || (st = set_facets(xd, &m, err)) ||
        (st = civ_xapian_doc_set_value(xd, CIV_SLOT_PARENT, m.id, strlen(m.id), err)) ||
        (st = set_json_data(xd, rec, err)))
        goto out;
    st = civ_xapian_writer_put_record(ix->writer, qterm, xd, err);
out:
    g_free(qterm);
    return st;
}

/* The spelling dictionary learns a document's words from its record: once
 * per word and document, counted as often as it occurs. Before the title
 * and metadata join the record. */
static civ_status learn_spelling(civ_index *ix, const char *id, const civ_xapian_doc *record,
                                 civ_err *err)
{
    if (!ix->spelling)
        return CIV_OK;
    char *qterm = g_strconcat(CIV_PREFIX_ID, id, NULL);
    civ_status st = civ_xapian_writer_add_spelling(ix->writer, record, qterm, err);
    g_free(qterm);
    return st;
}

/* The record's "mtime", and "mtime_ns" only when it can be trusted. */
static void set_mtime(json_t *rec, const civ_source *src)
{
    json_object_set_new(rec, "mtime", json_integer(src->mtime));
    if (src->mtime_ns)
        json_object_set_new(rec, "mtime_ns", json_integer(src->mtime_ns));
    else
        json_object_del(rec, "mtime_ns");
}

civ_status civ_index_put(civ_index *ix, const civ_source *src, const civ_document *doc,
                         civ_err *err)
{
    meta m = {src->id,   doc->format, doc->lang,    doc->date,   doc->doctype,
              doc->body, doc->symbol, doc->session, doc->agenda, doc->symbol_source};
    char *parent = g_strconcat(CIV_PREFIX_PARENT, src->id, NULL);
    civ_status st = civ_xapian_writer_delete(ix->writer, parent, err);
    g_free(parent);
    if (st)
        return st;
    json_t *cites = json_array();
    civ_xapian_doc *record = civ_xapian_doc_new();
    json_t *rec = json_object();
    title_terms title = {NULL, NULL, doc->title_from_name};
    if (!cites || !record || !rec) {
        st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < doc->n_passages; i++)
        if ((st = put_passage(ix, &m, doc, &doc->passages[i], &title, cites, record, err)))
            goto out;
    if ((st = learn_spelling(ix, src->id, record, err)))
        goto out;

    json_object_set_new(rec, "id", json_string(src->id));
    json_object_set_new(rec, "path", json_string(src->path));
    json_object_set_new(rec, "sha256", json_string(src->sha256));
    json_object_set_new(rec, "size", json_integer(src->size));
    set_mtime(rec, src);
    json_set_str(rec, "format", doc->format);
    json_set_str(rec, "title", doc->title);
    json_set_str(rec, "symbol", doc->symbol);
    json_set_str(rec, "lang", doc->lang);
    json_set_str(rec, "date", doc->date);
    json_set_str(rec, "type", doc->doctype);
    json_set_str(rec, "body", doc->body);
    json_set_str(rec, "session", doc->session);
    json_set_str(rec, "agenda", doc->agenda);
    json_set_str(rec, "symbol_source", doc->symbol_source);
    if (json_array_size(cites))
        json_object_set(rec, "cites", cites);
    json_object_set_new(rec, "pages", json_integer(doc->page_count));
    json_object_set_new(rec, "passages", json_integer((json_int_t)doc->n_passages));
    st = put_record(ix, rec, record, err);
out:
    json_decref(cites);
    json_decref(rec);
    civ_xapian_doc_free(record);
    civ_xapian_doc_free(title.terms);
    g_free(title.lang);
    return st;
}

static civ_status get_record(civ_index *ix, const char *id, json_t **out, civ_err *err)
{
    *out = NULL;
    char *qterm = g_strconcat(CIV_PREFIX_ID, id, NULL);
    char *data = NULL;
    size_t len = 0;
    civ_status st = civ_xapian_writer_get_data(ix->writer, qterm, &data, &len, err);
    g_free(qterm);
    if (st)
        return st;
    json_error_t jerr;
    *out = json_loadb(data, len, 0, &jerr);
    free(data);
    if (!*out || !json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        return civ_err_set(err, CIV_ERR_INTERNAL, "record %s is not valid JSON: %s", id, jerr.text);
    }
    return CIV_OK;
}

static void source_from_json(json_t *rec, civ_source *src)
{
    memset(src, 0, sizeof *src);
    const char *id = json_string_value(json_object_get(rec, "id"));
    const char *sha = json_string_value(json_object_get(rec, "sha256"));
    const char *path = json_string_value(json_object_get(rec, "path"));
    g_strlcpy(src->id, id ? id : "", sizeof src->id);
    g_strlcpy(src->sha256, sha ? sha : "", sizeof src->sha256);
    src->path = strdup(path ? path : "");
    src->size = json_integer_value(json_object_get(rec, "size"));
    src->mtime = json_integer_value(json_object_get(rec, "mtime"));
    src->mtime_ns = json_integer_value(json_object_get(rec, "mtime_ns"));
}

civ_status civ_index_get_source(civ_index *ix, const char *id, civ_source *src, civ_err *err)
{
    memset(src, 0, sizeof *src);
    json_t *rec = NULL;
    civ_status st = get_record(ix, id, &rec, err);
    if (st)
        return st;
    source_from_json(rec, src);
    json_decref(rec);
    return src->path ? CIV_OK : civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
}

void civ_source_clear(civ_source *src)
{
    if (!src)
        return;
    free(src->path);
    src->path = NULL;
}

civ_status civ_index_touch(civ_index *ix, const civ_source *src, civ_err *err)
{
    json_t *rec = NULL;
    civ_status st = get_record(ix, src->id, &rec, err);
    if (st)
        return st;
    set_mtime(rec, src);
    json_object_set_new(rec, "size", json_integer(src->size));
    /* Only the data changes: the record keeps its words and values. */
    char *qterm = g_strconcat(CIV_PREFIX_ID, src->id, NULL);
    char *data = json_dumps(rec, JSON_COMPACT);
    st = data ? civ_xapian_writer_set_data(ix->writer, qterm, data, strlen(data), err)
              : civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    free(data);
    g_free(qterm);
    json_decref(rec);
    return st;
}

civ_status civ_index_remove(civ_index *ix, const char *id, civ_err *err)
{
    char *parent = g_strconcat(CIV_PREFIX_PARENT, id, NULL);
    char *qterm = g_strconcat(CIV_PREFIX_ID, id, NULL);
    civ_status st = civ_xapian_writer_delete(ix->writer, parent, err);
    if (st == CIV_OK)
        st = civ_xapian_writer_delete(ix->writer, qterm, err);
    g_free(parent);
    g_free(qterm);
    return st;
}

civ_status civ_index_list_sources(civ_index *ix, civ_source **out, size_t *n, civ_err *err)
{
    *out = NULL;
    *n = 0;
    char **datas = NULL;
    size_t count = 0;
    civ_status st = civ_xapian_writer_term_datas(ix->writer, CIV_KIND_DOC, &datas, &count, err);
    if (st)
        return st;
    civ_source *srcs = calloc(count ? count : 1, sizeof *srcs);
    if (!srcs) {
        civ_xapian_strings_free(datas, count);
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        json_t *rec = json_loads(datas[i], 0, NULL);
        if (rec && json_is_object(rec))
            source_from_json(rec, &srcs[k++]);
        json_decref(rec);
    }
    civ_xapian_strings_free(datas, count);
    *out = srcs;
    *n = k;
    return CIV_OK;
}

void civ_sources_free(civ_source *sources, size_t n)
{
    if (!sources)
        return;
    for (size_t i = 0; i < n; i++)
        civ_source_clear(&sources[i]);
    free(sources);
}
