// ResNet-20 in the page: the preset builds with Keras's counts, is drawn, and trains a few steps on CIFAR-like
// data (the generated CIFAR-10 binary fixture: 5 x 6 training images, 5 test images) on SwiftShader. Small
// batches keep the run near a minute here; a batch of 32 takes tens of seconds per step on this CPU adapter.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSession, gotoReady, openSession, ROOT, type Session, shot, tid } from './helpers';

let session: Session;
let page: Page;
const status = () => page.textContent(tid('train-status'));

beforeAll(async () => {
  session = await openSession();
  page = session.page;
  await gotoReady(page, session.app.url, 120_000);
});

afterAll(() => closeSession(session));

describe('ResNet-20 preset', () => {
  it('builds with 274,442 parameters (1,376 non-trainable) and trains on CIFAR-like data', async () => {
    await page.selectOption(tid('preset-select'), 'resnet20-cifar10');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="summary-total-params"]')?.textContent === '274442',
    );
    // Keras's functional summary: the "Connected to" column, and the moving statistics as non-trainable.
    const table = await page.textContent(tid('model-summary'));
    expect(table).toContain('Connected to');
    expect(table).toContain('activation[0][0], batch_normalization_2[0][0]');
    expect(await page.textContent('.summary .totals')).toContain('non-trainable 1,376');
    expect(await page.locator(tid('diagram-layer')).count()).toBeGreaterThan(20);

    const dir = join(ROOT, 'tests', 'fixtures', 'cifar-10-batches-bin');
    await page.setInputFiles(
      tid('dataset-file-input'),
      [
        'data_batch_1.bin',
        'data_batch_2.bin',
        'data_batch_3.bin',
        'data_batch_4.bin',
        'data_batch_5.bin',
        'test_batch.bin',
      ].map((f) => join(dir, f)),
    );
    await page.waitForSelector(`${tid('dataset-summary')}:has-text("32x32x3")`, { timeout: 60_000 });
    // The model takes 32x32x3 as the images are: nothing to pad or convert.
    expect(await page.locator('.mismatch').count()).toBe(0);

    await page.fill(tid('epochs'), '1');
    await page.fill(tid('batch-size'), '8');
    await page.click(tid('train-start'));
    await page.waitForFunction(
      () =>
        ['running', 'done'].includes(
          document.querySelector('[data-testid="train-status"]')?.textContent ?? '',
        ),
      null,
      { timeout: 60_000 },
    );
    await page.waitForFunction(
      () =>
        ['done', 'error'].includes(document.querySelector('[data-testid="train-status"]')?.textContent ?? ''),
      null,
      { timeout: 400_000 },
    );
    const error = (await page.locator(tid('app-error')).count())
      ? await page.textContent(tid('app-error'))
      : '';
    expect(await status(), error ?? '').toBe('done');
    const loss = Number(await page.textContent(tid('metric-loss')));
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeGreaterThan(0);
    expect(Number(await page.textContent(tid('metric-samples-per-sec')))).toBeGreaterThan(0);
    expect(Number(await page.getAttribute(tid('train-progress'), 'aria-valuenow'))).toBe(100);
    await shot(page, 'resnet20-trained-1280');
  });
});
