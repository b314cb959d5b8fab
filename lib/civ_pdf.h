/* civ_pdf.h: opening a PDF with poppler-glib, for the extractor and the
 * metadata reader (civ_extract_pdf.c, civ_unmeta_pdf.c).
 */
#ifndef CIV_PDF_H
#define CIV_PDF_H

#include <poppler.h>

/* poppler_document_new_from_bytes(bytes, NULL, error), with poppler's
 * global tables kept from one document to the next (civ_pdf.c). */
PopplerDocument *civ_pdf_open(GBytes *bytes, GError **error);

#endif /* CIV_PDF_H */
