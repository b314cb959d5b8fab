/* Browser tests of the search page (/), the widget (/widget.js) and its
 * citation cards: a user in Debian's Chromium, driven by playwright-core,
 * against the real civitas-searchd serving an index of corpus/ that the
 * real civitas-index builds here, plus a few hostile files written by this
 * test.
 *
 * Usage (ctest does this, see tests/CMakeLists.txt):
 *   node test_page.js --indexer PATH --searchd PATH --corpus DIR --work DIR
 *                     --examples DIR [--chromium PATH]
 * --work is a build directory: playwright-core and axe-core are installed
 * there with `npm ci` from this directory's package-lock.json when missing,
 * and the index, logs and screenshots go there (failure-<test>.png when a
 * test fails). With CIV_DOC_IMAGES=DIR in the environment the screenshots
 * shown in docs/EMBEDDING.md are also written to DIR.
 *
 * A second small HTTP server (node's http module) plays the committee
 * site: it serves docs/examples/ (the documented example page, with the
 * daemon's address put in for https://search.example.org) under a strict
 * Content-Security-Policy, and the daemon allows that origin with
 * --cors-origin. The same page reached as "localhost" is another origin,
 * not on the allow-list.
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { createRequire } = require('node:module');

function parseArgs(argv) {
  const out = { chromium: process.env.CIV_CHROMIUM || '/usr/bin/chromium' };
  const keys = ['indexer', 'searchd', 'corpus', 'work', 'examples', 'chromium'];
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!keys.includes(key) || i + 1 >= argv.length)
      throw new Error('usage: test_page.js --indexer P --searchd P --corpus D --work D ' +
                      '--examples D [--chromium P]');
    out[key] = path.resolve(argv[i + 1]);
  }
  for (const k of ['indexer', 'searchd', 'corpus', 'work', 'examples'])
    if (!out[k]) throw new Error('missing --' + k);
  return out;
}

const args = parseArgs(process.argv.slice(2));
const docImages = process.env.CIV_DOC_IMAGES ? path.resolve(process.env.CIV_DOC_IMAGES) : null;
const XSS_TITLE = 'Xsstest <script>window.__xss=1</script> "><img src=x onerror="window.__xss=1">';
const XSS_SCRIPT = '<script>window.__xss=1</script>';
const XSS_IMG = '"><img src=x onerror="window.__xss=1">';
const IMG_TITLE = '<img src=x onerror="window.__xss=1">';
/* What the example page says where the daemon's address goes. */
const EXAMPLE_ORIGIN = 'https://search.example.org';
const EXAMPLE_PAGE = 'committee-site.html';

/* playwright-core and axe-core from the build directory, installed from the
 * committed lock file when missing or stale. */
function loadModules() {
  fs.mkdirSync(args.work, { recursive: true });
  const lockSrc = path.join(__dirname, 'package-lock.json');
  const lockDst = path.join(args.work, 'package-lock.json');
  const installed = ['playwright-core', 'axe-core'].every((m) =>
    fs.existsSync(path.join(args.work, 'node_modules', m, 'package.json')));
  const stale = !installed || !fs.existsSync(lockDst) ||
    !fs.readFileSync(lockSrc).equals(fs.readFileSync(lockDst));
  if (stale) {
    fs.copyFileSync(path.join(__dirname, 'package.json'), path.join(args.work, 'package.json'));
    fs.copyFileSync(lockSrc, lockDst);
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'],
                 { cwd: args.work, stdio: 'inherit' });
  }
  const req = createRequire(path.join(args.work, 'package.json'));
  return { playwright: req('playwright-core'),
           axeSource: fs.readFileSync(req.resolve('axe-core/axe.min.js'), 'utf8') };
}

/* Hostile documents: markup, event handlers, javascript: URLs and U+2028
 * in titles and text, as HTML, XML and plain text; and one whose whole
 * title is an <img> tag with an onerror handler. */
function writeHostile(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = 'Xsstest paragraph: ' + XSS_SCRIPT + ' and ' + XSS_IMG +
    ' and javascript:window.__xss=1 and a line\u2028separator.';
  fs.writeFileSync(path.join(dir, 'xsstest.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>' + esc(XSS_TITLE) + '</title>' +
    '<script>window.__xss=1</script></head><body><h1>' + esc(XSS_TITLE) + '</h1><p>' +
    esc(body) + ' <a href="javascript:window.__xss=1">javascript:window.__xss=1</a></p>' +
    '<p onmouseover="window.__xss=1">Xsstest second paragraph ' + esc(XSS_IMG) + '</p>' +
    '</body></html>\n');
  fs.writeFileSync(path.join(dir, 'xsstest.xml'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<document><title>' + esc(XSS_TITLE) +
    '</title><p>' + esc(body) + '</p></document>\n');
  fs.writeFileSync(path.join(dir, 'xsstest.txt'), XSS_TITLE + '\n\n' + body + '\n\n' +
    'Xsstest third ' + XSS_SCRIPT + ' javascript:alert(1)\u2028end.\n');
  fs.writeFileSync(path.join(dir, 'imgtitle.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>' + esc(IMG_TITLE) +
    '</title></head><body><p>Imgtitletest: the title of this document is an image tag ' +
    'with an error handler.</p></body></html>\n');
}

function runIndexer(db, dirs) {
  try {
    execFileSync(args.indexer, ['--db', db, '--quiet', '--no-progress', ...dirs],
                 { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    /* Exit 1 means some file failed; the searches below show whether it matters. */
    if (e.status !== 1)
      throw new Error('civitas-index exit ' + e.status + '\n' + e.stdout + '\n' + e.stderr);
  }
}

/* civitas-searchd on a free port; resolves to { proc, origin }. */
function startDaemon(db, extra) {
  return new Promise((resolve, reject) => {
    const log = fs.openSync(path.join(args.work, 'searchd.stderr'), 'w');
    const proc = spawn(args.searchd, ['--db', db, '--listen', '127.0.0.1:0', '--no-access-log',
                                      '--threads', '2', ...extra],
                       { stdio: ['ignore', 'pipe', log] });
    let out = '';
    const timer = setTimeout(() => reject(new Error('civitas-searchd did not start: ' + out)),
                             20000);
    proc.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/[^/\s]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, origin: m[1] });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error('civitas-searchd exited ' + code + ' before listening'));
    });
  });
}

