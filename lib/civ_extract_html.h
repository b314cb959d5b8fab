/* civ_extract_html.h: HTML with libxml2's HTML parser.
 *
 * Takes <title>, <html lang>, and block-level text (p, li, h1-h6, td, dd,
 * blockquote, pre ...) as passages, headings giving the heading path; drops
 * script, style, noscript, template, nav, header, footer, aside, form.
 */
#ifndef CIV_EXTRACT_HTML_H
#define CIV_EXTRACT_HTML_H

#include <stddef.h>

#include "civ_document.h"
#include "civ_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Returns CIV_OK, CIV_ERR_INPUT, CIV_ERR_TOOLARGE, CIV_ERR_NOTEXT, CIV_ERR_NOMEM. */
civ_status civ_extract_html(const char *data, size_t len, size_t max_text_bytes, civ_document **out,
                            civ_err *err);

#ifdef __cplusplus
}
#endif

#endif /* CIV_EXTRACT_HTML_H */
