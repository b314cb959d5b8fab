/* civ_extract_pdf.h: PDF text per page and metadata with poppler-glib. */
#ifndef CIV_EXTRACT_PDF_H
#define CIV_EXTRACT_PDF_H

#include <stddef.h>

#include "civ_document.h"
#include "civ_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Extract the PDF in data[0..len) (borrowed; not modified). Fills title,
 * date (creation date, "YYYY-MM-DD"), page_count, and passages split per
 * page by civ_passage_split, each with its 1-based page number.
 * max_text_bytes caps the text taken from the whole file (0: no cap).
 * Returns CIV_OK, CIV_ERR_ENCRYPTED, CIV_ERR_INPUT (damaged: poppler cannot
 * open it), CIV_ERR_NOTEXT (no page has a text layer), CIV_ERR_TOOLARGE,
 * CIV_ERR_NOMEM. *out NULL on failure. */
civ_status civ_extract_pdf(const char *data, size_t len, size_t max_text_bytes, civ_document **out,
                           civ_err *err);

#ifdef __cplusplus
}
#endif

#endif /* CIV_EXTRACT_PDF_H */