/* The committee site: docs/examples/ as documented, with the daemon's
 * address in place of https://search.example.org, under the strict
 * Content-Security-Policy a careful site sends. ?passage=ID puts another
 * passage in the example's citation card. */
function startHostSite(state) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://host');
    const daemon = state.daemon;
    if (url.pathname === '/' + EXAMPLE_PAGE) {
      let html = fs.readFileSync(path.join(args.examples, EXAMPLE_PAGE), 'utf8');
      html = html.split(EXAMPLE_ORIGIN).join(daemon);
      const passage = url.searchParams.get('passage') || state.udhrArticle26;
      html = html.replace(/data-civitas-passage="[^"]*"/, 'data-civitas-passage="' + passage + '"');
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': "default-src 'self'; script-src " + daemon +
          '; connect-src ' + daemon + "; style-src 'self'; img-src 'self'",
      });
      res.end(html);
    } else if (/^\/[\w-]+\.css$/.test(url.pathname) &&
               fs.existsSync(path.join(args.examples, url.pathname))) {
      res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8' });
      res.end(fs.readFileSync(path.join(args.examples, url.pathname)));
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const state = {};

async function newContext(options) {
  const context = await state.browser.newContext(Object.assign(
    { viewport: { width: 1200, height: 900 }, locale: 'en-GB' }, options || {}));
  context.setDefaultTimeout(10000);
  return context;
}

before(async () => {
  const started = Date.now();
  const modules = loadModules();
  state.axeSource = modules.axeSource;
  const db = path.join(args.work, 'db');
  const hostile = path.join(args.work, 'hostile');
  fs.rmSync(db, { recursive: true, force: true });
  writeHostile(hostile);
  runIndexer(db, [args.corpus, hostile]);
  state.site = await startHostSite(state);
  state.siteOrigin = 'http://127.0.0.1:' + state.site.address().port;
  state.otherOrigin = 'http://localhost:' + state.site.address().port;
  const d = await startDaemon(db, ['--cors-origin', state.siteOrigin]);
  state.proc = d.proc;
  state.daemon = d.origin;
  state.browser = await modules.playwright.chromium.launch({
    executablePath: args.chromium,
    headless: true,
    chromiumSandbox: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  state.context = await newContext();
  for (const origin of [state.daemon, state.siteOrigin])
    await state.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  /* The passage the example's card quotes: Article 26 of the English UDHR. */
  const api = state.context.request;
  const found = await (await api.get(state.daemon + '/api/search?q=' +
    encodeURIComponent('"right to education"') + '&lang=en&format=udhr-xml&group=passage')).json();
  state.udhrArticle26 = found.hits[0].passages[0].id;
  assert.equal(found.hits[0].passages[0].paragraph, 'Article 26');
  console.log('# set up in ' + (Date.now() - started) + ' ms: daemon ' + state.daemon +
              ', committee site ' + state.siteOrigin);
});

after(async () => {
  if (state.browser) await state.browser.close();
  if (state.site) state.site.close();
  if (state.proc && state.proc.exitCode === null) {
    const exited = new Promise((resolve) => state.proc.on('exit', (code) => resolve(code)));
    state.proc.kill('SIGTERM');
    assert.equal(await exited, 0, 'civitas-searchd stops cleanly on SIGTERM');
  }
});

/* A new page that records console errors and uncaught exceptions. */
async function newPage(context) {
  const page = await (context || state.context).newPage();
  page.errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.errors.push('console: ' + msg.text());
  });
  page.on('pageerror', (err) => page.errors.push('pageerror: ' + err.message));
  page.on('response', (res) => {
    if (res.status() >= 400) page.errors.push('HTTP ' + res.status() + ': ' + res.url());
  });
  return page;
}

/* A test with its own page; when it fails, a screenshot of that page goes
 * to the work directory as failure-<name>.png. options.context: a browser
 * context to open the page in (closed afterwards). */
function browserTest(name, fn, options) {
  test(name, async () => {
    const context = options && options.context ? await newContext(options.context) : null;
    const page = await newPage(context);
    try {
      await fn(page);
    } catch (e) {
      const file = path.join(args.work, 'failure-' + name.replace(/[^A-Za-z0-9]+/g, '-')
        .replace(/^-|-$/g, '').slice(0, 80) + '.png');
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.log('# screenshot of the failure: ' + file);
      throw e;
    } finally {
      await page.close();
      if (context) await context.close();
    }
  });
}

/* The screenshots docs/EMBEDDING.md shows. */
const DOC_SHOTS = ['widget.png', 'widget-ar.png', 'card.png', 'page-ar.png'];

/* Save a screenshot to the work directory, and those for docs/EMBEDDING.md
 * to CIV_DOC_IMAGES when it is set. target: a page, or a locator (its box, at
 * most maxHeight pixels of it). */
async function shot(target, name, options, maxHeight) {
  if (typeof target.boundingBox === 'function') {
    await target.evaluate((n) => n.scrollIntoView({ block: 'start' }));
    const box = await target.boundingBox();
    const page = target.page();
    options = { clip: { x: Math.max(0, box.x - 8), y: Math.max(0, box.y - 8),
                        width: box.width + 16, height: Math.min(box.height + 16, maxHeight || 640) } };
    target = page;
  }
  await target.screenshot(Object.assign({ path: path.join(args.work, name) }, options || {}));
  if (docImages && DOC_SHOTS.includes(name)) {
    fs.mkdirSync(docImages, { recursive: true });
    fs.copyFileSync(path.join(args.work, name), path.join(docImages, name));
  }
}

/* axe-core in the page (evaluated through the DevTools protocol, so the
 * pages' Content-Security-Policy does not stop it); no serious or critical
 * violation may remain. */
async function assertAccessible(page, what) {
  await page.evaluate(state.axeSource);
  const violations = await page.evaluate(async () => {
    /* global axe */
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], what + ': ' + JSON.stringify(bad, null, 1));
  return violations;
}

async function search(page, query) {
  const box = page.getByRole('searchbox', { name: 'Search documents' });
  await box.fill(query);
  await box.press('Enter');
  await page.locator('#status').filter({ hasText: /found\.|No results\./ }).waitFor();
}

function examplePage(extra) {
  return state.siteOrigin + '/' + EXAMPLE_PAGE + (extra || '');
}

/* ---- the search page ----------------------------------------------------- */

browserTest('page: a query shows ranked passages with highlights and citations', async (page) => {
  await page.goto(state.daemon + '/');
  /* The page as a screen reader meets it. */
  await page.getByRole('search').waitFor();
  assert.equal(await page.locator('#status').getAttribute('aria-live'), 'polite');
  assert.equal(await page.locator('link[rel="search"]').getAttribute('href'), '/opensearch.xml');
  await search(page, 'right to education');
  assert.match(await page.locator('#status').textContent(), /^\d+ documents found\.$/);
  assert.equal(new URL(page.url()).searchParams.get('q'), 'right to education');
  const hits = page.locator('#hits > li');
  assert.ok(await hits.count() >= 3);
  /* The Declaration is among them (wherever the ranking puts it), with
   * Article 26 highlighted and cited. */
  const udhr = hits.filter({ has: page.getByRole('heading', { level: 2,
                                                              name: 'Universal Declaration of Human Rights' }) });
  assert.equal(await udhr.count(), 1);
  const marks = await udhr.locator('.snippet mark').allTextContents();
  assert.ok(marks.some((m) => /^(right|education)$/i.test(m)), 'marks: ' + marks);
  assert.ok((await udhr.locator('.citation').allTextContents())
    .includes('Universal Declaration of Human Rights, Article 26'));
  await shot(page, 'page-results.png');
  /* On a phone the results come first; the filters are folded. */
  await page.setViewportSize({ width: 400, height: 800 });
  await page.reload();
  await page.locator('#status').filter({ hasText: /found\./ }).waitFor();
  assert.equal(await page.locator('#filters').getAttribute('open'), null);
  assert.ok(await page.locator('#hits > li').first().isVisible());
  await shot(page, 'page-narrow.png');
  await page.setViewportSize({ width: 1200, height: 900 });

  /* Links to the original open the PDF at the passage's page. */
  const original = page.locator('#hits a.original[href*="#page="]').first();
  const href = await original.getAttribute('href');
  const pageNo = /#page=(\d+)$/.exec(href)[1];
  assert.equal(await original.textContent(), 'Original, page ' + pageNo);
  const pdf = await page.request.get(href);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.deepEqual(page.errors, []);
});

browserTest('page: Copy citation puts the citation on the clipboard and says so', async (page) => {
  await page.goto(state.daemon + '/?q=' + encodeURIComponent('right to education'));
  await page.locator('#status').filter({ hasText: /found\./ }).waitFor();
  const citation = await page.locator('#hits .citation').first().textContent();
  const button = page.getByRole('button', { name: 'Copy citation: ' + citation }).first();
  await button.click();
  await page.locator('#status').filter({ hasText: 'Citation copied: ' + citation }).waitFor();
  assert.equal(await button.textContent(), 'Copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), citation);
  assert.deepEqual(page.errors, []);
});

browserTest('page: a facet narrows the results and paging moves through them', async (page) => {
  await page.goto(state.daemon + '/');
  await search(page, 'rights OR droits');
  const all = parseInt(await page.locator('#status').textContent(), 10);
  assert.ok(all > 10, 'more than one page: ' + all);

  /* Paging: page 2 holds the rest, the focus goes to the results. */
  const titles1 = await page.locator('#hits h2').allTextContents();
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.locator('#status').filter({ hasText: ', page 2.' }).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('page'), '2');
  assert.equal(await page.locator('#pageinfo').textContent(), 'Page 2 of ' + Math.ceil(all / 10));
  const titles2 = await page.locator('#hits h2').allTextContents();
  assert.equal(titles2.length, all - 10);
  assert.ok(!titles2.some((t) => titles1.includes(t)), 'page 2 repeats page 1');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'results');
  assert.ok(await page.getByRole('button', { name: 'Next page' }).isDisabled());
  await page.getByRole('button', { name: 'Previous page' }).click();
  await page.locator('#status').filter({ hasText: /^\d+ documents found\.$/ }).waitFor();

  /* Facet: French. */
  const french = page.getByRole('checkbox', { name: /^French \(\d+\)$/ });
  const count = parseInt(/\((\d+)\)/.exec(await french.locator('xpath=..').textContent())[1], 10);
  await french.check();
  await page.locator('#status').filter({ hasText: count + ' document' }).waitFor();
  assert.ok(count < all);
  assert.equal(await page.locator('#hits > li').count(), count);
  assert.equal(await page.locator('#hits > li').first().getAttribute('lang'), 'fr');
  assert.deepEqual(new URL(page.url()).searchParams.getAll('lang'), ['fr']);
  assert.ok(await page.getByRole('checkbox', { name: /^French/ }).isChecked());
  assert.equal(await page.locator('#filters-summary').textContent(), 'Filters (1 on)');
  /* Back restores the unfiltered results. */
  await page.goBack();
  await page.locator('#status').filter({ hasText: all + ' documents found.' }).waitFor();
  assert.deepEqual(page.errors, []);
});

