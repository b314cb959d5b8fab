/* civ_extract.c: pick the extractor for a file and run it on its bytes.
 *
 * The file is read here, once, under the size cap (its size is checked with
 * stat before a byte is read, and the read stops at the cap if the file
 * grows meanwhile), so the per-format extractors only ever see memory.
 * Detection trusts content over names: %PDF magic, an XML declaration,
 * an HTML doctype or <html> root win over any extension; a bare root
 * element is XML unless the name says plain text (.txt, .text, .md).
 * Plain text needs such a name, or no extension and valid UTF-8.
 *
 * Statuses: a missing or unreadable path is CIV_ERR_IO (with the system's
 * reason in the message), as civ_extract.h promises; CIV_ERR_NOTFOUND is
 * kept for index records.
 */
#include "civ_extract.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "civ_extract_html.h"
#include "civ_extract_pdf.h"
#include "civ_extract_text.h"
#include "civ_extract_xml.h"
#include "civ_unmeta.h"

static int starts_with(const unsigned char *p, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(p, prefix, n) == 0;
}

static int starts_with_ci(const unsigned char *p, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && g_ascii_strncasecmp((const char *)p, prefix, n) == 0;
}

static int is_gzip(const unsigned char *head, size_t len)
{
    return len >= 2 && head[0] == 0x1f && head[1] == 0x8b;
}

/* The extension of path's last component, lower-cased into ext (empty when
 * there is none). */
static void extension(const char *path, char *ext, size_t size)
{
    ext[0] = '\0';
    if (!path)
        return;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return;
    g_strlcpy(ext, dot + 1, size);
    for (char *c = ext; *c; c++)
        *c = g_ascii_tolower(*c);
}

static const unsigned char *skip_space(const unsigned char *p, const unsigned char *end)
{
    while (p < end && g_ascii_isspace(*p))
        p++;
    return p;
}

/* Skip past the first occurrence of token in [p, end), or return end. */
static const unsigned char *skip_past(const unsigned char *p, const unsigned char *end,
                                      const char *token)
{
    size_t n = strlen(token);
    for (; p + n <= end; p++)
        if (memcmp(p, token, n) == 0)
            return p + n;
    return end;
}

typedef enum markup { MARKUP_NONE, MARKUP_XML, MARKUP_ROOT, MARKUP_HTML } markup;

/* Look through the prolog (BOM, XML declaration, comments, PIs, doctype)
 * for what kind of markup the head starts with. MARKUP_XML: an XML
 * declaration and no HTML root; MARKUP_ROOT: a bare root element. */
static markup sniff_markup(const unsigned char *head, size_t len)
{
    const unsigned char *p = head, *end = head + len;
    int declared = 0, prolog = 0;
    if (starts_with(p, len, "\xEF\xBB\xBF"))
        p += 3;
    for (;;) {
        p = skip_space(p, end);
        size_t left = (size_t)(end - p);
        if (left >= 2 && p[0] == '<' && (p[1] == '?' || p[1] == '!'))
            prolog = 1;
        if (starts_with(p, left, "<?xml")) {
            declared = 1;
            p = skip_past(p, end, "?>");
        } else if (starts_with(p, left, "<?")) {
            p = skip_past(p, end, "?>");
        } else if (starts_with(p, left, "<!--")) {
            p = skip_past(p + 4, end, "-->");
        } else if (starts_with_ci(p, left, "<!DOCTYPE")) {
            const unsigned char *q = skip_space(p + 9, end);
            if (starts_with_ci(q, (size_t)(end - q), "html"))
                return MARKUP_HTML;
            /* An internal subset ends with "]>". */
            const unsigned char *gt = memchr(p, '>', left);
            const unsigned char *br = memchr(p, '[', left);
            p = (br && (!gt || br < gt)) ? skip_past(br, end, "]>") : (gt ? gt + 1 : end);
        } else if (left >= 2 && p[0] == '<' && (g_ascii_isalpha(p[1]) || p[1] == '_')) {
            /* <html>, or a page that starts straight with <head>/<body>. */
            static const char *const roots[] = {"<html", "<head", "<body"};
            for (size_t i = 0; i < G_N_ELEMENTS(roots); i++)
                if (starts_with_ci(p, left, roots[i]) && (left == 5 || !g_ascii_isalnum(p[5])))
                    return MARKUP_HTML;
            return declared ? MARKUP_XML : MARKUP_ROOT;
        } else {
            /* Out of head bytes inside a long prolog (a big internal
             * subset), or not markup at all. */
            if (declared)
                return MARKUP_XML;
            return prolog && p >= end ? MARKUP_ROOT : MARKUP_NONE;
        }
    }
}

