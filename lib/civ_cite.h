/* civ_cite.h: citation strings for passages, as the UN cites them.
 *
 * A passage is cited by its document's symbol when it has one, otherwise by
 * the document's title, then by the printed paragraph number and the page:
 *
 *   A/HRC/14/37, para. 12 (p. 5)      symbol, numbered paragraph, page
 *   A/HRC/14/37, p. 5                 symbol, unnumbered text, page
 *   Universal Declaration of Human Rights, Article 3
 *   Sub-council By-law, para. (a)
 *
 * A numbered paragraph ("12", "12.", "(a)", "iv") gets "para. "; a
 * paragraph label that is a word ("Article 3", "Preamble") is cited as
 * printed.
 */
#ifndef CIV_CITE_H
#define CIV_CITE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a citation is built from; any string may be NULL or "". */
typedef struct civ_cite_source {
    const char *symbol;    /* "A/HRC/14/37" */
    const char *title;     /* used when there is no symbol */
    const char *paragraph; /* printed number or label: "12", "(a)", "Article 3" */
    int page;              /* 1-based page, 0 when the format has no pages */
} civ_cite_source;

/* Longest citation returned, in bytes; longer titles are cut on a
 * character boundary and end with an ellipsis. */
#define CIV_CITE_MAX 512

/* The citation string for src, malloc'd (the caller frees it), or NULL
 * when out of memory. A source with neither symbol nor title is cited as
 * "Untitled document". */
char *civ_cite_format(const civ_cite_source *src);

#ifdef __cplusplus
}
#endif

#endif /* CIV_CITE_H */
