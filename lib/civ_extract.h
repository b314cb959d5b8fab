/* civ_extract.h: turn one file into a civ_document.
 *
 * civ_extract_file picks the extractor from the file's first bytes and its
 * name (PDF, UDHR XML, Akoma Ntoso, other XML, HTML, plain text), reads the
 * file itself under a size cap and hands the bytes to that extractor. The
 * per-format extractors (civ_extract_pdf.h, civ_extract_xml.h,
 * civ_extract_html.h, civ_extract_text.h) work on bytes in memory so that
 * they can be fuzzed and run in a sandboxed worker.
 */
#ifndef CIV_EXTRACT_H
#define CIV_EXTRACT_H

#include <stddef.h>

#include "civ_document.h"
#include "civ_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Default cap on an input file: larger files are reported "too large". */
#define CIV_DEFAULT_MAX_FILE_BYTES (256u * 1024 * 1024)
/* Default cap on text extracted from one file. */
#define CIV_DEFAULT_MAX_TEXT_BYTES (64u * 1024 * 1024)

typedef struct civ_extract_limits {
    size_t max_file_bytes; /* 0: CIV_DEFAULT_MAX_FILE_BYTES */
    size_t max_text_bytes; /* 0: CIV_DEFAULT_MAX_TEXT_BYTES */
} civ_extract_limits;

typedef enum civ_format {
    CIV_FORMAT_UNKNOWN = 0,
    CIV_FORMAT_PDF,
    CIV_FORMAT_XML,
    CIV_FORMAT_HTML,
    CIV_FORMAT_TEXT
} civ_format;

/* The format of a file from its name and first bytes (head, head_len may be
 * 0). Content wins over the name: a .pdf that does not start with %PDF is
 * not a PDF. Returns CIV_FORMAT_UNKNOWN for files Civitas does not index. */
civ_format civ_extract_detect(const char *path, const unsigned char *head, size_t head_len);

/* Extract path into *out (caller frees with civ_document_free).
 * limits may be NULL for the defaults.
 * Returns CIV_OK; CIV_ERR_UNSUPPORTED (not a format Civitas reads);
 * CIV_ERR_TOOLARGE; CIV_ERR_ENCRYPTED; CIV_ERR_INPUT (damaged or invalid);
 * CIV_ERR_NOTEXT (no text layer / nothing to index); CIV_ERR_IO (cannot
 * read); CIV_ERR_NOMEM. On failure *out is NULL and err says why. */
civ_status civ_extract_file(const char *path, const civ_extract_limits *limits, civ_document **out,
                            civ_err *err);

/* Read path into *data (malloc'd, NUL-terminated after *len bytes) under
 * the file-size cap. Returns CIV_OK, CIV_ERR_TOOLARGE (nothing read),
 * CIV_ERR_UNSUPPORTED (not a regular file), CIV_ERR_IO, CIV_ERR_NOMEM. */
civ_status civ_extract_read(const char *path, const civ_extract_limits *limits, char **data,
                            size_t *len, civ_err *err);

/* Extract data[0..len) (borrowed), detecting the format as
 * civ_extract_file does with name as the file name. A document with no
 * title of its own gets its file name without extension. Same statuses as
 * civ_extract_file, less CIV_ERR_IO. */
civ_status civ_extract_bytes(const char *name, const char *data, size_t len,
                             const civ_extract_limits *limits, civ_document **out, civ_err *err);

#ifdef __cplusplus
}
#endif

#endif /* CIV_EXTRACT_H */
