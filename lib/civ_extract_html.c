/* civ_extract_html.c: HTML into a civ_document with libxml2's HTML parser.
 *
 * The page is walked once, iteratively (parent/next pointers, a depth cap),
 * collecting text into a block buffer. Entering or leaving a block element
 * (p, li, td, div, section ...) ends the current passage, so a div's own
 * text between child blocks is a passage too. Headings h1-h6 are not
 * passages: they set the heading path of the passages that follow (the
 * index adds the heading path to every passage, so heading words still
 * match). Scripts, styles, navigation, forms, page furniture and tables of
 * contents are dropped.
 *
 * Paragraph numbers: HTML rendered from Akoma Ntoso (class="akn-num") gives
 * the number of the enclosing element, and inside a section (class
 * "akn-section", its number printed in its heading: "5. Composition") the
 * numbers from the section down, as the XML extractor cites them:
 * "5(1)(a)". The element of class "akn-act" (bill, debate ...) gives the
 * document's kind. Otherwise a printed number at the start of a passage
 * ("12.", "(a)") is taken by civ_passage_number.
 *
 * Like the XML extractor, text is read only from text and CDATA nodes (never
 * xmlNodeGetContent or xmlGetProp), every buffer is capped, and the total
 * text has the caller's cap.
 */
#include "civ_extract_html.h"

#include <glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <string.h>

#include "civ_lang.h"
#include "civ_xmltree.h"
#include "civ_passage.h"

#define FLUSH_AT (CIV_MAX_PASSAGE_BYTES - 1024)
#define N_LEVELS 6

enum { WALK_DESCEND, WALK_SKIP, WALK_STOP };

typedef struct page {
    civ_document *doc;
    GString *block;                    /* text of the passage being collected */
    char *headings[N_LEVELS];          /* current h1..h6 texts */
    char *nums[CIV_XML_MAX_DEPTH + 1]; /* akn-num printed by the element at depth i */
    unsigned char sections[CIV_XML_MAX_DEPTH + 1]; /* the element at depth i is a section */
    char *first_h1;                    /* title when <title> is empty */
    size_t total;                      /* text bytes collected */
    size_t max_text_bytes;             /* 0: no cap */
    civ_status status;
    civ_err *err;
} page;

static int in_list(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (g_ascii_strcasecmp(name, list[i]) == 0)
            return 1;
    return 0;
}

/* Elements whose content is never document text. */
static int is_dropped(const char *name)
{
    static const char *const names[] = {
        "script",   "style",  "noscript", "template", "nav",    "header", "footer", "aside",
        "form",     "svg",    "math",     "iframe",   "object", "embed",  "button", "select",
        "textarea", "canvas", "head",     "title",    "audio",  "video",  "map"};
    return in_list(name, names, G_N_ELEMENTS(names));
}

/* Elements that start and end a passage. */
static int is_block(const char *name)
{
    static const char *const names[] = {
        "p",          "li",         "dt",    "dd",      "td",     "th",       "caption",
        "figcaption", "blockquote", "pre",   "address", "div",    "section",  "article",
        "main",       "body",       "html",  "ul",      "ol",     "dl",       "table",
        "tr",         "tbody",      "thead", "tfoot",   "figure", "fieldset", "details",
        "summary",    "center",     "hr",    "legend",  "hgroup", "menu",     "dir"};
    return in_list(name, names, G_N_ELEMENTS(names));
}

/* Akoma Ntoso renderings mark blocks with span classes. */
static int is_block_class(const char *token)
{
    static const char *const names[] = {"akn-p",
                                        "akn-listIntroduction",
                                        "akn-listWrapUp",
                                        "akn-intro",
                                        "akn-wrapUp",
                                        "akn-content",
                                        "akn-item",
                                        "akn-blockList",
                                        "akn-paragraph",
                                        "akn-subparagraph",
                                        "akn-subsection",
                                        "akn-section",
                                        "akn-point",
                                        "akn-list",
                                        "akn-crossHeading",
                                        "akn-longTitle",
                                        "akn-preamble",
                                        "akn-preface"};
    return in_list(token, names, G_N_ELEMENTS(names));
}

/* Does the class (or id, role) attribute hold token? */
static int attr_has_token(const xmlNode *n, const char *attr, int (*match)(const char *))
{
    char *v = civ_xml_attr(n, attr, NULL, 1);
    int found = 0;
    if (v) {
        char **tokens = g_strsplit_set(v, " \t\r\n\f", -1);
        for (char **t = tokens; *t && !found; t++)
            found = (*t)[0] && match(*t);
        g_strfreev(tokens);
    }
    g_free(v);
    return found;
}

