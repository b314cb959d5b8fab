/* civ_status.h: status codes and the caller-owned error record shared by
 * every libcivitas module.
 *
 * A function that can fail returns a civ_status and, when it is not CIV_OK,
 * fills the civ_err the caller passed in (which may be NULL when the caller
 * does not want the message). Input errors (a bad file, a bad query) are
 * reported and the work goes on; environment errors (locked index, disk full)
 * stop the run.
 */
#ifndef CIV_STATUS_H
#define CIV_STATUS_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum civ_status {
    CIV_OK = 0,
    CIV_ERR_INPUT,       /* bad input: damaged file, malformed query, invalid text */
    CIV_ERR_ENCRYPTED,   /* input is encrypted and cannot be read */
    CIV_ERR_NOTEXT,      /* input holds no extractable text (scanned PDF) */
    CIV_ERR_TOOLARGE,    /* input exceeds a configured size cap */
    CIV_ERR_UNSUPPORTED, /* file type not handled */
    CIV_ERR_NOTFOUND,    /* database, file or record does not exist */
    CIV_ERR_LOCKED,      /* another writer holds the index */
    CIV_ERR_MODIFIED,    /* the index changed under a reader; reopen and retry */
    CIV_ERR_NOMEM,       /* allocation failed */
    CIV_ERR_IO,          /* file system or disk error */
    CIV_ERR_XAPIAN,      /* any other Xapian error */
    CIV_ERR_TIMEOUT,     /* a time limit passed (extraction wall clock or CPU) */
    CIV_ERR_CRASHED,     /* an extraction worker died (signal, unexpected exit) */
    CIV_ERR_INTERNAL     /* a bug or an unexpected exception */
} civ_status;

#define CIV_ERR_MSG_MAX 256

typedef struct civ_err {
    civ_status code;
    char msg[CIV_ERR_MSG_MAX];
} civ_err;

/* Fill err (if not NULL) with code and a printf-style message; returns code
 * so callers can write `return civ_err_set(err, CIV_ERR_INPUT, "...")`. */
civ_status civ_err_set(civ_err *err, civ_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clear err to CIV_OK and an empty message. Accepts NULL. */
void civ_err_clear(civ_err *err);

/* A short stable name for a status, used in logs and summaries:
 * "ok", "damaged", "encrypted", "no text", "too large", "unsupported",
 * "not found", "locked", "modified", "out of memory", "i/o error",
 * "xapian error", "timeout", "crashed", "internal error". Never NULL. */
const char *civ_status_name(civ_status code);

#ifdef __cplusplus
}
#endif

#endif /* CIV_STATUS_H */
