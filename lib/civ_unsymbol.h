/* civ_unsymbol.h: United Nations document symbols.
 *
 * A UN document is cited by its symbol: "A/HRC/30/49", "A/HRC/RES/59/25",
 * "S/RES/2768 (2025)", "CCPR/C/121/D/2025/2011", with "/Add.1", "/Corr.1",
 * "/Rev.1" for addenda, corrigenda and revisions. This module recognises
 * symbols (whole strings, running text, Official Document System file
 * names), writes them in one normal form and says what they tell about the
 * document: issuing body, session, kind, number and suffixes.
 *
 * Only series Civitas knows are symbols: the General Assembly (A/, with the
 * Human Rights Council A/HRC/ and the Assembly's committees, commissions
 * and conferences A/AC., A/CN., A/CONF.), the Security Council (S/), ECOSOC
 * (E/, with the Commission on Human Rights E/CN.4/, the Commission on the
 * Status of Women E/CN.6/ and CESCR E/C.12/), the treaty bodies (CCPR,
 * CERD, CEDAW, CAT, CRC, CMW, CRPD, CED), HRI/, the Secretariat's ST/SGB and
 * ST/AI, the Executive Board of UNDP, UNFPA and UNOPS (DP/, DP-FPA/) and
 * the Chief Executives Board (CEB/).
 * Everything else ("N/A", "and/or", "1/2", "M/V Galaxy") is not a symbol.
 *
 * civ_unsymbol is a plain value: fixed-size strings and pointers to static
 * strings, nothing to free.
 */
#ifndef CIV_UNSYMBOL_H
#define CIV_UNSYMBOL_H

#include <stddef.h>

#include "civ_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest normalised symbol (bytes, with the NUL). */
#define CIV_UNSYMBOL_MAX 80
/* At most this many symbols are returned from one text. */
#define CIV_UNSYMBOL_MAX_MATCHES 10000

/* Parse flags. */
enum {
    /* Accept any letter case ("a/hrc/res/59/25", "A/HRC/59/15/ADD.1"), for
     * user queries and file names. Without it the case must be the UN's
     * own, which keeps "and/or" and the like out of running text. */
    CIV_UNSYMBOL_CASELESS = 1
};

typedef struct civ_unsymbol {
    char symbol[CIV_UNSYMBOL_MAX]; /* normal form: "A/HRC/WG.6/48/SVN/3", "S/RES/2768 (2025)" */
    const char *body;  /* static: "GA", "HRC", "SC", "ECOSOC", "CHR", "CSW", "CESCR", "CCPR",
                          "CERD", "CEDAW", "CAT", "CRC", "CMW", "CRPD", "CED", "HRI",
                          "Secretariat", "DP", "CEB" */
    const char *kind;  /* static, lower case, one token: see civ_unsymbol.c's header */
    char session[16];  /* "59", "2025" (sessions named by year), "S-35", or "" */
    char year[8];      /* year the symbol carries ("2025" in S/RES/2768 (2025)), or "" */
    char number[24];   /* the document's number in its series: "25", "L.17", "PV.64",
                          "2025/2011" (communication), "3", or "" */
    char country[4];   /* ISO 3166 alpha-3 code in UPR and treaty-body symbols, or "" */
    char suffixes[32]; /* "/Add.1/Corr.2" as normalised, or "" */
} civ_unsymbol;

/* Parse text[0..len) as one whole symbol. Spaces around '/' are allowed
 * ("A /79/PV.64"), as is a space before a year or session in brackets
 * ("S/RES/2768(2025)" and "S/RES/2768 (2025)" are the same symbol). flags:
 * 0 or CIV_UNSYMBOL_CASELESS. On success fills *out and returns CIV_OK; a
 * string that is not a symbol Civitas knows returns CIV_ERR_INPUT with the
 * reason in err (may be NULL), and *out is zeroed. */
civ_status civ_unsymbol_parse(const char *text, size_t len, int flags, civ_unsymbol *out,
                              civ_err *err);

/* One symbol found in running text. */
typedef struct civ_unsymbol_match {
    size_t start; /* byte offset in the text */
    size_t len;   /* bytes it spans as printed */
    civ_unsymbol symbol;
} civ_unsymbol_match;

/* Every symbol in text[0..len) (UTF-8), in order of appearance, as printed
 * with the UN's own letter case; a symbol glued to other letters or digits
 * ("A/HRC/30/49abc") is not one. *out is a malloc'd array of *n matches
 * (NULL when none; free it with free()); at most CIV_UNSYMBOL_MAX_MATCHES.
 * Returns CIV_OK or CIV_ERR_NOMEM. */
civ_status civ_unsymbol_find(const char *text, size_t len, civ_unsymbol_match **out, size_t *n,
                             civ_err *err);

/* The symbol an Official Document System file name carries:
 * "A_HRC_59_60.en.pdf" -> A/HRC/59/60; "A_HRC_WG.6_48_SVN_3_g2420410.pdf"
 * -> A/HRC/WG.6/48/SVN/3 (the trailing job code is not part of it);
 * "S_RES_2768_2025.en.pdf" -> S/RES/2768 (2025). Directories in name are
 * ignored. Returns CIV_OK or CIV_ERR_INPUT (no symbol in that name). */
civ_status civ_unsymbol_from_filename(const char *name, civ_unsymbol *out, civ_err *err);

/* A resolution or decision cited by number in running text: "resolution
 * 24/2" in a Human Rights Council document is A/HRC/RES/24/2, "resolution
 * 70/1" in a General Assembly document is A/RES/70/1, "resolution 2216
 * (2015)" in a Security Council document is S/RES/2216 (2015).
 * civ_unsymbol_find_references returns what civ_unsymbol_find returns plus
 * such references, resolved for a document of context_body ("HRC", "GA",
 * "SC"; other bodies or NULL: only explicit symbols and "Human Rights
 * Council resolution 5/1", "General Assembly resolution 60/251", "Security
 * Council resolution 2216 (2015)"). Same ownership and statuses as
 * civ_unsymbol_find. */
civ_status civ_unsymbol_find_references(const char *text, size_t len, const char *context_body,
                                        civ_unsymbol_match **out, size_t *n, civ_err *err);

#ifdef __cplusplus
}
#endif

#endif /* CIV_UNSYMBOL_H */