browserTest('page: a link limited to a symbol prefix and years says so and can be widened', async (page) => {
  /* As the widget's "All results" link carries its fixed filters. */
  await page.goto(state.daemon + '/?q=rights&symbol=A%2FHRC%2F&year_from=2020');
  await page.locator('#status').filter({ hasText: /found\./ }).waitFor();
  const limited = parseInt(await page.locator('#status').textContent(), 10);
  assert.ok(limited > 0);
  assert.equal(await page.locator('#scope').textContent(), 'Only A/HRC/, 2020–…. Search all documents');
  for (const meta of await page.locator('#hits .meta').allTextContents()) {
    const [symbol, , , date] = meta.split(' · ');
    assert.ok(symbol.startsWith('A/HRC/') && date >= '2020', meta);
  }
  /* A new query keeps the limit. */
  await search(page, 'human rights');
  assert.equal(new URL(page.url()).searchParams.get('symbol'), 'A/HRC/');
  await search(page, 'rights');
  await page.getByRole('button', { name: 'Search all documents' }).click();
  await page.locator('#status').filter({ hasText: /found\./ }).waitFor();
  await page.locator('#scope').waitFor({ state: 'hidden' });
  const all = parseInt(await page.locator('#status').textContent(), 10);
  assert.ok(all > limited, all + ' > ' + limited);
  assert.equal(new URL(page.url()).searchParams.get('symbol'), null);
  assert.equal(new URL(page.url()).searchParams.get('year_from'), null);
  assert.deepEqual(page.errors, []);
});

