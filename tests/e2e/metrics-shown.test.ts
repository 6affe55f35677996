// compile(metrics=...) decides what the page shows: with metrics=[] the model reports only the loss, so the
// accuracy tiles and curve are gone and val_loss takes their place; with an accuracy metric its Keras name is
// the tile's label.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAPER_LENET5 } from '../../src/model/code-presets';
import { hashForCode } from '../../src/store/url';
import { closeSession, openSession, type Session, tid } from './helpers';

let session: Session;
let page: Page;

/** Opens the page with `code` in its address (as a shared link does): the code is built at once. */
let visits = 0;
async function apply(code: string): Promise<void> {
  await page.goto(`${session.app.url}?visit=${++visits}${hashForCode(code)}`, { timeout: 120_000 });
  await page.waitForSelector(tid('metric-loss'), { timeout: 120_000 });
}

const tileLabels = () =>
  page.$$eval('.metrics .metric .k', (els) => els.map((e) => (e.textContent ?? '').trim()));

beforeAll(async () => {
  session = await openSession(false);
  page = session.page;
  await page.goto(session.app.url, { timeout: 120_000 });
  await page.waitForSelector(tid('metric-loss'), { timeout: 120_000 });
  await page.waitForSelector('.cm-content', { timeout: 120_000 });
});

afterAll(() => closeSession(session));

describe('metrics= in the page', () => {
  it('shows accuracy for the default preset, only the loss for metrics=[]', async () => {
    expect(await tileLabels()).toEqual(['loss', 'accuracy', 'val_accuracy', 'samples/s']);
    await apply(PAPER_LENET5.replace("metrics=['accuracy']", 'metrics=[]'));
    await page.waitForSelector(tid('metric-val-loss'));
    expect(await page.locator(tid('metric-accuracy')).count()).toBe(0);
    expect(await page.locator(tid('metric-val-accuracy')).count()).toBe(0);
    expect(await tileLabels()).toEqual(['loss', 'val_loss', 'samples/s']);
    expect(await page.locator(`${tid('curve-accuracy')}[hidden]`).count()).toBe(1);
  });

  it('labels the accuracy with the name metrics= gives it', async () => {
    await apply(PAPER_LENET5.replace("metrics=['accuracy']", "metrics=['sparse_categorical_accuracy']"));
    await page.waitForSelector(tid('metric-accuracy'));
    expect(await tileLabels()).toEqual([
      'loss',
      'sparse_categorical_accuracy',
      'val_sparse_categorical_accuracy',
      'samples/s',
    ]);
    expect(await page.locator(`${tid('curve-accuracy')}[hidden]`).count()).toBe(0);
  });
});
