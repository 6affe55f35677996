// The fit log prints what Keras 3's model.fit(verbose=1) and model.evaluate() print.
import { describe, expect, it } from 'vitest';
import { FitCallbacks } from '../../src/train/callbacks';
import type { CallbackEvent, EpochMetrics } from '../../src/train/types';
import {
  callbackLine,
  counter,
  eta,
  fitLog,
  kerasNumber,
  logText,
  perStep,
  pythonFloat,
} from '../../src/ui/fitlog/format';

/** A Keras 3 progress line: count, 20-character bar, time, per-step time, ` - name: value` metrics. */
const KERAS_LINE =
  /^ *(\d+)\/(\d+) ━{20} (\d+s|\d+:\d\d(?::\d\d)?) (\d+)(s|ms|us)\/step((?: - [a-z_]+: -?\d+\.\d{4}(?:e[-+]\d+)?)+)$/;

const epoch = (e: number, loss: number): EpochMetrics => ({
  epoch: e,
  loss,
  accuracy: 1 - loss,
  val_loss: loss / 2,
  val_accuracy: 1 - loss / 2,
  samplesPerSec: 1000,
  seconds: 11.6,
  step: (e + 1) * 844,
  batchesPerEpoch: 844,
});

const metrics = (line: string) =>
  Object.fromEntries(
    [...line.matchAll(/ - ([a-z_]+): (\S+)/g)].map((m) => [m[1], Number(m[2])] as [string, number]),
  );

describe('Keras fit log', () => {
  it('formats numbers, counts and times as Keras does', () => {
    expect(counter(12, 844)).toBe(' 12/844');
    expect(kerasNumber(0.32214)).toBe('0.3221');
    expect(kerasNumber(0.0000123)).toBe('1.2300e-05');
    expect(kerasNumber(0)).toBe('0.0000e+00');
    expect(kerasNumber(0.0015)).toBe('0.0015');
    expect(perStep(0.0137)).toBe('14ms/step');
    expect(perStep(2.2)).toBe('2s/step');
    expect(perStep(0.0004)).toBe('400us/step');
    expect(eta(42.7)).toBe('42s');
    expect(eta(187)).toBe('3:07');
    expect(eta(3723)).toBe('1:02:03');
  });

  it('prints finished epochs, the live line of the running one and evaluate at the end', () => {
    const lines = fitLog({
      epochs: [epoch(1, 0.2), epoch(0, 0.3222)],
      totalEpochs: 5,
      live: { epoch: 2, batch: 211, batchesPerEpoch: 844, loss: 0.15, accuracy: 0.95, elapsed: 3 },
      evaluation: { loss: 0.045, accuracy: 0.985, count: 10000, batchSize: 32, seconds: 1.2 },
    });
    const text = lines.map((l) => l.text);
    expect(text[0]).toBe('Epoch 1/5');
    expect(text[1]).toBe(
      '844/844 ━━━━━━━━━━━━━━━━━━━━ 12s 14ms/step - accuracy: 0.6778 - loss: 0.3222 - val_accuracy: 0.8389 - val_loss: 0.1611',
    );
    expect(text[2]).toBe('Epoch 2/5');
    expect(text[4]).toBe('Epoch 3/5');
    // 211 of 844 batches in 3 s: 633 left at 14 ms take 9 s; a quarter of the bar is done.
    expect(text[5]).toBe('211/844 ━━━━━━━━━━━━━━━━━━━━ 9s 14ms/step - accuracy: 0.9500 - loss: 0.1500');
    expect(lines[5].bar).toEqual({ at: 8, done: 5 });
    expect(text[6]).toBe('313/313 ━━━━━━━━━━━━━━━━━━━━ 1s 4ms/step - accuracy: 0.9850 - loss: 0.0450');
    for (const i of [1, 3, 5, 6]) expect(text[i]).toMatch(KERAS_LINE);
    expect(metrics(text[3])).toEqual({ accuracy: 0.8, loss: 0.2, val_accuracy: 0.9, val_loss: 0.1 });
    expect(logText(lines).split('\n')).toHaveLength(8);
  });

  it('drops the live line once its epoch has finished, and prints nothing before a run', () => {
    const lines = fitLog({
      epochs: [epoch(0, 0.3)],
      totalEpochs: 1,
      live: { epoch: 0, batch: 844, batchesPerEpoch: 844, loss: 0.1, accuracy: 0.9, elapsed: 10 },
      evaluation: null,
    });
    expect(lines.map((l) => l.id)).toEqual(['h0', 'e0']);
    expect(fitLog({ epochs: [], totalEpochs: 5, live: null, evaluation: null })).toEqual([]);
  });
});

