/* Civitas search page: plain JavaScript, no build step, no external assets.
 *
 * Results are drawn by CivitasRender (civitas-render.js, shared with the
 * widget), which holds the safety rule: document text only ever as
 * textContent, snippets rebuilt from text and <mark> only.
 *
 * The search state lives in the page URL (?q=...&lang=fr&page=2), so
 * results can be linked to and the back button works.
 *
 * Keyboard and screen reader: the result count is announced in a live
 * region; facets are checkboxes in labelled groups that toggle with Space
 * or Enter and keep the focus when the results are redrawn; paging moves
 * the focus to the top of the results.
 */
'use strict';

(function () {
  const R = CivitasRender;
  const el = R.el;
  const FACETS = [
    ['language', 'lang', 'Language'],
    ['type', 'type', 'Document type'],
    ['body', 'body', 'Body'],
    ['year', 'year', 'Year'],
    ['format', 'format', 'Format'],
  ];
  const PER_PAGE = 10;
  const $ = (id) => document.getElementById(id);
  let inflight = null;

  function announce(text) {
    $('status').textContent = text;
  }

  function readState() {
    const p = new URLSearchParams(location.search);
    const state = { q: p.get('q') || '', group: p.get('group') || 'document',
                    page: Math.max(1, parseInt(p.get('page') || '1', 10) || 1) };
    for (const [, param] of FACETS) state[param] = p.getAll(param);
    return state;
  }

  function stateToParams(state) {
    const p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    if (state.group !== 'document') p.set('group', state.group);
    if (state.page > 1) p.set('page', String(state.page));
    for (const [, param] of FACETS)
      for (const v of state[param]) p.append(param, v);
    return p;
  }

  /* The API takes a year range; the page offers single years. */
  function apiParams(state) {
    const p = stateToParams(state);
    p.delete('year');
    if (state.year.length === 1) {
      p.set('year_from', state.year[0]);
      p.set('year_to', state.year[0]);
    }
    p.set('per_page', String(PER_PAGE));
    return p;
  }

  function go(state, push) {
    const qs = stateToParams(state).toString();
    const url = location.pathname + (qs ? '?' + qs : '');
    if (push) history.pushState(null, '', url);
    run(state);
  }

  /* What a facet value says on screen: language codes as names. */
  function facetLabel(param, value) {
    return param === 'lang' ? R.languageName(value) : value;
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
    const box = $('facets');
    /* Redrawing replaces the checkboxes: keep the keyboard user's place. */
    const focused = box.contains(document.activeElement) ? document.activeElement.id : null;
    box.replaceChildren();
    let active = 0;
    for (const [name, param, title] of FACETS) {
      const values = ((facets && facets[name]) || []).slice();
      active += state[param].length;
      if (!values.length && !state[param].length) continue;
      const fs = el('fieldset');
      fs.appendChild(el('legend', {}, title));
      const shown = values.map((v) => v.value);
      for (const v of state[param]) if (!shown.includes(v)) values.push({ value: v, count: 0 });
      /* Years read best newest first; the rest stay most frequent first. */
      if (param === 'year') values.sort((a, b) => String(b.value).localeCompare(String(a.value)));
      for (const v of values) {
        const value = String(v.value);
        const id = 'f-' + param + '-' + value.replace(/[^A-Za-z0-9_-]/g, '_');
        const input = el('input', { type: 'checkbox', id: id });
        input.checked = state[param].includes(value);
        input.addEventListener('change', () => toggleFacet(param, value, input.checked));
        /* Enter toggles too, as it does on the page's buttons. */
        input.addEventListener('keydown', (ev) => {
          if (ev.key === 'Enter') {
            ev.preventDefault();
            input.click();
          }
        });
        const label = el('label', { for: id });
        label.appendChild(input);
        label.appendChild(document.createTextNode(' ' + facetLabel(param, value) + ' '));
        label.appendChild(el('span', { class: 'count' }, '(' + v.count + ')'));
        fs.appendChild(label);
      }
      box.appendChild(fs);
    }
    $('filters-summary').textContent = active ? 'Filters (' + active + ' on)' : 'Filters';
    if (active) {
      const clear = el('button', { type: 'button', id: 'clear-filters' }, 'Clear filters');
      clear.addEventListener('click', () => {
        const next = readState();
        for (const [, param] of FACETS) next[param] = [];
        next.page = 1;
        go(next, true);
        $('q').focus();
      });
      box.prepend(clear);
    }
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  }

  function renderPager(state, data) {
    const pages = Math.max(1, Math.ceil(data.total / data.per_page));
    $('pager').hidden = pages <= 1;
    $('prev').disabled = state.page <= 1;
    $('next').disabled = state.page >= pages;
    $('pageinfo').textContent = 'Page ' + state.page + ' of ' + pages;
  }

  function renderSuggestion(state, suggestion) {
    const box = $('suggestion');
    box.replaceChildren();
    box.hidden = !suggestion;
    if (!suggestion) return;
    box.appendChild(document.createTextNode('Did you mean '));
    const b = el('button', { type: 'button', class: 'linklike' }, suggestion);
    b.addEventListener('click', () => {
      const next = readState();
      next.q = suggestion;
      next.page = 1;
      $('q').value = suggestion;
      go(next, true);
    });
    box.appendChild(b);
    box.appendChild(document.createTextNode('?'));
  }

  async function run(state) {
    $('q').value = state.q;
    $('group').value = state.group;
    if (inflight) inflight.abort();
    inflight = new AbortController();
    announce('Searching…');
    try {
      const res = await fetch('/api/search?' + apiParams(state).toString(),
                              { signal: inflight.signal, headers: { Accept: 'application/json' } });
      if (!res.ok) throw new Error(await R.apiError(res));
      const data = await res.json();
      const opts = { base: location.href, headingLevel: 2, announce: announce };
      $('hits').replaceChildren(...data.hits.map((h) => R.hit(h, opts)));
      announce(R.countText(data, state.page));
      renderFacets(state, data.facets);
      renderPager(state, data);
      renderSuggestion(state, data.suggestion);
    } catch (e) {
      if (e.name === 'AbortError') return;
      $('hits').replaceChildren();
      $('pager').hidden = true;
      announce('Search failed: ' + e.message);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
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
