/* civ_extract_xml.c: XML documents (UDHR-in-Unicode, Akoma Ntoso, any other
 * XML) into a civ_document, using libxml2 the safe way.
 *
 * Safety invariants, which every change here must keep:
 * - the parser runs with XML_PARSE_NONET|XML_PARSE_NOERROR|XML_PARSE_NOWARNING
 *   only: entities are never substituted, DTDs never loaded, and a deny-all
 *   external entity loader is installed once per process;
 * - text is read only by our own walk over text and CDATA nodes; entity
 *   reference nodes are never entered (their children are the entity's
 *   shared definition, the way billion-laughs documents blow up), and no
 *   libxml2 helper that expands entities (xmlNodeGetContent, xmlGetProp,
 *   xmlNodeListGetString) is ever called on the parsed tree;
 * - the walks are iterative (parent/next pointers), with a depth cap, and
 *   every buffer has a cap; the total text has the caller's cap.
 *
 * Passages: UDHR gives one passage per <para> with paragraph "Article N" or
 * "Preamble"; Akoma Ntoso gives one per block (<p>, <listIntroduction>, any
 * element with its own text) with the nearest enclosing <num> as paragraph
 * (trailing period dropped, as civ_passage_number does) and the heading path
 * of the enclosing hierarchy; other XML gives one passage per element that
 * directly holds text, including the text of its inline children.
 */
#include "civ_extract_xml.h"

#include <glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <limits.h>
#include <string.h>

#include "civ_lang.h"
#include "civ_xmltree.h"

/* A block longer than this is cut into several passages of the same
 * paragraph, below civ_document_add_passage's own cut. */
#define FLUSH_AT (CIV_MAX_PASSAGE_BYTES - 1024)
#define HEADING_MAX 2048

enum { WALK_DESCEND, WALK_SKIP, WALK_STOP };

typedef enum xml_kind { KIND_GENERIC, KIND_UDHR, KIND_AKN } xml_kind;

typedef struct extraction {
    civ_document *doc;
    xml_kind kind;
    GString *block;        /* text of the block being collected */
    size_t total;          /* text bytes collected from the whole file */
    size_t max_text_bytes; /* 0: no cap */
    xmlNode *meta;         /* AKN <meta>, skipped by the body walk */
    civ_status status;
    civ_err *err;
} extraction;

static int is_name(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static int has_own_text(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) || !c->content)
            continue;
        for (const xmlChar *p = c->content; *p; p++)
            if (!g_ascii_isspace(*p))
                return 1;
    }
    return 0;
}

static xmlNode *child_element(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is_name(c, name))
            return c;
    return NULL;
}

static xmlNode *first_element(xmlNode *n)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return c;
    return NULL;
}

/* First element called name below n (pre-order, depth-capped), or NULL. */
static xmlNode *find_element(xmlNode *n, const char *name)
{
    int depth = 1;
    xmlNode *c = n ? n->children : NULL;
    while (c) {
        if (c->type == XML_ELEMENT_NODE) {
            if (strcmp((const char *)c->name, name) == 0)
                return c;
            if (c->children && depth < CIV_XML_MAX_DEPTH) {
                c = c->children;
                depth++;
                continue;
            }
        }
        c = civ_xml_walk_next(n, c, &depth);
    }
    return NULL;
}

/* Emit the collected block as a passage (if it holds text). */
static civ_status flush_block(extraction *x, const char *paragraph, const char *heading)
{
    if (!x->block->len)
        return CIV_OK;
    const char *end = NULL;
    if (!g_utf8_validate(x->block->str, (gssize)x->block->len, &end))
        return civ_err_set(x->err, CIV_ERR_INPUT, "invalid UTF-8 in text at byte %zu of a block",
                           (size_t)(end - x->block->str));
    civ_status st = civ_document_add_passage(x->doc, x->block->str, x->block->len, paragraph,
                                             heading, 0, x->err);
    g_string_truncate(x->block, 0);
    return st;
}

/* Append text to the block, counting it against the file's text cap and
 * cutting over-long blocks into several passages. */
static civ_status append_text(extraction *x, const char *text, size_t len, const char *paragraph,
                              const char *heading)
{
    x->total += len;
    if (x->max_text_bytes && x->total > x->max_text_bytes)
        return civ_err_set(x->err, CIV_ERR_TOOLARGE, "text exceeds the cap of %zu bytes",
                           x->max_text_bytes);
    while (len) {
        size_t room = FLUSH_AT - x->block->len;
        size_t take = len < room ? len : room;
        /* Do not split a UTF-8 sequence across two passages. */
        while (take < len && take > 0 && ((unsigned char)text[take] & 0xC0) == 0x80)
            take--;
        g_string_append_len(x->block, text, (gssize)take);
        text += take;
        len -= take;
        if (len || x->block->len >= FLUSH_AT) {
            civ_status st = flush_block(x, paragraph, heading);
            if (st != CIV_OK)
                return st;
        }
    }
    return CIV_OK;
}

