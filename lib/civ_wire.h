/* civ_wire.h: a small length-prefixed binary encoding for messages between
 * processes (the extraction sandbox's requests and replies, serialised
 * documents).
 *
 * Integers are fixed-width little-endian; a string is a u32 byte length
 * followed by the bytes (no NUL), or the length CIV_WIRE_NULL for a NULL
 * string. A writer grows up to its own cap and then fails; a reader never
 * reads past its buffer and, once anything is wrong (short input, a length
 * past the end or past the caller's cap), stays failed: callers decode a
 * whole message and check civ_wire_reader.bad once at the end.
 */
#ifndef CIV_WIRE_H
#define CIV_WIRE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CIV_WIRE_NULL 0xFFFFFFFFu

enum { CIV_WIRE_FULL = 1, CIV_WIRE_NOMEM = 2 };

typedef struct civ_wire_writer {
    unsigned char *data; /* malloc'd; the caller frees it (or takes it) */
    size_t len;
    size_t cap;
    size_t max; /* the writer fails rather than grow past this many bytes */
    int bad;    /* 0, or why the writer stopped: CIV_WIRE_FULL, CIV_WIRE_NOMEM */
} civ_wire_writer;

typedef struct civ_wire_reader {
    const unsigned char *p; /* borrowed */
    size_t left;
    int bad;
} civ_wire_reader;

/* Start an empty writer that will hold at most max bytes. */
void civ_wire_writer_init(civ_wire_writer *w, size_t max);
void civ_wire_writer_clear(civ_wire_writer *w); /* frees data; reusable after init */

void civ_wire_put_u8(civ_wire_writer *w, uint8_t v);
void civ_wire_put_u32(civ_wire_writer *w, uint32_t v);
void civ_wire_put_u64(civ_wire_writer *w, uint64_t v);
void civ_wire_put_i32(civ_wire_writer *w, int32_t v);
void civ_wire_put_bytes(civ_wire_writer *w, const void *bytes, size_t len); /* raw, no length */
void civ_wire_put_str(civ_wire_writer *w, const char *s);                   /* s may be NULL */

void civ_wire_reader_init(civ_wire_reader *r, const void *data, size_t len);

/* Each returns 0 (or NULL) once the reader is bad. */
uint8_t civ_wire_get_u8(civ_wire_reader *r);
uint32_t civ_wire_get_u32(civ_wire_reader *r);
uint64_t civ_wire_get_u64(civ_wire_reader *r);
int32_t civ_wire_get_i32(civ_wire_reader *r);

/* A string of at most max bytes, valid UTF-8 without NUL, as a malloc'd
 * NUL-terminated copy (the caller frees it). NULL both for an encoded NULL
 * and on failure: check r->bad. A longer, invalid or truncated string makes
 * the reader bad. */
char *civ_wire_get_str(civ_wire_reader *r, size_t max);

#ifdef __cplusplus
}
#endif

#endif /* CIV_WIRE_H */
