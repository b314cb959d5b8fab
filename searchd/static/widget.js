/* Civitas widget: a search box with results, and citation cards, for another
 * site, from one tag:
 *
 *   <div id="search"></div>
 *   <div data-civitas-passage="dd107be059ddfdb7-51"></div>
 *   <script src="https://search.example.org/widget.js"
 *           data-civitas-target="#search" async></script>
 *
 * civitas-searchd serves /widget.js as civitas-i18n.js, civitas-render.js
 * and this file inside one function: CivitasI18n and CivitasRender below
 * are the page's own translations and renderer, and nothing leaks into the
 * host page's globals.
 *
 * The API is called next to where the script came from
 * (document.currentScript.src), or at data-civitas-api, without cookies, so
 * the host site's origin must be in the daemon's --cors-origin allow-list.
 * Everything is drawn in shadow roots: the widget's styles cannot leak out
 * and the host's cannot break it. It follows the host's font (inherited)
 * and takes its colours from CSS custom properties (--civitas-accent ...)
 * that the host page may set. The style sheet is a constructed one where
 * the browser has them (a host page's Content-Security-Policy style-src
 * does not apply to those).
 *
 * Options (data- attributes on the script tag):
 *   data-civitas-target   CSS selector of the element to fill with the
 *                         search box (default: a new element right after
 *                         the script, unless the page only has cards)
 *   data-civitas-api      base URL of the daemon (default: where the
 *                         script was loaded from)
 *   data-civitas-filter   filters the host page fixes, as a query string:
 *                         "type=charter&lang=fr" (lang, type, body, format,
 *                         symbol, year_from, year_to); their facets are
 *                         not offered
 *   data-civitas-lang     shorthand for data-civitas-filter="lang=..."
 *   data-civitas-per-page results per page, 1-20 (default 5)
 *   data-civitas-ui-lang  interface language: ar, zh, en, fr, ru, es
 *                         (default: the browser's first of these, else en)
 * Every element with data-civitas-passage="PASSAGE-ID" becomes a citation
 * card, drawn by the page's first widget.js tag with its options; on that
 * element data-civitas-format="bluebook" or "oscola" picks the citation
 * style and data-civitas-ui-lang its interface language.
 */
