/* libFuzzer harness: a request target as the daemon decodes it.
 *
 * The bytes are a raw request target ("/api/search?q=...&lang=..."):
 * civ_params_parse splits and percent-decodes it exactly as
 * civitas-searchd does, every parameter goes through
 * civ_search_request_set, and the request is run by civ_search_run on a
 * tiny index built once: the query parser, the complexity caps, wildcard
 * expansion, filters and the deadline. Whatever the bytes, decoding gives
 * OK or INPUT, a search gives OK, INPUT or TOOLARGE (never a Xapian error
 * or an internal one: those would be a 500), and nothing crashes, leaks
 * or hangs (libFuzzer's -timeout). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "civ_params.h"
#include "civ_search.h"
#include "fuzz_index.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static civ_xapian_reader *reader;
static civ_search_limits limits;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    reader = fuzz_index_open();
    civ_search_limits_default(&limits);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    civ_params *p = NULL;
    civ_err err;
    civ_status st = civ_params_parse((const char *)data, size, &p, &err);
    if (st != CIV_OK) {
        if (p || st != CIV_ERR_INPUT)
            __builtin_trap();
        return 0;
    }
    if (p->path_len != strlen(p->path) || p->n > CIV_PARAMS_MAX)
        __builtin_trap();
    civ_search_request req;
    civ_search_request_init(&req);
    for (size_t i = 0; i < p->n && st == CIV_OK; i++) {
        const civ_param *pr = &p->params[i];
        if (pr->name[pr->name_len] != '\0' || pr->value[pr->value_len] != '\0')
            __builtin_trap();
        st = civ_search_request_set(&req, &limits, pr->name, pr->name_len, pr->value, pr->value_len,
                                    &err);
        if (st != CIV_OK && st != CIV_ERR_INPUT && st != CIV_ERR_TOOLARGE)
            __builtin_trap();
    }
    if (st == CIV_OK) {
        civ_search_results *res = NULL;
        st = civ_search_run(reader, &req, &limits, &res, &err);
        if (st != CIV_OK && st != CIV_ERR_INPUT) {
            fprintf(stderr, "civ_search_run: %d %s\n", (int)st, err.msg);
            __builtin_trap();
        }
        if ((st == CIV_OK) != (res != NULL))
            __builtin_trap();
        civ_search_results_free(res);
    }
    civ_search_request_clear(&req);
    civ_params_free(p);
    return 0;
}