/* Collect the text of block's subtree into one passage. */
static civ_status emit_block(extraction *x, xmlNode *block, const char *paragraph,
                             const char *heading)
{
    civ_status st = CIV_OK;
    int depth = 1;
    xmlNode *c = block->children;
    while (c) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
            st = append_text(x, (const char *)c->content, strlen((const char *)c->content),
                             paragraph, heading);
            if (st != CIV_OK)
                return st;
        } else if (c->type == XML_ELEMENT_NODE) {
            /* Line breaks (HTML-ish br, AKN eol/eop) separate words. */
            if (is_name(c, "br") || is_name(c, "eol") || is_name(c, "eop"))
                g_string_append_c(x->block, ' ');
            if (c->children) {
                if (depth >= CIV_XML_MAX_DEPTH)
                    return civ_err_set(x->err, CIV_ERR_INPUT, "nesting too deep (over %d levels)",
                                       CIV_XML_MAX_DEPTH);
                c = c->children;
                depth++;
                continue;
            }
        }
        /* Entity references, comments and PIs are skipped on purpose. */
        c = civ_xml_walk_next(block, c, &depth);
    }
    return flush_block(x, paragraph, heading);
}

/* ---- UDHR-in-Unicode ---------------------------------------------------- */

static civ_status udhr_block(extraction *x, xmlNode *n)
{
    char paragraph[64] = "";
    char *heading = NULL;
    for (xmlNode *a = n->parent; a && a->type == XML_ELEMENT_NODE; a = a->parent) {
        if (is_name(a, "article")) {
            char *num = civ_xml_attr(a, "number", NULL, 0);
            if (num && num[0])
                g_snprintf(paragraph, sizeof paragraph, "Article %s", num);
            g_free(num);
            xmlNode *t = child_element(a, "title");
            heading = t ? civ_xml_label_text(t, CIV_XML_LABEL_MAX, NULL) : NULL;
            break;
        }
        if (is_name(a, "preamble")) {
            g_strlcpy(paragraph, "Preamble", sizeof paragraph);
            xmlNode *t = child_element(a, "title");
            heading = t ? civ_xml_label_text(t, CIV_XML_LABEL_MAX, NULL) : NULL;
            break;
        }
    }
    civ_status st = emit_block(x, n, paragraph[0] ? paragraph : NULL, heading);
    g_free(heading);
    return st;
}

static int udhr_visit(extraction *x, xmlNode *n)
{
    /* Titles are the document title or an article's heading, not text. */
    if (is_name(n, "title"))
        return WALK_SKIP;
    if (is_name(n, "para") || has_own_text(n)) {
        x->status = udhr_block(x, n);
        return x->status == CIV_OK ? WALK_SKIP : WALK_STOP;
    }
    return WALK_DESCEND;
}

static void set_lang(civ_document *doc, const char *tag)
{
    char code[16];
    if (doc->lang || !tag || !tag[0])
        return;
    char *copy = g_strdup(tag);
    /* UDHR keys look like "cmn_hans": the language is before the '_'. */
    char *us = strchr(copy, '_');
    if (us)
        *us = '\0';
    const char *norm = civ_lang_normalise(copy, code, sizeof code);
    if (norm)
        civ_document_set(doc, &doc->lang, norm);
    g_free(copy);
}

static void udhr_metadata(extraction *x, xmlNode *root)
{
    civ_document *doc = x->doc;
    xmlNode *t = child_element(root, "title");
    if (t) {
        char *title = civ_xml_label_text(t, CIV_XML_LABEL_MAX, NULL);
        if (title[0])
            civ_document_set(doc, &doc->title, title);
        g_free(title);
    }
    char *lang = civ_xml_attr(root, "lang", (const char *)XML_XML_NAMESPACE, 0);
    set_lang(doc, lang);
    g_free(lang);
    const char *attrs[] = {"key", "iso639-3"};
    for (size_t i = 0; i < G_N_ELEMENTS(attrs); i++) {
        char *v = civ_xml_attr(root, attrs[i], NULL, 0);
        set_lang(doc, v);
        g_free(v);
    }
    civ_document_set(doc, &doc->doctype, "declaration");
    civ_document_set(doc, &doc->date, "1948-12-10");
    civ_document_set(doc, &doc->body, "GA");
}