/* global CivitasI18n, CivitasRender */
(function () {
  const R = CivitasRender;
  const el = R.el;
  const script = document.currentScript;
  if (!script || !script.src) return;
  const options = script.dataset;
  const base = apiBase(options.civitasApi, script.src);
  if (!base) return;
  const uiLang = CivitasI18n.choose(options.civitasUiLang || [], navigator.languages || []);
  const perPage = Math.min(20, Math.max(1, parseInt(options.civitasPerPage || '5', 10) || 5));
  const fixed = fixedFilters();
  const PASSAGE_ID = /^[0-9a-f]{16}-[1-9][0-9]{0,8}$/;
  const TYPING_DELAY_MS = 300;

  const CSS = `
:host { display: block; }
.civitas { font-family: var(--civitas-font, inherit); font-size: var(--civitas-font-size, inherit);
  font-style: normal; font-weight: normal; line-height: 1.5; letter-spacing: normal;
  word-spacing: normal; text-transform: none; text-indent: 0; text-shadow: none;
  white-space: normal; text-align: start; color: var(--civitas-fg, #1b1b1b);
  background: var(--civitas-bg, #fff); }
.civitas *, .civitas *::before, .civitas *::after { box-sizing: border-box; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
.row { display: flex; gap: .5rem; }
input, button { font: inherit; color: inherit; text-transform: none; letter-spacing: normal; }
input[type=search], .copy-field { flex: 1; min-width: 0; padding: .4rem .5rem;
  border: 2px solid var(--civitas-muted, #4a4a4a); border-radius: var(--civitas-radius, 4px);
  background: var(--civitas-bg, #fff); }
button { padding: .3rem .7rem; border: 2px solid var(--civitas-accent, #0b5394);
  border-radius: var(--civitas-radius, 4px); background: var(--civitas-bg, #fff);
  color: var(--civitas-accent, #0b5394); cursor: pointer; }
button[type=submit] { background: var(--civitas-accent, #0b5394); color: var(--civitas-bg, #fff); }
button:disabled { opacity: .5; cursor: default; }
a { color: var(--civitas-accent, #0b5394); }
:focus-visible { outline: 3px solid var(--civitas-focus, #c05600); outline-offset: 2px; }
.status { margin: .6rem 0; font-weight: 600; min-height: 1.5em; }
.filters summary { cursor: pointer; font-weight: 600; padding: .1rem 0; }
.facets { display: flex; flex-wrap: wrap; gap: 0 1.5rem; }
fieldset { border: 0; margin: .3rem 0; padding: 0; }
legend { font-weight: 600; padding: 0; font-size: .9rem; }
fieldset label { font-weight: normal; display: block; margin: 0; font-size: .9rem; }
.count { color: var(--civitas-muted, #4a4a4a); }
.clear-filters { font-size: .85rem; padding: .05rem .5rem; margin: .3rem 0; flex-basis: 100%; max-width: max-content; }
.hits { list-style: none; padding: 0; margin: 0; }
.hit { border-bottom: 1px solid var(--civitas-line, #d0d0d0); padding: .7rem 0; }
.title { font-size: 1.05em; margin: 0; }
.meta { color: var(--civitas-muted, #4a4a4a); font-size: .85em; margin: .1rem 0 .4rem; }
.passage { margin-block: .4rem; margin-inline-start: .5rem; padding-inline-start: .6rem;
  border-inline-start: 3px solid var(--civitas-line, #d0d0d0); }
.snippet { margin: 0 0 .2rem; }
mark { background: var(--civitas-mark, #ffe38a); color: inherit; padding: 0 .1em; }
.cite { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; font-size: .85em; margin: 0; }
.citation { quotes: none; font-style: italic; }
.copy { font-size: .8rem; padding: .05rem .4rem; }
.pager { display: flex; gap: .8rem; align-items: center; margin: .8rem 0; }
.more { font-size: .9em; }
.card { margin: 0; }
.card blockquote { margin: 0 0 .5rem; padding-inline-start: .9rem;
  border-inline-start: 4px solid var(--civitas-accent, #0b5394); }
.card blockquote p { margin: 0 0 .4rem; }
.card .cite { font-size: .9em; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; }
[hidden] { display: none !important; }
`;

  /* The daemon's base URL (no trailing slash): data-civitas-api, else the
   * folder the script came from, so a daemon behind a path prefix works.
   * null unless http: or https:. */
  function apiBase(given, src) {
    try {
      const u = new URL(given || '.', src);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
      return (u.origin + u.pathname).replace(/\/+$/, '');
    } catch (e) {
      return null;
    }
  }

  /* The filters the host page fixes: data-civitas-filter, plus the older
   * data-civitas-lang. Unknown names are dropped. */
  function fixedFilters() {
    const out = new URLSearchParams();
    const given = new URLSearchParams(options.civitasFilter || '');
    for (const [name, value] of given)
      if (['lang', 'type', 'body', 'format', 'symbol', 'year_from', 'year_to'].includes(name) && value)
        out.append(name, value);
    if (R.langTag(options.civitasLang)) out.append('lang', options.civitasLang);
    return out;
  }

  function applyStyles(root) {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      root.appendChild(el('style', {}, CSS));
    }
  }

  /* A shadow root on host with the styles and a container in the
   * interface language; returns the container. */
  function frame(host, tag, t) {
    const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
    root.replaceChildren();
    applyStyles(root);
    const box = el(tag, { class: 'civitas', lang: t.lang, dir: t.dir });
    root.appendChild(box);
    return box;
  }

  function buildSearch(host) {
    const t = CivitasI18n.translator(uiLang);
    const box = frame(host, 'div', t);
    const form = el('form', { role: 'search', 'aria-label': t('widgetForm') });
    form.appendChild(el('label', { for: 'civitas-q' }, t('widgetSearchLabel')));
    const row = el('div', { class: 'row' });
    const input = el('input', { id: 'civitas-q', type: 'search', autocomplete: 'off',
                                maxlength: '1024', spellcheck: 'false', dir: 'auto' });
    row.appendChild(input);
    row.appendChild(el('button', { type: 'submit' }, t('search')));
    form.appendChild(row);
    box.appendChild(form);
    const status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite',
                               'aria-atomic': 'true' });
    box.appendChild(status);
    const filters = el('details', { class: 'filters', hidden: '' });
    const summary = el('summary', {}, t('filters'));
    const facetBox = el('div', { class: 'facets' });
    filters.append(summary, facetBox);
    box.appendChild(filters);
    const results = el('section', { class: 'results', tabindex: '-1',
                                    'aria-label': t('searchResults') });
    const hits = el('ol', { class: 'hits' });
    results.appendChild(hits);
    const pager = el('nav', { class: 'pager', 'aria-label': t('resultPages'), hidden: '' });
    const prev = el('button', { type: 'button' }, t('prev'));
    const info = el('span');
    const next = el('button', { type: 'button' }, t('next'));
    pager.append(prev, info, next);
    results.appendChild(pager);
    const more = el('p', { class: 'more', hidden: '' });
    results.appendChild(more);
    box.appendChild(results);

    /* Facets of filters the host fixed are not offered. */
    const hide = [];
    for (const name of fixed.keys())
      hide.push(name === 'year_from' || name === 'year_to' ? 'year' : name);
    const state = { q: '', page: 1 };
    for (const [, param] of R.FACETS) state[param] = [];
    let inflight = null;
    let typing = null;
    const announce = (text) => { status.textContent = text; };

    function clear() {
      if (inflight) inflight.abort();
      hits.replaceChildren();
      pager.hidden = true;
      more.hidden = true;
      filters.hidden = true;
      announce('');
    }

    /* The full search page with the same query and filters. */
    function moreLink() {
      const all = new URLSearchParams({ q: state.q });
      for (const [name, value] of fixed) all.append(name, value);
      for (const [, param] of R.FACETS) for (const v of state[param]) all.append(param, v);
      all.set('hl', t.lang);
      return R.link(base + '/?' + all.toString(), base,
                    t('allResults', { host: new URL(base).host }));
    }

    async function run() {
      if (!state.q) {
        clear();
        return;
      }
      if (inflight) inflight.abort();
      inflight = new AbortController();
      const params = R.searchParams(state, perPage);
      for (const [name, value] of fixed) params.append(name, value);
      announce(t('searching'));
      try {
        const res = await fetch(base + '/api/search?' + params.toString(),
                                { signal: inflight.signal, credentials: 'omit',
                                  headers: { Accept: 'application/json' } });
        if (!res.ok) throw new Error(await R.apiError(res));
        const data = await res.json();
        const opts = { base: base, headingLevel: 3, announce: announce, t: t };
        hits.replaceChildren(...data.hits.map((h) => R.hit(h, opts)));
        announce(R.countText(data, state.page, t));
        const active = R.facets(facetBox, data.facets, state, {
          t: t,
          hide: hide,
          onToggle: (param, value, on) => {
            if (param === 'year') state.year = on ? [value] : [];
            else if (on) state[param].push(value);
            else state[param] = state[param].filter((x) => x !== value);
            state.page = 1;
            run();
          },
          onClear: () => {
            for (const [, param] of R.FACETS) state[param] = [];
            state.page = 1;
            run();
            summary.focus();
          },
        });
        summary.textContent = active ? t('filtersOn', { n: active }) : t('filters');
        filters.hidden = !facetBox.childElementCount;
        /* The daemon says how many pages it will serve (--max-depth). */
        const pages = data.pages;
        pager.hidden = pages <= 1;
        prev.disabled = state.page <= 1;
        next.disabled = state.page >= pages;
        info.textContent = t('pageOf', { page: state.page, pages: pages });
        more.replaceChildren(moreLink());
        more.hidden = false;
      } catch (e) {
        if (e.name === 'AbortError') return;
        hits.replaceChildren();
        pager.hidden = true;
        more.hidden = true;
        /* A fetch refused by CORS is a TypeError with no detail. */
        announce(e instanceof TypeError ? t('unavailable') : t('searchFailed', { message: e.message }));
      }
    }

    /* A new query starts from page 1 with no facet ticked. Typing that
     * leaves the query as it was does not search again; Enter does. */
    function search(q, again) {
      clearTimeout(typing);
      if (q !== state.q) {
        state.q = q;
        state.page = 1;
        for (const [, param] of R.FACETS) state[param] = [];
      } else if (!again) {
        return;
      }
      run();
    }

    /* Results as you type, once the typing pauses. */
    input.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => search(input.value.trim()), TYPING_DELAY_MS);
    });
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      search(input.value.trim(), true);
    });
    prev.addEventListener('click', () => { state.page = Math.max(1, state.page - 1); run(); results.focus(); });
    next.addEventListener('click', () => { state.page += 1; run(); results.focus(); });
  }

  /* A citation card: the passage host.dataset.civitasPassage in full, its
   * citation (in data-civitas-format's style), a copy button and a link to
   * the original. What the host element held stays as the fallback for
   * browsers without script. */
  async function buildCard(host) {
    const t = CivitasI18n.translator(CivitasI18n.choose(host.dataset.civitasUiLang || [], uiLang));
    const box = frame(host, 'div', t);
    const status = el('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
    const body = el('div', {}, t('cardLoading'));
    box.append(body, status);
    const id = String(host.dataset.civitasPassage || '').trim();
    const style = host.dataset.civitasFormat;
    if (!PASSAGE_ID.test(id)) {
      body.textContent = t('cardMissing');
      return;
    }
    const get = async (path) => {
      const res = await fetch(base + path, { credentials: 'omit',
                                             headers: { Accept: 'application/json' } });
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(await R.apiError(res));
      return res.json();
    };
    try {
      const styled = style === 'bluebook' || style === 'oscola';
      const [data, cited] = await Promise.all([
        get('/api/passages/' + id),
        styled ? get('/api/passages/' + id + '/cite?format=' + style) : null,
      ]);
      if (!data) {
        body.textContent = t('cardMissing');
        return;
      }
      const opts = { base: base, t: t, announce: (text) => { status.textContent = text; } };
      body.replaceWith(R.card(data, cited && cited.citation, opts));
    } catch (e) {
      body.textContent = t('cardFailed');
    }
  }

  /* Cards are drawn by the first widget script of the page, whichever
   * copy runs first, so they take its options. */
  function drawsCards() {
    const widgets = Array.from(document.scripts)
      .filter((s) => s.src && /\/widget\.js(?:[?#]|$)/.test(s.src));
    return !widgets.length || widgets[0] === script;
  }

  function start() {
    if (drawsCards())
      for (const host of document.querySelectorAll('[data-civitas-passage]'))
        if (!host.shadowRoot) buildCard(host);
    let target = null;
    if (options.civitasTarget) {
      try {
        target = document.querySelector(options.civitasTarget);
      } catch (e) {
        target = null;
      }
    } else if (!document.querySelector('[data-civitas-passage]')) {
      target = document.createElement('div');
      script.after(target);
    }
    if (target) buildSearch(target);
  }

  /* An async script may run before the page is parsed. */
  if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', start, { once: true });
  else
    start();
})();
