/* civ_xmltree.c: safe tree helpers for the XML and HTML extractors (see
 * civ_xmltree.h). */
#include "civ_xmltree.h"

#include <glib.h>
#include <libxml/parser.h>
#include <string.h>

static xmlParserInputPtr deny_external_entity(const char *url, const char *id,
                                              xmlParserCtxtPtr ctxt)
{
    /* Never read a file or URL named by the document (XXE). */
    (void)url;
    (void)id;
    (void)ctxt;
    return NULL;
}

static gpointer init_libxml(gpointer unused)
{
    (void)unused;
    xmlInitParser();
    xmlSetExternalEntityLoader(deny_external_entity);
    return NULL;
}

void civ_xml_init(void)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, init_libxml, NULL);
}

char *civ_xml_attr(const xmlNode *n, const char *name, const char *ns_href, int nocase)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        const char *an = (const char *)a->name;
        if (nocase ? g_ascii_strcasecmp(an, name) != 0 : strcmp(an, name) != 0)
            continue;
        if (ns_href && (!a->ns || !a->ns->href || strcmp((const char *)a->ns->href, ns_href)))
            continue;
        if (!ns_href && a->ns)
            continue;
        GString *s = g_string_new(NULL);
        for (const xmlNode *c = a->children; c; c = c->next)
            if (c->type == XML_TEXT_NODE && c->content && s->len < CIV_XML_LABEL_MAX)
                g_string_append_len(
                    s, (const char *)c->content,
                    (gssize)MIN(strlen((const char *)c->content), CIV_XML_LABEL_MAX - s->len));
        return g_string_free(s, FALSE);
    }
    return NULL;
}

void civ_xml_squeeze(char *s)
{
    char *w = s;
    int space = 0;
    for (const char *r = s; *r; r++) {
        if (g_ascii_isspace(*r)) {
            space = w > s;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = 0;
        *w++ = *r;
    }
    *w = '\0';
}

xmlNode *civ_xml_walk_next(xmlNode *root, xmlNode *n, int *depth)
{
    while (n && n != root) {
        if (n->next)
            return n->next;
        n = n->parent;
        (*depth)--;
    }
    return NULL;
}

char *civ_xml_label_text(xmlNode *n, size_t cap, int (*skip)(const char *element_name))
{
    GString *s = g_string_new(NULL);
    int depth = 1;
    xmlNode *c = n->children;
    while (c && s->len < cap) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
            size_t len = strlen((const char *)c->content);
            g_string_append_len(s, (const char *)c->content, (gssize)MIN(len, cap - s->len));
        } else if (c->type == XML_ELEMENT_NODE && c->children && depth < CIV_XML_MAX_DEPTH &&
                   !(skip && skip((const char *)c->name))) {
            c = c->children;
            depth++;
            continue;
        }
        c = civ_xml_walk_next(n, c, &depth);
    }
    const char *end = NULL;
    g_utf8_validate(s->str, (gssize)s->len, &end);
    g_string_truncate(s, (gsize)(end - s->str));
    char *out = g_string_free(s, FALSE);
    civ_xml_squeeze(out);
    return out;
}

char *civ_xml_pinpoint(const char *const *nums, size_t n)
{
    if (n == 0)
        return NULL;
    GString *s = g_string_new(nums[0]);
    for (size_t i = 1; i < n; i++) {
        const char *v = nums[i];
        size_t len = strlen(v);
        if (v[0] == '(') {
            g_string_append(s, v);
        } else {
            if (len > 1 && v[len - 1] == ')')
                len--;
            g_string_append_printf(s, "(%.*s)", (int)len, v);
        }
    }
    return g_string_free(s, FALSE);
}