/* ---- Akoma Ntoso -------------------------------------------------------- */

/* Hierarchy levels whose name is printed before their number. */
static int akn_named_level(const xmlNode *n)
{
    static const char *const names[] = {"book",     "tome",       "part",    "subpart",
                                        "title",    "subtitle",   "chapter", "subchapter",
                                        "division", "subdivision"};
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (is_name(n, names[i]))
            return 1;
    return 0;
}

/* The printed number of a <num>, without a trailing period ("3." -> "3"). */
static char *akn_num(xmlNode *num)
{
    char *s = civ_xml_label_text(num, 64, NULL);
    size_t len = strlen(s);
    if (len > 1 && s[len - 1] == '.')
        s[len - 1] = '\0';
    return s;
}

/* "Part 1 - Heading", "5. Heading", "Mr. Alfa" for one ancestor, or NULL
 * when it carries no heading. */
static char *akn_level_label(xmlNode *a)
{
    xmlNode *heading = child_element(a, "heading");
    xmlNode *num = child_element(a, "num");
    if (is_name(a, "speech") || is_name(a, "question") || is_name(a, "answer")) {
        xmlNode *from = child_element(a, "from");
        if (!from)
            return NULL;
        char *s = civ_xml_label_text(from, CIV_XML_LABEL_MAX, NULL);
        size_t len = strlen(s);
        if (len && s[len - 1] == ':')
            s[len - 1] = '\0';
        g_strchomp(s);
        return s;
    }
    if (is_name(a->parent, "component") || is_name(a->parent, "attachment")) {
        /* A schedule or annex: named by its own FRBRalias ("Schedule 1"). */
        xmlNode *work =
            child_element(child_element(child_element(a, "meta"), "identification"), "FRBRWork");
        xmlNode *alias = child_element(work, "FRBRalias");
        char *v = alias ? civ_xml_attr(alias, "value", NULL, 0) : NULL;
        if (v)
            civ_xml_squeeze(v);
        if (v && v[0])
            return v;
        g_free(v);
    }
    if (!heading && !(num && akn_named_level(a)))
        return NULL;
    GString *s = g_string_new(NULL);
    char *num_text = num ? civ_xml_label_text(num, 64, NULL) : NULL;
    if (akn_named_level(a)) {
        const char *name = (const char *)a->name;
        /* Do not print "Part PART 1" when the number already names it. */
        if (!num_text || g_ascii_strncasecmp(num_text, name, strlen(name)) != 0) {
            g_string_append_c(s, g_ascii_toupper(name[0]));
            g_string_append(s, name + 1);
            if (num_text && num_text[0])
                g_string_append_c(s, ' ');
        }
    }
    if (num_text)
        g_string_append(s, num_text);
    if (heading) {
        char *h = civ_xml_label_text(heading, CIV_XML_LABEL_MAX, NULL);
        if (h[0]) {
            if (s->len)
                g_string_append(s, akn_named_level(a) ? " - " : " ");
            g_string_append(s, h);
        }
        g_free(h);
    }
    g_free(num_text);
    if (!s->len) {
        g_string_free(s, TRUE);
        return NULL;
    }
    return g_string_free(s, FALSE);
}

/* Levels whose number a pinpoint starts from: "5" of section 5(1)(a). */
static int akn_section_level(const xmlNode *n)
{
    return is_name(n, "section") || is_name(n, "article") || is_name(n, "rule") ||
           is_name(n, "regulation");
}

/* The pinpoint of a block under n: the printed numbers of the numbered
 * levels above it, from its section or article down, as acts are cited
 * ("5(1)(a)": section 5, subsection (1), item (a); "Article 3(2)"). A
 * number printed without brackets below the top gets them ("1." under
 * Article 3 is "Article 3(1)"). Without a section or article above, the
 * nearest number alone. NULL when no level above is numbered. */
static char *akn_pinpoint(xmlNode *n)
{
    char *nums[CIV_XML_MAX_DEPTH];
    size_t n_nums = 0;
    int reached_section = 0;
    for (xmlNode *a = n;
         a && a->type == XML_ELEMENT_NODE && n_nums < CIV_XML_MAX_DEPTH && !akn_named_level(a);
         a = a->parent) {
        xmlNode *num = child_element(a, "num");
        char *text = num ? akn_num(num) : NULL;
        if (text && text[0])
            nums[n_nums++] = text;
        else
            g_free(text);
        if (akn_section_level(a)) {
            reached_section = 1;
            break;
        }
    }
    /* Outermost first: from the section down, else the nearest alone. */
    const char *levels[CIV_XML_MAX_DEPTH] = {NULL};
    size_t n_levels = reached_section ? n_nums : n_nums > 0;
    for (size_t i = 0; i < n_levels; i++)
        levels[i] = nums[n_levels - 1 - i];
    char *pinpoint = civ_xml_pinpoint(levels, n_levels);
    for (size_t i = 0; i < n_nums; i++)
        g_free(nums[i]);
    return pinpoint;
}

