/* Civitas search page: plain JavaScript, no build step, no external assets.
 *
 * Results and facets are drawn by CivitasRender (civitas-render.js, shared
 * with the widget), which holds the safety rule: document text only ever
 * as textContent, snippets rebuilt from text and <mark> only. Every word
 * comes from CivitasI18n (civitas-i18n.js): the page speaks the six UN
 * languages, right to left in Arabic.
 *
 * The search state lives in the page URL (?q=...&lang=fr&page=2&hl=fr), so
 * results can be linked to and the back button works. The interface
 * language is hl= when given, else the browser's first language among the
 * six, else English.
 *
 * Keyboard and screen reader: the result count is announced in a live
 * region; facets are checkboxes in labelled groups that toggle with Space
 * or Enter and keep the focus when the results are redrawn; paging moves
 * the focus to the top of the results.
 */
'use strict';

/* global CivitasI18n, CivitasRender */
(function () {
  const R = CivitasRender;
  const el = R.el;
  const PER_PAGE = 10;
  const $ = (id) => document.getElementById(id);
  let inflight = null;
  let t = CivitasI18n.translator('en');

  function announce(text) {
    $('status').textContent = text;
  }

  function readState() {
    const p = new URLSearchParams(location.search);
    const state = { q: p.get('q') || '', group: p.get('group') || 'document',
                    page: Math.max(1, parseInt(p.get('page') || '1', 10) || 1),
                    hl: CivitasI18n.supported(p.get('hl')) };
    for (const [, param] of R.FACETS) state[param] = p.getAll(param);
    for (const name of R.SCOPE) state[name] = p.get(name) || '';
    return state;
  }

  function stateToParams(state) {
    const p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    if (state.group !== 'document') p.set('group', state.group);
    if (state.page > 1) p.set('page', String(state.page));
    for (const [, param] of R.FACETS)
      for (const v of state[param]) p.append(param, v);
    for (const name of R.SCOPE) if (state[name]) p.set(name, state[name]);
    if (state.hl) p.set('hl', state.hl);
    return p;
  }

  function go(state, push) {
    const qs = stateToParams(state).toString();
    const url = location.pathname + (qs ? '?' + qs : '');
    if (push) history.pushState(null, '', url);
    run(state);
  }

  /* Put the page's fixed words into the interface language. */
  function translatePage(state) {
    t = CivitasI18n.translator(CivitasI18n.choose(state.hl, navigator.languages || []));
    document.documentElement.lang = t.lang;
    document.documentElement.dir = t.dir;
    document.title = t('pageTitle');
    for (const node of document.querySelectorAll('[data-i18n]'))
      node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll('[data-i18n-placeholder]'))
      node.setAttribute('placeholder', t(node.dataset.i18nPlaceholder));
    for (const node of document.querySelectorAll('[data-i18n-aria-label]'))
      node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
    $('ui-lang').value = t.lang;
  }

  function toggleFacet(param, value, on) {
    const next = readState();
    /* One year at a time: the API filters a year range. */
    if (param === 'year') next.year = on ? [value] : [];
    else if (on) next[param].push(value);
    else next[param] = next[param].filter((x) => x !== value);
    next.page = 1;
    go(next, true);
  }

  function renderFacets(state, facets) {
    const active = R.facets($('facets'), facets, state, {
      t: t,
      onToggle: toggleFacet,
      onClear: () => {
        const next = readState();
        for (const [, param] of R.FACETS) next[param] = [];
        next.page = 1;
        go(next, true);
        $('q').focus();
      },
    });
    $('filters-summary').textContent = active ? t('filtersOn', { n: active }) : t('filters');
  }

  function renderPager(state, data) {
    /* The daemon says how many pages it will serve (--max-depth). */
    const pages = data.pages;
    $('pager').hidden = pages <= 1;
    $('prev').disabled = state.page <= 1;
    $('next').disabled = state.page >= pages;
    $('pageinfo').textContent = t('pageOf', { page: state.page, pages: pages });
  }

  /* A search limited by a link (a symbol prefix, a range of years) says
   * so, with a button that lifts the limit. */
  function renderScope(state) {
    const box = $('scope');
    const years = state.year_from || state.year_to
      ? (state.year_from || '…') + '–' + (state.year_to || '…') : '';
    const scope = [state.symbol, years].filter(Boolean).join(', ');
    box.hidden = !scope;
    box.replaceChildren();
    if (!scope) return;
    const clear = el('button', { type: 'button', class: 'linklike' }, t('scopeClear'));
    clear.addEventListener('click', () => {
      const next = readState();
      for (const name of R.SCOPE) next[name] = '';
      next.page = 1;
      go(next, true);
    });
    box.append(document.createTextNode(t('scopeOn', { scope: scope }) + ' '), clear);
  }

  function renderSuggestion(state, suggestion) {
    const box = $('suggestion');
    box.replaceChildren();
    box.hidden = !suggestion;
    if (!suggestion) return;
    const b = el('button', { type: 'button', class: 'linklike' }, suggestion);
    b.addEventListener('click', () => {
      const next = readState();
      next.q = suggestion;
      next.page = 1;
      $('q').value = suggestion;
      go(next, true);
    });
    /* "Did you mean {suggestion}?" with the suggestion as a button. */
    const [before, after] = t('didYouMean').split('{suggestion}');
    box.append(document.createTextNode(before), b, document.createTextNode(after || ''));
  }

  async function run(state) {
    translatePage(state);
    $('q').value = state.q;
    $('group').value = state.group;
    if (inflight) inflight.abort();
    inflight = new AbortController();
    announce(t('searching'));
    try {
      const res = await fetch('/api/search?' + R.searchParams(state, PER_PAGE).toString(),
                              { signal: inflight.signal, headers: { Accept: 'application/json' } });
      if (!res.ok) throw new Error(await R.apiError(res));
      const data = await res.json();
      const opts = { base: location.href, headingLevel: 2, announce: announce, t: t };
      $('hits').replaceChildren(...data.hits.map((h) => R.hit(h, opts)));
      announce(R.countText(data, state.page, t));
      renderFacets(state, data.facets);
      renderPager(state, data);
      renderScope(state);
      renderSuggestion(state, data.suggestion);
    } catch (e) {
      if (e.name === 'AbortError') return;
      $('hits').replaceChildren();
      $('pager').hidden = true;
      announce(t('searchFailed', { message: e.message }));
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    for (const [code, name] of CivitasI18n.LANGUAGES) {
      const option = el('option', { value: code, lang: code, dir: CivitasI18n.dir(code) }, name);
      $('ui-lang').appendChild(option);
    }
    $('ui-lang').addEventListener('change', () => {
      const next = readState();
      next.hl = $('ui-lang').value;
      go(next, true);
    });
    /* On a narrow screen the filters start folded, so the results come
     * first without reordering the page for keyboard users. */
    if (window.matchMedia('(max-width: 50rem)').matches) $('filters').open = false;
    $('search-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const next = readState();
      next.q = $('q').value.trim();
      next.group = $('group').value;
      next.page = 1;
      go(next, true);
    });
    $('group').addEventListener('change', () => {
      const next = readState();
      next.group = $('group').value;
      next.page = 1;
      go(next, true);
    });
    for (const [id, delta] of [['prev', -1], ['next', 1]]) {
      $(id).addEventListener('click', () => {
        const next = readState();
        next.page = Math.max(1, next.page + delta);
        go(next, true);
        $('results').focus();
      });
    }
    window.addEventListener('popstate', () => run(readState()));
    run(readState());
  });
})();
