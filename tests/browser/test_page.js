/* Browser tests of the search page (/) and the widget (/widget.js): a user
 * in Debian's Chromium, driven by playwright-core, against the real
 * civitas-searchd serving an index of corpus/ that the real civitas-index
 * builds here, plus a few hostile files written by this test.
 *
 * Usage (ctest does this, see tests/CMakeLists.txt):
 *   node test_page.js --indexer PATH --searchd PATH --corpus DIR --work DIR
 *                     [--chromium PATH]
 * --work is a build directory: playwright-core is installed there with
 * `npm ci` from this directory's package-lock.json when it is missing, and
 * the index, logs and screenshots (page-results.png, widget.png) go there.
 *
 * A second small HTTP server (node's http module) plays the committee
 * site: its page embeds /widget.js from the daemon's origin, and the daemon
 * allows that origin with --cors-origin. The same page reached as
 * "localhost" is another origin, not on the allow-list.
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
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!['indexer', 'searchd', 'corpus', 'work', 'chromium'].includes(key) || i + 1 >= argv.length)
      throw new Error('usage: test_page.js --indexer P --searchd P --corpus D --work D [--chromium P]');
    out[key] = path.resolve(argv[i + 1]);
  }
  for (const k of ['indexer', 'searchd', 'corpus', 'work'])
    if (!out[k]) throw new Error('missing --' + k);
  return out;
}

const args = parseArgs(process.argv.slice(2));
const XSS_TITLE = 'Xsstest <script>window.__xss=1</script> "><img src=x onerror="window.__xss=1">';
const XSS_SCRIPT = '<script>window.__xss=1</script>';
const XSS_IMG = '"><img src=x onerror="window.__xss=1">';

/* playwright-core from the build directory, installed from the committed
 * lock file when missing or stale. */
function loadPlaywright() {
  fs.mkdirSync(args.work, { recursive: true });
  const lockSrc = path.join(__dirname, 'package-lock.json');
  const lockDst = path.join(args.work, 'package-lock.json');
  const installed = path.join(args.work, 'node_modules', 'playwright-core', 'package.json');
  const stale = !fs.existsSync(installed) || !fs.existsSync(lockDst) ||
    !fs.readFileSync(lockSrc).equals(fs.readFileSync(lockDst));
  if (stale) {
    fs.copyFileSync(path.join(__dirname, 'package.json'), path.join(args.work, 'package.json'));
    fs.copyFileSync(lockSrc, lockDst);
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'],
                 { cwd: args.work, stdio: 'inherit' });
  }
  return createRequire(path.join(args.work, 'package.json'))('playwright-core');
}

/* Hostile documents: markup, event handlers, javascript: URLs and U+2028
 * in titles and text, as HTML, XML and plain text. */
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

/* The committee site: /host.html embeds the widget, /host.css styles the
 * host page (things that must not reach into the widget), and a strict
 * Content-Security-Policy like a careful site would send. */
