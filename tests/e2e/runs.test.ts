// Runs compared: each run is kept (IndexedDB) when it ends; two runs overlaid with their settings'
// differences; one click restores a run's code and settings; the list survives a reload.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSession, gotoReady, openSession, type Session, shot, tid, waitStatus } from './helpers';

let session: Session;
let page: Page;
const items = () => page.locator(tid('run-item')).count();

async function train(lr: string): Promise<void> {
  await page.fill(tid('learning-rate'), lr);
  const before = await items();
  await page.click(tid('train-start'));
  await waitStatus(page, 'done', 120_000);
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="run-item"]').length === n + 1,
    before,
  );
}

beforeAll(async () => {
  session = await openSession();
  page = session.page;
  await gotoReady(page, `${session.app.url}?subset=96`, 90_000);
});

afterAll(() => closeSession(session));

describe('runs compared', () => {
  it('keeps two runs, overlays them and shows the setting they differ in', async () => {
    expect(await items()).toBe(0);
    await page.fill(tid('epochs'), '2');
    await page.fill(tid('batch-size'), '32');
    await train('0.01');
    await train('0.002');
    const labels = await page.$$eval(tid('run-item'), (e) => e.map((x) => x.getAttribute('data-run')));
    expect(labels).toEqual(['2', '1']);
    for (const box of await page.locator(tid('run-select')).all()) await box.check();
    await page.waitForSelector(`${tid('run-compare')}[data-runs="2"]`);
    // Two runs' loss lines on one chart: uPlot draws one path per series into its canvas.
    expect(await page.locator(`${tid('run-compare')} canvas`).count()).toBe(2);
    const diff = await page.$$eval(`${tid('run-diff')} tr`, (rows) =>
      rows.map((r) => [...r.children].map((c) => c.textContent)),
    );
    expect(diff).toEqual([['learning rate', '0.01', '0.002']]);
    await page.locator(tid('run-list')).scrollIntoViewIfNeeded();
    await shot(page, 'runs-01-compare-1280');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.locator(tid('run-list')).scrollIntoViewIfNeeded();
    await shot(page, 'runs-02-compare-1920');
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  it("restores a run's code and settings with one click", async () => {
    await page.fill(tid('learning-rate'), '0.5');
    await page.fill(tid('batch-size'), '16');
    await page.fill(tid('epochs'), '7');
    await page.click(`${tid('run-item')}[data-run="1"] ${tid('run-restore')}`);
    expect(await page.inputValue(tid('learning-rate'))).toBe('0.01');
    expect(await page.inputValue(tid('batch-size'))).toBe('32');
    expect(await page.inputValue(tid('epochs'))).toBe('2');
  });

  it('keeps the runs across a reload', async () => {
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="run-item"]').length === 2);
    const vals = await page.$$eval(tid('run-item'), (e) => e.map((x) => x.textContent ?? ''));
    expect(vals.every((v) => /val \d\.\d{4}/.test(v))).toBe(true);
  });
});
