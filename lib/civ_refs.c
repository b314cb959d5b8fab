/* civ_refs.c: the documents a document cites and those citing it (by UN
 * symbol, XCITES terms), and its versions in other languages. */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "civ_search.h"
#include "civ_stored.h"

/* Passages examined for one direction of a references answer. */
#define REF_SCAN_MAX 2000

/* The term for symbol under prefix, upper case as the index stores it. */
static char *symbol_term(const char *prefix, const char *symbol)
{
    char *upper = g_ascii_strup(symbol, -1);
    char *term = civ_xapian_term(prefix, upper);
    g_free(upper);
    return term;
}

/* Documents of part with one of a[] and (when nb > 0) one of b[], in
 * index order: a boolean match has no weights, so Xapian returns docid
 * order. */
static civ_status boolean_match(civ_xapian_reader *r, civ_xapian_part part, const char *const *a,
                                size_t na, const char *const *b, size_t nb, unsigned count,
                                civ_xapian_results **xr, civ_err *err)
{
    civ_xapian_filter filters[2] = {{a, na, NULL}, {b, nb, NULL}};
    civ_xapian_query q;
    memset(&q, 0, sizeof q);
    q.part = part;
    q.filters = filters;
    q.n_filters = nb ? 2 : 1;
    q.count = count;
    /* Exact totals up to count: "more than count" is how a cap shows. */
    q.check_at_least = count + 1;
    q.collapse_slot = -1;
    q.facet_distinct_slot = -1;
    return civ_xapian_search(r, &q, xr, err);
}

static void ref_passages_free(civ_search_ref_passage *ps, size_t n)
{
    for (size_t i = 0; ps && i < n; i++) {
        free(ps[i].id);
        free(ps[i].paragraph);
        free(ps[i].citation);
    }
    free(ps);
}

void civ_search_references_free(civ_search_references *refs)
{
    if (!refs)
        return;
    for (size_t i = 0; i < refs->n_cites; i++) {
        free(refs->cites[i].symbol);
        civ_search_document_free(refs->cites[i].document);
        ref_passages_free(refs->cites[i].passages, refs->cites[i].n_passages);
    }
    free(refs->cites);
    for (size_t i = 0; i < refs->n_cited_by; i++) {
        civ_search_document_free(refs->cited_by[i].document);
        ref_passages_free(refs->cited_by[i].passages, refs->cited_by[i].n_passages);
    }
    free(refs->cited_by);
    free(refs);
}

/* Append the passage json of doc to *ps (room for CIV_SEARCH_MAX_REF_PASSAGES). */
static civ_status add_ref_passage(civ_search_ref_passage **ps, size_t *n, json_t *json,
                                  const civ_search_document *doc, civ_err *err)
{
    if (!*ps && !(*ps = calloc(CIV_SEARCH_MAX_REF_PASSAGES, sizeof **ps)))
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    civ_search_passage p;
    civ_status st = civ_stored_passage(json, doc, &p, err);
    if (st == CIV_OK) {
        civ_search_ref_passage *rp = &(*ps)[(*n)++];
        rp->id = p.id;
        rp->paragraph = p.paragraph;
        rp->page = p.page;
        rp->citation = p.citation;
        p.id = p.paragraph = p.citation = NULL;
    }
    civ_stored_passage_clear(&p);
    return st;
}

/* The record with symbol, preferring one in language: what a cited symbol
 * links to. *out NULL when no record has the symbol. */
static civ_status document_with_symbol(civ_xapian_reader *r, const char *symbol,
                                       const char *language, civ_search_document **out,
                                       civ_err *err)
{
    *out = NULL;
    char *term = symbol_term(CIV_PREFIX_SYMBOL, symbol);
    if (!term)
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    const char *terms[1] = {term};
    civ_xapian_results *xr = NULL;
    civ_status st =
        boolean_match(r, CIV_XAPIAN_RECORDS, terms, 1, NULL, 0, CIV_SEARCH_MAX_VERSIONS, &xr, err);
    json_t *best = NULL;
    for (size_t i = 0; st == CIV_OK && i < civ_xapian_results_size(xr); i++) {
        const civ_xapian_hit *h = civ_xapian_results_hit(xr, i);
        json_t *rec = json_loadb(h->data, h->data_len, 0, NULL);
        const char *lang = json_string_value(json_object_get(rec, "lang"));
        if (!json_string_value(json_object_get(rec, "id"))) {
            json_decref(rec);
            continue;
        }
        if (!best || (language && lang && strcmp(lang, language) == 0 &&
                      g_strcmp0(json_string_value(json_object_get(best, "lang")), language))) {
            json_decref(best);
            best = rec;
        } else {
            json_decref(rec);
        }
    }
    if (st == CIV_OK && best) {
        *out = civ_stored_document(json_string_value(json_object_get(best, "id")), best);
        if (!*out)
            st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    }
    json_decref(best);
    civ_xapian_results_free(xr);
    free(term);
    return st;
}

