/* static_files.h: the search page's files, compiled into civitas-searchd
 * by cmake/embed_files.cmake from searchd/static/. */
#ifndef CIV_STATIC_FILES_H
#define CIV_STATIC_FILES_H

#include <stddef.h>

typedef struct searchd_static_file {
    const char *name; /* "index.html", "app.js" ... */
    const unsigned char *data;
    size_t len;
} searchd_static_file;

extern const searchd_static_file searchd_static_files[];
extern const size_t searchd_static_files_count;

#endif /* CIV_STATIC_FILES_H */
