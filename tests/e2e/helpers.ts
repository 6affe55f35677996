// Shared by the end-to-end tests: the app served by Vite on a free port, and Debian's Chromium with WebGPU
// on SwiftShader (never a downloaded browser).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer as netServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUT = join(ROOT, 'tests', 'e2e', 'out');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-vulkan-surface',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface App {
  server: ViteDevServer;
  url: string;
}

export async function startApp(): Promise<App> {
  if (!existsSync(join(ROOT, 'public', 'data', 'mnist', 'train-images-idx3-ubyte.gz'))) {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'prepare-data.mjs')], { stdio: 'inherit' });
  }
  const port = await freePort();
  const server = await createServer({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'error',
    server: { port, host: '127.0.0.1', strictPort: true, hmr: false },
  });
  await server.listen();
  return { server, url: `http://127.0.0.1:${port}/` };
}

export async function launch(webgpu = true): Promise<Browser> {
  const args = webgpu
    ? CHROMIUM_ARGS
    : CHROMIUM_ARGS.filter((a) => !a.includes('webgpu') && !a.includes('vulkan') && !a.includes('Vulkan'));
  return chromium.launch({ executablePath: '/usr/bin/chromium', args, headless: true });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: false });
}

export async function shotFull(page: Page, name: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

/** The selector of a `data-testid`. */
export const tid = (id: string) => `[data-testid="${id}"]`;

export interface Session {
  app: App;
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/**
 * The app served, Chromium launched (with WebGPU unless `webgpu` is false) and one page in a fresh context
 * (1280x720 unless told), its uncaught errors logged. On a failure, whatever was opened is closed again.
 */
export async function openSession(webgpu = true, options: BrowserContextOptions = {}): Promise<Session> {
  const app = await startApp();
  let browser: Browser | undefined;
  try {
    browser = await launch(webgpu);
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, ...options });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
    return { app, browser, context, page };
  } catch (e) {
    await browser?.close();
    await app.server.close();
    throw e;
  }
}

export async function closeSession(s: Session | undefined): Promise<void> {
  await s?.browser.close();
  await s?.app.server.close();
}

/** Opens `url` and waits until the page has a WebGPU adapter and MNIST (60,000 training images) loaded. */
export async function gotoReady(page: Page, url: string, timeout: number): Promise<void> {
  await page.goto(url, { timeout });
  await page.waitForSelector(`${tid('webgpu-status')}:has-text("WebGPU ·")`, { timeout });
  await page.waitForSelector(`${tid('dataset-summary')}:has-text("60,000 train")`, { timeout });
}

/** Waits until the training status reads `status` (idle, running, paused, done, error). */
export function waitStatus(page: Page, status: string, timeout = 60_000) {
  return page.waitForFunction(
    (want) => document.querySelector('[data-testid="train-status"]')?.textContent === want,
    status,
    { timeout },
  );
}

/**
 * Waits until the saved run has a checkpoint of at least `checkpointEpoch` (the header's save state), so a
 * reload now finds everything: no sleeping past the debounce. The header's run fields change only after a
 * run's write has committed. `running`: the saved run is one still in progress (not an earlier, finished
 * one); training goes on then, and the next run save is usually already scheduled or being written (on a
 * loaded machine a write can outlast the gap between epochs, so "nothing pending" may never be seen): only
 * the committed run is waited for. Otherwise nothing may be waiting to be saved either.
 */
export function waitSaved(page: Page, checkpointEpoch = 0, running = false, timeout = 60_000) {
  return page.waitForFunction(
    ([want, unfinished]) => {
      const el = document.querySelector('[data-testid="save-state"]');
      if (!el || Number(el.getAttribute('data-checkpoint-epoch')) < want) return false;
      return unfinished
        ? el.getAttribute('data-finished') === 'false'
        : el.getAttribute('data-state') === 'saved';
    },
    [checkpointEpoch, running] as const,
    { timeout },
  );
}

/** Waits until the page holds a checkpoint of at least `epoch` epochs (what Continue would start from). */
export function waitCheckpoint(page: Page, epoch = 1, timeout = 60_000) {
  return page.waitForFunction(
    (want) =>
      Number(document.querySelector('[data-testid="train-start"]')?.getAttribute('data-checkpoint-epoch')) >=
      want,
    epoch,
    { timeout },
  );
}

/** The text of the element with this test id ('' when it has none). */
export const textOf = (page: Page, id: string) => page.textContent(tid(id)).then((t) => t ?? '');

/** Replaces the code editor's whole text by `code`, typed the way a person pastes it. */
export async function typeCode(page: Page, code: string): Promise<void> {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}
