/* civ_lang.h: languages: codes, stemmers, stopwords and identification.
 *
 * Civitas names languages by ISO 639-1 code ("en", "fr", "zh"). The
 * stopword lists in stopwords/ are compiled into the library, so the
 * programs need no data path at run time.
 */
#ifndef CIV_LANG_H
#define CIV_LANG_H

#include <stddef.h>

#include "civ_document.h"
#include "civ_xapian.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Normalise a language tag from metadata to an ISO 639-1 code: "eng",
 * "en-US", "EN" -> "en"; "cmn", "zh-Hans", "chi", "zho" -> "zh"; "arb",
 * "ara" -> "ar"; "spa" -> "es"; "fra", "fre" -> "fr"; "rus" -> "ru" and so on
 * for the languages Xapian stems; names in English ("French") or in the
 * language itself ("français", "Español", "русский", "中文", "العربية").
 * Writes into out (at least 8 bytes) and
 * returns out, or returns NULL when the tag is empty or unrecognisable. */
const char *civ_lang_normalise(const char *tag, char *out, size_t out_size);

/* The table of languages Civitas indexes, for civ_xapian_writer_open and
 * civ_xapian_reader_open: stemmer name, stopwords and CJK flag per code.
 * Static; valid for the life of the program. */
const civ_xapian_lang *civ_lang_table(size_t *n);

/* The table entry for code, or NULL. */
const civ_xapian_lang *civ_lang_find(const char *code);

/* Identify the language of text[0..len) (UTF-8) with libexttextcat.
 * Returns an ISO 639-1 code (static string) or NULL when unsure or the text
 * is too short. Thread-safe. */
const char *civ_lang_identify(const char *text, size_t len);

/* The language to parse query text q in, when the request names none: of
 * the languages held[0..n_held) (the index's), the one written in the
 * script of most of q's letters, when only one is; else for Arabic,
 * Cyrillic, Han, kana, Hangul, Greek, Hebrew and Armenian letters that
 * script's language; else the language libexttextcat identifies, when it
 * is sure, asked about only the languages held written in q's script (all
 * its languages, when held is empty); else "en".
 * *identified is 1 when the answer is libexttextcat's, -1 when
 * libexttextcat was asked and was not sure (the "en" is a default), else
 * 0. Static string.
 * Thread-safe. */
const char *civ_lang_of_query(const char *q, const char *const *held, size_t n_held,
                              int *identified);

/* When doc carries no language of its own (metadata), identify it from
 * the text of its first passages (about 4 KiB) and set doc->lang; leave it
 * NULL when unsure. Then, when a sample of long passages shows the document
 * is mixed, identify each passage and set passage->lang where it differs
 * from the document's, so that each is stemmed in its own language. The
 * one place this is decided, so that every way of extracting a file gives
 * the same answer. Thread-safe. */
void civ_lang_identify_document(civ_document *doc);

#ifdef __cplusplus
}
#endif

#endif /* CIV_LANG_H */