browserTest('page: keyboard only: Tab to the box, Enter searches, Enter toggles a facet', async (page) => {
  await page.goto(state.daemon + '/');
  await page.locator('#status').filter({ hasText: /found\./ }).waitFor();
  const focusedId = () => page.evaluate(() => document.activeElement && document.activeElement.id);
  async function tabTo(id, max) {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await focusedId() === id) return i + 1;
    }
    throw new Error('Tab never reached #' + id + ' (last: ' + await focusedId() + ')');
  }
  await tabTo('q', 3);
  await page.keyboard.type('rights OR droits');
  await page.keyboard.press('Enter');
  await page.locator('#status').filter({ hasText: /\d+ documents found\./ }).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('q'), 'rights OR droits');
  await tabTo('f-lang-fr', 30);
  /* The focus is visible. */
  const outline = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return s.outlineStyle + ' ' + s.outlineWidth;
  });
  assert.match(outline, /^solid [1-9]/);
  await shot(page, 'page-keyboard.png', { clip: { x: 0, y: 250, width: 600, height: 350 } });
  await page.keyboard.press('Enter');
  await page.waitForURL(/lang=fr/);
  await page.locator('#status').filter({ hasText: /^1 document found\.$/ }).waitFor();
  /* The redrawn facets keep the focus where the user was. */
  assert.equal(await focusedId(), 'f-lang-fr');
  assert.ok(await page.locator('#f-lang-fr').isChecked());
  await page.keyboard.press('Space');
  await page.locator('#status').filter({ hasText: /^\d\d+ documents found\.$/ }).waitFor();
  assert.equal(await focusedId(), 'f-lang-fr');
  assert.deepEqual(page.errors, []);
});