function startHostSite(state) {
  const server = http.createServer((req, res) => {
    const daemon = state.daemon;
    if (req.url === '/host.html') {
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': "default-src 'self'; script-src " + daemon +
          '; connect-src ' + daemon + "; style-src 'self'; img-src 'self'",
      });
      res.end('<!doctype html><html lang="en"><head><meta charset="utf-8">' +
        '<title>Committee site</title><link rel="stylesheet" href="/host.css"></head><body>' +
        '<h1>Committee on Human Rights in the City</h1><h2>Search our documents</h2>' +
        '<div id="search"></div>' +
        '<script src="' + daemon + '/widget.js" data-civitas-target="#search" async></script>' +
        '</body></html>');
    } else if (req.url === '/host.css') {
      res.writeHead(200, { 'Content-Type': 'text/css' });
      res.end('body { font-family: serif; max-width: 50rem; margin: 1rem auto; }\n' +
              'li, p { color: #c00 !important; } button { display: none; }\n');
    } else if (req.url === '/favicon.ico') {
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

before(async () => {
  const started = Date.now();
  const playwright = loadPlaywright();
  const db = path.join(args.work, 'db');
  const hostile = path.join(args.work, 'hostile');
  fs.rmSync(db, { recursive: true, force: true });
  writeHostile(hostile);
  runIndexer(db, [args.corpus, hostile]);
  state.site = await startHostSite(state);
  state.siteOrigin = 'http://127.0.0.1:' + state.site.address().port;
  const d = await startDaemon(db, ['--cors-origin', state.siteOrigin]);
  state.proc = d.proc;
  state.daemon = d.origin;
  state.browser = await playwright.chromium.launch({
    executablePath: args.chromium,
    headless: true,
    chromiumSandbox: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  state.context = await state.browser.newContext({ viewport: { width: 1200, height: 900 },
                                                   locale: 'en-GB' });
  state.context.setDefaultTimeout(10000);
  await state.context.grantPermissions(['clipboard-read', 'clipboard-write'],
                                       { origin: state.daemon });
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
async function newPage() {
  const page = await state.context.newPage();
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

async function search(page, query) {
  const box = page.getByRole('searchbox', { name: 'Search documents' });
  await box.fill(query);
  await box.press('Enter');
  await page.locator('#status').filter({ hasText: /found\.|No results\./ }).waitFor();
}

test('a query shows ranked passages with highlights and citations', async () => {
  const page = await newPage();
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
  const first = hits.first();
  assert.match(await first.getByRole('heading', { level: 2 }).textContent(),
               /Universal Declaration of Human Rights/);
  const marks = await first.locator('.snippet mark').allTextContents();
  assert.ok(marks.some((m) => /^(right|education)$/i.test(m)), 'marks: ' + marks);
  assert.match(await first.locator('.citation').first().textContent(), /Article 26/);
  await page.screenshot({ path: path.join(args.work, 'page-results.png'), fullPage: false });
  /* On a phone the results come first; the filters are folded. */
  await page.setViewportSize({ width: 400, height: 800 });
  await page.reload();
  await page.locator('#status').filter({ hasText: /found\./ }).waitFor();
  assert.equal(await page.locator('#filters').getAttribute('open'), null);
  assert.ok(await page.locator('#hits > li').first().isVisible());
  await page.screenshot({ path: path.join(args.work, 'page-narrow.png'), fullPage: false });
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
  await page.close();
});

test('Copy citation puts the citation on the clipboard and says so', async () => {
  const page = await newPage();
  await page.goto(state.daemon + '/?q=' + encodeURIComponent('right to education'));
  await page.locator('#status').filter({ hasText: /found\./ }).waitFor();
  const citation = await page.locator('#hits .citation').first().textContent();
  const button = page.getByRole('button', { name: 'Copy citation: ' + citation }).first();
  await button.click();
  await page.locator('#status').filter({ hasText: 'Citation copied: ' + citation }).waitFor();
  assert.equal(await button.textContent(), 'Copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), citation);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a facet narrows the results and paging moves through them', async () => {
  const page = await newPage();
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
  /* Back restores the unfiltered results. */
  await page.goBack();
  await page.locator('#status').filter({ hasText: all + ' documents found.' }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('keyboard only: Tab to the box, Enter searches, Enter toggles a facet', async () => {
  const page = await newPage();
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
  await page.screenshot({ path: path.join(args.work, 'page-keyboard.png'),
                          clip: { x: 0, y: 250, width: 600, height: 350 } });
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
  await page.close();
});

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

test('page: hostile titles and text are shown, never run', async () => {
  const page = await newPage();
  await page.goto(state.daemon + '/');
  await search(page, 'xsstest');
  assert.ok(await page.locator('#hits > li').count() >= 2);
  await assertNoXss(page, '#hits');
  /* Hover everything, in case a handler slipped through. */
  for (const p of await page.locator('#hits p').all()) await p.hover();
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await page.screenshot({ path: path.join(args.work, 'page-xss.png') });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('widget: embedded on another origin, it searches through the CORS allow-list', async () => {
  const page = await newPage();
  await page.goto(state.siteOrigin + '/host.html');
  const box = page.getByRole('searchbox', { name: 'Search human-rights documents' });
  await box.fill('right to education');
  await box.press('Enter');
  const status = page.locator('.civitas .status');
  await status.filter({ hasText: /^\d+ documents found\.$/ }).waitFor();
  const hits = page.locator('.civitas .hits > li');
  assert.equal(await hits.count(), 5, 'five per page by default');
  const first = hits.first();
  assert.match(await first.getByRole('heading', { level: 3 }).textContent(), /Universal Declaration/);
  assert.ok(await first.locator('.snippet mark').count() > 0);
  assert.match(await first.locator('.citation').first().textContent(), /Article 26/);
  /* Links point at the daemon, not at the host site. */
  for (const a of await page.locator('.civitas a').all())
    assert.ok((await a.getAttribute('href')).startsWith(state.daemon + '/'));
  /* Its styles are its own: the host's "button { display: none }" and red text do not reach in. */
  assert.ok(await page.getByRole('button', { name: 'Search' }).isVisible());
  assert.equal(await first.locator('.snippet').first().evaluate((n) => getComputedStyle(n).color),
               'rgb(27, 27, 27)');
  /* Copy citation works here too (this origin has no clipboard permission:
   * the Clipboard API or the fallback), and says so in the live region. */
  const citation = await first.locator('.citation').first().textContent();
  const copy = page.getByRole('button', { name: 'Copy citation: ' + citation }).first();
  await copy.click();
  await status.filter({ hasText: 'Citation copied: ' + citation }).waitFor();
  assert.equal(await copy.textContent(), 'Copied');
  /* The focus stays on the button (the fallback borrows it for a moment). */
  assert.equal(await page.evaluate(() =>
    document.querySelector('#search').shadowRoot.activeElement.className), 'copy');
  /* It defines no globals on the host page. */
  assert.equal(await page.evaluate(() => typeof CivitasRender), 'undefined');
  await page.getByRole('button', { name: 'Next page' }).click();
  await status.filter({ hasText: ', page 2.' }).waitFor();
  await page.screenshot({ path: path.join(args.work, 'widget.png'), fullPage: true });

  await box.fill('xsstest');
  await box.press('Enter');
  await status.filter({ hasText: /documents? found\./ }).waitFor();
  await assertNoXss(page, '.civitas .hits');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('widget: a site not on the allow-list gets no results', async () => {
  const page = await newPage();
  /* Same server, other origin ("localhost" is not 127.0.0.1 to the browser). */
  await page.goto(state.siteOrigin.replace('127.0.0.1', 'localhost') + '/host.html');
  const box = page.getByRole('searchbox', { name: 'Search human-rights documents' });
  await box.fill('right to education');
  await box.press('Enter');
  await page.locator('.civitas .status').filter({ hasText: /not available here/ }).waitFor();
  assert.equal(await page.locator('.civitas .hits > li').count(), 0);
  assert.ok(page.errors.some((e) => /CORS|Access-Control-Allow-Origin/.test(e)), page.errors.join('\n'));
  await page.close();
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
