/* libFuzzer harness: plain text and the passage splitter (printed
 * paragraph numbers, page furniture) on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "civ_document.h"
#include "civ_extract_text.h"
#include "civ_passage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    civ_document *doc = NULL;
    civ_err err;
    civ_status st = civ_extract_text((const char *)data, size, 1 << 20, &doc, &err);
    if (st == CIV_OK) {
        for (size_t i = 0; i < doc->n_passages; i++)
            if (!g_utf8_validate(doc->passages[i].text, -1, NULL))
                __builtin_trap();
        civ_document_free(doc);
    } else if (doc) {
        __builtin_trap();
    }
    char number[64];
    size_t n = civ_passage_number((const char *)data, size, number, sizeof number);
    if (n > size)
        __builtin_trap();
    return 0;
}
