/* civ_extract_xml.h: XML with libxml2, parsed the safe way.
 *
 * Recognises UDHR-in-Unicode XML (<udhr>), Akoma Ntoso 2.0 and 3.0
 * (<akomaNtoso>) and treats any other XML as generic text by element.
 * Parsing never expands entities, loads DTDs, reads external entities or
 * touches the network; text is collected by our own tree walk and capped.
 */
#ifndef CIV_EXTRACT_XML_H
#define CIV_EXTRACT_XML_H

#include <stddef.h>

#include "civ_document.h"
#include "civ_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Extract the XML in data[0..len). max_text_bytes caps collected text (0: no
 * cap; past it CIV_ERR_TOOLARGE). Formats set in doc->format: "udhr-xml",
 * "akn", "xml". Returns CIV_OK, CIV_ERR_INPUT (not well-formed, with the
 * parser's line and message), CIV_ERR_TOOLARGE, CIV_ERR_NOTEXT, CIV_ERR_NOMEM. */
civ_status civ_extract_xml(const char *data, size_t len, size_t max_text_bytes, civ_document **out,
                           civ_err *err);

#ifdef __cplusplus
}
#endif

#endif /* CIV_EXTRACT_XML_H */
