// Robustness of the page against bad code and training that goes wrong: code asking to run something,
// 10,000 layers, a 10^9-weight Dense layer, a dataset of the wrong shape, a diverging run, a lost GPU
// device, and a reload in the middle of training.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashForCode } from '../../src/store/url';
import {
  closeSession,
  gotoReady,
  openSession,
  ROOT,
  type Session,
  textOf as text,
  tid,
  typeCode,
  waitCheckpoint,
  waitSaved,
  waitStatus,
} from './helpers';

const TINY_MLP = `model = Sequential([
    Input(shape=(28, 28, 1)),
    Flatten(),
    Dense(16, activation='relu'),
    Dense(10, activation='softmax'),
])
`;

let session: Session;
let page: Page;

/** Types the code and applies it. */
async function setCode(p: Page, code: string): Promise<void> {
  await typeCode(p, code);
  await p.click(tid('apply-code'));
}

const status = (p: Page) => text(p, 'train-status');

beforeAll(async () => {
  session = await openSession(true, { viewport: { width: 1280, height: 800 } });
  page = session.page;
  await gotoReady(page, `${session.app.url}?subset=256&testHooks=1`, 60_000);
});

afterAll(() => closeSession(session));

describe('bad code and models', () => {
  it('refuses code that asks to run something, and nothing runs', async () => {
    await page.evaluate(() => {
      (window as unknown as { __ran: boolean }).__ran = false;
    });
    await setCode(page, `${TINY_MLP}eval("window.__ran = true")\n`);
    await page.waitForSelector(`${tid('model-error')}:has-text("eval(...) is refused")`);
    expect(await text(page, 'model-error')).toMatch(/line 7/);
    expect(await page.evaluate(() => (window as unknown as { __ran: boolean }).__ran)).toBe(false);
    await setCode(page, `__import__('os').system('x')\n${TINY_MLP}`);
    await page.waitForSelector(`${tid('model-error')}:has-text("__import__('os').system(...) is refused")`);
  });

  it('refuses 10,000 layers at the first one past the limit without hanging the page', async () => {
    const deep = `model = Sequential()\nmodel.add(Input(shape=(4,)))\n${"model.add(Dense(4, activation='relu'))\n".repeat(10_000)}model.add(Dense(2, activation='softmax'))\n`;
    // Opened as a shared link: typing 400 KB into the editor would take longer than the check itself.
    const p = await page.context().newPage();
    const t0 = Date.now();
    await p.goto(`${session.app.url}${hashForCode(deep)}`);
    await p.waitForSelector(`${tid('model-error')}:has-text("the model has 10,001 layers")`, {
      timeout: 60_000,
    });
    console.log(`10,000 layers: refused ${Date.now() - t0} ms after navigation`);
    expect(await text(p, 'model-error')).toMatch(/^line 1003, column 11: .*more than the 1,000/);
    // The page answers and the previous model stays drawn.
    expect(await p.evaluate(() => 1 + 1)).toBe(2);
    expect(await text(p, 'summary-total-params')).toBe('51902');
    await p.close();
  });

  it('refuses a Dense layer of 10^9 weights on Start with the memory it needs and the adapter limit', async () => {
    await setCode(
      page,
      "model = Sequential([Input(shape=(28, 28, 1)), Flatten(), Dense(1300000, activation='relu'), Dense(10, activation='softmax')])\n",
    );
    // 784 x 1,300,000 + 1,300,000 + 1,300,000 x 10 + 10
    await page.waitForFunction(
      () => document.querySelector('[data-testid="summary-total-params"]')?.textContent === '1033500010',
    );
    await page.click(tid('train-start'));
    await waitStatus(page, 'error');
    const msg = await text(page, 'app-error');
    expect(msg).toMatch(/needs about [\d.]+ GiB of GPU memory \(1,033,500,010 parameters\)/);
    expect(msg).toMatch(/maxStorageBufferBindingSize [\d.]+ [MG]iB/);
    expect(msg).toContain('nothing was allocated');
  });

  it('shows how to fit a dataset whose shape does not match the model', async () => {
    await setCode(page, TINY_MLP);
    await page.setInputFiles(
      tid('dataset-file-input'),
      join(ROOT, 'tests', 'fixtures', 'cifar-10-batches-bin', 'data_batch_1.bin'),
    );
    await page.waitForSelector(`${tid('dataset-summary')}:has-text("32x32x3")`, { timeout: 30_000 });
    const mismatch = await page.textContent('.mismatch');
    expect(mismatch).toContain('The images are 32x32x3; the model takes 28x28x1.');
    expect(mismatch).toContain('pad with zeros');
    expect(mismatch).toContain('resize');
    expect(mismatch).toContain('Convert the images to grayscale');
    await page.click('text=Back to MNIST');
    await page.waitForSelector(`${tid('dataset-summary')}:has-text("60,000 train")`, { timeout: 30_000 });
  });
});

