import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/types';
import { datasetPayload, subsetLimit } from '../../src/store/run-config';
import { classCounts } from '../../src/ui/data/ClassHistogram';
import { convertChannels } from '../../src/ui/data/channels';
import { perClassAccuracy } from '../../src/ui/eval/EvalPanel';
import { formatDuration, formatMetric } from '../../src/ui/training/format';
import { confidentlyWrong, confusionFromProbs, topK } from '../../src/worker/evaluate';

describe('evaluation helpers', () => {
  // 4 samples, 3 classes.
  const probs = new Float32Array([0.7, 0.2, 0.1, 0.1, 0.1, 0.8, 0.05, 0.9, 0.05, 0.3, 0.3, 0.4]);
  const labels = new Int32Array([0, 1, 1, 0]);

  it('finds the most confidently wrong samples with their top-3', () => {
    const w = confidentlyWrong(probs, labels, 4, 3, 10);
    expect(w.map((x) => x.index)).toEqual([1, 3]);
    expect(w[0].top3.map(([c]) => c)).toEqual([2, 0, 1]);
    expect(w[0].top3[0][1]).toBeCloseTo(0.8);
    expect(topK(probs, 6, 3, 2).map(([c]) => c)).toEqual([1, 0]);
  });

  it('builds a confusion matrix (rows true, columns predicted) and per-class accuracy', () => {
    const m = confusionFromProbs(probs, labels, 4, 3);
    expect(Array.from(m)).toEqual([1, 0, 1, 0, 1, 1, 0, 0, 0]);
    const acc = perClassAccuracy(m, 3);
    expect(acc).toEqual([0.5, 0.5, null]);
  });
});

describe('data helpers', () => {
  const ds: Dataset = {
    name: 't',
    source: 's',
    height: 1,
    width: 2,
    channels: 3,
    classNames: ['a', 'b'],
    train: {
      images: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 10, 10]),
      labels: new Int32Array([0, 1]),
      count: 2,
    },
    test: null,
    normalization: { kind: 'meanstd', mean: [0.5, 0.4, 0.3], std: [0.2, 0.2, 0.2] },
    notes: [],
  };

  it('counts classes', () => {
    expect(classCounts(new Int32Array([0, 2, 2, 1, 2]), 5, 3)).toEqual([1, 1, 3]);
  });

  it('converts RGB to grayscale with luma weights and back', () => {
    const g = convertChannels(ds, 1);
    expect(g.channels).toBe(1);
    expect(Array.from(g.train.images)).toEqual([76, 150, 29, 10]);
    const n = g.normalization as { kind: string; mean: number[]; std: number[] };
    expect(n.kind).toBe('meanstd');
    expect(n.mean[0]).toBeCloseTo(0.4);
    expect(n.std[0]).toBeCloseTo(0.2);
    const rgb = convertChannels(g, 3);
    expect(Array.from(rgb.train.images.slice(0, 6))).toEqual([76, 76, 76, 150, 150, 150]);
  });

  it('cuts the dataset to ?subset=N', () => {
    expect(subsetLimit('?subset=512')).toBe(512);
    expect(subsetLimit('?subset=abc')).toBeNull();
    expect(subsetLimit('')).toBeNull();
    const { payload: p, transfer } = datasetPayload(ds, 'id', 1);
    expect(p.train.count).toBe(1);
    expect(p.train.images.length).toBe(6);
    // The copies' buffers are listed for transfer; the page's own arrays are not among them.
    expect(transfer).toContain(p.train.images.buffer);
    expect(transfer).toContain(p.train.labels.buffer);
    expect(transfer).not.toContain(ds.train.images.buffer);
    expect(datasetPayload(ds, 'id', null).payload.train.count).toBe(2);
  });

  it('formats metrics as plain numbers', () => {
    expect(formatMetric(0.123456)).toBe('0.1235');
    expect(formatMetric(1234.6, 0)).toBe('1235');
    expect(formatMetric(null)).toBe('');
    expect(formatDuration(75)).toBe('1:15');
  });
});
