// tests/browser/lib.mjs — what the browser tests share: Debian's chromium
// driven by playwright-core (headless, a fresh profile each launch), the
// real server from tests/api/lib.mjs serving web/dist, screenshots under
// build/screenshots, and helpers that act as a user would (log in through the
// form, upload through the file inputs, press the buttons the page shows).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { ROOT, PASSWORD } from '../api/lib.mjs';

export const CHROMIUM = process.env.XINQU_CHROMIUM || '/usr/bin/chromium';
export const SHOTS = process.env.XINQU_SCREENSHOTS || path.join(ROOT, 'build/screenshots');
export const DIST = path.join(ROOT, 'web/dist');
export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

// launch() starts chromium with a new profile folder; close() removes it.
// Uncaught page errors and CSP violations are collected in errors[], which
// each test checks is empty at its end.
export async function launch(viewport = DESKTOP) {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('web/dist is not built: run npm run build');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xinqu-chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-dev-shm-usage'],
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
  ctx.setDefaultTimeout(20_000);
  const errors = [];
  const watch = (page) => {
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) errors.push(`csp: ${m.text()}`);
    });
  };
  ctx.pages().forEach(watch);
  ctx.on('page', watch);
  const page = ctx.pages()[0] || (await ctx.newPage());
  return {
    ctx, page, errors,
    async close() { await ctx.close(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

fs.mkdirSync(SHOTS, { recursive: true });

// shot(page, name) saves a full-page screenshot as build/screenshots/NAME.png.
export async function shot(page, name) {
  await page.waitForTimeout(150); // let transitions settle
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// login(page, base, user, next) logs in through the login form.
export async function login(page, base, user, next = '', password = PASSWORD) {
  await page.goto(`${base}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.fill('#username', user);
  await page.fill('#password', password);
  await page.click('[data-test=login-submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.waitForSelector('[data-test=who]', { state: 'attached' });
}

// logout(page) presses the logout button (opening the phone menu first when needed).
export async function logout(page) {
  const btn = page.locator('[data-test=logout]');
  if (!(await btn.isVisible())) await page.click('.menu-btn');
  await btn.click();
  await page.waitForSelector('[data-test=login-link]', { state: 'attached' });
}

// waitText(page, selector, re) waits until the element's text matches re;
// when it never does, the error says what the element held instead.
export async function waitText(page, selector, re, timeout = 20_000) {
  try {
    await page.waitForFunction(([s, src, flags]) => {
      const el = document.querySelector(s);
      return !!el && new RegExp(src, flags).test(el.textContent);
    }, [selector, re.source, re.flags], { timeout });
  } catch (err) {
    const seen = await page.evaluate((s) => document.querySelector(s)?.textContent ?? '(no such element)', selector).catch(() => '(page gone)');
    err.message += `\n  ${selector} never matched ${re}; it held: ${String(seen).slice(0, 500)}`;
    throw err;
  }
  return page.textContent(selector);
}

// A small real PDF, unique per call so each upload is a new blob.
let n = 0;
export function pdfFile(tag = `${process.pid}-${n++}-${Math.random()}`) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xinqu-upload-'));
  const file = path.join(dir, `材料-${n}.pdf`);
  fs.writeFileSync(file, `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${tag}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
  return file;
}

// upload(page, key, file) puts file into the material's file input and
// waits for the page to say it was uploaded.
export async function upload(page, key, file = pdfFile()) {
  await page.setInputFiles(`[data-test="upload-${key}"] input[type=file]`, file);
  await page.waitForSelector(`[data-test="upload-${key}"] [data-test=upload-ok]`);
}

// needsUpload(m, partyType) mirrors what the server fetches itself.
export const needsUpload = (m, partyType) => !((m.source === 'registry.entity' && partyType === 'entity') || (m.source === 'registry.person' && partyType === 'person'));

// move(page, action, fill) presses a move's button, lets fill() complete the
// dialog, confirms, and waits for the success message.
export async function move(page, action, fill) {
  await page.click(`[data-test="move-${action}"]`);
  const confirm = page.locator('[data-test=move-confirm]:visible');
  await confirm.waitFor();
  if (fill) await fill();
  await confirm.click();
  await page.waitForSelector('.el-message--success');
  await page.waitForSelector('.el-dialog', { state: 'hidden' }).catch(() => {});
  await page.locator('.el-message--success').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
}

// qrFromPdf(bytes) renders page 1 with pdftoppm and decodes its QR code.
export function qrFromPdf(bytes) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xinqu-qr-'));
  try {
    const pdf = path.join(dir, 'c.pdf');
    fs.writeFileSync(pdf, bytes);
    const r = spawnSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', pdf, path.join(dir, 'p')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pdftoppm failed: ${r.stderr}`);
    const png = fs.readdirSync(dir).find((f) => f.endsWith('.png'));
    const img = PNG.sync.read(fs.readFileSync(path.join(dir, png)));
    const code = jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height);
    return code ? code.data : null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// qrFromPng(bytes) decodes the QR code in a PNG (a screenshot of an element).
export function qrFromPng(bytes) {
  const img = PNG.sync.read(bytes);
  const code = jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height);
  return code ? code.data : null;
}
