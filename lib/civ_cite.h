/* civ_cite.h: citations of passages: the UN's pinpoint form, Bluebook and
 * OSCOLA strings, and CSL-JSON, RIS and BibTeX exports.
 *
 * The UN form (civ_cite_format) cites a passage by its document's symbol
 * when it has one, otherwise by the document's title, then by the printed
 * paragraph number and the page:
 *
 *   A/HRC/14/37, para. 12 (p. 5)      symbol, numbered paragraph, page
 *   A/HRC/14/37, p. 5                 symbol, unnumbered text, page
 *   Universal Declaration of Human Rights, Article 3
 *   A/HRC/59/15, para. 3 (a) (p. 2)   an item under paragraph 3
 *   Sub-Council By-law, s. 5(1)(a)     a section of an act
 *
 * A numbered paragraph ("12", "12.", "3 (a)", "(a)", "iv") gets "para. ",
 * or "s. " in an act or bill (kind "act", "bill"); a paragraph label that
 * is a word ("Article 3", "Preamble") is cited as printed. The Bluebook and OSCOLA forms
 * (civ_cite_style) follow the rules docs/API.md lists (Bluebook rule 21.7, OSCOLA's United Nations
 * documents). The exports describe the passage's document with the
 * paragraph or page as the locator.
 *
 * Pure string work on UTF-8 input; nothing here touches the index. Every
 * string a source contributes is capped, so a hostile title cannot make a
 * citation arbitrarily large, and the exports cannot be broken out of: RIS
 * values are one line, BibTeX values have no unbalanced brace.
 */
#ifndef CIV_CITE_H
#define CIV_CITE_H

#include <jansson.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a citation is built from; any string may be NULL or "". The first
 * four fields are all the UN form needs. */
typedef struct civ_cite_source {
    const char *symbol;    /* "A/HRC/14/37" */
    const char *title;     /* used when there is no symbol */
    const char *paragraph; /* number or label: "12", "3 (a)", "5(1)(a)", "Article 3" */
    int page;              /* 1-based page, 0 when the format has no pages */
    const char *body;      /* issuing body code as indexed: "HRC", "GA", "SC" ... */
    const char *kind;      /* document kind as indexed: "report", "resolution" ... */
    const char *date;      /* ISO 8601: "2025-03-24", "2025-03" or "2025" */
    const char *language;  /* ISO 639-1 */
    const char *url;       /* where the original is (absolute or relative) */
    const char *id;        /* passage id, for export record ids and keys */
} civ_cite_source;

/* Longest citation string returned, in bytes; longer titles are cut on a
 * character boundary and end with an ellipsis. */
#define CIV_CITE_MAX 512

/* The UN citation string for src, malloc'd (the caller frees it), or NULL
 * when out of memory. A source with neither symbol nor title is cited as
 * "Untitled document". */
char *civ_cite_format(const civ_cite_source *src);

typedef enum civ_cite_style {
    CIV_CITE_UN = 0,   /* civ_cite_format */
    CIV_CITE_BLUEBOOK, /* Human Rights Council, <title>, ¶ 12, U.N. Doc. A/HRC/59/15 (Mar. 24, 2025)
                        */
    CIV_CITE_OSCOLA    /* UNHRC '<title>' (24 March 2025) UN Doc A/HRC/59/15, para 12 */
} civ_cite_style;

/* src cited in style, as civ_cite_format (malloc'd, at most CIV_CITE_MAX
 * bytes, NULL when out of memory). Titles are plain text: the italics the
 * styles want are the caller's to add. */
char *civ_cite_style_format(const civ_cite_source *src, civ_cite_style style);

/* src as one CSL-JSON item (an object; a CSL-JSON file is an array of
 * them), or NULL when out of memory. The caller owns the reference. */
json_t *civ_cite_csl_item(const civ_cite_source *src);

/* The n sources as one RIS file (a record per source, lines ending in CRLF)
 * or one BibTeX file (an entry per source, separated by blank lines);
 * malloc'd, with its length in *len; NULL when out of memory. */
char *civ_cite_ris(const civ_cite_source *srcs, size_t n, size_t *len);
char *civ_cite_bibtex(const civ_cite_source *srcs, size_t n, size_t *len);

/* The full name of an issuing body code ("HRC" -> "Human Rights Council"),
 * the code itself when it is not a UN body Civitas knows, NULL for NULL.
 * Static or borrowed from body. */
const char *civ_cite_body_name(const char *body);

#ifdef __cplusplus
}
#endif

#endif /* CIV_CITE_H */