browserTest('page: a link restores the search, and the OpenSearch template leads to it', async (page) => {
  /* The template a browser fills in when Civitas is its search engine. */
  const os = await page.request.get(state.daemon + '/opensearch.xml');
  assert.equal(os.headers()['content-type'], 'application/opensearchdescription+xml; charset=utf-8');
  const template = /<Url type="text\/html" method="get" template="([^"]+)"/.exec(await os.text())[1];
  assert.equal(template, state.daemon + '/?q={searchTerms}');
  await page.goto(template.replace('{searchTerms}', encodeURIComponent('droits')) + '&lang=fr');
  await page.locator('#status').filter({ hasText: /^1 document found\.$/ }).waitFor();
  assert.equal(await page.getByRole('searchbox', { name: 'Search documents' }).inputValue(), 'droits');
  assert.ok(await page.getByRole('checkbox', { name: /^French/ }).isChecked());
  assert.equal(await page.locator('#hits > li').first().getAttribute('lang'), 'fr');
  assert.ok(await page.locator('#hits mark').count() > 0);
  assert.deepEqual(page.errors, []);
});

browserTest('page: the interface follows the browser language, right to left in Arabic', async (page) => {
  await page.goto(state.daemon + '/?q=' + encodeURIComponent('right to education'));
  await page.locator('#hits > li').first().waitFor();
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
  assert.ok(await page.getByRole('searchbox', { name: 'البحث في الوثائق' }).isVisible());
  assert.match(await page.locator('#status').textContent(), /^عدد الوثائق التي عُثر عليها: \d+\.$/);
  assert.ok(await page.getByRole('button', { name: /^نسخ المرجع: / }).first().isVisible());
  /* The layout is mirrored: the filters column is on the right. */
  const aside = await page.locator('aside').boundingBox();
  const results = await page.locator('#results').boundingBox();
  assert.ok(aside.x > results.x, 'filters right of the results');
  /* English documents inside stay left to right. */
  const first = page.locator('#hits > li').first();
  assert.equal(await first.getAttribute('lang'), 'en');
  assert.equal(await first.evaluate((n) => getComputedStyle(n).direction), 'ltr');
  await shot(page, 'page-ar.png', { clip: { x: 0, y: 0, width: 1200, height: 480 } });
  await assertAccessible(page, 'the Arabic search page');

  /* hl= (and the language menu) beat the browser. */
  await page.goto(state.daemon + '/?hl=fr&q=' + encodeURIComponent('right to education'));
  await page.locator('#hits > li').first().waitFor();
  assert.equal(await page.locator('html').getAttribute('dir'), 'ltr');
  assert.match(await page.locator('#status').textContent(), /^\d+ documents trouvés\.$/);
  await page.getByRole('combobox', { name: 'Langue de l’interface' }).selectOption('es');
  await page.locator('#status').filter({ hasText: /^\d+ documentos encontrados\.$/ }).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('hl'), 'es');
  assert.ok(await page.getByRole('button', { name: 'Buscar', exact: true }).isVisible());
  assert.deepEqual(page.errors, []);
}, { context: { locale: 'ar' } });

/* The hostile documents are found and shown as the text they contain. */
async function assertNoXss(page, scope) {
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'window.__xss is set');
  const root = page.locator(scope);
  assert.equal(await root.locator('img, script, iframe, object, embed').count(), 0);
  assert.equal(await root.locator('a[href^="javascript:" i]').count(), 0);
  assert.equal(await root.locator('[onerror], [onmouseover], [onclick]').count(), 0);
  const text = (await root.allTextContents()).join('\n');
  assert.ok(text.includes(XSS_SCRIPT), 'the <script> text is shown literally');
  assert.ok(text.includes('onerror="window.__xss=1">'), 'the <img> text is shown literally');
  assert.ok(text.includes('javascript:'), 'the javascript: text is shown');
}

