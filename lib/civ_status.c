/* civ_status.c: the error record helpers every module uses. */
#include "civ_status.h"

#include <stdio.h>
#include <string.h>

civ_status civ_err_set(civ_err *err, civ_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

void civ_err_clear(civ_err *err)
{
    if (err) {
        err->code = CIV_OK;
        err->msg[0] = '\0';
    }
}

const char *civ_status_name(civ_status code)
{
    switch (code) {
    case CIV_OK:
        return "ok";
    case CIV_ERR_INPUT:
        return "damaged";
    case CIV_ERR_ENCRYPTED:
        return "encrypted";
    case CIV_ERR_NOTEXT:
        return "no text";
    case CIV_ERR_TOOLARGE:
        return "too large";
    case CIV_ERR_UNSUPPORTED:
        return "unsupported";
    case CIV_ERR_NOTFOUND:
        return "not found";
    case CIV_ERR_LOCKED:
        return "locked";
    case CIV_ERR_MODIFIED:
        return "modified";
    case CIV_ERR_NOMEM:
        return "out of memory";
    case CIV_ERR_IO:
        return "i/o error";
    case CIV_ERR_XAPIAN:
        return "xapian error";
    case CIV_ERR_TIMEOUT:
        return "timeout";
    case CIV_ERR_CRASHED:
        return "crashed";
    case CIV_ERR_INTERNAL:
        return "internal error";
    }
    return "internal error";
}