describe('fit log: metrics= and the Keras callbacks', () => {
  const lr = (e: EpochMetrics, learning_rate: number): EpochMetrics => ({ ...e, learning_rate });

  it('prints a learning rate as Python prints the float32 rate', () => {
    expect(pythonFloat(0.001 * 0.1)).toBe('0.0001');
    expect(pythonFloat(0.01)).toBe('0.01');
    expect(pythonFloat(1e-5)).toBe('1e-05');
    expect(pythonFloat(2.5e-7)).toBe('2.5e-07');
    expect(pythonFloat(1)).toBe('1.0');
    expect(pythonFloat(0.1 * 0.5)).toBe('0.05');
  });

  it('shows only the loss when metrics= asks for no accuracy, and the accuracy under its Keras name', () => {
    const none = fitLog({
      epochs: [epoch(0, 0.3)],
      totalEpochs: 2,
      live: { epoch: 1, batch: 10, batchesPerEpoch: 844, loss: 0.2, accuracy: 0.9, elapsed: 1 },
      evaluation: { loss: 0.1, accuracy: 0.97, count: 100, batchSize: 32, seconds: 1 },
      accuracyName: null,
    }).map((l) => l.text);
    expect(metrics(none[1])).toEqual({ loss: 0.3, val_loss: 0.15 });
    expect(metrics(none[3])).toEqual({ loss: 0.2 });
    expect(metrics(none[4])).toEqual({ loss: 0.1 });
    for (const l of [none[1], none[3], none[4]]) expect(l).toMatch(KERAS_LINE);
    const named = fitLog({
      epochs: [epoch(0, 0.3)],
      totalEpochs: 1,
      live: null,
      evaluation: null,
      accuracyName: 'sparse_categorical_accuracy',
    }).map((l) => l.text);
    expect(Object.keys(metrics(named[1]))).toEqual([
      'sparse_categorical_accuracy',
      'loss',
      'val_sparse_categorical_accuracy',
      'val_loss',
    ]);
  });

  it('prints what the callbacks did where Keras prints it, and the learning rate in the epoch line', () => {
    const text = fitLog({
      epochs: [lr(epoch(0, 0.5), 0.01), lr(epoch(1, 0.4), 0.01), lr(epoch(2, 0.45), 0.001)],
      totalEpochs: 10,
      live: null,
      evaluation: null,
      callbacks: [
        { kind: 'LearningRateScheduler', epoch: 0, learningRate: 0.01 },
        { kind: 'LearningRateScheduler', epoch: 1, learningRate: 0.01 },
        { kind: 'ReduceLROnPlateau', epoch: 1, learningRate: 0.001 },
        { kind: 'LearningRateScheduler', epoch: 2, learningRate: 0.001 },
        { kind: 'EarlyStopping', epoch: 2, bestEpoch: 1, restored: true },
      ],
    }).map((l) => l.text);
    expect(text.filter((l) => !KERAS_LINE.test(l))).toEqual([
      'Epoch 1: LearningRateScheduler setting learning rate to 0.01.',
      'Epoch 1/10',
      'Epoch 2: LearningRateScheduler setting learning rate to 0.01.',
      'Epoch 2/10',
      'Epoch 2: ReduceLROnPlateau reducing learning rate to 0.001.',
      'Epoch 3: LearningRateScheduler setting learning rate to 0.001.',
      'Epoch 3/10',
      'Epoch 3: early stopping',
      'Restoring model weights from the end of the best epoch: 2.',
    ]);
    // The plateau's line follows its epoch's line; the epoch lines log the rate they trained with, last.
    expect(text[5]).toMatch(KERAS_LINE);
    expect(text[6]).toBe('Epoch 2: ReduceLROnPlateau reducing learning rate to 0.001.');
    expect(text[5].endsWith(' - learning_rate: 0.0100')).toBe(true);
    expect(metrics(text[9]).learning_rate).toBe(0.001);
    expect(callbackLine({ kind: 'EarlyStopping', epoch: 4, bestEpoch: 1, restored: false })).toEqual([
      'Epoch 5: early stopping',
    ]);
  });

  /** A plateau and an early stop acting on a fake trainer; what the fit log then prints besides epoch lines. */
  async function callbackLines(verbose: { verbose?: number }) {
    const events: CallbackEvent[] = [];
    let rate = 0.1;
    const cb = new FitCallbacks(
      [
        {
          kind: 'ReduceLROnPlateau',
          monitor: 'val_loss',
          factor: 0.5,
          patience: 1,
          mode: 'auto',
          min_delta: 0,
          cooldown: 0,
          min_lr: 0,
          ...verbose,
        },
        {
          kind: 'EarlyStopping',
          monitor: 'val_loss',
          min_delta: 0,
          patience: 2,
          mode: 'auto',
          restore_best_weights: false,
          start_from_epoch: 0,
          ...verbose,
        },
      ],
      {
        getLearningRate: () => rate,
        setLearningRate: (v) => {
          rate = v;
        },
        readWeights: async () => [],
        writeWeights: () => {},
        announce: (e) => events.push(e),
      },
    );
    // val_loss improves once, then stalls: the plateau halves the rate after epoch 2, early stopping ends epoch 3.
    const vals = [1, 0.5, 0.6, 0.7, 0.8];
    const epochs: EpochMetrics[] = [];
    for (let e = 0; e < vals.length; e++) {
      cb.epochBegin(e);
      epochs.push({ ...epoch(e, vals[e]), val_loss: vals[e], learning_rate: rate });
      if (await cb.epochEnd(e, { loss: vals[e], val_loss: vals[e] })) break;
    }
    cb.trainEnd();
    const said = fitLog({ epochs, totalEpochs: 5, live: null, evaluation: null, callbacks: events })
      .map((l) => l.text)
      .filter((l) => !KERAS_LINE.test(l) && !l.startsWith('Epoch 1/') && !/^Epoch \d\/5$/.test(l));
    return { said, epochs: epochs.length, rate };
  }

  it('prints the lines FitCallbacks announces while it acts with verbose=1 (Keras 3 rules, a fake trainer)', async () => {
    const { said, epochs, rate } = await callbackLines({ verbose: 1 });
    expect(said).toEqual([
      'Epoch 3: ReduceLROnPlateau reducing learning rate to 0.05.',
      'Epoch 4: ReduceLROnPlateau reducing learning rate to 0.025.',
      'Epoch 4: early stopping',
    ]);
    expect(epochs).toBe(4);
    expect(rate).toBe(0.025);
  });

  it("prints nothing for callbacks at Keras's default verbose=0, which still act", async () => {
    const { said, epochs, rate } = await callbackLines({});
    expect(said).toEqual([]);
    expect(epochs).toBe(4);
    expect(rate).toBe(0.025);
  });
});
