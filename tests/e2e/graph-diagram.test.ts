// A functional model (ResNet-20) is drawn as a graph with its residual shortcuts as arcs; its blocks link to
// their code lines like the paper drawing's; it reads at 1280x720 (the panel scrolls sideways).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForActiveLayer } from './diagram-active';
import { closeSession, openSession, type Session, shot, tid } from './helpers';

let session: Session;
let page: Page;

beforeAll(async () => {
  session = await openSession(false);
  page = session.page;
  await page.goto(session.app.url, { timeout: 120_000 });
  await page.waitForSelector(tid('diagram-layer'), { timeout: 120_000 });
});

afterAll(() => closeSession(session));

describe('graph diagram', () => {
  it('draws ResNet-20 as a graph with one skip arc per residual block', async () => {
    await page.selectOption(tid('preset-select'), 'resnet20-cifar10');
    await page.waitForSelector(`${tid('network-diagram')}[data-graph="true"]`);
    expect(await page.locator(`${tid('diagram-edge')}[data-skip="true"]`).count()).toBe(9);
    // input, 21 convolutions, 9 adds, global pooling, dense
    expect(await page.locator(tid('diagram-layer')).count()).toBe(33);
    await shot(page, 'graph-01-resnet20-1280');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await shot(page, 'graph-02-resnet20-1920');
    await page.setViewportSize({ width: 1280, height: 720 });
    // The labels stay readable: a graph is never shrunk, the panel scrolls sideways instead.
    const scale = await page.$eval(tid('network-diagram'), (svg) => {
      const vb = svg.getAttribute('viewBox')!.split(' ').map(Number);
      return svg.getBoundingClientRect().width / vb[2];
    });
    expect(scale).toBeGreaterThanOrEqual(1 - 1e-6);
  });

  it('links a block made inside a def to its line there, both ways', async () => {
    const second = page.locator(`${tid('diagram-layer')}[data-layer="conv2d_2"]`);
    await second.hover();
    await page.waitForSelector('.cm-line[data-active="true"]');
    const line = await page.textContent('.cm-line[data-active="true"]');
    expect(line).toContain("layers.Conv2D(filters, 3, padding='same'");
    expect(line).toContain('(y)');
    await page.locator('.cm-line', { hasText: 'layers.GlobalAveragePooling2D()' }).hover();
    await waitForActiveLayer(page, 'data-layer', 'global_average_pooling2d');
  });
});