browserTest('page: hostile titles and text are shown, never run', async (page) => {
  await page.goto(state.daemon + '/');
  await search(page, 'xsstest');
  assert.ok(await page.locator('#hits > li').count() >= 2);
  await assertNoXss(page, '#hits');
  /* Hover everything, in case a handler slipped through. */
  for (const p of await page.locator('#hits p').all()) await p.hover();
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await shot(page, 'page-xss.png');
  /* A title that is nothing but an <img> tag is that text as the heading. */
  await search(page, 'imgtitletest');
  assert.equal(await page.locator('#hits h2').first().textContent(), IMG_TITLE);
  assert.equal(await page.locator('#hits img').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(page.errors, []);
});

browserTest('page: no serious or critical accessibility violations (axe-core)', async (page) => {
  await page.goto(state.daemon + '/?q=' + encodeURIComponent('rights OR droits') + '&lang=en');
  await page.locator('#status').filter({ hasText: /found\./ }).waitFor();
  await page.getByRole('button', { name: /^Copy citation: / }).first().waitFor();
  const all = await assertAccessible(page, 'the search page');
  console.log('# page: axe reports ' + all.length + ' minor or moderate rule(s): ' +
              all.map((v) => v.id).join(', '));
  assert.deepEqual(page.errors, []);
});

/* ---- the widget on the committee's site --------------------------------- */

const widget = (page) => page.locator('#civitas-search');
const widgetStatus = (page) => widget(page).locator('.status');

/* Type a query into the English widget (no Enter: results come as you
 * type) and wait for the count. */
async function widgetType(page, query) {
  const box = widget(page).getByRole('searchbox', { name: 'Search human-rights documents' });
  await box.fill('');
  /* The widget says "Searching…" before it asks, so once the answer is
   * here the count in the live region is this query's. */
  const answered = page.waitForResponse((r) => r.url().startsWith(state.daemon + '/api/search?') &&
                                        new URL(r.url()).searchParams.get('q') === query);
  await box.pressSequentially(query, { delay: 30 });
  await answered;
  await widgetStatus(page).filter({ hasText: /found\.|No results\./ }).waitFor();
}

browserTest('widget: typing shows highlighted results from the other origin', async (page) => {
  const searches = [];
  page.on('request', (r) => { if (r.url().includes('/api/search?')) searches.push(r.url()); });
  await page.goto(examplePage());
  await widgetType(page, 'education');
  /* Debounced: one search for the word, not one per key. */
  assert.ok(searches.length <= 2, searches.join('\n'));
  assert.equal(new URL(searches[searches.length - 1]).searchParams.get('q'), 'education');
  assert.match(await widgetStatus(page).textContent(), /^\d+ documents found\.$/);
  const hits = widget(page).locator('.hits > li');
  assert.equal(await hits.count(), 5, 'five per page by default');
  const marks = await hits.locator('.snippet mark').allTextContents();
  assert.ok(marks.length > 0 && marks.every((m) => /^educat/i.test(m)), 'marks: ' + marks);
  assert.ok(await hits.locator('.citation').count() >= 5);
  /* Links point at the daemon, not at the host site. */
  for (const a of await widget(page).locator('a').all())
    assert.ok((await a.getAttribute('href')).startsWith(state.daemon + '/'));
  const more = widget(page).getByRole('link', { name: /^All results and filters on / });
  assert.equal(new URL(await more.getAttribute('href')).searchParams.get('q'), 'education');

  /* Its styles are its own: the host's uppercase grey buttons and grey
   * paragraphs do not reach in; the host's font and --civitas-accent do. */
  const search = widget(page).getByRole('button', { name: 'Search', exact: true });
  const buttonStyle = await search.evaluate((n) => {
    const s = getComputedStyle(n);
    return [s.textTransform, s.backgroundColor];
  });
  assert.deepEqual(buttonStyle, ['none', 'rgb(122, 31, 61)']);
  assert.equal(await hits.first().locator('.snippet').first().evaluate((n) => getComputedStyle(n).color),
               'rgb(27, 27, 27)');
  const fonts = await page.evaluate(() => [
    getComputedStyle(document.body).fontFamily,
    getComputedStyle(document.querySelector('#civitas-search').shadowRoot.querySelector('.civitas'))
      .fontFamily]);
  assert.equal(fonts[1], fonts[0]);
  assert.match(fonts[0], /Georgia/);
  /* It defines no globals on the host page. */
  assert.equal(await page.evaluate(() =>
    typeof CivitasRender + typeof CivitasI18n), 'undefinedundefined');

  /* Paging. */
  await widget(page).getByRole('button', { name: 'Next page' }).click();
  await widgetStatus(page).filter({ hasText: ', page 2.' }).waitFor();
  assert.equal(await widget(page).evaluate((n) => n.shadowRoot.activeElement.className),
               'results');
  await widget(page).getByRole('button', { name: 'Previous page' }).click();
  await widgetStatus(page).filter({ hasText: /^\d+ documents found\.$/ }).waitFor();
  /* For the docs: the committee's page as a visitor sees it. */
  await page.setViewportSize({ width: 800, height: 560 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'widget.png');
  assert.deepEqual(page.errors, []);
});

browserTest('widget: a facet click narrows the results', async (page) => {
  await page.goto(examplePage());
  await widgetType(page, 'rights OR droits');
  const all = parseInt(await widgetStatus(page).textContent(), 10);
  await widget(page).getByText('Filters', { exact: true }).click();
  const french = widget(page).getByRole('checkbox', { name: /^French \(\d+\)$/ });
  const count = parseInt(/\((\d+)\)/.exec(await french.locator('xpath=..').textContent())[1], 10);
  assert.ok(count > 0 && count < all, count + ' of ' + all);
  await french.click();
  await widgetStatus(page).filter({ hasText: new RegExp('^' + count + ' documents? found\\.$') })
    .waitFor();
  const hits = widget(page).locator('.hits > li');
  assert.equal(await hits.count(), Math.min(count, 5));
  for (const li of await hits.all()) assert.equal(await li.getAttribute('lang'), 'fr');
  assert.ok(await widget(page).getByRole('checkbox', { name: /^French/ }).isChecked());
  assert.equal(await widget(page).locator('summary').textContent(), 'Filters (1 on)');
  /* Clear filters brings them all back. */
  await widget(page).getByRole('button', { name: 'Clear filters' }).click();
  await widgetStatus(page).filter({ hasText: all + ' documents found.' }).waitFor();
  assert.deepEqual(page.errors, []);
});

browserTest('widget: Copy citation puts the citation on the clipboard', async (page) => {
  await page.goto(examplePage());
  await widgetType(page, 'right to education');
  const citation = await widget(page).locator('.citation').first().textContent();
  assert.ok(citation.length > 5, citation);
  const copy = widget(page).getByRole('button', { name: 'Copy citation: ' + citation }).first();
  await copy.click();
  await widgetStatus(page).filter({ hasText: 'Citation copied: ' + citation }).waitFor();
  assert.equal(await copy.textContent(), 'Copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), citation);
  assert.deepEqual(page.errors, []);
});

browserTest('widget: where no script may copy, the citation is selected for Ctrl+C', async (page) => {
  /* A browser that refuses both the Clipboard API and execCommand. */
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: () => Promise.reject(new DOMException('refused', 'NotAllowedError')) },
    });
    document.execCommand = () => false;
  });
  await page.goto(examplePage());
  await widgetType(page, 'right to education');
  const citation = await widget(page).locator('.citation').first().textContent();
  await widget(page).getByRole('button', { name: 'Copy citation: ' + citation }).first().click();
  await widgetStatus(page).filter({ hasText: 'Press Ctrl+C to copy the selected citation.' })
    .waitFor();
  const field = widget(page).getByRole('textbox', { name: 'Citation' });
  assert.equal(await field.inputValue(), citation);
  const selected = await widget(page).evaluate((n) => {
    const f = n.shadowRoot.activeElement;
    return f && f.classList.contains('copy-field')
      ? f.value.slice(f.selectionStart, f.selectionEnd) : null;
  });
  assert.equal(selected, citation, 'the focused field has the whole citation selected');
  assert.deepEqual(page.errors, []);
});