/* Valid UTF-8 without NUL, allowing the head to end inside a character. */
static int looks_like_text(const unsigned char *head, size_t len)
{
    const char *end = NULL;
    if (g_utf8_validate((const char *)head, (gssize)len, &end))
        return 1;
    size_t at = (size_t)((const unsigned char *)end - head);
    if (head[at] == 0 || len - at >= 4)
        return 0;
    /* A cut sequence: its lead byte announces more bytes than are left. */
    unsigned char c = head[at];
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (!need || len - at >= need)
        return 0;
    for (size_t i = at + 1; i < len; i++)
        if ((head[i] & 0xC0) != 0x80)
            return 0;
    return 1;
}

/* The format a file name's extension (lower case) names, or
 * CIV_FORMAT_UNKNOWN. Detection trusts content first (civ_extract_detect). */
static civ_format named_format(const char *ext)
{
    static const struct {
        const char *ext;
        civ_format format;
    } names[] = {
        {"pdf", CIV_FORMAT_PDF},   {"xml", CIV_FORMAT_XML},   {"akn", CIV_FORMAT_XML},
        {"html", CIV_FORMAT_HTML}, {"htm", CIV_FORMAT_HTML},  {"xhtml", CIV_FORMAT_HTML},
        {"txt", CIV_FORMAT_TEXT},  {"text", CIV_FORMAT_TEXT}, {"md", CIV_FORMAT_TEXT},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (!strcmp(ext, names[i].ext))
            return names[i].format;
    return CIV_FORMAT_UNKNOWN;
}

/* Whether path's extension names a format Civitas reads. */
static int document_name(const char *path)
{
    char ext[16];
    extension(path, ext, sizeof ext);
    return named_format(ext) != CIV_FORMAT_UNKNOWN;
}

civ_format civ_extract_detect(const char *path, const unsigned char *head, size_t head_len)
{
    char ext[16];
    extension(path, ext, sizeof ext);
    civ_format named = named_format(ext);
    if (!head)
        head_len = 0;
    if (starts_with(head, head_len, "%PDF-"))
        return CIV_FORMAT_PDF;
    /* A file named .pdf may have bytes before its header (a line break, a
     * mail header left by a download): PDF readers, poppler too, look
     * for it in the first 1024 bytes. */
    if (named == CIV_FORMAT_PDF)
        for (size_t i = 1; i + 5 <= MIN(head_len, 1024); i++)
            if (starts_with(head + i, head_len - i, "%PDF-"))
                return CIV_FORMAT_PDF;
    if (is_gzip(head, head_len))
        return CIV_FORMAT_UNKNOWN;

    int text_name = named == CIV_FORMAT_TEXT;
    markup m = sniff_markup(head, head_len);
    if (m == MARKUP_HTML)
        return CIV_FORMAT_HTML;
    if (m == MARKUP_XML)
        return CIV_FORMAT_XML;
    if (named == CIV_FORMAT_HTML)
        return looks_like_text(head, head_len) || m != MARKUP_NONE ? CIV_FORMAT_HTML
                                                                   : CIV_FORMAT_UNKNOWN;
    if (m == MARKUP_ROOT && !text_name)
        return CIV_FORMAT_XML;
    /* A text name is trusted even with bad bytes, so that the text
     * extractor reports the offending byte; without a name the bytes
     * must look like text. */
    if (text_name || (!ext[0] && looks_like_text(head, head_len)))
        return CIV_FORMAT_TEXT;
    return CIV_FORMAT_UNKNOWN;
}

/* Read path into a malloc'd buffer of at most max bytes. */
static civ_status read_file(const char *path, size_t max, char **data, size_t *len, civ_err *err)
{
    struct stat sb;
    civ_status st = CIV_OK;
    FILE *f = NULL;
    char *buf = NULL;

    *data = NULL;
    *len = 0;
    if (stat(path, &sb) != 0)
        return civ_err_set(err, CIV_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return civ_err_set(err, CIV_ERR_UNSUPPORTED, "%s is not a regular file", path);
    if ((unsigned long long)sb.st_size > (unsigned long long)max)
        return civ_err_set(err, CIV_ERR_TOOLARGE, "file of %lld bytes exceeds the cap of %zu",
                           (long long)sb.st_size, max);
    f = fopen(path, "rb");
    if (!f)
        return civ_err_set(err, CIV_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    /* One byte more than stat said, to notice a file that grew. */
    size_t cap = (size_t)sb.st_size + 1, n = 0;
    buf = malloc(cap + 1);
    if (!buf) {
        st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (;;) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        if (n > max) {
            st = civ_err_set(err, CIV_ERR_TOOLARGE, "file exceeds the cap of %zu bytes", max);
            goto out;
        }
        size_t bigger = cap * 2 > max + 1 ? max + 1 : cap * 2;
        char *grown = realloc(buf, bigger + 1);
        if (!grown) {
            st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
            goto out;
        }
        buf = grown;
        cap = bigger;
    }
    if (ferror(f)) {
        st = civ_err_set(err, CIV_ERR_IO, "cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    buf = NULL;
out:
    free(buf);
    if (f)
        fclose(f);
    return st;
}

/* A document without a title of its own is shown under its file name. */
static void default_title(civ_document *doc, const char *name)
{
    if (doc->title || !name)
        return;
    char *base = g_path_get_basename(name);
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = '\0';
    if (g_utf8_validate(base, -1, NULL)) {
        civ_document_set(doc, &doc->title, base);
        doc->title_from_name = 1;
    }
    g_free(base);
}

civ_status civ_extract_read(const char *path, const civ_extract_limits *limits, char **data,
                            size_t *len, civ_err *err)
{
    size_t max_file =
        limits && limits->max_file_bytes ? limits->max_file_bytes : CIV_DEFAULT_MAX_FILE_BYTES;
    *data = NULL;
    *len = 0;
    return read_file(path, max_file, data, len, err);
}

civ_status civ_extract_bytes(const char *name, const char *data, size_t len,
                             const civ_extract_limits *limits, civ_document **out, civ_err *err)
{
    size_t max_text =
        limits && limits->max_text_bytes ? limits->max_text_bytes : CIV_DEFAULT_MAX_TEXT_BYTES;
    civ_status st;

    *out = NULL;
    civ_err_clear(err);
    const unsigned char *head = (const unsigned char *)data;
    if (is_gzip(head, len))
        return civ_err_set(err, CIV_ERR_UNSUPPORTED, "compressed file");
    civ_format format = civ_extract_detect(name, head, len < 4096 ? len : 4096);
    /* An empty file named as a document (a failed download, a file not
     * yet written) has no text, whatever its name says it is. */
    if (len == 0 && (format != CIV_FORMAT_UNKNOWN || document_name(name)))
        return civ_err_set(err, CIV_ERR_NOTEXT, "empty file");
    switch (format) {
    case CIV_FORMAT_PDF:
        st = civ_extract_pdf(data, len, max_text, out, err);
        break;
    case CIV_FORMAT_XML:
        st = civ_extract_xml(data, len, max_text, out, err);
        break;
    case CIV_FORMAT_HTML:
        st = civ_extract_html(data, len, max_text, out, err);
        break;
    case CIV_FORMAT_TEXT:
        st = civ_extract_text(data, len, max_text, out, err);
        break;
    default:
        st = civ_err_set(err, CIV_ERR_UNSUPPORTED, "not a PDF, XML, HTML or text file");
        break;
    }
    if (st == CIV_OK)
        civ_unmeta_apply(*out, name, data, len);
    if (st == CIV_OK)
        default_title(*out, name);
    return st;
}

civ_status civ_extract_file(const char *path, const civ_extract_limits *limits, civ_document **out,
                            civ_err *err)
{
    char *data = NULL;
    size_t len = 0;

    *out = NULL;
    civ_err_clear(err);
    civ_status st = civ_extract_read(path, limits, &data, &len, err);
    if (st == CIV_OK)
        st = civ_extract_bytes(path, data, len, limits, out, err);
    free(data);
    return st;
}