static civ_status akn_block(extraction *x, xmlNode *n)
{
    char *paragraph = akn_pinpoint(n->parent);
    char *labels[CIV_XML_MAX_DEPTH];
    size_t n_labels = 0;
    for (xmlNode *a = n->parent; a && a->type == XML_ELEMENT_NODE && n_labels < CIV_XML_MAX_DEPTH;
         a = a->parent) {
        char *label = akn_level_label(a);
        if (label)
            labels[n_labels++] = label;
    }
    GString *heading = g_string_new(NULL);
    for (size_t i = n_labels; i-- > 0;) {
        if (heading->len < HEADING_MAX) {
            if (heading->len)
                g_string_append(heading, " > ");
            g_string_append(heading, labels[i]);
        }
        g_free(labels[i]);
    }
    if (heading->len > HEADING_MAX) {
        const char *end = NULL;
        g_string_truncate(heading, HEADING_MAX);
        g_utf8_validate(heading->str, (gssize)heading->len, &end);
        g_string_truncate(heading, (gsize)(end - heading->str));
    }
    civ_status st = emit_block(x, n, paragraph, heading->len ? heading->str : NULL);
    g_string_free(heading, TRUE);
    g_free(paragraph);
    return st;
}

static int akn_visit(extraction *x, xmlNode *n)
{
    /* Metadata, and the numbers, headings and speakers that label blocks. */
    if (n == x->meta || is_name(n, "meta") || is_name(n, "num") || is_name(n, "heading") ||
        is_name(n, "subheading") || is_name(n, "from"))
        return WALK_SKIP;
    if (is_name(n, "p") || is_name(n, "listIntroduction") || is_name(n, "listWrapUp") ||
        has_own_text(n)) {
        x->status = akn_block(x, n);
        return x->status == CIV_OK ? WALK_SKIP : WALK_STOP;
    }
    return WALK_DESCEND;
}

static void set_attr_field(civ_document *doc, char **field, xmlNode *n, const char *attr)
{
    if (*field || !n)
        return;
    char *v = civ_xml_attr(n, attr, NULL, 0);
    if (v) {
        civ_xml_squeeze(v);
        if (v[0])
            civ_document_set(doc, field, v);
    }
    g_free(v);
}

static void akn_metadata(extraction *x, xmlNode *root)
{
    civ_document *doc = x->doc;
    /* The document element: act, bill, debate, judgment, doc ... */
    xmlNode *docel = first_element(root);
    if (!docel)
        return;
    civ_document_set(doc, &doc->doctype, (const char *)docel->name);
    x->meta = child_element(docel, "meta");
    xmlNode *ident = child_element(x->meta, "identification");
    xmlNode *work = child_element(ident, "FRBRWork");
    xmlNode *expr = child_element(ident, "FRBRExpression");

    /* The work date is the document's own date (a debate's sitting, an
     * act's enactment); the expression date is often a markup date. */
    xmlNode *date = child_element(work, "FRBRdate");
    if (!date)
        date = child_element(expr, "FRBRdate");
    char *d = date ? civ_xml_attr(date, "date", NULL, 0) : NULL;
    if (d && strlen(d) >= 4 && g_ascii_isdigit(d[0]) && g_ascii_isdigit(d[3])) {
        if (strlen(d) > 10)
            d[10] = '\0';
        civ_document_set(doc, &doc->date, d);
    }
    g_free(d);

    xmlNode *lang = child_element(expr, "FRBRlanguage");
    char *l = lang ? civ_xml_attr(lang, "language", NULL, 0) : NULL;
    set_lang(doc, l);
    g_free(l);

    xmlNode *preface = child_element(docel, "preface");
    const char *title_elements[] = {"docTitle", "shortTitle"};
    for (size_t i = 0; i < G_N_ELEMENTS(title_elements) && !doc->title && preface; i++) {
        xmlNode *t = find_element(preface, title_elements[i]);
        if (t) {
            char *s = civ_xml_label_text(t, CIV_XML_LABEL_MAX, NULL);
            if (s[0])
                civ_document_set(doc, &doc->title, s);
            g_free(s);
        }
    }
    set_attr_field(doc, &doc->title, child_element(work, "FRBRalias"), "value");
    set_attr_field(doc, &doc->title, child_element(work, "FRBRname"), "value");
}

