// What the network learned: norms per layer and their change between reads, and first-layer kernel tiles.
import { describe, expect, it } from 'vitest';
import { kernelTiles } from '../../src/ui/learned/kernels';
import { insightOf, snapshotOf } from '../../src/worker/insight';

const w = (name: string, shape: number[], values: number[]) => ({
  name,
  shape,
  data: Float32Array.from(values),
});

describe('weight insight', () => {
  it('gives each layer its weight norm, and the update norm from the second read on', () => {
    const first = [
      w('conv/kernel', [1, 1, 1, 2], [3, 0]),
      w('conv/bias', [2], [0, 4]),
      w('dense/kernel', [2, 1], [1, 1]),
    ];
    const a = insightOf(first, null);
    expect(a.norms.map((n) => n.layer)).toEqual(['conv', 'dense']);
    expect(a.norms[0].weight).toBeCloseTo(5);
    expect(a.norms[0].update).toBeNull();
    expect(a.firstKernel?.layer).toBe('conv');
    const second = [
      w('conv/kernel', [1, 1, 1, 2], [3, 0]),
      w('conv/bias', [2], [0, 4]),
      w('dense/kernel', [2, 1], [4, 5]),
    ];
    const b = insightOf(second, snapshotOf(first));
    expect(b.norms[0].update).toBe(0);
    expect(b.norms[1].update).toBeCloseTo(5);
  });

  it("draws a conv kernel's output units as tiles, zero grey and each tile scaled to its own extreme", () => {
    // 2x2 kernel, 1 input channel, 6 output units: unit o has value (o - 2) at (0,0), zero elsewhere.
    const data = new Float32Array(2 * 2 * 6);
    for (let o = 0; o < 6; o++) data[o] = o - 2;
    const t = kernelTiles([2, 2, 1, 6], data, [32, 32, 1])!;
    expect(t.tiles).toHaveLength(6);
    expect([t.height, t.width]).toEqual([2, 2]);
    expect(t.tiles[0][0]).toBe(1); // -2 / 2 -> darkest
    expect(t.tiles[4][0]).toBe(255); // 2 / 2 -> lightest
    expect(t.tiles[0][4]).toBe(128); // zero is grey
    expect(t.tiles[2][0]).toBe(128); // an all-zero unit stays grey
  });

  it('draws a Dense kernel on an image input as images of the input, and refuses a vector input', () => {
    const t = kernelTiles([12, 100], new Float32Array(1200), [2, 2, 3])!;
    expect([t.height, t.width, t.tiles.length, t.total]).toEqual([2, 2, 64, 100]);
    expect(kernelTiles([12, 5], new Float32Array(60), [12])).toBeNull();
  });
});
