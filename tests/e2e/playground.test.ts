// The playground as a person uses it, in Debian's Chromium with WebGPU on SwiftShader.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, launch, ROOT, shot, shotFull, startApp, waitSaved } from './helpers';

// The paper-figure LeNet-5 as issue 2 wrote it (the corpus keeps it without its first line).
const PAPER_CODE = `model = Sequential()\n${readFileSync(join(ROOT, 'tests/fixtures/keras/snippets/01-lenet-paper.py'), 'utf8')}`;

let app: App;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const tid = (id: string) => `[data-testid="${id}"]`;

async function setCode(p: Page, code: string): Promise<void> {
  await p.click('.cm-content');
  await p.keyboard.press('Control+A');
  await p.keyboard.press('Delete');
  await p.keyboard.insertText(code);
}

beforeAll(async () => {
  app = await startApp();
  browser = await launch(true);
  context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
});

afterAll(async () => {
  await browser?.close();
  await app?.server.close();
});

describe('playground', () => {
  it('opens with the WebGPU adapter, MNIST loaded and the paper LeNet-5 drawn', async () => {
    await page.goto(`${app.url}?subset=512`);
    await page.waitForSelector(`${tid('webgpu-status')}:has-text("WebGPU ·")`, { timeout: 90_000 });
    await page.waitForSelector(`${tid('dataset-summary')}:has-text("60,000 train")`, { timeout: 90_000 });
    expect(await page.textContent(tid('dataset-summary'))).toContain('28x28x1');
    expect(await page.textContent(tid('summary-total-params'))).toBe('51902');
    await shot(page, '01-open-1280x720');
  });

  it('applies the paper-figure LeNet-5 code: 51,902 params and the paper labels', async () => {
    // Start from another preset so applying the code visibly changes the model.
    await page.selectOption(tid('preset-select'), 'mlp');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="summary-total-params"]')?.textContent !== '51902',
    );
    await setCode(page, PAPER_CODE);
    await page.click(tid('apply-code'));
    await page.waitForFunction(
      () => document.querySelector('[data-testid="summary-total-params"]')?.textContent === '51902',
    );
    const labels = await page.$$eval(tid('diagram-layer'), (els) => els.map((e) => e.textContent ?? ''));
    for (const l of ['6@28x28', '6@14x14', '16@10x10', '16@5x5'])
      expect(labels.some((t) => t.includes(l))).toBe(true);
    expect(labels[1]).toContain('C1: feature maps');
    const diagram = await page.textContent(tid('network-diagram'));
    for (const op of ['Convolutions 5x5', 'Max-pooling 2x2', 'Full connection', 'Dropout 0.5', 'Softmax']) {
      expect(diagram).toContain(op);
    }
    const rows = await page.$$eval(`${tid('model-summary')} tbody tr`, (trs) => trs.length);
    expect(rows).toBe(8);
    await shot(page, '02-paper-lenet-applied');
  });

  it('shows a code error at its line and keeps the previous model', async () => {
    await setCode(page, `${PAPER_CODE}model.add(Conv3D(8, 3))\n`);
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector(tid('model-error'));
    const msg = await page.textContent(tid('model-error'));
    expect(msg).toMatch(/line 10/);
    expect(msg).toContain('Conv3D');
    expect(await page.textContent(tid('summary-total-params'))).toBe('51902');
    expect(await page.$$eval('.cm-lintRange-error, .cm-lint-marker-error', (e) => e.length)).toBeGreaterThan(
      0,
    );
    await shot(page, '03-code-error');
    await page.selectOption(tid('preset-select'), 'lenet5-paper');
    await page.waitForSelector(tid('model-error'), { state: 'detached' });
  });

  it('loads a dropped image folder, and a bad file keeps it', async () => {
    await page.setInputFiles(tid('dataset-folder-input'), join(ROOT, 'tests', 'fixtures', 'images'));
    await page.waitForSelector(`${tid('dataset-summary')}:has-text("circle")`, { timeout: 90_000 });
    const summary = await page.textContent(tid('dataset-summary'));
    expect(summary).toContain('square');
    expect(summary).toContain('triangle');
    await page.setInputFiles(tid('dataset-file-input'), {
      name: 'notes.xyz',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('this is not a dataset'),
    });
    await page.waitForSelector(tid('dataset-error'));
    expect(await page.textContent(tid('dataset-error'))).toContain('notes.xyz');
    expect(await page.textContent(tid('dataset-summary'))).toContain('triangle');
    await shotFull(page, '04-image-folder');
    // A drop anywhere on the page goes through the same loader; a single-class drop is refused by name.
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array([1, 2, 3])], 'weird.bin'));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(
          new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }),
        );
      }
    });
    await page.waitForSelector(`${tid('dataset-error')}:has-text("weird.bin")`);
    expect(await page.textContent(tid('dataset-summary'))).toContain('triangle');
    await page.click('text=Back to MNIST');
    await page.waitForSelector(`${tid('dataset-summary')}:has-text("60,000 train")`, { timeout: 90_000 });
  });
});

