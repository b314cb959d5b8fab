/* Civitas rendering: the one place where search results become DOM, shared
 * by the search page (loaded as /static/civitas-render.js before app.js)
 * and the widget (civitas-searchd serves /widget.js as this file followed by
 * widget.js, wrapped in one function, so the widget defines no globals).
 *
 * Safety rule: text from documents (titles, citations, metadata) is only
 * ever inserted with textContent. The one exception is a snippet, which the
 * server has HTML-escaped and marked up with <mark>; even that goes through
 * snippet(), which parses it in an inert <template> (no script runs, no
 * image loads) and rebuilds it from text nodes and <mark> elements only, so
 * nothing else in it can become markup. Links are kept only when they
 * resolve to http: or https: (never javascript: or data:).
 */
'use strict';

const CivitasRender = (function () {
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* The snippet as DOM: text and <mark> only. */
  function snippet(html) {
    const tpl = document.createElement('template');
    tpl.innerHTML = String(html || '');
    const out = document.createDocumentFragment();
    for (const node of tpl.content.childNodes) {
      if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === 'MARK')
        out.appendChild(el('mark', {}, node.textContent));
      else
        out.appendChild(document.createTextNode(node.textContent));
    }
    return out;
  }

  /* url resolved against base (the API's origin), or null unless it is
   * http: or https:. */
  function safeHref(url, base) {
    if (typeof url !== 'string' || !url) return null;
    try {
      const u = new URL(url, base || document.baseURI);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  /* A link, or the plain text when the URL is not safe. */
  function link(url, base, text, attrs) {
    const href = safeHref(url, base);
    if (!href) return el('span', {}, text);
    const a = el('a', attrs, text);
    a.href = href;
    return a;
  }

  /* A BCP 47 tag we are willing to put in lang="" (the API gives ISO 639-1). */
  function langTag(code) {
    return typeof code === 'string' && /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(code) ? code : null;
  }

  let names = null;
  try {
    names = new Intl.DisplayNames(['en'], { type: 'language' });
  } catch (e) { /* old browser: codes only */ }

  /* "French" for "fr"; the code itself when the browser has no name. */
  function languageName(code) {
    if (names && langTag(code)) {
      try {
        const name = names.of(code);
        if (name && name !== code) return name;
      } catch (e) { /* not a code Intl knows */ }
    }
    return code;
  }

  /* Copy text to the clipboard; resolves to true when it worked. Falls back
   * to a selected textarea and execCommand where the Clipboard API is
   * missing or refused (plain http, no permission), then gives the focus
   * back to the button that asked. */
  async function copyText(text, button) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (e) {
      const area = el('textarea', { readonly: '', 'aria-hidden': 'true', tabindex: '-1' });
      area.style.position = 'fixed';
      area.style.left = '-9999px';
      area.value = text;
      document.body.appendChild(area);
      area.select();
      let ok = false;
      try { ok = document.execCommand('copy'); } catch (e2) { ok = false; }
      area.remove();
      if (button) button.focus();
      return ok;
    }
  }

  function copyButton(citation, announce) {
    const button = el('button', { type: 'button', class: 'copy' }, 'Copy citation');
    /* The visible label first, then what it copies (WCAG "label in name"). */
    button.setAttribute('aria-label', 'Copy citation: ' + citation);
    button.addEventListener('click', async () => {
      const ok = await copyText(citation, button);
      button.textContent = ok ? 'Copied' : 'Copy failed';
      if (announce) announce(ok ? 'Citation copied: ' + citation : 'Could not copy the citation');
      setTimeout(() => { button.textContent = 'Copy citation'; }, 2000);
    });
    return button;
  }

  function passage(p, opts) {
    const box = el('div', { class: 'passage' });
    const text = el('p', { class: 'snippet' });
    text.appendChild(snippet(p.snippet));
    box.appendChild(text);
    const cite = el('p', { class: 'cite' });
    const citation = String(p.citation || '');
    cite.appendChild(el('q', { class: 'citation' }, citation));
    cite.appendChild(copyButton(citation, opts.announce));
    const label = p.page ? 'Original, page ' + p.page : 'Original';
    cite.appendChild(link(p.url, opts.base, label, { class: 'original' }));
    box.appendChild(cite);
    return box;
  }

  /* One search hit (a document with its passages) as an <li>.
   * opts.base: origin the API's relative URLs resolve against;
   * opts.headingLevel: 2 on the page, 3 in the widget (the host page has
   * its own headings); opts.announce(text): say something in the live
   * region (copy results). */
  function hit(h, opts) {
    opts = opts || {};
    const d = h.document || {};
    const li = el('li', { class: 'hit' });
    const lang = langTag(d.language);
    if (lang) li.setAttribute('lang', lang);
    const heading = el('h' + (opts.headingLevel || 2), { class: 'title' });
    heading.appendChild(link(d.url, opts.base, d.title || d.symbol || d.id));
    li.appendChild(heading);
    const meta = [d.symbol, d.type, d.body, d.date, d.language && languageName(d.language),
                  d.format].filter(Boolean);
    li.appendChild(el('p', { class: 'meta' }, meta.join(' · ')));
    for (const p of h.passages || []) li.appendChild(passage(p, opts));
    return li;
  }

  /* "12 documents found." for the live region. */
  function countText(data, page) {
    if (!data.total) return 'No results.';
    const unit = data.group === 'passage' ? 'paragraph' : 'document';
    return data.total + ' ' + unit + (data.total === 1 ? '' : 's') + ' found' +
      (page > 1 ? ', page ' + page : '') + '.';
  }

  /* The error message of a failed API response, as text. */
  async function apiError(res) {
    try {
      const data = await res.json();
      if (data && data.error && data.error.message) return String(data.error.message);
    } catch (e) { /* not JSON */ }
    return res.status + ' ' + res.statusText;
  }

  return { el, snippet, safeHref, link, langTag, languageName, copyText, hit, countText,
           apiError };
})();
