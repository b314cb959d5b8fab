/* civ_document.c: the extracted-document model.
 *
 * Invariants: passages[0..n_passages) are initialised, ordinals are 1..n in
 * order, every passage text is non-empty, valid-as-given UTF-8 with single
 * spaces between words and no leading or trailing space. A deserialised
 * document is checked against the same invariants before it is returned.
 */
#include "civ_document.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "civ_wire.h"

civ_document *civ_document_new(const char *format)
{
    civ_document *doc = calloc(1, sizeof *doc);
    if (!doc)
        return NULL;
    doc->format = strdup(format ? format : "text");
    if (!doc->format) {
        free(doc);
        return NULL;
    }
    return doc;
}

void civ_document_free(civ_document *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->n_passages; i++) {
        free(doc->passages[i].text);
        free(doc->passages[i].paragraph);
        free(doc->passages[i].heading);
        free(doc->passages[i].lang);
    }
    free(doc->passages);
    free(doc->format);
    free(doc->title);
    free(doc->lang);
    free(doc->date);
    free(doc->symbol);
    free(doc->doctype);
    free(doc->body);
    free(doc->symbol_source);
    free(doc->session);
    free(doc->agenda);
    free(doc);
}

void civ_document_set(civ_document *doc, char **field, const char *value)
{
    (void)doc;
    free(*field);
    *field = value ? strdup(value) : NULL;
}

/* Copy text collapsing whitespace runs to one space, trimming both ends and
 * stopping before CIV_MAX_PASSAGE_BYTES on a UTF-8 character boundary. */
static char *normalise_space(const char *text, size_t len)
{
    size_t cap = len < CIV_MAX_PASSAGE_BYTES ? len : CIV_MAX_PASSAGE_BYTES;
    char *out = malloc(cap + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    int pending_space = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            pending_space = n > 0;
            continue;
        }
        /* U+00A0 no-break space counts as space too. */
        if (c == 0xC2 && i + 1 < len && (unsigned char)text[i + 1] == 0xA0) {
            pending_space = n > 0;
            i++;
            continue;
        }
        if (pending_space) {
            if (n + 1 >= cap)
                break;
            out[n++] = ' ';
            pending_space = 0;
        }
        if (n >= cap)
            break;
        out[n++] = (char)c;
    }
    out[n] = '\0';
    /* A cut at the cap may split a character: keep the valid prefix. */
    const char *end = NULL;
    g_utf8_validate(out, (gssize)n, &end);
    out[end - out] = '\0';
    return out;
}

civ_status civ_document_add_passage(civ_document *doc, const char *text, size_t len,
                                    const char *paragraph, const char *heading, int page,
                                    civ_err *err)
{
    if (doc->n_passages >= CIV_MAX_PASSAGES)
        return civ_err_set(err, CIV_ERR_TOOLARGE, "more than %d passages", CIV_MAX_PASSAGES);
    char *norm = normalise_space(text, len);
    if (!norm)
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    if (!norm[0]) {
        free(norm);
        return CIV_OK;
    }
    if (doc->n_passages == doc->cap_passages) {
        size_t cap = doc->cap_passages ? doc->cap_passages * 2 : 16;
        civ_passage *p = realloc(doc->passages, cap * sizeof *p);
        if (!p) {
            free(norm);
            return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        }
        doc->passages = p;
        doc->cap_passages = cap;
    }
    civ_passage *p = &doc->passages[doc->n_passages];
    memset(p, 0, sizeof *p);
    p->text = norm;
    p->paragraph = paragraph && paragraph[0] ? strdup(paragraph) : NULL;
    p->heading = heading && heading[0] ? strdup(heading) : NULL;
    p->page = page;
    p->ordinal = (int)doc->n_passages + 1;
    doc->n_passages++;
    return CIV_OK;
}

civ_passage *civ_document_last_passage(civ_document *doc)
{
    return doc->n_passages ? &doc->passages[doc->n_passages - 1] : NULL;
}

void civ_document_remove_passages(civ_document *doc, const unsigned char *drop)
{
    size_t k = 0;
    for (size_t i = 0; i < doc->n_passages; i++) {
        civ_passage *p = &doc->passages[i];
        if (drop[i]) {
            free(p->text);
            free(p->paragraph);
            free(p->heading);
            free(p->lang);
            continue;
        }
        if (k != i)
            doc->passages[k] = *p;
        doc->passages[k].ordinal = (int)k + 1;
        k++;
    }
    doc->n_passages = k;
}

/* ---- serialisation ------------------------------------------------------
 *
 * Layout (civ_wire encoding): "CIVD", u8 version, the ten metadata
 * strings (format, title, lang, date, symbol, doctype, body,
 * symbol_source, session, agenda), i32 page_count, i32 title_from_name,
 * u32 passage count, then per passage its text, paragraph, heading and
 * lang strings and i32 page and ordinal. The reader trusts
 * nothing: the bytes come from a worker process that has just parsed a
 * hostile file. */

#define WIRE_MAGIC "CIVD"
#define WIRE_VERSION 3
/* Smallest encoding of one passage: four string lengths and two ints. */
#define WIRE_MIN_PASSAGE 24

/* The layout the serialiser knows. A new field in civ_document or
 * civ_passage must be added to both functions below and to these mirrors;
 * the assertions stop the build until it is, so that no field is silently
 * lost on its way out of the sandbox. */
