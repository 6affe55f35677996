// The classic-paper presets build with the parameter counts Keras prints for the same code. Every expected
// number below is worked out by hand from the layer shapes (conv: kh*kw*in*out + out; batch norm: 4 per channel,
// half of them the non-trainable moving statistics; depthwise: kh*kw*in, no bias here; dense: in*out + out).
import { describe, expect, it } from 'vitest';
import { importKerasCode } from '../../src/keras';
import { PRESETS } from '../../src/model/code-presets';
import { PAPER_PRESETS } from '../../src/model/paper-presets';
import { summarize, summaryText } from '../../src/model/summary';

const conv = (k: number, cin: number, cout: number, bias = true) => k * k * cin * cout + (bias ? cout : 0);
const dense = (cin: number, cout: number) => cin * cout + cout;
const bn = (c: number) => 4 * c;

function counts(id: string) {
  const preset = PAPER_PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`no preset ${id}`);
  const built = importKerasCode(preset.code).built;
  const nonTrainable = built.layers
    .flatMap((l) => l.params)
    .filter((p) => p.trainable === false)
    .reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0);
  return { built, total: built.paramCount, nonTrainable };
}

describe('classic-paper presets', () => {
  it('are offered in the preset list after the LeNets', () => {
    const ids = PRESETS.map((p) => p.id);
    expect(ids[0]).toBe('lenet5-paper');
    for (const p of PAPER_PRESETS) expect(ids).toContain(p.id);
  });

  it('ResNet-20: 274,442 parameters, 1,376 of them non-trainable (He et al.: 0.27M)', () => {
    const stem = conv(3, 3, 16) + bn(16); // 448 + 64
    const block = (c: number) => 2 * (conv(3, c, c) + bn(c)); // two conv + BN pairs
    const down = (cin: number, c: number) =>
      conv(3, cin, c) + bn(c) + conv(3, c, c) + bn(c) + conv(1, cin, c); // with the 1x1 projection
    const expected =
      stem + 3 * block(16) + down(16, 32) + 2 * block(32) + down(32, 64) + 2 * block(64) + dense(64, 10);
    const { built, total, nonTrainable } = counts('resnet20-cifar10');
    expect(expected).toBe(274_442);
    expect(total).toBe(expected);
    // Moving mean and variance: 2 per channel of the 19 batch norms (1 x 16 stem, 6 x 16, 6 x 32, 6 x 64).
    expect(nonTrainable).toBe(2 * (16 + 6 * 16 + 6 * 32 + 6 * 64));
    // 19 convs + 1 dense = 20 weighted layers on the main path plus the two 1x1 projections.
    const weighted = built.layers.filter((l) => ['Conv2D', 'Dense'].includes(l.layer.className));
    expect(weighted.length).toBe(22);
    expect(built.layers.filter((l) => l.layer.className === 'Add').length).toBe(9);
    const text = summaryText(summarize(built));
    expect(text).toContain('Total params: 274,442');
    expect(text).toContain('Trainable params: 273,066');
    expect(text).toContain('Non-trainable params: 1,376');
    expect(text).toContain('Connected to');
  });

  it('MobileNet v1 at width 0.25: 221,114 parameters, 5,472 non-trainable', () => {
    const block = (cin: number, cout: number) =>
      conv(3, cin, 1, false) + bn(cin) + conv(1, cin, cout, false) + bn(cout);
    const widths = [8, 16, 32, 32, 64, 64, 128, 128, 128, 128, 128, 128, 256, 256];
    let expected = conv(3, 3, 8, false) + bn(8);
    for (let i = 1; i < widths.length; i++) expected += block(widths[i - 1], widths[i]);
    expected += dense(256, 10);
    const { built, total, nonTrainable } = counts('mobilenet-025-cifar10');
    expect(expected).toBe(221_114);
    expect(total).toBe(expected);
    // Half of every batch norm: the stem's 8 channels, then cin + cout per block.
    let moving = 2 * 8;
    for (let i = 1; i < widths.length; i++) moving += 2 * (widths[i - 1] + widths[i]);
    expect(nonTrainable).toBe(moving);
    expect(moving).toBe(5_472);
    expect(built.layers.filter((l) => l.layer.className === 'DepthwiseConv2D').length).toBe(13);
    // Four stride-2 blocks: 32 -> 2.
    const gap = built.layers.find((l) => l.layer.className === 'GlobalAveragePooling2D');
    expect(gap?.inputShape).toEqual([2, 2, 256]);
  });

  it('AlexNet (CIFAR size): 7,176,522 parameters', () => {
    const expected =
      conv(5, 3, 64) +
      conv(5, 64, 192) +
      conv(3, 192, 384) +
      conv(3, 384, 256) +
      conv(3, 256, 256) +
      dense(4 * 4 * 256, 1024) + // three stride-2 'same' pools: 32 -> 16 -> 8 -> 4
      dense(1024, 512) +
      dense(512, 10);
    expect(expected).toBe(7_176_522);
    expect(counts('alexnet-cifar10').total).toBe(expected);
  });

  it('VGG-11 and VGG-16 with batch norm: 9,236,618 and 14,736,714 parameters', () => {
    const vgg = (widths: number[]) => {
      let n = 0;
      let cin = 3;
      for (const c of widths) {
        n += conv(3, cin, c) + bn(c);
        cin = c;
      }
      return n + dense(512, 10);
    };
    const a = [64, 128, 256, 256, 512, 512, 512, 512];
    const d = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512];
    expect(vgg(a)).toBe(9_236_618);
    expect(vgg(d)).toBe(14_736_714);
    const v11 = counts('vgg11-cifar10');
    expect(v11.total).toBe(vgg(a));
    expect(v11.nonTrainable).toBe(a.reduce((s, c) => s + 2 * c, 0));
    const v16 = counts('vgg16-cifar10');
    expect(v16.total).toBe(vgg(d));
    expect(v16.nonTrainable).toBe(d.reduce((s, c) => s + 2 * c, 0));
  });

  it('Network in Network: 966,986 parameters, no dense layer', () => {
    const expected =
      conv(5, 3, 192) +
      conv(1, 192, 160) +
      conv(1, 160, 96) +
      conv(5, 96, 192) +
      2 * conv(1, 192, 192) +
      conv(3, 192, 192) +
      conv(1, 192, 192) +
      conv(1, 192, 10);
    expect(expected).toBe(966_986);
    const { built, total } = counts('nin-cifar10');
    expect(total).toBe(expected);
    expect(built.layers.some((l) => l.layer.className === 'Dense')).toBe(false);
    expect(built.layers.at(-1)?.outputShape).toEqual([10]);
  });
});
