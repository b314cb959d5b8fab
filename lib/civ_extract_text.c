/* civ_extract_text.c: plain UTF-8 text into a civ_document.
 *
 * We never guess encodings: the bytes must be UTF-8 (a leading byte-order
 * mark is skipped) with no NUL byte, or the file is an input error naming
 * the offending byte offset in the file. Passages come from
 * civ_passage_split. Plain text carries no reliable title (UN general
 * debate statements start straight with "Mr. President"), so the title is
 * left for a sidecar or the indexer's file name.
 */
#include "civ_extract_text.h"

#include <glib.h>
#include <string.h>

#include "civ_passage.h"

civ_status civ_extract_text(const char *data, size_t len, size_t max_text_bytes, civ_document **out,
                            civ_err *err)
{
    *out = NULL;
    civ_err_clear(err);
    size_t start = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        start = 3;
    const char *text = data + start;
    size_t text_len = len - start;

    if (max_text_bytes && text_len > max_text_bytes)
        return civ_err_set(err, CIV_ERR_TOOLARGE, "text of %zu bytes exceeds the cap of %zu",
                           text_len, max_text_bytes);
    /* g_utf8_validate stops at a NUL as well as at a bad sequence; tell the
     * two apart so the message says which. */
    const char *end = NULL;
    if (!g_utf8_validate(text, (gssize)text_len, &end)) {
        size_t at = start + (size_t)(end - text);
        if (*end == '\0')
            return civ_err_set(err, CIV_ERR_INPUT, "NUL byte at %zu", at);
        return civ_err_set(err, CIV_ERR_INPUT, "invalid UTF-8 at byte %zu", at);
    }
    size_t i = 0;
    while (i < text_len && g_ascii_isspace(text[i]))
        i++;
    if (i == text_len)
        return civ_err_set(err, CIV_ERR_NOTEXT, "empty text file");

    civ_document *doc = civ_document_new("text");
    if (!doc)
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    civ_status st = civ_passage_split(doc, text, text_len, 0, err);
    civ_passage_line_hyphens(doc);
    if (st == CIV_OK && !doc->n_passages)
        st = civ_err_set(err, CIV_ERR_NOTEXT, "no text in the file");
    if (st != CIV_OK) {
        civ_document_free(doc);
        return st;
    }
    *out = doc;
    return CIV_OK;
}