/* What doc cites: the record's list, each with the passages that cite it. */
static civ_status references_cited(civ_xapian_reader *r, const civ_search_document *doc,
                                   civ_search_references *refs, civ_err *err)
{
    json_t *rec = NULL;
    civ_status st = civ_stored_record(r, doc->id, &rec, err);
    if (st)
        return st;
    json_t *cites = json_object_get(rec, "cites");
    size_t n = json_array_size(cites);
    if (n > CIV_SEARCH_MAX_CITED) {
        n = CIV_SEARCH_MAX_CITED;
        refs->truncated = 1;
    }
    char **terms = calloc(n ? n : 1, sizeof *terms);
    char *parent = g_strconcat(CIV_PREFIX_PARENT, doc->id, NULL);
    civ_xapian_results *xr = NULL;
    refs->cites = calloc(n ? n : 1, sizeof *refs->cites);
    if (!terms || !refs->cites) {
        st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const char *symbol = json_string_value(json_array_get(cites, i));
        civ_search_cited *c = &refs->cites[refs->n_cites];
        if (!symbol || !symbol[0])
            continue;
        refs->n_cites++;
        c->symbol = strdup(symbol);
        terms[i] = symbol_term(CIV_PREFIX_CITES, symbol);
        if (!c->symbol || !terms[i]) {
            st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
            goto out;
        }
        if ((st = document_with_symbol(r, symbol, doc->language, &c->document, err)))
            goto out;
    }
    if (refs->n_cites == 0)
        goto out;
    /* Every passage of doc citing any of them, in reading order. */
    size_t n_terms = 0;
    for (size_t i = 0; i < n; i++) {
        char *t = terms[i];
        terms[i] = NULL;
        if (t)
            terms[n_terms++] = t;
    }
    const char *parents[1] = {parent};
    st = boolean_match(r, CIV_XAPIAN_PASSAGES, parents, 1, (const char *const *)terms, n_terms,
                       REF_SCAN_MAX, &xr, err);
    if (st)
        goto out;
    if (civ_xapian_results_total(xr) > civ_xapian_results_size(xr))
        refs->truncated = 1;
    for (size_t i = 0; i < civ_xapian_results_size(xr) && st == CIV_OK; i++) {
        const civ_xapian_hit *h = civ_xapian_results_hit(xr, i);
        json_t *p = json_loadb(h->data, h->data_len, 0, NULL);
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(p, "cites"), k, v)
        {
            for (size_t c = 0; c < refs->n_cites && st == CIV_OK; c++) {
                civ_search_cited *cited = &refs->cites[c];
                if (g_strcmp0(json_string_value(v), cited->symbol) != 0)
                    continue;
                cited->total_passages++;
                if (cited->n_passages < CIV_SEARCH_MAX_REF_PASSAGES)
                    st = add_ref_passage(&cited->passages, &cited->n_passages, p, doc, err);
                else
                    refs->truncated = 1;
            }
        }
        json_decref(p);
    }
out:
    civ_xapian_results_free(xr);
    for (size_t i = 0; terms && i < n; i++)
        free(terms[i]);
    free(terms);
    g_free(parent);
    json_decref(rec);
    return st;
}

/* What cites doc: passages of other documents with XCITES:<symbol>,
 * grouped by document in index order. */
