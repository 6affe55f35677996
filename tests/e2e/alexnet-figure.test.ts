// The AlexNet preset is drawn as Krizhevsky et al. (2012) draw it in Figure 2: two streams (the paper's two
// GPUs) of half-size blocks, crossing only at the third convolution and the dense layers, with a caption; the
// linked hover works on both streams; other presets stay a single chain.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSession, openSession, type Session, shot, tid } from './helpers';

let session: Session;
let page: Page;
const labels = (sel: string) =>
  page.$$eval(sel, (els) => els.map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()));

beforeAll(async () => {
  session = await openSession(false);
  page = session.page;
  await page.goto(session.app.url, { timeout: 120_000 });
  // The default preset (LeNet-5) drawn, then AlexNet picked from the presets.
  await page.waitForSelector(`${tid('network-diagram')}:not([data-figure]) ${tid('diagram-layer')}`, {
    timeout: 120_000,
  });
});

afterAll(() => closeSession(session));

describe('AlexNet figure', () => {
  it('draws the AlexNet preset as two streams that cross at conv3 and the dense layers', async () => {
    await page.selectOption(tid('preset-select'), 'alexnet-cifar10');
    await page.waitForSelector(`${tid('network-diagram')}[data-figure="two-stream"]`);
    const upper = await labels(`${tid('diagram-layer')}[data-stream="1"]`);
    const lower = await labels(`${tid('diagram-layer')}[data-stream="2"]`);
    // Each stream holds half of every layer: 64 maps as 32 + 32, 1024 units as 512 + 512.
    expect(upper).toEqual([
      'C1 32@32x32',
      'S2 32@16x16',
      'C3 96@16x16',
      'S4 96@8x8',
      'C5 192@8x8',
      'C6 128@8x8',
      'C7 128@8x8',
      'S8 128@4x4',
      'F9 512',
      'F10 256',
    ]);
    // Read aloud, a block says which layer and which stream it is.
    expect(await page.getAttribute(`${tid('diagram-layer')}[data-stream="2"]`, 'aria-label')).toBe(
      'C1: feature maps 32@32x32 (lower stream)',
    );
    expect(lower).toEqual(upper.map((l) => l.split(' ').pop()));
    // The input and the output are drawn once, between the streams.
    expect(await labels(`${tid('diagram-layer')}:not([data-stream])`)).toEqual([
      'INPUT 3@32x32',
      'OUTPUT 10',
    ]);
    // Crossing arrows into conv3 (C5 here) and the two dense layers: two per layer.
    expect(await page.locator(tid('stream-cross')).count()).toBe(6);
    expect(await page.textContent(tid('diagram-caption'))).toContain('two GPUs');
    // The summary stays the single Keras model.
    expect(await page.textContent(tid('summary-total-params'))).toMatch(/^\d+$/);
    await shot(page, 'alexnet-01-two-streams-1280');
    await page.screenshot({ path: '/tmp/alexnet-two-streams-1280.png' });
  });

  it('lights up both streams of a layer and its summary row when either stream is hovered', async () => {
    await page
      .locator(`${tid('diagram-layer')}[data-stream="2"]`)
      .nth(2)
      .hover();
    await page.waitForSelector(`${tid('diagram-layer')}[data-active="true"]`);
    const active = await page.$$eval(`${tid('diagram-layer')}[data-active="true"]`, (els) =>
      els.map((e) => `${e.getAttribute('data-layer')}/${e.getAttribute('data-stream')}`),
    );
    expect(active).toEqual(['conv2d_1/1', 'conv2d_1/2']);
    expect(
      await page.$$eval(`${tid('model-summary')} tr[data-active="true"]`, (rows) =>
        rows.map((r) => r.getAttribute('data-layer')),
      ),
    ).toEqual(['conv2d_1']);
    await page.mouse.move(2, 2);
  });

  it('draws a preset without the hint as one chain', async () => {
    await page.selectOption(tid('preset-select'), 'vgg-small');
    await page.waitForFunction(
      () => !document.querySelector('[data-testid="network-diagram"]')?.hasAttribute('data-figure'),
    );
    expect(await page.locator(`${tid('diagram-layer')}[data-stream]`).count()).toBe(0);
  });
});