describe('persistence and sharing', () => {
  it('restores the edited model on reload and opens it from a shared link', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const p = await ctx.newPage();
    await p.goto(app.url);
    await p.waitForSelector(tid('summary-total-params'));
    await p.selectOption(tid('preset-select'), 'mlp');
    await p.waitForFunction(
      () => document.querySelector('[data-testid="summary-total-params"]')?.textContent !== '51902',
    );
    const mlpParams = await p.textContent(tid('summary-total-params'));
    await waitSaved(p);
    const shared = p.url();
    expect(shared).toContain('#code=');
    await p.goto(app.url); // no hash: the code comes back from IndexedDB
    await p.waitForSelector(tid('summary-total-params'));
    expect(await p.textContent(tid('summary-total-params'))).toBe(mlpParams);
    await ctx.close();

    const fresh = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const q = await fresh.newPage();
    await q.goto(shared);
    await q.waitForSelector(tid('summary-total-params'));
    expect(await q.textContent(tid('summary-total-params'))).toBe(mlpParams);
    await fresh.close();
  });

  it('discards a corrupted saved entry with a message instead of a blank page', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const p = await ctx.newPage();
    await p.goto(app.url);
    await p.waitForSelector(tid('summary-total-params'));
    await p.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('keyval-store');
          open.onupgradeneeded = () => open.result.createObjectStore('keyval');
          open.onsuccess = () => {
            const tx = open.result.transaction('keyval', 'readwrite');
            tx.objectStore('keyval').put({ optimizer: 'adamw', learningRate: 'fast' }, 'pw:settings');
            tx.objectStore('keyval').put({ weights: 'garbage' }, 'pw:run');
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    await p.reload();
    await p.waitForSelector('text=Discarded');
    const notice = await p.textContent('.banner.notice');
    expect(notice).toContain('training settings');
    expect(notice).toContain('weights and history');
    expect(await p.textContent(tid('summary-total-params'))).toBe('51902');
    expect(await p.inputValue(tid('learning-rate'))).toBe('0.001');
    await ctx.close();
  });
});

describe('without WebGPU', () => {
  it('explains how to enable it, and code, summary, diagram and data still work', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await ctx.addInitScript(() => {
      // biome-ignore lint/suspicious/noExplicitAny: removing a browser API the types declare as present
      delete (Navigator.prototype as any).gpu;
    });
    const p = await ctx.newPage();
    await p.goto(app.url);
    await p.waitForSelector(`${tid('webgpu-status')}:has-text("unavailable")`);
    const text = await p.textContent(tid('webgpu-status'));
    expect(text).toContain('--enable-unsafe-webgpu');
    expect(text).toMatch(/Chrome|Edge/);
    expect(await p.textContent(tid('summary-total-params'))).toBe('51902');
    expect(await p.$$eval(tid('diagram-layer'), (e) => e.length)).toBe(7);
    await p.waitForSelector(`${tid('dataset-summary')}:has-text("60,000 train")`, { timeout: 90_000 });
    expect(await p.isDisabled(tid('train-start'))).toBe(true);
    await shot(p, '09-no-webgpu');
    await ctx.close();
  });
});