static civ_status references_citing(civ_xapian_reader *r, const civ_search_document *doc,
                                    civ_search_references *refs, civ_err *err)
{
    if (!doc->symbol)
        return CIV_OK;
    refs->cited_by = calloc(CIV_SEARCH_MAX_CITING, sizeof *refs->cited_by);
    char *term = symbol_term(CIV_PREFIX_CITES, doc->symbol);
    if (!refs->cited_by || !term) {
        free(term);
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    }
    const char *terms[1] = {term};
    civ_xapian_results *xr = NULL;
    civ_status st =
        boolean_match(r, CIV_XAPIAN_PASSAGES, terms, 1, NULL, 0, REF_SCAN_MAX, &xr, err);
    if (st == CIV_OK && civ_xapian_results_total(xr) > civ_xapian_results_size(xr))
        refs->truncated = 1;
    for (size_t i = 0; st == CIV_OK && i < civ_xapian_results_size(xr); i++) {
        const civ_xapian_hit *h = civ_xapian_results_hit(xr, i);
        json_t *p = json_loadb(h->data, h->data_len, 0, NULL);
        const char *parent = json_string_value(json_object_get(p, "doc"));
        civ_search_citing *citing = NULL;
        if (!parent || strcmp(parent, doc->id) == 0 ||
            !civ_search_is_document_id(parent, strlen(parent))) {
            json_decref(p);
            continue;
        }
        for (size_t d = 0; d < refs->n_cited_by && !citing; d++)
            if (strcmp(refs->cited_by[d].document->id, parent) == 0)
                citing = &refs->cited_by[d];
        if (!citing && refs->n_cited_by < CIV_SEARCH_MAX_CITING) {
            json_t *rec = NULL;
            /* A record missing under a passage (a damaged index) still
             * names the document by its id. */
            if (civ_stored_record(r, parent, &rec, NULL) != CIV_OK)
                rec = NULL;
            civ_search_document *cd = civ_stored_document(parent, rec);
            json_decref(rec);
            if (!cd) {
                st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
            } else {
                citing = &refs->cited_by[refs->n_cited_by++];
                citing->document = cd;
            }
        } else if (!citing) {
            refs->truncated = 1;
        }
        if (citing) {
            citing->total_passages++;
            if (citing->n_passages < CIV_SEARCH_MAX_REF_PASSAGES)
                st = add_ref_passage(&citing->passages, &citing->n_passages, p, citing->document,
                                     err);
            else
                refs->truncated = 1;
        }
        json_decref(p);
    }
    civ_xapian_results_free(xr);
    free(term);
    return st;
}

civ_status civ_search_references_get(civ_xapian_reader *r, const civ_search_document *doc,
                                     civ_search_references **out, civ_err *err)
{
    *out = NULL;
    civ_search_references *refs = calloc(1, sizeof *refs);
    if (!refs)
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    civ_status st = references_cited(r, doc, refs, err);
    if (st == CIV_OK)
        st = references_citing(r, doc, refs, err);
    if (st) {
        civ_search_references_free(refs);
        return st;
    }
    *out = refs;
    return CIV_OK;
}

void civ_search_versions_free(civ_search_document **docs, size_t n)
{
    for (size_t i = 0; docs && i < n; i++)
        civ_search_document_free(docs[i]);
    free(docs);
}

static int compare_languages(const void *a, const void *b)
{
    const civ_search_document *da = *(civ_search_document *const *)a;
    const civ_search_document *db = *(civ_search_document *const *)b;
    int c = g_strcmp0(da->language, db->language);
    return c ? c : strcmp(da->id, db->id);
}

civ_status civ_search_versions(civ_xapian_reader *r, const civ_search_document *doc,
                               civ_search_document ***out, size_t *n, civ_err *err)
{
    *out = NULL;
    *n = 0;
    char *term = NULL;
    /* The work a document is a version of: its symbol; without one, the
     * Universal Declaration, whose translations are the udhr-xml files. */
    if (doc->symbol)
        term = symbol_term(CIV_PREFIX_SYMBOL, doc->symbol);
    else if (doc->format && strcmp(doc->format, "udhr-xml") == 0)
        term = civ_xapian_term(CIV_PREFIX_FORMAT, doc->format);
    else
        return CIV_OK;
    civ_search_document **docs = calloc(CIV_SEARCH_MAX_VERSIONS, sizeof *docs);
    if (!term || !docs) {
        free(term);
        free(docs);
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    }
    const char *terms[1] = {term};
    civ_xapian_results *xr = NULL;
    size_t count = 0;
    civ_status st = boolean_match(r, CIV_XAPIAN_RECORDS, terms, 1, NULL, 0,
                                  CIV_SEARCH_MAX_VERSIONS + 1, &xr, err);
    for (size_t i = 0; st == CIV_OK && i < civ_xapian_results_size(xr); i++) {
        const civ_xapian_hit *h = civ_xapian_results_hit(xr, i);
        json_t *rec = json_loadb(h->data, h->data_len, 0, NULL);
        const char *id = json_string_value(json_object_get(rec, "id"));
        if (id && strcmp(id, doc->id) != 0 && civ_search_is_document_id(id, strlen(id)) &&
            count < CIV_SEARCH_MAX_VERSIONS) {
            if (!(docs[count] = civ_stored_document(id, rec)))
                st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
            else
                count++;
        }
        json_decref(rec);
    }
    civ_xapian_results_free(xr);
    free(term);
    if (st) {
        civ_search_versions_free(docs, count);
        return st;
    }
    qsort(docs, count, sizeof *docs, compare_languages);
    *out = docs;
    *n = count;
    return CIV_OK;
}