/* ---- generic XML -------------------------------------------------------- */

static int generic_visit(extraction *x, xmlNode *n)
{
    if (is_name(n, "title") && !x->doc->title) {
        char *s = civ_xml_label_text(n, CIV_XML_LABEL_MAX, NULL);
        if (s[0])
            civ_document_set(x->doc, &x->doc->title, s);
        g_free(s);
    }
    if (has_own_text(n)) {
        x->status = emit_block(x, n, NULL, NULL);
        return x->status == CIV_OK ? WALK_SKIP : WALK_STOP;
    }
    return WALK_DESCEND;
}

/* ---- driver ------------------------------------------------------------- */

static int visit(extraction *x, xmlNode *n)
{
    switch (x->kind) {
    case KIND_UDHR:
        return udhr_visit(x, n);
    case KIND_AKN:
        return akn_visit(x, n);
    default:
        return generic_visit(x, n);
    }
}

/* Walk the element tree below (and including) root without recursion. */
static civ_status walk(extraction *x, xmlNode *root)
{
    int depth = 0;
    xmlNode *n = root;
    while (n) {
        if (n->type == XML_ELEMENT_NODE) {
            if (depth >= CIV_XML_MAX_DEPTH)
                return civ_err_set(x->err, CIV_ERR_INPUT, "nesting too deep (over %d levels)",
                                   CIV_XML_MAX_DEPTH);
            int action = visit(x, n);
            if (action == WALK_STOP)
                return x->status;
            if (action == WALK_DESCEND && n->children) {
                n = n->children;
                depth++;
                continue;
            }
        }
        n = civ_xml_walk_next(root, n, &depth);
    }
    return CIV_OK;
}

static civ_status parse_error(xmlParserCtxtPtr ctxt, civ_err *err)
{
    const xmlError *e = xmlCtxtGetLastError(ctxt);
    if (!e || !e->message)
        return civ_err_set(err, CIV_ERR_INPUT, "not well-formed XML");
    char msg[160];
    g_strlcpy(msg, e->message, sizeof msg);
    g_strchomp(msg);
    return civ_err_set(err, CIV_ERR_INPUT, "XML error at line %d: %s", e->line, msg);
}

civ_status civ_extract_xml(const char *data, size_t len, size_t max_text_bytes, civ_document **out,
                           civ_err *err)
{
    civ_status st = CIV_OK;
    xmlParserCtxtPtr ctxt = NULL;
    xmlDocPtr xdoc = NULL;
    extraction x = {0};

    *out = NULL;
    civ_err_clear(err);
    if (len > INT_MAX)
        return civ_err_set(err, CIV_ERR_TOOLARGE, "XML file over %d bytes", INT_MAX);
    civ_xml_init();

    /* A parser context of our own keeps errors out of global state. */
    ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
    xdoc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!xdoc) {
        st = parse_error(ctxt, err);
        goto out;
    }
    xmlNode *root = xmlDocGetRootElement(xdoc);
    if (!root) {
        st = civ_err_set(err, CIV_ERR_NOTEXT, "XML document has no root element");
        goto out;
    }

    x.kind = is_name(root, "udhr")         ? KIND_UDHR
             : is_name(root, "akomaNtoso") ? KIND_AKN
                                           : KIND_GENERIC;
    x.doc = civ_document_new(x.kind == KIND_UDHR ? "udhr-xml" : x.kind == KIND_AKN ? "akn" : "xml");
    x.block = g_string_new(NULL);
    x.max_text_bytes = max_text_bytes;
    x.err = err;
    if (!x.doc) {
        st = civ_err_set(err, CIV_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (x.kind == KIND_UDHR) {
        udhr_metadata(&x, root);
    } else if (x.kind == KIND_AKN) {
        akn_metadata(&x, root);
    } else {
        char *lang = civ_xml_attr(root, "lang", (const char *)XML_XML_NAMESPACE, 0);
        set_lang(x.doc, lang);
        g_free(lang);
    }
    st = walk(&x, root);
    if (st != CIV_OK)
        goto out;
    if (!x.doc->n_passages) {
        st = civ_err_set(err, CIV_ERR_NOTEXT, "no text in the XML document");
        goto out;
    }
    *out = x.doc;
    x.doc = NULL;
out:
    civ_document_free(x.doc);
    if (x.block)
        g_string_free(x.block, TRUE);
    if (xdoc)
        xmlFreeDoc(xdoc);
    if (ctxt)
        xmlFreeParserCtxt(ctxt);
    return st;
}
