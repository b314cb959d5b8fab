/* libFuzzer harness: the XML and HTML extractors on arbitrary bytes.
 * Whatever the bytes, extraction returns a status, never crashes, leaks or
 * reads outside its input, and a document it returns is well formed. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "civ_document.h"
#include "civ_extract_html.h"
#include "civ_extract_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(civ_status st, civ_document *doc)
{
    if (st != CIV_OK) {
        if (doc)
            __builtin_trap(); /* failure must leave *out NULL */
        return;
    }
    for (size_t i = 0; i < doc->n_passages; i++) {
        const civ_passage *p = &doc->passages[i];
        if (!p->text[0] || !g_utf8_validate(p->text, -1, NULL) || p->ordinal != (int)i + 1)
            __builtin_trap();
    }
    civ_document_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    civ_document *doc = NULL;
    civ_err err;
    check(civ_extract_xml((const char *)data, size, 1 << 20, &doc, &err), doc);
    doc = NULL;
    check(civ_extract_html((const char *)data, size, 1 << 20, &doc, &err), doc);
    return 0;
}
