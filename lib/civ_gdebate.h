/* civ_gdebate.h: statements in the General Assembly's general debate, as
 * the UN General Debate Corpus names its files.
 *
 * The corpus (Jankin, Baturo and Dasandi) holds one plain-text file per
 * statement, named COUNTRY_SESSION_YEAR: "CRI_70_2015.txt" is Costa Rica's
 * statement in the general debate of the 70th session, in 2015. The text
 * itself starts with the speech ("Mr. President, ..."), so the file name is
 * all there is to say who spoke and when. A name is read only when its
 * year is the session's (the first session met in 1946) and its code is a
 * member state, an observer, a former member ("YUG", "DDR", "CSK", "YMD")
 * or the European Union ("EU"), so other files named like it are left
 * alone.
 */
#ifndef CIV_GDEBATE_H
#define CIV_GDEBATE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct civ_gdebate {
    char code[4];        /* "CRI", "EU" */
    const char *speaker; /* the country's name in that year: "Costa Rica" */
    int session;         /* 70 */
    int year;            /* 2015 */
} civ_gdebate;

/* Read path's file name ("…/CRI_70_2015.txt", also with a prefix before an
 * underscore: "UNGDC_CRI_70_2015.txt") into *out. 1 when it names a
 * general debate statement, else 0. */
int civ_gdebate_from_filename(const char *path, civ_gdebate *out);

/* The statement's title, "Costa Rica, General Debate of the 70th session of
 * the General Assembly", into out[0..size). */
void civ_gdebate_title(const civ_gdebate *g, char *out, size_t size);

#ifdef __cplusplus
}
#endif

#endif
