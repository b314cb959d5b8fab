/* test_extract.c: format detection (table test) and civ_extract_file on the
 * corpus and on temporary files: size caps, missing files, gzip, unknown
 * types. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "civ_extract.h"

static void detect_table(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        const char *head;
        size_t len; /* 0: strlen(head) */
        civ_format want;
    } rows[] = {
        {"report.pdf", "%PDF-1.7\n%\xE2\xE3", 0, CIV_FORMAT_PDF},
        {"no_extension", "%PDF-1.4", 0, CIV_FORMAT_PDF},
        {"misnamed.txt", "%PDF-1.4", 0, CIV_FORMAT_PDF},
        {"fake.pdf", "Just some text", 0, CIV_FORMAT_UNKNOWN},
        {"download.pdf", "\r\n%PDF-1.4\n", 0, CIV_FORMAT_PDF},
        /* Only a .pdf name lets the header start later: this is text. */
        {"about-pdf.txt", "Files start with %PDF-1.4 here", 0, CIV_FORMAT_TEXT},
        {"udhr.xml", "<?xml version=\"1.0\"?>\n<udhr>", 0, CIV_FORMAT_XML},
        {"bom.xml", "\xEF\xBB\xBF<?xml version=\"1.0\"?><x/>", 0, CIV_FORMAT_XML},
        {"bylaw.akn", "<akomaNtoso xmlns=\"http://www.akomantoso.org/2.0\">", 0, CIV_FORMAT_XML},
        {"data", "<!-- c --><!DOCTYPE r [<!ENTITY a \"b\">]><r>", 0, CIV_FORMAT_XML},
        {"page.dat", "<!DOCTYPE html><html>", 0, CIV_FORMAT_HTML},
        {"page.xml", "<?xml version=\"1.0\"?><!DOCTYPE html PUBLIC \"x\"><html>", 0,
         CIV_FORMAT_HTML},
        {"xhtml", "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">", 0,
         CIV_FORMAT_HTML},
        {"upper", "  <HTML><BODY>", 0, CIV_FORMAT_HTML},
        {"bodyonly", "<body><p>x</p></body>", 0, CIV_FORMAT_HTML},
        {"udhr_x", "<udhr><title>T</title>", 0, CIV_FORMAT_XML},
        {"headers", "<header-list/>", 0, CIV_FORMAT_XML},
        {"fragment.html", "<p>Just a paragraph</p>", 0, CIV_FORMAT_HTML},
        {"PAGE.HTM", "Plain words in a .htm", 0, CIV_FORMAT_HTML},
        {"statement.txt", "Mr. President,\n", 0, CIV_FORMAT_TEXT},
        {"notes.md", "<!-- front matter -->\n# Notes", 0, CIV_FORMAT_TEXT},
        {"README", "Plain \xC3\xA9t\xC3\xA9 text", 0, CIV_FORMAT_TEXT},
        {"cut.txt", "caf\xC3", 0, CIV_FORMAT_TEXT}, /* head ends inside a character */
        /* A text name is trusted so the text extractor can say which byte is bad. */
        {"latin1.txt", "caf\xE9 au lait", 0, CIV_FORMAT_TEXT},
        {"nul.txt", "a\0b", 3, CIV_FORMAT_TEXT},
        {"no_extension_latin1", "caf\xE9 au lait", 0, CIV_FORMAT_UNKNOWN},
        {"program",
         "\x7f"
         "ELF\x02\x01\x01\0",
         8, CIV_FORMAT_UNKNOWN},
        {"archive.txt.gz", "\x1f\x8b\x08\x00", 4, CIV_FORMAT_UNKNOWN},
        {"table.csv", "a,b,c\n", 0, CIV_FORMAT_UNKNOWN},
        {"image.png", "\x89PNG\r\n\x1a\n", 0, CIV_FORMAT_UNKNOWN},
        {"empty.txt", "", 0, CIV_FORMAT_TEXT},
        {"dir.v2/file", "words", 0, CIV_FORMAT_TEXT},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        size_t len = rows[i].len ? rows[i].len : strlen(rows[i].head);
        civ_format got = civ_extract_detect(rows[i].path, (const unsigned char *)rows[i].head, len);
        if (got != rows[i].want)
            print_error("row %zu (%s): got %d want %d\n", i, rows[i].path, got, rows[i].want);
        assert_int_equal(got, rows[i].want);
    }
    assert_int_equal(civ_extract_detect("x.html", NULL, 0), CIV_FORMAT_HTML);
    assert_int_equal(civ_extract_detect(NULL, NULL, 0), CIV_FORMAT_TEXT);
}

static civ_document *extract_corpus(const char *name, civ_status want)
{
    char *path = g_build_filename(CIV_SOURCE_DIR, "corpus", name, NULL);
    civ_document *doc = NULL;
    civ_err err;
    civ_status st = civ_extract_file(path, NULL, &doc, &err);
    g_free(path);
    if (st != want)
        print_error("%s: %s (%s)\n", name, civ_status_name(st), err.msg);
    assert_int_equal(st, want);
    return doc;
}

