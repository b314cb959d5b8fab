/* civ_xmltree.h: safe helpers over libxml2 trees, shared by the XML and
 * HTML extractors.
 *
 * Nothing here expands an entity or follows a reference: text is read only
 * from text and CDATA nodes, attribute values only from their text
 * children, and every result is capped. Walks are iterative (no recursion
 * on untrusted depth).
 */
#ifndef CIV_XMLTREE_H
#define CIV_XMLTREE_H

#include <stddef.h>

#include <libxml/tree.h>

/* Deepest element a walk enters: libxml2 itself stops at 256 levels
 * without XML_PARSE_HUGE, so a walk is never deeper than the parser allows. */
#define CIV_XML_MAX_DEPTH 256
/* Cap on short labels: titles, numbers, headings, attribute values. */
#define CIV_XML_LABEL_MAX 1024

/* Initialise libxml2 once per process and install the deny-all external
 * entity loader (no file or URL named by a document is ever read). */
void civ_xml_init(void);

/* The value of attribute name from its text children only, capped at
 * CIV_XML_LABEL_MAX bytes, or NULL when absent. ns_href: the attribute's
 * namespace, or NULL for an attribute in no namespace. nocase: compare the
 * name ignoring ASCII case (HTML). Caller g_free()s. */
char *civ_xml_attr(const xmlNode *n, const char *name, const char *ns_href, int nocase);

/* Collapse whitespace runs to one space and trim, in place. */
void civ_xml_squeeze(char *s);

/* Next node of a pre-order walk below root that does not enter n's
 * children, keeping *depth in step; NULL when the walk is done. */
xmlNode *civ_xml_walk_next(xmlNode *root, xmlNode *n, int *depth);

/* Text of n's subtree from text and CDATA nodes, whitespace squeezed, at
 * most cap bytes cut on a character boundary. Elements for which skip
 * (may be NULL) returns non-zero are not entered. Caller g_free()s. */
char *civ_xml_label_text(xmlNode *n, size_t cap, int (*skip)(const char *element_name));

/* The pinpoint of an Akoma Ntoso block from the numbers printed by the
 * levels above it, outermost first, as acts are cited: {"5", "(1)", "a)"}
 * is "5(1)(a)". A number below the first without brackets gets them ("a)"
 * and "1" become "(a)", "(1)"). NULL when n is 0. Caller g_free()s. */
char *civ_xml_pinpoint(const char *const *nums, size_t n);

#endif /* CIV_XMLTREE_H */
