/* civ_snippet.h: the highlighted excerpt shown with each passage a search
 * returns.
 *
 * A snippet is at most about max_chars characters of the passage, chosen
 * where the query's words are densest (each word's weight counts in full
 * once, then half as much each time it comes back), widened to the start
 * of a sentence when one is near, HTML-escaped, with the matched words in
 * <mark>...</mark> and "…" where text was cut. Runs of white space become
 * one space; bytes that are not UTF-8 become U+FFFD.
 *
 * Words are found as the indexer's term generator finds them: letters,
 * marks, digits and '_'; an apostrophe, '&' or middle dot between two
 * word characters, '.' ',' or ';' between two digits, and up to three
 * trailing '+' or '#' ("C++") stay inside a word; "U.N." is the word "un";
 * zero-width spaces and joiners are skipped. A word matches a query term
 * when its lower-case form is the term, or its stem is a stemmed ("Z")
 * term. A phrase's words are marked only where the whole phrase is.
 *
 * The module does no Xapian work: the stemmer is a callback, and
 * civ_xapian.cc describes the query to it (civ_xapian_results_snippet). It
 * replaces Xapian's MSet::snippet for every query but CJK n-gram and
 * wildcard queries, at about half the cost (docs/DESIGN-NOTES.md): a
 * request shows ten to thirty passages, and making their snippets was the
 * largest part of it.
 */
#ifndef CIV_SNIPPET_H
#define CIV_SNIPPET_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The stem of word (a lower-case term, len bytes): a pointer to stem_len
 * bytes valid until the next call, or NULL when stemming failed. */
typedef const char *(*civ_snippet_stem_fn)(void *ctx, const char *word, size_t len,
                                           size_t *stem_len);

typedef struct civ_snippet_query civ_snippet_query;

/* A query description for snippets. stem may be NULL (no stemmed terms
 * will match); elision: split French elisions ("l'éducation" is the words
 * "l" and "éducation"), as the indexer does. NULL when out of memory. */
civ_snippet_query *civ_snippet_query_new(civ_snippet_stem_fn stem, void *stem_ctx, int elision);
void civ_snippet_query_free(civ_snippet_query *q);

/* Tell q that its stemmer never changes a word's first byte, as
 * Snowball's English stemmer does not (it rewrites endings only, and a
 * term never begins with an apostrophe): a word is then stemmed only when
 * a stemmed term begins with the word's first byte, which for most words
 * of a passage none does. */
void civ_snippet_query_stems_keep_first_byte(civ_snippet_query *q);

/* A term matched anywhere: "word" (lower case, matched as is) or "Zstem"
 * (matched by stem). Terms with any other prefix never match text and
 * are ignored. weight <= 0 counts as 1. Returns 0, or -1 out of memory. */
int civ_snippet_query_add_term(civ_snippet_query *q, const char *term, double weight);

/* Words matched only in this order, next to each other. Returns 0, or -1
 * out of memory. */
int civ_snippet_query_add_phrase(civ_snippet_query *q, const char *const *terms, size_t n,
                                 double weight);

/* The snippet of text (len bytes of UTF-8), malloc'd, or NULL when out of
 * memory. */
char *civ_snippet_make(const civ_snippet_query *q, const char *text, size_t len, size_t max_chars);

/* Whether word (len bytes) is an elided French article or pronoun that an
 * apostrophe joins to the next word: "l", "d", "qu", "jusqu" ... in any
 * case. */
int civ_snippet_elided(const char *word, size_t len);

#ifdef __cplusplus
}
#endif

#endif
