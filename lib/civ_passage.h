/* civ_passage.h: split running text into passages (paragraphs).
 *
 * Used for PDF page text and plain text. A passage ends at a blank line, or
 * where a new printed paragraph number starts a line ("12.", "(a)", "iv)",
 * "Article 3"); UN PDFs often print the number alone on its own line before
 * the paragraph, and it is attached to the paragraph that follows. The
 * printed number is kept in the passage's paragraph field, not its text.
 */
#ifndef CIV_PASSAGE_H
#define CIV_PASSAGE_H

#include <stddef.h>
#include <stdint.h>

#include "civ_document.h"
#include "civ_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Split text[0..len) (UTF-8, lines separated by \n) into passages appended
 * to doc with the given page (0 when none).
 * Returns CIV_OK, CIV_ERR_TOOLARGE (passage cap), CIV_ERR_NOMEM. */
civ_status civ_passage_split(civ_document *doc, const char *text, size_t len, int page,
                             civ_err *err);

/* Whether Unicode character c is written without spaces between words:
 * Han ideographs, kana, and the CJK punctuation and enclosed numbers
 * ("。", "㈠") around them. Text that spaces them apart, or breaks a line
 * between two, is one run: Xapian's n-grams for Chinese need the
 * characters side by side. */
int civ_passage_unspaced_char(uint32_t c);

/* Decide each hyphen that ended a line before a word's continuation, once
 * all of doc's passages are split: "non-" + "governmental" keeps it,
 * "educa-" + "tion" drops it. The document's own words decide (the form
 * it writes elsewhere, hyphenated or not); when it writes neither, the
 * hyphen is kept unless what follows is a word ending ("tion", "ment").
 * UN documents are not hyphenated by their typesetting, so nearly every
 * hyphen at a line end in them is part of the word. Extractors that split
 * with civ_passage_split call this before handing the document on. */
void civ_passage_line_hyphens(civ_document *doc);

/* If line[0..len) starts with a printed paragraph number, return the number
 * of bytes it spans (including a following space) and copy the number as
 * printed, without the trailing period ("12", "(a)", "Article 3") into
 * out[0..out_size). Returns 0 when the line starts with none. */
size_t civ_passage_number(const char *line, size_t len, char *out, size_t out_size);

/* The number an item label of a passage about to be added to doc under
 * heading (or NULL) is cited by, in out: "(a)" under paragraph 3 is
 * "3 (a)", and "(ii)" under that "3 (a) (ii)", as UN documents cite them
 * ("para. 3 (a)"). The paragraph is the last numbered passage of doc
 * under the same heading, with at most 20 unnumbered ones between;
 * without one, or for any other label, out is label. A lower-case roman
 * numeral is a sub-item unless it is the next letter of the list ("(i)"
 * after "(h)", "(c)" after "(b)"). */
void civ_passage_nested_number(const civ_document *doc, const char *heading, const char *label,
                               char *out, size_t out_size);

#ifdef __cplusplus
}
#endif

#endif /* CIV_PASSAGE_H */