describe('training that goes wrong', () => {
  it('stops a learning rate of 10 with a message suggesting a lower rate', async () => {
    await page.selectOption(tid('optimizer'), 'sgd');
    await page.fill(tid('learning-rate'), '10');
    await page.fill(tid('epochs'), '3');
    await page.fill(tid('batch-size'), '32');
    await page.click(tid('train-start'));
    await waitStatus(page, 'error');
    const msg = await text(page, 'app-error');
    expect(msg).toMatch(/diverged|NaN|exploded/);
    expect(msg).toMatch(/Lower the learning rate \(now 10; try 1\)/);
  });

  it('reports a lost GPU device and continues from the last checkpoint without a reload', async () => {
    await page.selectOption(tid('optimizer'), 'adam');
    await page.fill(tid('learning-rate'), '0.01');
    // Far more epochs than the test waits for: the continued run is surely still going when Stop is clicked.
    const epochs = 400;
    await page.fill(tid('epochs'), String(epochs));
    await page.click(tid('train-reset'));
    await page.click(tid('train-start'));
    // Two epochs done, so a checkpoint has reached the page.
    await page.waitForFunction(
      (p) =>
        Number(document.querySelector('[data-testid="train-progress"]')?.getAttribute('aria-valuenow')) >= p,
      (100 * 2) / epochs,
      { timeout: 60_000 },
    );
    await waitCheckpoint(page, 1);
    await page.evaluate(() =>
      (window as unknown as { __paperweightTest: { loseDevice(): void } }).__paperweightTest.loseDevice(),
    );
    await waitStatus(page, 'error');
    expect(await text(page, 'app-error')).toMatch(/GPU device was lost/);
    const button = await text(page, 'train-start');
    expect(button).toMatch(/Continue from epoch \d+/);
    const from = Number(/epoch (\d+)/.exec(button)?.[1]);
    await page.click(tid('train-start'));
    await waitStatus(page, 'running');
    // Progress resumes from the checkpoint's epoch, not from zero: watched on every frame until the run is
    // an epoch further, it never shows less than the checkpoint (the lowest value seen, or -1 for none).
    const dip = await page.waitForFunction(
      ([from, step]) => {
        const w = window as unknown as { __dip?: number };
        const now = Number(
          document.querySelector('[data-testid="train-progress"]')?.getAttribute('aria-valuenow'),
        );
        if (now < from) w.__dip = Math.min(w.__dip ?? now, now);
        return now > from + step ? (w.__dip ?? -1) : false;
      },
      [(100 * (from - 1)) / epochs, 100 / epochs] as const,
      { timeout: 60_000 },
    );
    expect(await dip.jsonValue()).toBe(-1);
    expect(await status(page)).toBe('running');
    await page.click(tid('train-stop'));
    await waitStatus(page, 'done');
  });

  it('brings back model, settings, history and checkpoint after a reload in the middle of training', async () => {
    // Far more epochs than the test waits for, so the run is still going when the page reloads.
    await page.fill(tid('epochs'), '400');
    await page.click(tid('train-reset'));
    await page.click(tid('train-start'));
    await page.waitForFunction(
      () =>
        /Continue|running/.test(document.querySelector('[data-testid="train-status"]')?.textContent ?? '') &&
        Number(document.querySelector('[data-testid="train-progress"]')?.getAttribute('aria-valuenow')) >=
          0.5,
      null,
      { timeout: 60_000 },
    );
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="curves"]')?.getAttribute('data-points')) > 0,
    );
    // The epoch's checkpoint has reached the page and is saved. Training goes on, so wait for a moment
    // with no save pending (the next batch's save may start right after).
    await waitCheckpoint(page, 1);
    await waitSaved(page, 1, true);
    await page.reload();
    await page.waitForSelector(tid('summary-total-params'));
    expect(await text(page, 'summary-total-params')).toBe('12730');
    expect(await page.inputValue(tid('epochs'))).toBe('400');
    expect(await page.inputValue(tid('learning-rate'))).toBe('0.01');
    expect(await page.inputValue(tid('optimizer'))).toBe('adam');
    expect(Number(await page.getAttribute(tid('curves'), 'data-points'))).toBeGreaterThan(0);
    expect(await text(page, 'train-status')).toBe('idle');
    expect(await page.textContent('body')).toMatch(/Restored: the last run stopped after epoch \d+/);
    expect(await text(page, 'train-start')).toMatch(/Continue from epoch \d+/);
  });
});
