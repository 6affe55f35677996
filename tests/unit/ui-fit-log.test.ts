// The fit log prints what Keras 3's model.fit(verbose=1) and model.evaluate() print.
import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../src/train/types';
import { counter, eta, fitLog, kerasNumber, logText, perStep } from '../../src/ui/fitlog/format';

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
    expect(kerasNumber(0.0000123)).toBe('1.2300e-5');
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
