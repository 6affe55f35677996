// Augmentation layers in the page: a model with RandomFlip + RandomRotation at its head shows a second sample
// grid, "as the model sees them in training", whose samples differ from the originals and are drawn again every
// couple of seconds; the model trains a few steps. Screenshot: tests/e2e/out/augment.png (and /tmp/augment.png).
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  closeSession,
  gotoReady,
  OUT,
  openSession,
  type Session,
  shot,
  tid,
  typeCode,
  waitStatus,
} from './helpers';

const CODE = `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.RandomFlip("horizontal"),
    layers.RandomRotation(0.1),
    layers.Flatten(),
    layers.Dense(32, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
`;

let session: Session;
let page: Page;

beforeAll(async () => {
  session = await openSession();
  page = session.page;
  await gotoReady(page, `${session.app.url}?subset=256`, 150_000);
}, 200_000);

afterAll(() => closeSession(session));

const grid = () => page.$(tid('sample-augmented'));
const attr = async (name: string) => Number(await page.getAttribute(tid('sample-augmented'), name));

it('shows the samples as training sees them, re-rolled, and trains', async () => {
  // The default model has no augmentation layers: no second grid.
  expect(await grid()).toBeNull();
  await typeCode(page, CODE);
  await page.click(tid('apply-code'));
  await page.waitForSelector(tid('sample-augmented'), { timeout: 30_000 });
  expect(await page.textContent(tid('sample-augmented'))).toContain('As the model sees them in training');
  // 36 samples, each flipped with probability 1/2 and rotated by a random angle up to 36 degrees.
  await page.waitForFunction(
    () =>
      Number(document.querySelector('[data-testid="sample-augmented"]')?.getAttribute('data-differs')) > 0,
  );
  expect(await attr('data-differs')).toBeGreaterThan(30);
  const canvas = `${tid('sample-augmented')} canvas`;
  const first = await page.$eval(canvas, (c) => (c as HTMLCanvasElement).toDataURL());
  const roll = await attr('data-roll');
  await page.waitForFunction(
    (r) => Number(document.querySelector('[data-testid="sample-augmented"]')?.getAttribute('data-roll')) > r,
    roll,
    { timeout: 10_000 },
  );
  // The re-rolled row is drawn after the roll is counted: wait for the pixels to change (no fixed sleep).
  await page.waitForFunction(
    ([sel, before]) => (document.querySelector(sel) as HTMLCanvasElement | null)?.toDataURL() !== before,
    [canvas, first] as const,
    { timeout: 10_000 },
  );

  await page.fill(tid('epochs'), '1');
  await page.fill(tid('batch-size'), '32');
  await page.click(tid('train-start'));
  await waitStatus(page, 'done', 120_000);
  const loss = Number(await page.textContent(tid('metric-loss')));
  expect(Number.isFinite(loss)).toBe(true);
  expect(await page.textContent(tid('app-error')).catch(() => null)).toBeFalsy();
  await page.$eval(tid('sample-augmented'), (e) => e.scrollIntoView());
  await shot(page, 'augment');
  copyFileSync(join(OUT, 'augment.png'), '/tmp/augment.png');
}, 240_000);
