import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/model/code-presets';
import { validRun, validSettings } from '../../src/store/persist';
import { codeFromHash, decodeCode, encodeCode, hashForCode } from '../../src/store/url';
import type { EpochMetrics } from '../../src/train/types';
import { historyCsv } from '../../src/ui/export/csv';

describe('code in the URL', () => {
  it('round-trips every preset and non-ASCII comments, URL-safe and shorter than the code', () => {
    for (const p of PRESETS) {
      const enc = encodeCode(p.code);
      expect(enc).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(enc.length).toBeLessThan(p.code.length);
      expect(decodeCode(enc)).toBe(p.code);
    }
    const zh = "# 卷积层\nmodel.add(Dense(10, activation='softmax'))\n";
    expect(codeFromHash(hashForCode(zh))).toBe(zh);
  });

  it('returns null for a missing or damaged hash', () => {
    expect(codeFromHash('')).toBeNull();
    expect(codeFromHash('#other=1')).toBeNull();
    expect(codeFromHash('#code=@@@')).toBeNull();
    expect(codeFromHash('#code=AAAA')).toBeNull();
  });
});

describe('saved state validation', () => {
  const settings = {
    optimizer: 'adam',
    learningRate: 0.001,
    batchSize: 64,
    epochs: 5,
    validationSplit: 0.1,
    inputAdapt: 'pad',
  };
  const run = {
    weights: [{ name: 'dense/kernel', shape: [2, 3], data: new Float32Array(6) }],
    weightsCode: 'x',
    epochs: [],
    series: { step: [1, 2], loss: [1, 0.5], accuracy: [0.1, 0.2] },
    checkpointEpoch: 1,
    checkpointStep: 2,
    totalEpochs: 5,
    finished: false,
    evaluation: null,
  };

  it('accepts what the page saves', () => {
    expect(validSettings(settings)).toBe(true);
    expect(validRun(run)).toBe(true);
  });

  it('refuses corrupted entries', () => {
    expect(validSettings(null)).toBe(false);
    expect(validSettings('garbage')).toBe(false);
    expect(validSettings({ ...settings, optimizer: 'adamw' })).toBe(false);
    expect(validSettings({ ...settings, learningRate: Number.NaN })).toBe(false);
    expect(validSettings({ ...settings, validationSplit: 1 })).toBe(false);
    expect(validRun({ ...run, weights: [{ name: 'k', shape: [2, 3], data: new Float32Array(5) }] })).toBe(
      false,
    );
    expect(validRun({ ...run, weights: [{ name: 'k', shape: [2, 3], data: [0, 0, 0, 0, 0, 0] }] })).toBe(
      false,
    );
    expect(validRun({ ...run, series: { step: [1], loss: [], accuracy: [] } })).toBe(false);
    expect(validRun({ ...run, checkpointEpoch: 'one' })).toBe(false);
    expect(validRun(42)).toBe(false);
  });
});

describe('history CSV', () => {
  /** Epoch 0 of a run with validation; `more` changes or adds fields. */
  const epochRow = (more: Partial<EpochMetrics> = {}): EpochMetrics => ({
    epoch: 0,
    loss: 0.5,
    accuracy: 0.8,
    val_loss: 0.4,
    val_accuracy: 0.85,
    samplesPerSec: 900,
    seconds: 2.5,
    step: 10,
    batchesPerEpoch: 10,
    ...more,
  });

  it('writes Keras CSVLogger columns in epoch order with empty cells for missing values', () => {
    const csv = historyCsv([
      epochRow({
        epoch: 1,
        loss: 0.2,
        accuracy: 0.9,
        val_loss: null,
        val_accuracy: null,
        samplesPerSec: 1000,
        seconds: 2,
        step: 20,
      }),
      epochRow(),
    ]);
    expect(csv.split('\n')).toEqual([
      'epoch,accuracy,loss,val_accuracy,val_loss,samples_per_sec,seconds',
      '0,0.8,0.5,0.85,0.4,900,2.5',
      '1,0.9,0.2,,,1000,2',
      '',
    ]);
  });

  it('names the accuracy as metrics= does, leaves it out for metrics=[], and sorts learning_rate in', () => {
    const e = epochRow();
    expect(historyCsv([e], 'sparse_categorical_accuracy').split('\n')[0]).toBe(
      'epoch,loss,sparse_categorical_accuracy,val_loss,val_sparse_categorical_accuracy,samples_per_sec,seconds',
    );
    expect(historyCsv([e], null).split('\n').slice(0, 2)).toEqual([
      'epoch,loss,val_loss,samples_per_sec,seconds',
      '0,0.5,0.4,900,2.5',
    ]);
    expect(
      historyCsv([{ ...e, learning_rate: 0.01 }], 'acc')
        .split('\n')
        .slice(0, 2),
    ).toEqual([
      'epoch,acc,learning_rate,loss,val_acc,val_loss,samples_per_sec,seconds',
      '0,0.8,0.01,0.5,0.85,0.4,900,2.5',
    ]);
  });
});
