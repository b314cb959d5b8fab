/* civ_pdf.c: opening a PDF with poppler-glib.
 *
 * poppler builds its global tables (GlobalParams: the built-in fonts'
 * metrics, encodings, Unicode maps) when the first document of a process
 * opens, and frees them when the last one closes. An extraction worker
 * opens one PDF at a time, so it built and freed them for every file, and
 * twice for most (civ_unmeta reads the information dictionary): about 2%
 * of the CPU of indexing the UN PDFs. A minimal PDF opened once and never
 * closed keeps them for the life of the process.
 */
#include "civ_pdf.h"

/* One empty page, with a correct cross-reference table: poppler opens it
 * without a warning. */
static const char KEEPER[] = "%PDF-1.4\n"
                             "1 0 obj<</Type/Catalog/Pages 2 0 R>> endobj\n"
                             "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n"
                             "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 1 1]>> endobj\n"
                             "xref\n"
                             "0 4\n"
                             "0000000000 65535 f \n"
                             "0000000009 00000 n \n"
                             "0000000053 00000 n \n"
                             "0000000103 00000 n \n"
                             "trailer<</Size 4/Root 1 0 R>>\n"
                             "startxref\n"
                             "163\n"
                             "%%EOF\n";

static gpointer open_keeper(gpointer unused)
{
    (void)unused;
    GBytes *bytes = g_bytes_new_static(KEEPER, sizeof KEEPER - 1);
    PopplerDocument *keeper = poppler_document_new_from_bytes(bytes, NULL, NULL);
    g_bytes_unref(bytes); /* the document holds its own reference */
    return keeper;
}

PopplerDocument *civ_pdf_open(GBytes *bytes, GError **error)
{
    static GOnce keeper = G_ONCE_INIT;
    g_once(&keeper, open_keeper, NULL);
    return poppler_document_new_from_bytes(bytes, NULL, error);
}
