// Model files in the page: picking a .keras file written by h5py in Keras 3's layout loads the model (drawn,
// summarized) with its weights, ready to evaluate or fine-tune; the .keras, .h5 and .onnx export buttons give
// files that read back with the same weights (and ONNX that onnxruntime loads); a truncated .h5 is refused
// with a message naming it, and the page keeps working.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKerasH5 } from '../../src/keras/h5';
import { importKerasFile } from '../../src/keras/keras-file';
import { makeKerasFixtures } from '../unit/keras-python';
import { type App, launch, startApp } from './helpers';

let app: App;
let browser: Browser;
let page: Page;
let dir: string;
const tid = (id: string) => `[data-testid="${id}"]`;
/** LeNet-5 of the fixture: 156 + 2416 + 48120 + 10164 + 850 parameters. */
const PARAMS = 61706;

beforeAll(async () => {
  dir = makeKerasFixtures();
  app = await startApp();
  browser = await launch(true);
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await page.goto(`${app.url}?subset=320`);
  await page.waitForSelector(`${tid('dataset-summary')}:has-text("60,000 train")`, { timeout: 90_000 });
});

afterAll(async () => {
  await browser?.close();
  await app?.server.close();
});

async function grab(button: string): Promise<{ name: string; bytes: Uint8Array }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid(button))]);
  const chunks: Buffer[] = [];
  for await (const c of await download.createReadStream()) chunks.push(c as Buffer);
  return { name: download.suggestedFilename(), bytes: new Uint8Array(Buffer.concat(chunks)) };
}

describe('model files in the page', () => {
  it('a picked .keras file becomes the model with its weights; the three exports carry them', async () => {
    await page.setInputFiles(tid('dataset-file-input'), join(dir, 'lenet.keras'));
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="summary-total-params"]')?.textContent === String(n),
      PARAMS,
      { timeout: 60_000 },
    );
    expect(await page.textContent('body')).toContain('lenet.keras: model and 61,706 trained weights loaded');
    // Drawn the paper way: the convolutions' feature maps (same padding keeps 28x28; 5x5 valid on 14x14 gives 10x10).
    const labels = await page.$$eval(tid('diagram-layer'), (d) => d.map((x) => x.textContent ?? ''));
    expect(labels.join(' ')).toContain('6@28x28');
    expect(labels.join(' ')).toContain('16@10x10');
    // The dataset stays (the model file is not a dataset) and the weights are ready to fine-tune.
    expect(await page.textContent(tid('dataset-summary'))).toContain('60,000 train');
    expect(await page.textContent(tid('train-start'))).toBe('Fine-tune loaded weights');

    const fixture = await importKerasFile(readFileSync(join(dir, 'lenet.keras')), 'lenet.keras');
    const same = (got: { name: string; data: Float32Array }[]) => {
      expect(got.map((w) => w.data.length)).toEqual(fixture.weights.map((w) => w.data.length));
      got.forEach((w, i) => {
        expect(Array.from(w.data)).toEqual(Array.from(fixture.weights[i].data));
      });
    };

    const keras = await grab('export-keras');
    expect(keras.name).toMatch(/\.keras$/);
    same((await importKerasFile(keras.bytes, keras.name)).weights);

    const h5 = await grab('export-h5');
    expect(h5.name).toMatch(/\.h5$/);
    same((await importKerasH5(h5.bytes, h5.name)).weights);

    const onnx = await grab('export-onnx');
    expect(onnx.name).toMatch(/\.onnx$/);
    writeFileSync(join(dir, 'page.onnx'), onnx.bytes);
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(onnx.bytes);
    const out = await session.run({
      input: new ort.Tensor('float32', new Float32Array(28 * 28), [1, 28, 28, 1]),
    });
    expect(out.output.dims).toEqual([1, 10]);
    await session.release();
  });

  it('Start fine-tunes the loaded weights: the run finishes and the test set is evaluated', async () => {
    expect(await page.textContent(tid('train-start'))).toBe('Fine-tune loaded weights');
    await page.fill(tid('epochs'), '1');
    await page.fill(tid('batch-size'), '32');
    await page.click(tid('train-start'));
    await page.waitForFunction(
      () => document.querySelector('[data-testid="train-status"]')?.textContent === 'done',
      null,
      { timeout: 180_000 },
    );
    const acc = Number(await page.textContent(tid('eval-accuracy')));
    expect(acc).toBeGreaterThanOrEqual(0);
    expect(acc).toBeLessThanOrEqual(1);
    expect(await page.textContent(tid('summary-total-params'))).toBe(String(PARAMS));
  });

  it('a truncated .h5 is refused with a message naming it; the model stays', async () => {
    const cut = join(dir, 'cut.h5');
    const whole = readFileSync(join(dir, 'lenet.h5'));
    writeFileSync(cut, whole.subarray(0, whole.length >> 1));
    await page.setInputFiles(tid('dataset-file-input'), cut);
    await page.waitForSelector(`${tid('model-error')}:has-text("cut.h5")`, { timeout: 30_000 });
    expect(await page.textContent(tid('model-error'))).toMatch(
      /cut\.h5 could not be read as HDF5: .*truncated/,
    );
    expect(await page.textContent(tid('summary-total-params'))).toBe(String(PARAMS));
  });
});
