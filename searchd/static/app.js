/* Civitas search page: plain JavaScript, no build step, no external assets.
 *
 * Safety rule: text from documents (titles, citations, metadata) is only
 * ever inserted with textContent. The one exception is a snippet, which the
 * server has HTML-escaped and marked up with <mark>; even that passes
 * through keepMarks(), which rebuilds it from text nodes and <mark>
 * elements only, so nothing else in it can become markup.
 *
 * The search state lives in the page URL (?q=...&lang=fr&page=2), so
 * results can be linked to and the back button works.
 */
'use strict';

(function () {
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

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* The snippet as DOM: text and <mark> only. */
  function keepMarks(html) {
    const tpl = document.createElement('template');
    tpl.innerHTML = html;
    const out = document.createDocumentFragment();
    for (const node of tpl.content.childNodes) {
      if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === 'MARK')
        out.appendChild(el('mark', {}, node.textContent));
      else
        out.appendChild(document.createTextNode(node.textContent));
    }
    return out;
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

  async function copyText(text, button) {
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch (e) {
      /* No clipboard API (plain http, old browser): select and copy. */
      const area = el('textarea', { readonly: '', 'aria-hidden': 'true', class: 'skip' });
      area.value = text;
      document.body.appendChild(area);
      area.select();
      try { ok = document.execCommand('copy'); } catch (e2) { ok = false; }
      area.remove();
    }
    button.textContent = ok ? 'Copied' : 'Copy failed';
    $('status').textContent = ok ? 'Citation copied: ' + text : 'Could not copy the citation';
    setTimeout(() => { button.textContent = 'Copy citation'; }, 2000);
  }

  function renderPassage(p) {
    const box = el('div', { class: 'passage' });
    const snippet = el('p', { class: 'snippet' });
    snippet.appendChild(keepMarks(p.snippet || ''));
    box.appendChild(snippet);
    const cite = el('p', { class: 'cite' });
    cite.appendChild(el('q', {}, p.citation));
    const button = el('button', { type: 'button' }, 'Copy citation');
    button.setAttribute('aria-label', 'Copy citation ' + p.citation);
    button.addEventListener('click', () => copyText(p.citation, button));
    cite.appendChild(button);
    const label = p.page ? 'Original, page ' + p.page : 'Original';
    cite.appendChild(el('a', { href: p.url }, label));
    box.appendChild(cite);
    return box;
  }

  function renderHit(hit) {
    const li = el('li', { class: 'hit' });
    const d = hit.document || {};
    const h2 = el('h2');
    h2.appendChild(el('a', { href: d.url || '#' }, d.title || d.symbol || d.id));
    li.appendChild(h2);
    const meta = [d.symbol, d.type, d.body, d.date, d.language, d.format].filter(Boolean);
    li.appendChild(el('p', { class: 'meta' }, meta.join(' · ')));
    for (const p of hit.passages || []) li.appendChild(renderPassage(p));
    return li;
  }

  function renderFacets(state, facets) {
    const box = $('facets');
    box.replaceChildren();
    for (const [name, param, title] of FACETS) {
      const values = (facets && facets[name]) || [];
      if (!values.length && !state[param].length) continue;
      const fs = el('fieldset');
      fs.appendChild(el('legend', {}, title));
      const shown = values.map((v) => v.value);
      for (const v of state[param]) if (!shown.includes(v)) values.push({ value: v, count: 0 });
      for (const v of values) {
        const id = 'f-' + param + '-' + v.value.replace(/[^A-Za-z0-9_-]/g, '_');
        const input = el('input', { type: 'checkbox', id: id });
        input.checked = state[param].includes(v.value);
        input.addEventListener('change', () => {
          const next = readState();
          /* One year at a time: the API filters a year range. */
          if (param === 'year') next.year = input.checked ? [v.value] : [];
          else if (input.checked) next[param].push(v.value);
          else next[param] = next[param].filter((x) => x !== v.value);
          next.page = 1;
          go(next, true);
        });
        const label = el('label', { for: id });
        label.appendChild(input);
        label.appendChild(document.createTextNode(' ' + v.value + ' (' + v.count + ')'));
        fs.appendChild(label);
      }
      box.appendChild(fs);
    }
  }

  function renderPager(state, data) {
    const pages = Math.ceil(data.total / data.per_page);
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
    const b = el('button', { type: 'button' }, suggestion);
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
    $('status').textContent = 'Searching…';
    try {
      const res = await fetch('/api/search?' + apiParams(state).toString(),
                              { signal: inflight.signal, headers: { Accept: 'application/json' } });
      const data = await res.json();
      if (!res.ok) throw new Error((data.error && data.error.message) || res.statusText);
      const hits = $('hits');
      hits.replaceChildren(...data.hits.map(renderHit));
      const unit = data.group === 'passage' ? 'paragraph' : 'document';
      $('status').textContent = data.total === 0 ? 'No results.'
        : data.total + ' ' + unit + (data.total === 1 ? '' : 's') + ' found' +
          (state.page > 1 ? ', page ' + state.page : '') + '.';
      renderFacets(state, data.facets);
      renderPager(state, data);
      renderSuggestion(state, data.suggestion);
    } catch (e) {
      if (e.name === 'AbortError') return;
      $('hits').replaceChildren();
      $('pager').hidden = true;
      $('status').textContent = 'Search failed: ' + e.message;
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
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
