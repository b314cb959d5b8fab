/* Civitas rendering: the one place where search results, facets and
 * citation cards become DOM, shared by the search page (loaded as
 * /static/civitas-render.js before app.js) and the widget (civitas-searchd
 * serves /widget.js as civitas-i18n.js, this file and widget.js wrapped in
 * one function, so the widget defines no globals).
 *
 * Words come from CivitasI18n (civitas-i18n.js, loaded or bundled first):
 * every function that writes a label takes opts.t, a translator.
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

/* global CivitasI18n */
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

  /* Scripts written right to left, for the dir="" of document text. */
  const RTL_LANGS = ['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'ps', 'sd', 'ug', 'ur', 'yi'];

  /* lang and dir attributes for text in the document language code: an
   * English passage inside the Arabic interface stays left to right. */
  function setLang(node, code) {
    const lang = langTag(code);
    if (lang) {
      node.setAttribute('lang', lang);
      node.setAttribute('dir', RTL_LANGS.includes(lang.split('-')[0]) ? 'rtl' : 'ltr');
    } else {
      node.setAttribute('dir', 'auto');
    }
  }

  const names = {};

  /* "French" for "fr" (in the interface language uiLang, "français" for
   * uiLang "fr"); the code itself when the browser has no name. */
  function languageName(code, uiLang) {
    uiLang = uiLang || 'en';
    if (!(uiLang in names)) {
      try {
        names[uiLang] = new Intl.DisplayNames([uiLang], { type: 'language' });
      } catch (e) {
        names[uiLang] = null; /* old browser: codes only */
      }
    }
    if (names[uiLang] && langTag(code)) {
      try {
        const name = names[uiLang].of(code);
        if (name && name !== code) return name;
      } catch (e) { /* not a code Intl knows */ }
    }
    return code;
  }

  /* The translator in opts (English when there is none). */
  function tr(opts) {
    return (opts && opts.t) || CivitasI18n.translator('en');
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

  /* A "Copy citation" button. When the browser lets no script copy, the
   * citation appears next to it in a selected, focused text field for the
   * user to copy by hand (Ctrl+C), and the live region says so. */
  function copyButton(citation, opts) {
    const t = tr(opts);
    const button = el('button', { type: 'button', class: 'copy' }, t('copy'));
    /* The visible label first, then what it copies (WCAG "label in name"). */
    button.setAttribute('aria-label', t('copyNamed', { citation: citation }));
    const announce = opts.announce || (() => {});
    button.addEventListener('click', async () => {
      const ok = await copyText(citation, button);
      button.textContent = ok ? t('copied') : t('copyFailed');
      setTimeout(() => { button.textContent = t('copy'); }, 2000);
      if (ok) {
        announce(t('citationCopied', { citation: citation }));
        return;
      }
      let field = button.parentNode.querySelector('input.copy-field');
      if (!field) {
        field = el('input', { type: 'text', readonly: '', class: 'copy-field',
                              'aria-label': t('citationField') });
        field.value = citation;
        button.after(field);
      }
      field.focus();
      field.select();
      announce(t('copyManually'));
    });
    return button;
  }

  /* The citation line: the citation, its copy button, the original. */
  function citeLine(tag, p, opts) {
    const t = tr(opts);
    const cite = el(tag, { class: 'cite' });
    const citation = String(p.citation || '');
    cite.appendChild(el('q', { class: 'citation' }, citation));
    cite.appendChild(copyButton(citation, opts));
    const label = p.page ? t('originalPage', { page: p.page }) : t('original');
    cite.appendChild(link(p.url, opts.base, label, { class: 'original' }));
    return cite;
  }

  function passage(p, opts) {
    const box = el('div', { class: 'passage' });
    const text = el('p', { class: 'snippet' });
    text.appendChild(snippet(p.snippet));
    box.appendChild(text);
    box.appendChild(citeLine('p', p, opts));
    return box;
  }

  /* One search hit (a document with its passages) as an <li>.
   * opts.base: origin the API's relative URLs resolve against;
   * opts.headingLevel: 2 on the page, 3 in the widget (the host page has
   * its own headings); opts.t: the interface's translator;
   * opts.announce(text): say something in the live region (copy results). */
  function hit(h, opts) {
    opts = opts || {};
    const t = tr(opts);
    const d = h.document || {};
    const li = el('li', { class: 'hit' });
    setLang(li, d.language);
    const heading = el('h' + (opts.headingLevel || 2), { class: 'title' });
    heading.appendChild(link(d.url, opts.base, d.title || d.symbol || d.id));
    li.appendChild(heading);
    const meta = [d.symbol, d.type, d.body, d.date, d.language && languageName(d.language, t.lang),
                  d.format].filter(Boolean);
    const metaLine = el('p', { class: 'meta' }, meta.join(' · '));
    /* Metadata reads in the interface's direction. */
    metaLine.setAttribute('lang', t.lang);
    metaLine.setAttribute('dir', t.dir);
    li.appendChild(metaLine);
    for (const p of h.passages || []) li.appendChild(passage(p, opts));
    return li;
  }

  /* A citation card: one passage in full (the answer of
   * /api/passages/{id}) with its citation, a copy button and the original,
   * as a <figure>. citation: the string to show (another style than the
   * passage's own, or null). */
  function card(data, citation, opts) {
    opts = opts || {};
    const p = Object.assign({}, data.passage || {});
    if (citation) p.citation = citation;
    const fig = el('figure', { class: 'card' });
    const quote = el('blockquote', { class: 'text' });
    setLang(quote, p.language);
    const href = safeHref(p.url, opts.base);
    if (href) quote.setAttribute('cite', href);
    for (const para of String(p.text || '').split(/\n+/).filter(Boolean))
      quote.appendChild(el('p', {}, para));
    fig.appendChild(quote);
    fig.appendChild(citeLine('figcaption', p, opts));
    return fig;
  }

  /* Facets in the order they are shown: the API's facet name, the search
   * parameter that filters on it, the message naming it. */
  const FACETS = [
    ['language', 'lang', 'facetLanguage'],
    ['type', 'type', 'facetType'],
    ['body', 'body', 'facetBody'],
    ['year', 'year', 'facetYear'],
    ['format', 'format', 'facetFormat'],
  ];

  /* Filters a link can carry (the widget's fixed ones) that have no
   * facet: a symbol prefix and a range of years. */
  const SCOPE = ['symbol', 'year_from', 'year_to'];

  /* The /api/search parameters for a search state { q, group, page,
   * lang: [...], type: [...], ..., symbol, year_from, year_to }: one year
   * at a time from the facets (they offer years, the API takes a range),
   * which then replaces the scope's range. */
  function searchParams(state, perPage) {
    const p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    if (state.group && state.group !== 'document') p.set('group', state.group);
    if (state.page > 1) p.set('page', String(state.page));
    for (const name of SCOPE) if (state[name]) p.set(name, state[name]);
    for (const [, param] of FACETS) {
      const values = state[param] || [];
      if (param !== 'year') {
        for (const v of values) p.append(param, v);
      } else if (values.length === 1) {
        p.set('year_from', values[0]);
        p.set('year_to', values[0]);
      }
    }
    p.set('per_page', String(perPage));
    return p;
  }

  /* Draw the facets of a search answer into box as labelled checkbox
   * groups and return how many values are on.
   * selected: the state (param -> values on); opts.t: translator;
   * opts.hide: params not to offer (filters the host page fixed);
   * opts.onToggle(param, value, on); opts.onClear() (a "Clear filters"
   * button is shown when something is on).
   * The checkboxes are new on every redraw: the focus stays on the one the
   * keyboard user was on. */
  function facets(box, data, selected, opts) {
    const t = tr(opts);
    const hide = opts.hide || [];
    const root = box.getRootNode();
    const focused = root.activeElement && box.contains(root.activeElement)
      ? root.activeElement.id : null;
    box.replaceChildren();
    let active = 0;
    for (const [name, param, title] of FACETS) {
      if (hide.includes(param)) continue;
      const on = selected[param] || [];
      const values = ((data && data[name]) || []).slice();
      active += on.length;
      if (!values.length && !on.length) continue;
      const fs = el('fieldset');
      fs.appendChild(el('legend', {}, t(title)));
      const shown = values.map((v) => String(v.value));
      for (const v of on) if (!shown.includes(v)) values.push({ value: v, count: 0 });
      /* Years read best newest first; the rest stay most frequent first. */
      if (param === 'year') values.sort((a, b) => String(b.value).localeCompare(String(a.value)));
      for (const v of values) {
        const value = String(v.value);
        const id = 'f-' + param + '-' + value.replace(/[^A-Za-z0-9_-]/g, '_');
        const input = el('input', { type: 'checkbox', id: id });
        input.checked = on.includes(value);
        input.addEventListener('change', () => opts.onToggle(param, value, input.checked));
        /* Enter toggles too, as it does on buttons. */
        input.addEventListener('keydown', (ev) => {
          if (ev.key === 'Enter') {
            ev.preventDefault();
            input.click();
          }
        });
        const label = el('label', { for: id });
        label.appendChild(input);
        const text = param === 'lang' ? languageName(value, t.lang) : value;
        label.appendChild(document.createTextNode(' ' + text + ' '));
        label.appendChild(el('span', { class: 'count' }, '(' + v.count + ')'));
        fs.appendChild(label);
      }
      box.appendChild(fs);
    }
    if (active && opts.onClear) {
      const clear = el('button', { type: 'button', class: 'clear-filters' }, t('clearFilters'));
      clear.addEventListener('click', opts.onClear);
      box.prepend(clear);
    }
    if (focused) {
      const again = box.querySelector('#' + CSS.escape(focused));
      if (again) again.focus();
    }
    return active;
  }

  /* "12 documents found." for the live region, in the interface language. */
  function countText(data, page, t) {
    t = t || tr();
    if (!data.total) return t('noResults');
    const key = data.group === 'passage' ? 'paragraphsFound' : 'documentsFound';
    return t(key, { n: data.total, page: page > 1 ? t('onPage', { page: page }) : '' });
  }

  /* The error message of a failed API response, as text. */
  async function apiError(res) {
    try {
      const data = await res.json();
      if (data && data.error && data.error.message) return String(data.error.message);
    } catch (e) { /* not JSON */ }
    return res.status + ' ' + res.statusText;
  }

  return { el, snippet, safeHref, link, langTag, setLang, languageName, copyText, hit, card,
           FACETS, SCOPE, searchParams, facets, countText, apiError };
})();
