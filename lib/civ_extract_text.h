/* civ_extract_text.h: plain UTF-8 text.
 *
 * A UTF-8 byte-order mark is skipped. Invalid UTF-8 or a NUL byte is an
 * input error naming the byte offset (we do not guess encodings). The text
 * is split into passages by civ_passage_split.
 */
#ifndef CIV_EXTRACT_TEXT_H
#define CIV_EXTRACT_TEXT_H

#include <stddef.h>

#include "civ_document.h"
#include "civ_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Returns CIV_OK, CIV_ERR_INPUT (invalid UTF-8 / NUL, with offset),
 * CIV_ERR_TOOLARGE, CIV_ERR_NOTEXT (empty), CIV_ERR_NOMEM. */
civ_status civ_extract_text(const char *data, size_t len, size_t max_text_bytes, civ_document **out,
                            civ_err *err);

#ifdef __cplusplus
}
#endif

#endif /* CIV_EXTRACT_TEXT_H */
