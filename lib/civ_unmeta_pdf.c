/* civ_unmeta_pdf.c: a PDF's document information for civ_unmeta.
 *
 * Only the information dictionary is read (no page is parsed), so opening
 * the file a second time costs little next to extracting it (poppler's
 * global tables stay built between the two: civ_pdf_open). Every GLib and
 * poppler allocation is released in this file; what leaves it is malloc'd.
 */
#include "civ_unmeta.h"

#include <stdlib.h>
#include <string.h>

#include "civ_pdf.h"

static char *take(gchar *s)
{
    char *copy = NULL;
    if (s && s[0] && g_utf8_validate(s, -1, NULL))
        copy = strdup(s);
    g_free(s);
    return copy;
}

void civ_unmeta_pdf_info(const char *data, size_t len, char *out[3])
{
    out[0] = out[1] = out[2] = NULL;
    if (!data || len < 5 || memcmp(data, "%PDF-", 5) != 0)
        return;
    GBytes *bytes = g_bytes_new_static(data, len);
    PopplerDocument *pdoc = civ_pdf_open(bytes, NULL);
    if (pdoc) {
        out[0] = take(poppler_document_get_title(pdoc));
        out[1] = take(poppler_document_get_subject(pdoc));
        out[2] = take(poppler_document_get_keywords(pdoc));
        g_object_unref(pdoc);
    }
    g_bytes_unref(bytes);
}