static void corpus_files(void **state)
{
    (void)state;
    static const struct {
        const char *name, *format;
    } rows[] = {
        {"udhr_fra.xml", "udhr-xml"},
        {"za-cpt_sub-council-bylaw_2016-11-04.akn.xml", "akn"},
        {"akn_oasis_example_ke_Debate_Bungeni_2011-06-10.xml", "akn"},
        {"za-cpt_sub-council-bylaw_2016-11-04.html", "html"},
        {"UNGDC_CRI_70_2015.txt", "text"},
        {"A_HRC_DEC_14_105_g1014611.pdf", "pdf"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        civ_document *doc = extract_corpus(rows[i].name, CIV_OK);
        assert_string_equal(doc->format, rows[i].format);
        assert_true(doc->n_passages > 0);
        civ_document_free(doc);
    }
    civ_document *doc = extract_corpus("udhr_fra.xml", CIV_OK);
    assert_string_equal(doc->lang, "fr");
    civ_document_free(doc);
    /* The catalogue is a .tsv: not a format Civitas indexes. */
    assert_null(extract_corpus("SOURCES.tsv", CIV_ERR_UNSUPPORTED));
}

/* Write bytes to a new temporary file named with suffix; returns its path
 * (g_free) after closing it. */
static char *temp_file(const char *suffix, const char *bytes, size_t len)
{
    char *tmpl = g_strdup_printf("civ-extract-XXXXXX%s", suffix);
    char *path = NULL;
    GError *error = NULL;
    int fd = g_file_open_tmp(tmpl, &path, &error);
    g_free(tmpl);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, len), (ssize_t)len);
    close(fd);
    return path;
}

static void size_cap(void **state)
{
    (void)state;
    const char *text = "Everyone has the right to rest and leisure.\n";
    char *path = temp_file(".txt", text, strlen(text));
    civ_extract_limits limits = {.max_file_bytes = 10, .max_text_bytes = 0};
    civ_document *doc = NULL;
    civ_err err;
    assert_int_equal(civ_extract_file(path, &limits, &doc, &err), CIV_ERR_TOOLARGE);
    assert_null(doc);
    limits.max_file_bytes = strlen(text);
    assert_int_equal(civ_extract_file(path, &limits, &doc, &err), CIV_OK);
    assert_string_equal(doc->passages[0].text, "Everyone has the right to rest and leisure.");
    civ_document_free(doc);
    limits.max_text_bytes = 5;
    assert_int_equal(civ_extract_file(path, &limits, &doc, &err), CIV_ERR_TOOLARGE);
    assert_null(doc);
    g_unlink(path);
    g_free(path);
}

static void unreadable_and_unsupported(void **state)
{
    (void)state;
    civ_document *doc = NULL;
    civ_err err;
    /* A missing file is an I/O error naming the reason. */
    assert_int_equal(civ_extract_file(CIV_SOURCE_DIR "/corpus/no-such-file.pdf", NULL, &doc, &err),
                     CIV_ERR_IO);
    assert_null(doc);
    assert_non_null(strstr(err.msg, "No such file"));
    /* A directory is not a document. */
    assert_int_equal(civ_extract_file(CIV_SOURCE_DIR "/corpus", NULL, &doc, &err),
                     CIV_ERR_UNSUPPORTED);

    char *gz = temp_file(".txt.gz", "\x1f\x8b\x08\x00\x00\x00\x00\x00", 8);
    assert_int_equal(civ_extract_file(gz, NULL, &doc, &err), CIV_ERR_UNSUPPORTED);
    assert_string_equal(err.msg, "compressed file");
    g_unlink(gz);
    g_free(gz);

    char *png = temp_file(".png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    assert_int_equal(civ_extract_file(png, NULL, &doc, &err), CIV_ERR_UNSUPPORTED);
    g_unlink(png);
    g_free(png);

    /* An empty file named as a document has no text, whatever its kind;
     * an empty file of another kind is still not a document. */
    static const char *const empty_docs[] = {"x.pdf", "x.xml", "x.html", "x.txt"};
    for (size_t i = 0; i < G_N_ELEMENTS(empty_docs); i++) {
        assert_int_equal(civ_extract_bytes(empty_docs[i], "", 0, NULL, &doc, &err), CIV_ERR_NOTEXT);
        assert_string_equal(err.msg, "empty file");
    }
    assert_int_equal(civ_extract_bytes("x.csv", "", 0, NULL, &doc, &err), CIV_ERR_UNSUPPORTED);

    char *latin1 = temp_file(".txt", "caf\xE9", 4);
    assert_int_equal(civ_extract_file(latin1, NULL, &doc, &err), CIV_ERR_INPUT);
    assert_string_equal(err.msg, "invalid UTF-8 at byte 3");
    g_unlink(latin1);
    g_free(latin1);

    char *empty = temp_file(".txt", "", 0);
    assert_int_equal(civ_extract_file(empty, NULL, &doc, &err), CIV_ERR_NOTEXT);
    g_unlink(empty);
    g_free(empty);

    /* A .pdf that is not a PDF is not handed to poppler. */
    char *fake = temp_file(".pdf", "<html><p>x</p></html>", 21);
    assert_int_equal(civ_extract_file(fake, NULL, &doc, &err), CIV_OK);
    assert_string_equal(doc->format, "html");
    civ_document_free(doc);
    g_unlink(fake);
    g_free(fake);
}

static void hostile_xml_file(void **state)
{
    (void)state;
    const char *xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "
                      "\"file:///etc/passwd\">]><x>&e;</x>";
    char *path = temp_file(".xml", xxe, strlen(xxe));
    civ_document *doc = NULL;
    civ_err err;
    civ_status st = civ_extract_file(path, NULL, &doc, &err);
    if (st == CIV_OK) {
        for (size_t i = 0; i < doc->n_passages; i++)
            assert_null(strstr(doc->passages[i].text, "root:"));
    }
    civ_document_free(doc);
    g_unlink(path);
    g_free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(detect_table),     cmocka_unit_test(corpus_files),
        cmocka_unit_test(size_cap),         cmocka_unit_test(unreadable_and_unsupported),
        cmocka_unit_test(hostile_xml_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