browserTest('card: a passage by id with its citation and the original', async (page) => {
  await page.goto(examplePage());
  const card = page.locator('[data-civitas-passage]');
  const quote = card.locator('blockquote');
  await quote.waitFor();
  assert.match(await quote.textContent(), /^Everyone has the right to education\. Education shall be free/);
  assert.equal(await quote.getAttribute('lang'), 'en');
  const citation = card.locator('.citation');
  assert.equal(await citation.textContent(), 'Universal Declaration of Human Rights, Article 26');
  const original = card.getByRole('link', { name: 'Original' });
  assert.ok((await original.getAttribute('href')).startsWith(state.daemon + '/api/documents/'));
  /* The fallback text inside the element is not drawn next to the card. */
  assert.equal(await card.evaluate((n) => {
    const range = document.createRange();
    range.selectNodeContents(n);
    return range.getClientRects().length;
  }), 0);
  await page.setViewportSize({ width: 800, height: 900 });
  await shot(card, 'card.png');
  const copy = card.getByRole('button',
                              { name: 'Copy citation: Universal Declaration of Human Rights, Article 26' });
  await copy.click();
  await card.getByRole('status').filter({ hasText: 'Citation copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()),
               'Universal Declaration of Human Rights, Article 26');
  assert.deepEqual(page.errors, []);
});

browserTest('widget: fixed filter and French interface by attribute', async (page) => {
  await page.goto(examplePage());
  const fr = page.locator('#civitas-fr');
  const box = fr.getByRole('searchbox', { name: 'Rechercher dans les documents relatifs aux droits de l’homme' });
  await box.fill('droits');
  await box.press('Enter');
  await fr.locator('.status').filter({ hasText: /^\d+ documents? trouvés?\.$/ }).waitFor();
  for (const li of await fr.locator('.hits > li').all()) assert.equal(await li.getAttribute('lang'), 'fr');
  assert.ok(await fr.locator('.hits mark').count() > 0);
  assert.ok(await fr.getByRole('button', { name: /^Copier la référence : / }).first().isVisible());
  /* The language is fixed by the host: no language facet to undo it. */
  await fr.getByText('Filtres', { exact: true }).click();
  assert.equal(await fr.getByRole('group', { name: 'Langue' }).count(), 0);
  assert.ok(await fr.getByRole('group', { name: 'Type de document' }).isVisible());
  assert.equal(await fr.locator('.civitas').getAttribute('lang'), 'fr');
  assert.deepEqual(page.errors, []);
});

browserTest('widget and card: Arabic interface from the browser, right to left', async (page) => {
  await page.goto(examplePage());
  const w = widget(page);
  const box = w.getByRole('searchbox', { name: 'البحث في وثائق حقوق الإنسان' });
  assert.equal(await w.locator('.civitas').getAttribute('dir'), 'rtl');
  await box.pressSequentially('education', { delay: 30 });
  await w.locator('.status').filter({ hasText: /^عدد الوثائق التي عُثر عليها: \d+\.$/ }).waitFor();
  /* Mirrored: the button is left of the box, text starts at the right. */
  const input = await box.boundingBox();
  const button = await w.getByRole('button', { name: 'بحث', exact: true }).boundingBox();
  assert.ok(button.x < input.x, 'the search button is on the left');
  assert.equal(await w.locator('.civitas').evaluate((n) => getComputedStyle(n).direction), 'rtl');
  /* English results keep their own direction. */
  assert.equal(await w.locator('.hits > li').first().evaluate((n) => getComputedStyle(n).direction),
               'ltr');
  /* The card speaks Arabic too; the French box keeps the language its
   * attribute asks for. */
  const card = page.locator('[data-civitas-passage]');
  await card.getByRole('button', { name: /^نسخ المرجع: / }).waitFor();
  assert.equal(await card.getByRole('link', { name: 'الأصل' }).count(), 1);
  assert.ok(await page.locator('#civitas-fr').getByRole('searchbox',
    { name: 'Rechercher dans les documents relatifs aux droits de l’homme' }).isVisible());
  await page.setViewportSize({ width: 800, height: 900 });
  await shot(w, 'widget-ar.png', null, 480);
  await assertAccessible(page, 'the Arabic widget');
  assert.deepEqual(page.errors, []);
}, { context: { locale: 'ar' } });

browserTest('widget: keyboard only, with a visible focus', async (page) => {
  await page.goto(examplePage());
  const active = () => page.evaluate(() => {
    const host = document.activeElement;
    const inner = host && host.shadowRoot && host.shadowRoot.activeElement;
    return inner ? host.id + ' ' + (inner.id || inner.tagName.toLowerCase()) : host && host.tagName;
  });
  async function tabTo(want, max) {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await active() === want) return;
    }
    throw new Error('Tab never reached ' + want + ' (last: ' + await active() + ')');
  }
  await tabTo('civitas-search civitas-q', 5);
  await page.keyboard.type('rights OR droits');
  await widgetStatus(page).filter({ hasText: /^\d+ documents found\.$/ }).waitFor();
  await tabTo('civitas-search summary', 5);
  const outline = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement.shadowRoot.activeElement);
    return s.outlineStyle + ' ' + s.outlineWidth;
  });
  assert.match(outline, /^solid [1-9]/);
  await page.keyboard.press('Enter');
  await tabTo('civitas-search f-lang-fr', 40);
  await page.keyboard.press('Space');
  await widgetStatus(page).filter({ hasText: /^1 document found\.$/ }).waitFor();
  assert.equal(await active(), 'civitas-search f-lang-fr', 'the focus stays on the facet');
  await page.keyboard.press('Enter');
  await widgetStatus(page).filter({ hasText: /^\d\d+ documents found\.$/ }).waitFor();
  assert.deepEqual(page.errors, []);
});