struct document_fields_v1 {
    char *format, *title, *lang, *date, *symbol, *doctype, *body;
    char *symbol_source, *session, *agenda;
    int page_count, title_from_name;
    civ_passage *passages;
    size_t n_passages, cap_passages;
};
struct passage_fields_v1 {
    char *text, *paragraph, *heading, *lang;
    int page, ordinal;
};
_Static_assert(sizeof(civ_document) == sizeof(struct document_fields_v1),
               "civ_document changed: update civ_document_serialise/deserialise");
_Static_assert(sizeof(civ_passage) == sizeof(struct passage_fields_v1),
               "civ_passage changed: update civ_document_serialise/deserialise");

civ_status civ_document_serialise(const civ_document *doc, size_t max, char **out, size_t *len,
                                  civ_err *err)
{
    civ_wire_writer w;
    *out = NULL;
    *len = 0;
    civ_wire_writer_init(&w, max);
    civ_wire_put_bytes(&w, WIRE_MAGIC, 4);
    civ_wire_put_u8(&w, WIRE_VERSION);
    const char *meta[] = {doc->format,  doc->title, doc->lang,          doc->date,    doc->symbol,
                          doc->doctype, doc->body,  doc->symbol_source, doc->session, doc->agenda};
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++)
        civ_wire_put_str(&w, meta[i]);
    civ_wire_put_i32(&w, doc->page_count);
    civ_wire_put_i32(&w, doc->title_from_name);
    civ_wire_put_u32(&w, (uint32_t)doc->n_passages);
    for (size_t i = 0; i < doc->n_passages && !w.bad; i++) {
        const civ_passage *p = &doc->passages[i];
        civ_wire_put_str(&w, p->text);
        civ_wire_put_str(&w, p->paragraph);
        civ_wire_put_str(&w, p->heading);
        civ_wire_put_str(&w, p->lang);
        civ_wire_put_i32(&w, p->page);
        civ_wire_put_i32(&w, p->ordinal);
    }
    if (w.bad) {
        int full = w.bad == CIV_WIRE_FULL;
        civ_wire_writer_clear(&w);
        return full ? civ_err_set(err, CIV_ERR_TOOLARGE,
                                  "extracted document exceeds the %zu-byte output cap", max)
                    : civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    }
    *out = (char *)w.data;
    *len = w.len;
    return CIV_OK;
}

civ_status civ_document_deserialise(const char *data, size_t len, civ_document **out, civ_err *err)
{
    civ_wire_reader r;
    civ_document *doc = NULL;
    civ_status st = CIV_OK;
    *out = NULL;

    civ_wire_reader_init(&r, data, len);
    if (len < 5 || memcmp(data, WIRE_MAGIC, 4) != 0 || (unsigned char)data[4] != WIRE_VERSION)
        return civ_err_set(err, CIV_ERR_INPUT, "not a serialised document (version %d)",
                           WIRE_VERSION);
    r.p += 5;
    r.left -= 5;
    doc = calloc(1, sizeof *doc);
    if (!doc)
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    char **meta[] = {&doc->format,  &doc->title, &doc->lang,          &doc->date,    &doc->symbol,
                     &doc->doctype, &doc->body,  &doc->symbol_source, &doc->session, &doc->agenda};
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++)
        *meta[i] = civ_wire_get_str(&r, CIV_MAX_PASSAGE_BYTES);
    doc->page_count = civ_wire_get_i32(&r);
    doc->title_from_name = civ_wire_get_i32(&r) != 0;
    uint32_t n = civ_wire_get_u32(&r);
    /* Check the count against the bytes left before allocating for it. */
    if (r.bad || !doc->format || doc->page_count < 0 || n > CIV_MAX_PASSAGES ||
        (size_t)n > r.left / WIRE_MIN_PASSAGE) {
        st = civ_err_set(err, CIV_ERR_INPUT, "serialised document: bad header");
        goto out;
    }
    if (n) {
        doc->passages = calloc(n, sizeof *doc->passages);
        if (!doc->passages) {
            st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
            goto out;
        }
        doc->cap_passages = n;
    }
    for (uint32_t i = 0; i < n; i++) {
        civ_passage *p = &doc->passages[i];
        /* Count it first so that civ_document_free releases what was read. */
        doc->n_passages = (size_t)i + 1;
        p->text = civ_wire_get_str(&r, CIV_MAX_PASSAGE_BYTES);
        p->paragraph = civ_wire_get_str(&r, CIV_MAX_PASSAGE_BYTES);
        p->heading = civ_wire_get_str(&r, CIV_MAX_PASSAGE_BYTES);
        p->lang = civ_wire_get_str(&r, CIV_MAX_PASSAGE_BYTES);
        p->page = civ_wire_get_i32(&r);
        p->ordinal = civ_wire_get_i32(&r);
        if (r.bad || !p->text || !p->text[0] || p->page < 0 || p->ordinal != (int)i + 1) {
            st = civ_err_set(err, CIV_ERR_INPUT, "serialised document: bad passage %u",
                             (unsigned)i + 1);
            goto out;
        }
    }
    if (r.left != 0) {
        st = civ_err_set(err, CIV_ERR_INPUT, "serialised document: %zu trailing bytes", r.left);
        goto out;
    }
    *out = doc;
    doc = NULL;
out:
    civ_document_free(doc);
    return st;
}
