/* civ_params.h: a request target split into its path and query parameters,
 * percent-decoded strictly.
 *
 * The one decoder for what a client sends in the request line: the daemon
 * answers from it and the query fuzzer feeds it. Strict means a '%' not
 * followed by two hex digits ("%G1", "%zz", a trailing "%") is an error,
 * never passed through as text, so a request means exactly one thing.
 */
#ifndef CIV_PARAMS_H
#define CIV_PARAMS_H

#include <stddef.h>

#include "civ_status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CIV_PARAMS_MAX 64 /* query parameters one request may carry */

/* One decoded parameter. name and value are NUL-terminated for
 * convenience, but may hold NUL bytes ("%00"): use the lengths. */
typedef struct civ_param {
    const char *name;
    size_t name_len;
    const char *value; /* "" when the parameter had no '=' */
    size_t value_len;
} civ_param;

typedef struct civ_params {
    const char *path; /* decoded, NUL-terminated; never holds a NUL byte */
    size_t path_len;
    civ_param params[CIV_PARAMS_MAX]; /* in request order; empty "&&" pieces skipped */
    size_t n;
    char *storage; /* private: the decoded bytes the pointers above borrow */
} civ_params;

/* Decode src[0..len) into dst (room for len + 1 bytes; the result is never
 * longer), NUL-terminating it; plus: 1 to read '+' as a space (query
 * strings), 0 to keep it (paths). Returns CIV_OK with the decoded length in
 * *out_len, or CIV_ERR_INPUT on a '%' not followed by two hex digits. */
civ_status civ_params_unescape(const char *src, size_t len, int plus, char *dst, size_t *out_len,
                               civ_err *err);

/* Split and decode a raw request target: "PATH[?QUERY]" (len bytes, as
 * sent on the request line). Names and values are not checked for UTF-8
 * here (the consumer of each parameter decides; civ_search_check_text).
 * Returns CIV_OK, CIV_ERR_INPUT (invalid percent-encoding, a NUL byte in
 * the path, more than CIV_PARAMS_MAX parameters) or CIV_ERR_NOMEM. *out is
 * NULL on failure; free it with civ_params_free. */
civ_status civ_params_parse(const char *target, size_t len, civ_params **out, civ_err *err);
void civ_params_free(civ_params *p);

#ifdef __cplusplus
}
#endif

#endif /* CIV_PARAMS_H */
