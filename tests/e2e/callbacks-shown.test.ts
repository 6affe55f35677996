// fit(callbacks=[...]) in the page: callbacks at Keras's default verbose=0 act without a fit-log line, as in
// Keras, and the page still says under the status when EarlyStopping ended the run and which callback could not
// act; with verbose=1 the fit log prints what the callback did.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashForCode } from '../../src/store/url';
import { closeSession, openSession, type Session, shot, textOf, tid, waitStatus } from './helpers';

let session: Session;
let page: Page;

/** A tiny MLP whose run EarlyStopping ends after epoch 2 (mode='max' with min_delta=10: nothing improves on epoch 1). */
const code = (verbose: string) => `from tensorflow import keras
from tensorflow.keras import layers
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Flatten(),
    layers.Dense(16, activation='relu'),
    layers.Dense(10, activation='softmax'),
])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=32, epochs=30, validation_split=0.1, callbacks=[
    keras.callbacks.EarlyStopping(monitor='loss', mode='max', min_delta=10${verbose}),
    keras.callbacks.ReduceLROnPlateau(monitor='val_acc'),
])
`;

let visits = 0;
async function train(source: string): Promise<void> {
  await page.goto(`${session.app.url}?subset=256&visit=${++visits}${hashForCode(source)}`, {
    timeout: 120_000,
  });
  await page.waitForSelector(`${tid('webgpu-status')}:has-text("WebGPU ·")`, { timeout: 120_000 });
  await page.waitForSelector(`${tid('dataset-summary')}:has-text("60,000 train")`, { timeout: 120_000 });
  await page.waitForSelector(`${tid('summary-total-params')}:has-text("12730")`, { timeout: 60_000 });
  await page.click(tid('train-start'));
  await waitStatus(page, 'done', 120_000);
}

beforeAll(async () => {
  session = await openSession(true, { viewport: { width: 1280, height: 800 } });
  page = session.page;
});

afterAll(() => closeSession(session));

describe('fit callbacks in the page', () => {
  it('verbose=0: the run ends early, the status says why, the fit log stays as Keras prints it', async () => {
    await train(code(''));
    const notes = await textOf(page, 'run-notes');
    expect(notes).toMatch(/EarlyStopping ended the run after epoch 2: loss was best at epoch 1/);
    expect(notes).toMatch(/ReduceLROnPlateau monitors 'val_acc', which is not logged.*Monitor one of those/);
    const log = await textOf(page, 'fit-log');
    expect(log).toContain('Epoch 2/30');
    expect(log).not.toContain('Epoch 3/30');
    expect(log).not.toMatch(/early stopping/);
    await page.locator(tid('run-notes')).scrollIntoViewIfNeeded();
    await shot(page, 'callbacks-01-run-notes');
  });

  it('verbose=1: the fit log prints the early stop as Keras does', async () => {
    await train(code(', verbose=1'));
    expect(await textOf(page, 'fit-log')).toMatch(/Epoch 2: early stopping/);
    expect(await textOf(page, 'run-notes')).toMatch(/EarlyStopping ended the run after epoch 2/);
  });
});