browserTest('widget and card: hostile titles and text are shown, never run', async (page) => {
  /* The card quotes the HTML file's paragraph with all the markup in it. */
  const api = page.request;
  const found = await (await api.get(state.daemon +
    '/api/search?q=xsstest&format=html&group=passage&per_page=20')).json();
  let hostile = null;
  for (const h of found.hits) {
    const p = (await (await api.get(state.daemon + '/api/passages/' + h.passages[0].id)).json()).passage;
    if (p.text.includes(XSS_SCRIPT) && p.text.includes(XSS_IMG) && p.text.includes('javascript:')) {
      hostile = p.id;
      break;
    }
  }
  assert.ok(hostile, 'the hostile paragraph is indexed');
  await page.goto(examplePage('?passage=' + hostile));
  await widgetType(page, 'xsstest');
  await assertNoXss(page, '#civitas-search .hits');
  await widgetType(page, 'imgtitletest');
  assert.equal(await widget(page).locator('.hits h3').first().textContent(), IMG_TITLE);
  /* The card quotes a hostile passage and cites a hostile title. */
  const card = page.locator('[data-civitas-passage]');
  await card.locator('blockquote').waitFor();
  assert.ok((await card.locator('.citation').textContent()).includes(XSS_SCRIPT));
  assert.equal(await card.locator('img, script').count(), 0);
  await assertNoXss(page, '[data-civitas-passage] .civitas');
  for (const p of await page.locator('#civitas-search .hits p').all()) await p.hover();
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(page.errors, []);
});

browserTest('widget: no serious or critical accessibility violations (axe-core)', async (page) => {
  await page.goto(examplePage());
  await widgetType(page, 'rights OR droits');
  await widget(page).getByText('Filters', { exact: true }).click();
  await page.locator('[data-civitas-passage] blockquote').waitFor();
  const all = await assertAccessible(page, 'the example page with the widget and a card');
  console.log('# widget: axe reports ' + all.length + ' minor or moderate rule(s): ' +
              all.map((v) => v.id).join(', '));
  assert.deepEqual(page.errors, []);
});

browserTest('widget: a site not on the allow-list gets no results', async (page) => {
  /* Same server, other origin ("localhost" is not 127.0.0.1 to the browser). */
  await page.goto(state.otherOrigin + '/' + EXAMPLE_PAGE);
  const box = widget(page).getByRole('searchbox', { name: 'Search human-rights documents' });
  await box.fill('right to education');
  await box.press('Enter');
  await widgetStatus(page).filter({ hasText: /not available here/ }).waitFor();
  assert.equal(await widget(page).locator('.hits > li').count(), 0);
  /* The card is refused as well. */
  await page.locator('[data-civitas-passage]').getByText('The passage could not be loaded.').waitFor();
  assert.ok(page.errors.some((e) => /CORS|Access-Control-Allow-Origin/.test(e)), page.errors.join('\n'));
  /* The daemon answered without allowing this origin. */
  const res = await page.request.get(state.daemon + '/api/search?q=education',
                                     { headers: { Origin: state.otherOrigin } });
  assert.equal(res.headers()['access-control-allow-origin'], undefined);
  const ok = await page.request.get(state.daemon + '/api/search?q=education',
                                    { headers: { Origin: state.siteOrigin } });
  assert.equal(ok.headers()['access-control-allow-origin'], state.siteOrigin);
});

test('widget.js and opensearch.xml are served with their types', async () => {
  const req = state.context.request;
  const js = await req.get(state.daemon + '/widget.js');
  assert.equal(js.status(), 200);
  assert.equal(js.headers()['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(js.headers()['x-content-type-options'], 'nosniff');
  const os = await req.get(state.daemon + '/opensearch.xml');
  assert.equal(os.status(), 200);
  assert.equal(os.headers()['content-type'], 'application/opensearchdescription+xml; charset=utf-8');
  assert.ok((await os.text()).includes('template="' + state.daemon + '/?q={searchTerms}"'));
});