static int is_toc_token(const char *t)
{
    return g_ascii_strcasecmp(t, "toc") == 0 || g_ascii_strcasecmp(t, "navigation") == 0;
}

static int is_num_token(const char *t)
{
    return strcmp(t, "akn-num") == 0;
}

/* The levels acts are cited from: "s. 5(1)(a)" counts from the section. */
static int is_section_token(const char *t)
{
    return strcmp(t, "akn-section") == 0 || strcmp(t, "akn-article") == 0;
}

/* The Akoma Ntoso document type an element's class names ("akn-act" is an
 * act), or NULL. */
static const char *akn_doctype(const xmlNode *n)
{
    static const char *const types[] = {"act",          "bill",          "debate",
                                        "debateReport", "judgment",      "officialGazette",
                                        "amendment",    "amendmentList", "documentCollection",
                                        "statement",    "portion",       "doc"};
    char *v = civ_xml_attr(n, "class", NULL, 1);
    const char *found = NULL;
    if (v) {
        char **tokens = g_strsplit_set(v, " \t\r\n\f", -1);
        for (char **t = tokens; *t && !found; t++)
            for (size_t i = 0; i < G_N_ELEMENTS(types) && !found; i++)
                if (g_str_has_prefix(*t, "akn-") && strcmp(*t + 4, types[i]) == 0)
                    found = types[i];
        g_strfreev(tokens);
    }
    g_free(v);
    return found;
}

static char *heading_path(const page *pg)
{
    /* The page title heading every passage would only repeat the title. */
    const char *title = pg->doc->title ? pg->doc->title : pg->first_h1;
    GString *s = g_string_new(NULL);
    for (int i = 0; i < N_LEVELS; i++) {
        if (!pg->headings[i] || !pg->headings[i][0] || (title && !strcmp(title, pg->headings[i])))
            continue;
        if (s->len)
            g_string_append(s, " > ");
        g_string_append(s, pg->headings[i]);
    }
    return g_string_free(s, FALSE);
}

/* End the current passage: add it to the document with its number and
 * heading path. */
static civ_status flush(page *pg, int depth)
{
    GString *b = pg->block;
    if (!b->len)
        return CIV_OK;
    const char *end = NULL;
    if (!g_utf8_validate(b->str, (gssize)b->len, &end))
        return civ_err_set(pg->err, CIV_ERR_INPUT, "invalid UTF-8 in HTML text");
    /* Inside a section, the numbers from the section down ("5(1)(a)");
     * elsewhere the nearest. */
    int deepest = MIN(depth, CIV_XML_MAX_DEPTH), section = -1;
    for (int i = deepest; i >= 0 && section < 0; i--)
        if (pg->sections[i])
            section = i;
    char *pinpoint = NULL;
    const char *paragraph = NULL;
    if (section >= 0) {
        const char *levels[CIV_XML_MAX_DEPTH + 1];
        size_t n = 0;
        for (int i = section; i <= deepest; i++)
            if (pg->nums[i])
                levels[n++] = pg->nums[i];
        paragraph = pinpoint = civ_xml_pinpoint(levels, n);
    }
    for (int i = deepest; i >= 0 && !paragraph; i--)
        paragraph = pg->nums[i];
    const char *text = b->str;
    size_t len = b->len;
    while (len && g_ascii_isspace(*text)) {
        text++;
        len--;
    }
    char printed[64], nested[3 * sizeof printed];
    char *heading = heading_path(pg);
    if (!paragraph && len) {
        /* A printed number at the start ("12. The Council ...").
         * civ_passage_number wants one line: give it the first. */
        const char *nl = memchr(text, '\n', len);
        size_t line = nl ? (size_t)(nl - text) : len;
        size_t used = civ_passage_number(text, line, printed, sizeof printed);
        if (used && used < len) {
            civ_passage_nested_number(pg->doc, heading, printed, nested, sizeof nested);
            paragraph = nested;
            text += used;
            len -= used;
        }
    }
    civ_status st = civ_document_add_passage(pg->doc, text, len, paragraph, heading, 0, pg->err);
    g_free(pinpoint);
    g_free(heading);
    g_string_truncate(b, 0);
    return st;
}

