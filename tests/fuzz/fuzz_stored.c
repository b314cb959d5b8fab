/* libFuzzer harness: the reader of the index's stored JSON against
 * jansson's.
 *
 * civ_stored_read_flat takes the shapes the index stores (objects of
 * strings, integers and arrays of them) without jansson. Whatever it
 * takes, jansson must read as an equal object; whatever jansson reads as
 * an object, civ_stored_parse must give back equal, and what jansson
 * refuses, civ_stored_parse must refuse. */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "civ_stored.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    json_t *ref = json_loadb(text, size, 0, NULL);
    json_t *fast = civ_stored_read_flat(text, size);
    if (fast && (!ref || !json_equal(fast, ref)))
        __builtin_trap();
    json_t *got = NULL;
    civ_err err;
    civ_status st = civ_stored_parse(text, size, &got, &err);
    if (ref && json_is_object(ref) ? st != CIV_OK || !json_equal(got, ref)
                                   : st != CIV_ERR_INTERNAL || got)
        __builtin_trap();
    json_decref(got);
    json_decref(fast);
    json_decref(ref);
    return 0;
}
