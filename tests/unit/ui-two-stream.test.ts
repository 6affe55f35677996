// AlexNet's two-stream figure (Krizhevsky et al. 2012, Figure 2) as pure geometry: every layer halved over two
// streams, crossings only into the third convolution and the dense layers, input and output drawn once.
import { describe, expect, it } from 'vitest';
import { importKerasCode } from '../../src/keras';
import { PRESETS } from '../../src/model/code-presets';
import { ALEXNET_CIFAR } from '../../src/model/paper-presets';
import { layoutTwoStream } from '../../src/ui/diagram/two-stream';

describe('two-stream figure', () => {
  const model = importKerasCode(ALEXNET_CIFAR).built;
  const l = layoutTwoStream(model);

  it('is the figure the AlexNet preset asks for, and only that preset', () => {
    expect(PRESETS.filter((p) => p.figure === 'two-stream').map((p) => p.id)).toEqual(['alexnet-cifar10']);
  });

  it('halves every layer over an upper and a lower stream, the input and output once', () => {
    const upper = l.blocks.filter((b) => b.stream === 1);
    const lower = l.blocks.filter((b) => b.stream === 2);
    expect(upper).toHaveLength(10);
    expect(lower.map((b) => b.layerName)).toEqual(upper.map((b) => b.layerName));
    expect(l.blocks.filter((b) => b.stream === undefined).map((b) => b.lines.join(' '))).toEqual([
      'INPUT 3@32x32',
      'OUTPUT 10',
    ]);
    for (const [i, u] of upper.entries()) {
      const d = lower[i];
      const whole = u.kind === 'maps' ? u.channels : u.units;
      // The two parts tile the layer's channels (or units), and the streams sit one above the other.
      expect(u.part).toEqual([0, Math.ceil(whole / 2)]);
      expect(d.part).toEqual([Math.ceil(whole / 2), whole]);
      expect(u.cx).toBe(d.cx);
      expect(u.y + u.h).toBeLessThan(d.y);
    }
    expect(upper[0].lines).toEqual(['C1', '32@32x32']);
    expect(lower[8].lines).toEqual(['512']);
    // Left to right, nothing overlaps.
    const xs = upper.map((b) => b.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(Math.max(...l.blocks.map((b) => b.x + b.w))).toBeLessThan(l.width);
  });

  it('crosses only into the third convolution and the dense layers', () => {
    expect(l.crossAt).toEqual(['conv2d_2', 'dense', 'dense_1', 'dense_2']);
    const crossInto = [...new Set(l.links.filter((k) => k.cross).map((k) => k.to.layerName))];
    expect(crossInto).toEqual(['conv2d_2', 'dense', 'dense_1']);
    // Every link into a crossing layer comes from both streams; elsewhere a stream feeds only itself.
    for (const k of l.links) {
      if (k.from.stream && k.to.stream && k.from.stream !== k.to.stream) {
        expect(l.crossAt).toContain(k.to.layerName);
      }
    }
    expect(l.links.filter((k) => k.cross)).toHaveLength(6);
    // The input feeds both streams, both streams feed the output.
    expect(l.links.filter((k) => k.from.layerName === null)).toHaveLength(2);
    expect(l.links.filter((k) => k.to.stream === undefined && k.to.layerName !== null)).toHaveLength(2);
  });
});
