// Kept runs: the code hash, thinned curves, the settings two runs differ in, and the bound on their number.
import { describe, expect, it } from 'vitest';
import {
  codeHash,
  fullMessage,
  MAX_RUNS,
  type RunRecord,
  settingsDiff,
  thin,
} from '../../src/store/run-record';

const record = (n: number, lr: number, code = 'model = Sequential()'): RunRecord => ({
  id: `r${n}`,
  number: n,
  createdAt: n,
  code,
  codeHash: codeHash(code),
  modelName: 'sequential',
  settings: { optimizer: 'adam', learningRate: lr, batchSize: 32, epochs: 3, validationSplit: 0.1 },
  dataset: 'MNIST',
  curves: { step: [1], loss: [1], accuracy: [0] },
  epochs: [],
  final: { loss: null, accuracy: null, valLoss: null, valAccuracy: null, testAccuracy: null },
  outcome: 'finished',
});

describe('run records', () => {
  it('hashes code: equal code equal hash, one character changes it', () => {
    expect(codeHash('abc')).toBe(codeHash('abc'));
    expect(codeHash('abc')).not.toBe(codeHash('abd'));
    expect(codeHash('')).toMatch(/^[0-9a-f]{8}$/);
  });

  it('thins long curves to the bound, keeping their means and last step', () => {
    const n = 10_000;
    const step = Array.from({ length: n }, (_, i) => i + 1);
    const loss = step.map((s) => 1 / s);
    const t = thin({ step, loss, accuracy: step.map(() => 0.5) }, 100);
    expect(t.step).toHaveLength(100);
    expect(t.step[99]).toBe(n);
    expect(t.accuracy.every((a) => a === 0.5)).toBe(true);
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    expect(mean(t.loss)).toBeCloseTo(mean(loss), 10);
    expect(thin({ step: [1, 2], loss: [3, 4], accuracy: [0, 1] }, 100).loss).toEqual([3, 4]);
  });

  it('lists only the settings the runs differ in', () => {
    expect(settingsDiff([record(1, 0.01), record(2, 0.01)])).toEqual([]);
    const d = settingsDiff([record(1, 0.01), record(2, 0.002, 'other code')]);
    expect(d.map((x) => x.label)).toEqual(['model code', 'learning rate']);
    expect(d[1].values).toEqual(['0.01', '0.002']);
  });

  it('refuses a run beyond the bound with a message that says what to do', () => {
    expect(fullMessage(MAX_RUNS - 1)).toBeNull();
    expect(fullMessage(MAX_RUNS)).toMatch(/full .*Delete runs/);
  });
});
