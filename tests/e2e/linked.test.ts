// Diagram <-> code, linked both ways: hovering or focusing a block lights up its code line and summary row;
// hovering a line or a row lights up its block; a click selects the block's line in the editor; an error's
// line marks its block red; the exported SVG carries none of it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAPER_LENET5 } from '../../src/model/code-presets';
import { hashForCode } from '../../src/store/url';
import { waitForActiveLayer } from './diagram-active';
import { closeSession, openSession, type Session, shot, tid } from './helpers';

let session: Session;
let page: Page;
const block = (i: number) => page.locator(tid('diagram-layer')).nth(i);

/** The labels of active blocks, the text of active code lines and the layer names of active summary rows. */
const active = () =>
  page.evaluate(() => ({
    blocks: [...document.querySelectorAll('[data-testid="diagram-layer"][data-active="true"]')].map(
      (e) => e.getAttribute('aria-label') ?? '',
    ),
    lines: [...document.querySelectorAll('.cm-line[data-active="true"]')].map((e) => e.textContent ?? ''),
    rows: [...document.querySelectorAll('[data-testid="model-summary"] tr[data-active="true"]')].map(
      (e) => e.getAttribute('data-layer') ?? '',
    ),
  }));

async function open(hash = ''): Promise<void> {
  // A query makes it a new navigation (a hash alone would not reload the page).
  await page.goto(`${session.app.url}?linked=${hash ? 1 : 0}${hash}`);
  await page.waitForSelector(tid('diagram-layer'));
  await page.waitForSelector('.cm-line');
}

beforeAll(async () => {
  session = await openSession(false);
  page = session.page;
});

afterAll(() => closeSession(session));

describe('linked diagram and code', () => {
  it('hovering a block lights up its code line and summary row, and leaving clears them', async () => {
    await open();
    expect(await active()).toEqual({ blocks: [], lines: [], rows: [] });
    await block(3).hover();
    await page.waitForSelector('.cm-line[data-active="true"]');
    const a = await active();
    expect(a.blocks).toEqual(['C3: f. maps 16@10x10']);
    expect(a.lines).toHaveLength(1);
    expect(a.lines[0]).toContain('Conv2D(filters=16');
    expect(a.rows).toEqual(['conv2d_1']);
    await shot(page, 'linked-01-hover-block-1280');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await block(3).hover();
    await shot(page, 'linked-02-hover-block-1920');
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.mouse.move(2, 2);
    await page.waitForFunction(() => !document.querySelector('[data-active="true"]'));
  });

  it('hovering a code line or a summary row lights up its block', async () => {
    await page.locator('.cm-line', { hasText: 'Dense(120' }).hover();
    await page.waitForSelector(`${tid('diagram-layer')}[data-active="true"]`);
    let a = await active();
    expect(a.blocks).toEqual(['F5: layer 120']);
    expect(a.rows).toEqual(['dense']);
    expect(a.lines[0]).toContain('Dense(120');
    // Dropout is drawn as the operation before the output block: its line lights that block.
    await page.locator('.cm-line', { hasText: 'Dropout(0.5)' }).hover();
    await waitForActiveLayer(page, 'aria-label', 'OUTPUT 10');
    await page.locator(`${tid('model-summary')} tr[data-layer="max_pooling2d"]`).hover();
    await waitForActiveLayer(page, 'aria-label', 'S2: f. maps 6@14x14');
    a = await active();
    expect(a.lines[0]).toContain('MaxPooling2D');
    await shot(page, 'linked-03-hover-row');
    await page.mouse.move(2, 2);
  });

  it('a click on a block selects its line in the editor; keyboard focus lights it up', async () => {
    await block(1).click();
    await page.waitForFunction(() => (window.getSelection()?.toString() ?? '').includes('Conv2D(filters=6'));
    const selected = await page.evaluate(() => window.getSelection()?.toString() ?? '');
    const line = PAPER_LENET5.split('\n').find((l) => l.includes('Conv2D(filters=6'));
    expect(selected).toBe(line);
    await block(5).focus();
    await waitForActiveLayer(page, 'aria-label', 'F5: layer 120');
    expect((await active()).rows).toEqual(['dense']);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window.getSelection()?.toString() ?? '').includes('Dense(120'));
  });

  it('the exported SVG carries no hover or focus state', async () => {
    await block(3).hover();
    await page.waitForSelector(`${tid('diagram-layer')}[data-active="true"]`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid('export-svg'))]);
    const chunks: Buffer[] = [];
    for await (const c of await download.createReadStream()) chunks.push(c as Buffer);
    const svg = Buffer.concat(chunks).toString();
    expect(svg).toContain('16@10x10');
    expect(svg).not.toMatch(/data-active|data-error|tabindex|data-testid/);
  });

  it('an error on a layer line marks its block red', async () => {
    const broken = PAPER_LENET5.replace(
      'Conv2D(filters=16, kernel_size=(5,5)',
      'Conv2D(filters=16, kernel_size=(50,50)',
    );
    await open(hashForCode(broken));
    await page.waitForSelector(tid('model-error'));
    const message = await page.textContent(tid('model-error'));
    console.log(`model error: ${message}`);
    await page.waitForSelector(`${tid('diagram-layer')}[data-error="true"]`);
    const red = await page.$$eval(`${tid('diagram-layer')}[data-error="true"]`, (e) =>
      e.map((x) => x.getAttribute('aria-label')),
    );
    expect(red).toEqual(['C3: f. maps 16@10x10']);
    await shot(page, 'linked-04-error');
  });
});
