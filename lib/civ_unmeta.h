/* civ_unmeta.h: what an extracted document says about itself as a UN
 * document: symbol, body, kind, session, printed date, agenda item.
 *
 * civ_extract_bytes calls civ_unmeta_apply on every document it extracts.
 * The symbol is taken, in this order, from the document's own first page
 * (UN PDFs print it at the top right: "A/HRC/59/15"), from the file's
 * metadata (PDF title, subject, keywords), and last from an Official
 * Document System file name ("A_HRC_59_15_g2502644.pdf"); doc->symbol_source
 * says which ("text", "metadata", "filename"). A first page that carries a
 * different symbol, or says the document does not exist, keeps the file
 * name's symbol off the document.
 *
 * With a symbol known, body, kind (doc->doctype) and session come from it
 * when extraction did not set them; the date printed on the first page
 * ("Distr.: General 3 April 2025") replaces the file's creation date; the
 * agenda item ("Agenda item 6") is recorded; a document with no title
 * (or only a job number as title) gets its symbol as title; and running
 * headers that only repeat the symbol, the date or a page counter
 * ("16/04/2025 A/79/PV.64", "2/2") are taken out of the passages.
 */
#ifndef CIV_UNMETA_H
#define CIV_UNMETA_H

#include <stddef.h>

#include "civ_document.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Enrich doc, extracted from data[0..len) (borrowed; may be NULL) of file
 * name (may be NULL), as described above. Best effort: it never fails, and
 * leaves a field unset when it cannot tell (or runs out of memory). */
void civ_unmeta_apply(civ_document *doc, const char *name, const char *data, size_t len);

/* Whether first_page, a NUL-terminated page of text, prints a date where
 * civ_unmeta_apply looks for one (under "Distr." or in the masthead). */
int civ_unmeta_prints_date(const char *first_page);

/* The document information of a PDF: out[0] title, out[1] subject, out[2]
 * keywords, each malloc'd (free with free()) or NULL when absent or not
 * UTF-8. All NULL when data is not a readable PDF. */
void civ_unmeta_pdf_info(const char *data, size_t len, char *out[3]);

#ifdef __cplusplus
}
#endif

#endif /* CIV_UNMETA_H */
