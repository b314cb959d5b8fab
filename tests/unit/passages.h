/* passages.h: looking up passages of an extracted document, for the
 * extractor unit tests. */
#ifndef CIV_TEST_PASSAGES_H
#define CIV_TEST_PASSAGES_H

#include <stddef.h>
#include <string.h>

#include "civ_document.h"

/* The first passage with this printed paragraph number (any when NULL)
 * whose text contains needle (any when NULL), or NULL. */
static inline const civ_passage *find_passage(const civ_document *doc, const char *paragraph,
                                              const char *needle)
{
    for (size_t i = 0; i < doc->n_passages; i++) {
        const civ_passage *p = &doc->passages[i];
        if (paragraph && (!p->paragraph || strcmp(p->paragraph, paragraph) != 0))
            continue;
        if (needle && !strstr(p->text, needle))
            continue;
        return p;
    }
    return NULL;
}

static inline int any_passage_contains(const civ_document *doc, const char *needle)
{
    return find_passage(doc, NULL, needle) != NULL;
}

#endif /* CIV_TEST_PASSAGES_H */
