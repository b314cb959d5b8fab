/* civ_params.c: request targets to decoded paths and parameters (see
 * civ_params.h).
 *
 * The decoded text lives in one allocation of about the target's length
 * (decoding never lengthens text), so a request costs memory proportional
 * to what it sent and no more.
 */
#include "civ_params.h"

#include <stdlib.h>
#include <string.h>

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

civ_status civ_params_unescape(const char *src, size_t len, int plus, char *dst, size_t *out_len,
                               civ_err *err)
{
    size_t o = 0;
    *out_len = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == '%') {
            int hi = i + 2 < len ? hex_value((unsigned char)src[i + 1]) : -1;
            int lo = hi >= 0 ? hex_value((unsigned char)src[i + 2]) : -1;
            if (lo < 0) {
                dst[o] = '\0';
                return civ_err_set(err, CIV_ERR_INPUT,
                                   "invalid percent-encoding: '%%' must be followed by two hex "
                                   "digits");
            }
            dst[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            dst[o++] = plus && c == '+' ? ' ' : (char)c;
        }
    }
    dst[o] = '\0';
    *out_len = o;
    return CIV_OK;
}

void civ_params_free(civ_params *p)
{
    if (!p)
        return;
    free(p->storage);
    free(p);
}

/* Decode the query string q[0..len) into p, writing at *w in p->storage. */
static civ_status parse_query(civ_params *p, const char *q, size_t len, char *w, civ_err *err)
{
    size_t start = 0;
    while (start < len) {
        const char *piece = q + start;
        const char *amp = memchr(piece, '&', len - start);
        size_t piece_len = amp ? (size_t)(amp - piece) : len - start;
        start += piece_len + 1;
        if (piece_len == 0)
            continue; /* "a=1&&b=2", a trailing '&' */
        if (p->n >= CIV_PARAMS_MAX)
            return civ_err_set(err, CIV_ERR_INPUT, "more than %d query parameters", CIV_PARAMS_MAX);
        const char *eq = memchr(piece, '=', piece_len);
        size_t name_len = eq ? (size_t)(eq - piece) : piece_len;
        civ_param *pr = &p->params[p->n];
        civ_status st = civ_params_unescape(piece, name_len, 1, w, &pr->name_len, err);
        if (st)
            return st;
        pr->name = w;
        w += pr->name_len + 1;
        if (eq) {
            st = civ_params_unescape(eq + 1, piece_len - name_len - 1, 1, w, &pr->value_len, err);
            if (st)
                return st;
            pr->value = w;
            w += pr->value_len + 1;
        } else {
            pr->value = "";
            pr->value_len = 0;
        }
        p->n++;
    }
    return CIV_OK;
}

civ_status civ_params_parse(const char *target, size_t len, civ_params **out, civ_err *err)
{
    *out = NULL;
    civ_params *p = calloc(1, sizeof *p);
    /* Each piece gains at most one terminating NUL, and there are at most
     * len / 2 + 1 pieces: 2 * len + 2 bytes always suffice. */
    char *storage = p && len < ((size_t)-1) / 2 - 2 ? malloc(2 * len + 2) : NULL;
    if (!storage) {
        free(p);
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    }
    p->storage = storage;
    const char *qmark = memchr(target, '?', len);
    size_t path_len = qmark ? (size_t)(qmark - target) : len;
    civ_status st = civ_params_unescape(target, path_len, 0, storage, &p->path_len, err);
    if (st == CIV_OK && memchr(storage, '\0', p->path_len))
        st = civ_err_set(err, CIV_ERR_INPUT, "the path contains a NUL byte");
    p->path = storage;
    if (st == CIV_OK && qmark)
        st = parse_query(p, qmark + 1, len - path_len - 1, storage + p->path_len + 1, err);
    if (st) {
        civ_params_free(p);
        return st;
    }
    *out = p;
    return CIV_OK;
}
