/* civ_document.c: the extracted-document model.
 *
 * Invariants: passages[0..n_passages) are initialised, ordinals are 1..n in
 * order, every passage text is non-empty, valid-as-given UTF-8 with single
 * spaces between words and no leading or trailing space.
 */
#include "civ_document.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

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
