/* civ_wire.c: the length-prefixed encoding of civ_wire.h.
 *
 * Invariant: a writer's len never exceeds its max, and a reader's p/left
 * only ever move forward within the buffer it was given. Strings are
 * checked for UTF-8 here, once, because every string that crosses a process
 * boundary ends up in the index or in a log line.
 */
#include "civ_wire.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

void civ_wire_writer_init(civ_wire_writer *w, size_t max)
{
    memset(w, 0, sizeof *w);
    w->max = max;
}

void civ_wire_writer_clear(civ_wire_writer *w)
{
    free(w->data);
    w->data = NULL;
    w->len = w->cap = 0;
    w->bad = 0;
}

void civ_wire_put_bytes(civ_wire_writer *w, const void *bytes, size_t len)
{
    if (w->bad)
        return;
    if (len > w->max - w->len) {
        w->bad = CIV_WIRE_FULL;
        return;
    }
    if (w->len + len > w->cap) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap < w->len + len)
            cap = cap > w->max / 2 ? w->max : cap * 2;
        unsigned char *grown = realloc(w->data, cap);
        if (!grown) {
            w->bad = CIV_WIRE_NOMEM;
            return;
        }
        w->data = grown;
        w->cap = cap;
    }
    if (len)
        memcpy(w->data + w->len, bytes, len);
    w->len += len;
}

void civ_wire_put_u8(civ_wire_writer *w, uint8_t v)
{
    civ_wire_put_bytes(w, &v, 1);
}

void civ_wire_put_u32(civ_wire_writer *w, uint32_t v)
{
    unsigned char b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    civ_wire_put_bytes(w, b, sizeof b);
}

void civ_wire_put_u64(civ_wire_writer *w, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    civ_wire_put_bytes(w, b, sizeof b);
}

void civ_wire_put_i32(civ_wire_writer *w, int32_t v)
{
    civ_wire_put_u32(w, (uint32_t)v);
}

void civ_wire_put_str(civ_wire_writer *w, const char *s)
{
    if (!s) {
        civ_wire_put_u32(w, CIV_WIRE_NULL);
        return;
    }
    size_t len = strlen(s);
    if (len >= CIV_WIRE_NULL) {
        w->bad = CIV_WIRE_FULL;
        return;
    }
    civ_wire_put_u32(w, (uint32_t)len);
    civ_wire_put_bytes(w, s, len);
}

void civ_wire_reader_init(civ_wire_reader *r, const void *data, size_t len)
{
    r->p = data;
    r->left = data ? len : 0;
    r->bad = 0;
}

/* The next n bytes, or NULL (and the reader bad) when fewer are left. */
static const unsigned char *take(civ_wire_reader *r, size_t n)
{
    if (r->bad || n > r->left) {
        r->bad = 1;
        return NULL;
    }
    const unsigned char *at = r->p;
    r->p += n;
    r->left -= n;
    return at;
}

uint8_t civ_wire_get_u8(civ_wire_reader *r)
{
    const unsigned char *b = take(r, 1);
    return b ? b[0] : 0;
}

uint32_t civ_wire_get_u32(civ_wire_reader *r)
{
    const unsigned char *b = take(r, 4);
    uint32_t v = 0;
    for (int i = 0; b && i < 4; i++)
        v |= (uint32_t)b[i] << (8 * i);
    return v;
}

uint64_t civ_wire_get_u64(civ_wire_reader *r)
{
    const unsigned char *b = take(r, 8);
    uint64_t v = 0;
    for (int i = 0; b && i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

int32_t civ_wire_get_i32(civ_wire_reader *r)
{
    uint32_t u = civ_wire_get_u32(r);
    /* Two's complement back without implementation-defined conversion. */
    return u <= INT32_MAX ? (int32_t)u : (int32_t)(u - INT32_MAX - 1) + INT32_MIN;
}

char *civ_wire_get_str(civ_wire_reader *r, size_t max)
{
    uint32_t len = civ_wire_get_u32(r);
    if (r->bad || len == CIV_WIRE_NULL)
        return NULL;
    if (len > max) {
        r->bad = 1;
        return NULL;
    }
    const unsigned char *b = take(r, len);
    if (!b)
        return NULL;
    /* g_utf8_validate with an explicit length rejects embedded NULs. */
    if (!g_utf8_validate((const char *)b, (gssize)len, NULL)) {
        r->bad = 1;
        return NULL;
    }
    char *s = malloc((size_t)len + 1);
    if (!s) {
        r->bad = 1;
        return NULL;
    }
    memcpy(s, b, len);
    s[len] = '\0';
    return s;
}
