import { describe, expect, it } from 'vitest';
import {
  AveragePooling2D,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  MAX_LAYERS,
  MaxPooling2D,
  paperLeNet5,
  Sequential,
} from '../../src/model';
import { layoutDiagram } from '../../src/ui/diagram/layout';

/** The block labels of the LeNet-5 input and conv / pool stack, which both the paper and classic models share. */
const LENET_FRONT = [
  'INPUT 32x32',
  'C1: feature maps 6@28x28',
  'S2: f. maps 6@14x14',
  'C3: f. maps 16@10x10',
  'S4: f. maps 16@5x5',
];

const label = (lines: string[]) => lines.join(' ');

describe('diagram layout', () => {
  it('labels the paper LeNet-5 the way the paper figure does', () => {
    const l = layoutDiagram(paperLeNet5().build());
    expect(l.blocks.map((b) => label(b.lines))).toEqual([...LENET_FRONT, 'F5: layer 120', 'OUTPUT 10']);
    expect(l.ops.map((o) => o.lines.join(' / '))).toEqual([
      'Convolutions 5x5',
      'Max-pooling 2x2',
      'Convolutions 5x5',
      'Max-pooling 2x2',
      'Full connection',
      'Dropout 0.5 / Full connection / Softmax',
    ]);
  });

  it('scales feature-map squares to their size and stacks at most 8 maps', () => {
    const l = layoutDiagram(paperLeNet5().build());
    const [input, c1, s2, c3] = l.blocks;
    expect(input.side).toBeGreaterThan(c1.side);
    expect(c1.side).toBeGreaterThan(s2.side);
    expect(c1.side / s2.side).toBeCloseTo(2, 0);
    expect(c1.drawn).toBe(6);
    expect(c3.drawn).toBe(8);
    expect(c3.channels).toBe(16);
  });

  it('places blocks left to right without overlap', () => {
    const l = layoutDiagram(paperLeNet5().build());
    for (let i = 1; i < l.blocks.length; i++) {
      expect(l.blocks[i].x).toBeGreaterThan(l.blocks[i - 1].x + l.blocks[i - 1].w);
      expect(l.ops[i - 1].cx).toBeGreaterThan(l.blocks[i - 1].x + l.blocks[i - 1].w);
      expect(l.ops[i - 1].cx).toBeLessThan(l.blocks[i].x);
    }
    expect(l.width).toBeGreaterThan(l.blocks[l.blocks.length - 1].x + l.blocks[l.blocks.length - 1].w);
  });

  it('draws a 1x1 convolution output as a layer (classic LeNet C5) and names average pooling', () => {
    const m = new Sequential(
      [
        Conv2D({ filters: 6, kernel_size: 5, activation: 'tanh' }),
        AveragePooling2D({ pool_size: 2 }),
        Conv2D({ filters: 16, kernel_size: 5, activation: 'tanh' }),
        AveragePooling2D({ pool_size: 2 }),
        Conv2D({ filters: 120, kernel_size: 5, activation: 'tanh' }),
        Flatten(),
        Dense({ units: 84, activation: 'tanh' }),
        Dense({ units: 10, activation: 'softmax' }),
      ],
      'classic',
      [32, 32, 1],
    ).build();
    const l = layoutDiagram(m);
    expect(l.blocks.map((b) => label(b.lines))).toEqual([
      ...LENET_FRONT,
      'C5: layer 120',
      'F6: layer 84',
      'OUTPUT 10',
    ]);
    expect(l.blocks[5].kind).toBe('vector');
    expect(l.ops[1].lines).toEqual(['Average-pooling 2x2']);
  });

  it('stays one row for 20 layers with every block labelled', () => {
    const layers = [];
    for (let i = 0; i < 9; i++)
      layers.push(Conv2D({ filters: 8, kernel_size: 3, padding: 'same', activation: 'relu' }));
    layers.push(MaxPooling2D({ pool_size: 2 }), Flatten());
    for (let i = 0; i < 8; i++) layers.push(Dense({ units: 32, activation: 'relu' }), Dropout({ rate: 0.1 }));
    layers.push(Dense({ units: 10, activation: 'softmax' }));
    const built = new Sequential(layers, 'deep', [16, 16, 3]).build();
    const l = layoutDiagram(built);
    expect(l.blocks.length).toBe(1 + 9 + 1 + 8 + 1);
    expect(new Set(l.blocks.map((b) => label(b.lines))).size).toBe(l.blocks.length);
    expect(l.blocks[0].lines).toEqual(['INPUT', '3@16x16']);
    expect(l.blocks.every((b) => Math.abs(b.y + b.h / 2 - l.centerY) < 1)).toBe(true);
  });

  it('draws an MLP input as a vector of its size', () => {
    const built = new Sequential(
      [Dense({ units: 32, activation: 'relu' }), Dense({ units: 10 })],
      'mlp',
      [784],
    ).build();
    const l = layoutDiagram(built);
    expect(l.blocks.map((b) => label(b.lines))).toEqual(['INPUT 784', 'F1: layer 32', 'OUTPUT 10']);
    expect(l.blocks[0].h).toBeGreaterThan(l.blocks[2].h);
  });
});

describe('very deep models', () => {
  // The model refuses more than MAX_LAYERS (1,000) layers; the deepest model it accepts must still draw fast.
  it('draws the deepest allowed model as the first and last blocks with the middle summarised', () => {
    const layers = Array.from({ length: MAX_LAYERS - 1 }, () => Dense({ units: 4, activation: 'relu' }));
    layers.push(Dense({ units: 2, activation: 'softmax' }));
    const built = new Sequential(layers, 'deep', [4]).build();
    const l = layoutDiagram(built);
    expect(l.blocks.length).toBeLessThanOrEqual(40);
    expect(l.blocks[0].lines).toEqual(['INPUT', '4']);
    expect(l.blocks[l.blocks.length - 1].lines).toEqual(['OUTPUT', '2']);
    expect(
      l.ops.some((o) => o.lines[0] === `… ${(MAX_LAYERS + 1 - 38).toLocaleString('en-US')} more layers …`),
    ).toBe(true);
  });
});