static civ_status append_text(page *pg, const char *text, size_t len, int depth)
{
    pg->total += len;
    if (pg->max_text_bytes && pg->total > pg->max_text_bytes)
        return civ_err_set(pg->err, CIV_ERR_TOOLARGE, "text exceeds the cap of %zu bytes",
                           pg->max_text_bytes);
    while (len) {
        size_t room = FLUSH_AT - pg->block->len;
        size_t take = len < room ? len : room;
        while (take < len && take > 0 && ((unsigned char)text[take] & 0xC0) == 0x80)
            take--;
        g_string_append_len(pg->block, text, (gssize)take);
        text += take;
        len -= take;
        if (len || pg->block->len >= FLUSH_AT) {
            civ_status st = flush(pg, depth);
            if (st != CIV_OK)
                return st;
        }
    }
    return CIV_OK;
}

static int heading_level(const char *name)
{
    if ((name[0] == 'h' || name[0] == 'H') && name[1] >= '1' && name[1] <= '6' && !name[2])
        return name[1] - '0';
    return 0;
}

static int enter(page *pg, xmlNode *n, int depth)
{
    const char *name = (const char *)n->name;
    if (is_dropped(name) || attr_has_token(n, "class", is_toc_token) ||
        attr_has_token(n, "id", is_toc_token) || attr_has_token(n, "role", is_toc_token))
        return WALK_SKIP;
    if (g_ascii_strcasecmp(name, "br") == 0) {
        g_string_append_c(pg->block, '\n');
        return WALK_SKIP;
    }
    int level = heading_level(name);
    if (level) {
        if ((pg->status = flush(pg, depth)) != CIV_OK)
            return WALK_STOP;
        char *text = civ_xml_label_text(n, CIV_XML_LABEL_MAX, is_dropped);
        g_free(pg->headings[level - 1]);
        pg->headings[level - 1] = text;
        for (int i = level; i < N_LEVELS; i++) {
            g_free(pg->headings[i]);
            pg->headings[i] = NULL;
        }
        if (level == 1 && !pg->first_h1 && text[0])
            pg->first_h1 = g_strdup(text);
        /* A section's number is printed in its heading: "5. Composition". */
        char number[64];
        if (depth > 0 && pg->sections[depth - 1] && !pg->nums[depth - 1] &&
            civ_passage_number(text, strlen(text), number, sizeof number))
            pg->nums[depth - 1] = g_strdup(number);
        return WALK_SKIP;
    }
    if (attr_has_token(n, "class", is_num_token)) {
        /* The number labels its parent element (at depth - 1). */
        if ((pg->status = flush(pg, depth)) != CIV_OK)
            return WALK_STOP;
        char *num = civ_xml_label_text(n, 64, is_dropped);
        size_t len = strlen(num);
        if (len > 1 && num[len - 1] == '.')
            num[len - 1] = '\0';
        int owner = depth > 0 ? depth - 1 : 0;
        g_free(pg->nums[owner]);
        if (num[0]) {
            pg->nums[owner] = num;
        } else {
            g_free(num);
            pg->nums[owner] = NULL;
        }
        return WALK_SKIP;
    }
    if (is_block(name) || attr_has_token(n, "class", is_block_class)) {
        if ((pg->status = flush(pg, depth)) != CIV_OK)
            return WALK_STOP;
    }
    pg->sections[depth] = attr_has_token(n, "class", is_section_token);
    if (!pg->doc->doctype) {
        const char *type = akn_doctype(n);
        if (type)
            civ_document_set(pg->doc, &pg->doc->doctype, type);
    }
    return WALK_DESCEND;
}

static civ_status leave(page *pg, xmlNode *n, int depth)
{
    civ_status st = CIV_OK;
    if (is_block((const char *)n->name) || attr_has_token(n, "class", is_block_class))
        st = flush(pg, depth);
    /* Numbers printed inside n no longer apply. */
    g_free(pg->nums[depth]);
    pg->nums[depth] = NULL;
    pg->sections[depth] = 0;
    return st;
}

/* Walk the tree below (and including) root without recursion, calling
 * enter on each element and leave when an entered element is done. */
