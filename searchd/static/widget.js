/* Civitas widget: a search box and results for another site, from one tag:
 *
 *   <script src="https://search.example.org/widget.js"
 *           data-civitas-target="#search" async></script>
 *
 * civitas-searchd serves /widget.js as civitas-render.js followed by this
 * file, inside one function: CivitasRender below is that shared renderer
 * (the page uses the same one), and nothing leaks into the host page's
 * globals.
 *
 * The API is called on the origin the script came from
 * (document.currentScript.src), so the host site's origin must be in the
 * daemon's --cors-origin allow-list. The widget lives in a shadow root:
 * its styles cannot leak out and the host's cannot break it. The style
 * sheet is a constructed one where the browser has them (a host page's
 * Content-Security-Policy style-src does not apply to those).
 *
 * Options (data- attributes on the script tag):
 *   data-civitas-target  CSS selector of the element to fill (default: a
 *                        new element right after the script)
 *   data-civitas-lang    filter results to this language (e.g. "fr")
 *   data-civitas-per-page results per page, 1-20 (default 5)
 */
/* global CivitasRender */
(function () {
  const R = CivitasRender;
  const el = R.el;
  const script = document.currentScript;
  if (!script || !script.src) return;
  const base = new URL(script.src).origin;
  const options = script.dataset;
  const perPage = Math.min(20, Math.max(1, parseInt(options.civitasPerPage || '5', 10) || 5));
  const lang = R.langTag(options.civitasLang) ? options.civitasLang : null;

  const CSS = `
:host { display: block; }
.civitas { font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: #1b1b1b; background: #fff; text-align: start; }
.civitas *, .civitas *::before, .civitas *::after { box-sizing: border-box; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
.row { display: flex; gap: .5rem; }
input { flex: 1; min-width: 0; font: inherit; padding: .4rem .5rem; border: 2px solid #4a4a4a;
  border-radius: 4px; color: inherit; background: #fff; }
button { font: inherit; padding: .3rem .7rem; border: 2px solid #0b5394; border-radius: 4px;
  background: #fff; color: #0b5394; cursor: pointer; }
button[type=submit] { background: #0b5394; color: #fff; }
button:disabled { opacity: .5; cursor: default; }
a { color: #0b5394; }
:focus-visible { outline: 3px solid #c05600; outline-offset: 2px; }
.status { margin: .6rem 0; font-weight: 600; min-height: 1.5em; }
.hits { list-style: none; padding: 0; margin: 0; }
.hit { border-bottom: 1px solid #d0d0d0; padding: .7rem 0; }
.title { font-size: 1.05rem; margin: 0; }
.meta { color: #4a4a4a; font-size: .85rem; margin: .1rem 0 .4rem; }
.passage { margin: .4rem 0 .4rem .5rem; padding-left: .6rem; border-left: 3px solid #d0d0d0; }
.snippet { margin: 0 0 .2rem; }
mark { background: #ffe38a; color: inherit; padding: 0 .1em; }
.cite { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; font-size: .85rem; margin: 0; }
.citation { quotes: none; font-style: italic; }
.copy { font-size: .8rem; padding: .05rem .4rem; }
.pager { display: flex; gap: .8rem; align-items: center; margin: .8rem 0; }
.more { font-size: .9rem; }
[hidden] { display: none !important; }
`;

  function applyStyles(root) {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      root.appendChild(el('style', {}, CSS));
    }
  }

  function build(host) {
    const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
    root.replaceChildren();
    applyStyles(root);
    const box = el('div', { class: 'civitas' });
    const form = el('form', { role: 'search', 'aria-label': 'Civitas document search' });
    form.appendChild(el('label', { for: 'civitas-q' }, 'Search human-rights documents'));
    const row = el('div', { class: 'row' });
    const input = el('input', { id: 'civitas-q', type: 'search', autocomplete: 'off',
                                maxlength: '1024', spellcheck: 'false' });
    row.appendChild(input);
    row.appendChild(el('button', { type: 'submit' }, 'Search'));
    form.appendChild(row);
    box.appendChild(form);
    const status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite',
                               'aria-atomic': 'true' });
    box.appendChild(status);
    const results = el('div', { class: 'results', tabindex: '-1', 'aria-label': 'Search results' });
    const hits = el('ol', { class: 'hits' });
    results.appendChild(hits);
    const pager = el('nav', { class: 'pager', 'aria-label': 'Result pages', hidden: '' });
    const prev = el('button', { type: 'button' }, 'Previous page');
    const info = el('span');
    const next = el('button', { type: 'button' }, 'Next page');
    pager.append(prev, info, next);
    results.appendChild(pager);
    const more = el('p', { class: 'more', hidden: '' });
    results.appendChild(more);
    box.appendChild(results);
    root.appendChild(box);

    let query = '';
    let page = 1;
    let inflight = null;
    const announce = (text) => { status.textContent = text; };

    async function run() {
      if (inflight) inflight.abort();
      inflight = new AbortController();
      const params = new URLSearchParams({ q: query, page: String(page),
                                           per_page: String(perPage) });
      if (lang) params.set('lang', lang);
      announce('Searching…');
      try {
        const res = await fetch(base + '/api/search?' + params.toString(),
                                { signal: inflight.signal, credentials: 'omit',
                                  headers: { Accept: 'application/json' } });
        if (!res.ok) throw new Error(await R.apiError(res));
        const data = await res.json();
        const opts = { base: base, headingLevel: 3, announce: announce };
        hits.replaceChildren(...data.hits.map((h) => R.hit(h, opts)));
        announce(R.countText(data, page));
        const pages = Math.max(1, Math.ceil(data.total / data.per_page));
        pager.hidden = pages <= 1;
        prev.disabled = page <= 1;
        next.disabled = page >= pages;
        info.textContent = 'Page ' + page + ' of ' + pages;
        const all = new URLSearchParams({ q: query });
        if (lang) all.set('lang', lang);
        more.replaceChildren(R.link(base + '/?' + all.toString(), base,
                                    'All results and filters on ' + new URL(base).host));
        more.hidden = false;
      } catch (e) {
        if (e.name === 'AbortError') return;
        hits.replaceChildren();
        pager.hidden = true;
        more.hidden = true;
        /* A fetch refused by CORS is a TypeError with no detail. */
        announce(e instanceof TypeError
          ? 'Search is not available here (the search service did not answer or does not allow this site).'
          : 'Search failed: ' + e.message);
      }
    }

    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      query = input.value.trim();
      page = 1;
      if (query) run();
    });
    prev.addEventListener('click', () => { page = Math.max(1, page - 1); run(); results.focus(); });
    next.addEventListener('click', () => { page += 1; run(); results.focus(); });
  }

  function start() {
    let host = null;
    if (options.civitasTarget) {
      try {
        host = document.querySelector(options.civitasTarget);
      } catch (e) {
        host = null;
      }
    }
    if (!host && options.civitasTarget && document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', start, { once: true });
      return;
    }
    if (!host) {
      host = document.createElement('div');
      script.after(host);
    }
    build(host);
  }

  start();
})();