static civ_status walk(page *pg, xmlNode *root)
{
    int depth = 0;
    xmlNode *n = root;
    civ_status st;
    while (n) {
        int action = WALK_SKIP;
        if (n->type == XML_ELEMENT_NODE) {
            if (depth >= CIV_XML_MAX_DEPTH)
                return civ_err_set(pg->err, CIV_ERR_INPUT, "nesting too deep (over %d levels)",
                                   CIV_XML_MAX_DEPTH);
            action = enter(pg, n, depth);
            if (action == WALK_STOP)
                return pg->status;
            if (action == WALK_DESCEND && n->children) {
                n = n->children;
                depth++;
                continue;
            }
            if (action == WALK_DESCEND && (st = leave(pg, n, depth)) != CIV_OK)
                return st;
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            st = append_text(pg, (const char *)n->content, strlen((const char *)n->content), depth);
            if (st != CIV_OK)
                return st;
        }
        /* Climb out of finished elements, leaving each. */
        for (;;) {
            if (n == root) {
                n = NULL;
                break;
            }
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
            depth--;
            if ((st = leave(pg, n, depth)) != CIV_OK)
                return st;
        }
    }
    return flush(pg, 0);
}

static xmlNode *find_element(xmlNode *n, const char *name)
{
    int depth = 1;
    xmlNode *c = n ? n->children : NULL;
    while (c) {
        if (c->type == XML_ELEMENT_NODE) {
            if (g_ascii_strcasecmp((const char *)c->name, name) == 0)
                return c;
            if (c->children && depth < CIV_XML_MAX_DEPTH &&
                g_ascii_strcasecmp((const char *)c->name, "svg")) {
                c = c->children;
                depth++;
                continue;
            }
        }
        c = civ_xml_walk_next(n, c, &depth);
    }
    return NULL;
}

static int only_space(const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!g_ascii_isspace(data[i]))
            return 0;
    return 1;
}

civ_status civ_extract_html(const char *data, size_t len, size_t max_text_bytes, civ_document **out,
                            civ_err *err)
{
    civ_status st = CIV_OK;
    htmlParserCtxtPtr ctxt = NULL;
    htmlDocPtr hdoc = NULL;
    page pg = {0};

    *out = NULL;
    civ_err_clear(err);
    if (len > INT_MAX)
        return civ_err_set(err, CIV_ERR_TOOLARGE, "HTML file over %d bytes", INT_MAX);
    if (only_space(data, len))
        return civ_err_set(err, CIV_ERR_NOTEXT, "empty HTML file");
    civ_xml_init();

    ctxt = htmlNewParserCtxt();
    if (!ctxt)
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    /* Without a declared charset libxml2 would assume Latin-1; bytes that
     * are valid UTF-8 are read as UTF-8. */
    const char *encoding = g_utf8_validate(data, (gssize)len, NULL) ? "UTF-8" : NULL;
    hdoc = htmlCtxtReadMemory(ctxt, data, (int)len, NULL, encoding,
                              HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                  HTML_PARSE_RECOVER);
    xmlNode *root = hdoc ? xmlDocGetRootElement(hdoc) : NULL;
    if (!root) {
        st = civ_err_set(err, CIV_ERR_INPUT, "cannot parse HTML");
        goto out;
    }

    pg.doc = civ_document_new("html");
    pg.block = g_string_new(NULL);
    pg.max_text_bytes = max_text_bytes;
    pg.err = err;
    if (!pg.doc) {
        st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        goto out;
    }

    char *lang = civ_xml_attr(root, "lang", NULL, 1);
    char code[16];
    if (lang && civ_lang_normalise(lang, code, sizeof code))
        civ_document_set(pg.doc, &pg.doc->lang, code);
    g_free(lang);

    xmlNode *head = find_element(root, "head");
    xmlNode *title = find_element(head ? head : root, "title");
    if (title) {
        char *t = civ_xml_label_text(title, CIV_XML_LABEL_MAX, is_dropped);
        if (t[0])
            civ_document_set(pg.doc, &pg.doc->title, t);
        g_free(t);
    }

    st = walk(&pg, root);
    if (st != CIV_OK)
        goto out;
    if (!pg.doc->title && pg.first_h1)
        civ_document_set(pg.doc, &pg.doc->title, pg.first_h1);
    if (!pg.doc->n_passages) {
        st = civ_err_set(err, CIV_ERR_NOTEXT, "no text in the HTML document");
        goto out;
    }
    *out = pg.doc;
    pg.doc = NULL;
out:
    civ_document_free(pg.doc);
    if (pg.block)
        g_string_free(pg.block, TRUE);
    for (int i = 0; i < N_LEVELS; i++)
        g_free(pg.headings[i]);
    for (int i = 0; i <= CIV_XML_MAX_DEPTH; i++)
        g_free(pg.nums[i]);
    g_free(pg.first_h1);
    if (hdoc)
        xmlFreeDoc(hdoc);
    if (ctxt)
        htmlFreeParserCtxt(ctxt);
    return st;
}
