// The code importer on a corpus of Keras snippets written the ways tutorials write them. Expected layers,
// shapes and parameter counts are worked out by hand here (conv: kh*kw*cin*filters + filters; dense:
// in*units + units; 'valid': floor((n - k) / s) + 1; 'same': ceil(n / s)), not by the code under test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importKerasCode } from '../../src/keras';

const dir = join(__dirname, '../fixtures/keras/snippets');
const load = (f: string) => readFileSync(join(dir, f), 'utf8');

type Row = [className: string, shape: number[], params: number];
const conv = (k: number, cin: number, f: number) => k * k * cin * f + f;
const dense = (i: number, o: number) => i * o + o;

const PAPER: Row[] = [
  ['Conv2D', [28, 28, 6], conv(5, 1, 6)],
  ['MaxPooling2D', [14, 14, 6], 0],
  ['Conv2D', [10, 10, 16], conv(5, 6, 16)],
  ['MaxPooling2D', [5, 5, 16], 0],
  ['Flatten', [400], 0],
  ['Dense', [120], dense(400, 120)],
  ['Dropout', [120], 0],
  ['Dense', [10], dense(120, 10)],
];
const LENET_84 = (pool: string, first: number[]): Row[] => [
  ['Conv2D', [...first], conv(5, 1, 6)],
  [pool, [14, 14, 6], 0],
  ['Conv2D', [10, 10, 16], conv(5, 6, 16)],
  [pool, [5, 5, 16], 0],
  ['Flatten', [400], 0],
  ['Dense', [120], dense(400, 120)],
  ['Dense', [84], dense(120, 84)],
  ['Dense', [10], dense(84, 10)],
];

interface Case {
  file: string;
  input: number[];
  rows: Row[];
  total: number;
}
const cases: Case[] = [
  { file: '01-lenet-paper.py', input: [32, 32, 1], rows: PAPER, total: 51902 },
  { file: '02-lenet-paper-commented.py', input: [32, 32, 1], rows: PAPER, total: 51902 },
  {
    file: '03-lenet-classic-tanh.py',
    input: [32, 32, 1],
    rows: LENET_84('AveragePooling2D', [28, 28, 6]),
    total: 61706,
  },
  {
    file: '04-lenet-mnist-same.py',
    input: [28, 28, 1],
    rows: LENET_84('AveragePooling2D', [28, 28, 6]),
    total: 61706,
  },
  {
    file: '05-tf-cifar-tutorial.py',
    input: [32, 32, 3],
    rows: [
      ['Conv2D', [30, 30, 32], conv(3, 3, 32)],
      ['MaxPooling2D', [15, 15, 32], 0],
      ['Conv2D', [13, 13, 64], conv(3, 32, 64)],
      ['MaxPooling2D', [6, 6, 64], 0],
      ['Conv2D', [4, 4, 64], conv(3, 64, 64)],
      ['Flatten', [1024], 0],
      ['Dense', [64], dense(1024, 64)],
      ['Dense', [10], dense(64, 10)],
    ],
    total: 122570,
  },
  {
    file: '06-tf-beginner-mlp.py',
    input: [28, 28],
    rows: [
      ['Flatten', [784], 0],
      ['Dense', [128], dense(784, 128)],
      ['Dropout', [128], 0],
      ['Dense', [10], dense(128, 10)],
    ],
    total: 101770,
  },
  {
    file: '07-keras3-mnist-convnet.py',
    input: [28, 28, 1],
    rows: [
      ['Conv2D', [26, 26, 32], conv(3, 1, 32)],
      ['MaxPooling2D', [13, 13, 32], 0],
      ['Conv2D', [11, 11, 64], conv(3, 32, 64)],
      ['MaxPooling2D', [5, 5, 64], 0],
      ['Flatten', [1600], 0],
      ['Dropout', [1600], 0],
      ['Dense', [10], dense(1600, 10)],
    ],
    total: 34826,
  },
  {
    file: '08-keras2-mnist-mlp.py',
    input: [784],
    rows: [
      ['Dense', [512], dense(784, 512)],
      ['Dropout', [512], 0],
      ['Dense', [512], dense(512, 512)],
      ['Dropout', [512], 0],
      ['Dense', [10], dense(512, 10)],
    ],
    total: 669706,
  },
  {
    file: '09-keras2-cifar10-cnn.py',
    input: [32, 32, 3],
    rows: [
      ['Conv2D', [32, 32, 32], conv(3, 3, 32)],
      ['Activation', [32, 32, 32], 0],
      ['Conv2D', [30, 30, 32], conv(3, 32, 32)],
      ['Activation', [30, 30, 32], 0],
      ['MaxPooling2D', [15, 15, 32], 0],
      ['Dropout', [15, 15, 32], 0],
      ['Conv2D', [15, 15, 64], conv(3, 32, 64)],
      ['Activation', [15, 15, 64], 0],
      ['Conv2D', [13, 13, 64], conv(3, 64, 64)],
      ['Activation', [13, 13, 64], 0],
      ['MaxPooling2D', [6, 6, 64], 0],
      ['Dropout', [6, 6, 64], 0],
      ['Flatten', [2304], 0],
      ['Dense', [512], dense(2304, 512)],
      ['Activation', [512], 0],
      ['Dropout', [512], 0],
      ['Dense', [10], dense(512, 10)],
      ['Activation', [10], 0],
    ],
    total: 1250858,
  },
  {
    file: '10-vgg-blocks.py',
    input: [32, 32, 3],
    rows: [
      ['Conv2D', [32, 32, 64], conv(3, 3, 64)],
      ['Conv2D', [32, 32, 64], conv(3, 64, 64)],
      ['MaxPooling2D', [16, 16, 64], 0],
      ['Conv2D', [16, 16, 128], conv(3, 64, 128)],
      ['Conv2D', [16, 16, 128], conv(3, 128, 128)],
      ['MaxPooling2D', [8, 8, 128], 0],
      ['Flatten', [8192], 0],
      ['Dense', [256], dense(8192, 256)],
      ['Dense', [10], dense(256, 10)],
    ],
    total: 2360138,
  },
  {
    file: '11-build-function.py',
    input: [28, 28, 1],
    rows: [
      ['Conv2D', [26, 26, 16], conv(3, 1, 16)],
      ['MaxPooling2D', [13, 13, 16], 0],
      ['Conv2D', [11, 11, 32], conv(3, 16, 32)],
      ['GlobalAveragePooling2D', [32], 0],
      ['Dense', [10], dense(32, 10)],
    ],
    total: 5130,
  },
  {
    file: '12-activation-layers.py',
    input: [20],
    rows: [
      ['Dense', [64], dense(20, 64)],
      ['Activation', [64], 0],
      ['Dense', [32], dense(64, 32)],
      ['Activation', [32], 0],
      ['Dense', [3], dense(32, 3)],
      ['Activation', [3], 0],
    ],
    total: 3523,
  },
  {
    file: '13-positional-args.py',
    input: [28, 28, 1],
    rows: LENET_84('MaxPooling2D', [28, 28, 6]),
    total: 61706,
  },
  {
    file: '14-continuations.py',
    input: [28, 28, 1],
    rows: [
      ['Conv2D', [26, 26, 32], conv(3, 1, 32)],
      ['MaxPooling2D', [13, 13, 32], 0],
      ['Flatten', [5408], 0],
      ['Dense', [100], dense(5408, 100)],
      ['Dense', [10], dense(100, 10)],
    ],
    total: 542230,
  },
  {
    file: '15-inputlayer-keras2.py',
    input: [28, 28, 1],
    rows: [
      ['Flatten', [784], 0],
      ['Dense', [10], dense(784, 10)],
    ],
    total: 7850,
  },
  {
    file: '16-fashion-cnn.py',
    input: [28, 28, 1],
    rows: [
      ['Conv2D', [28, 28, 32], conv(3, 1, 32)],
      ['MaxPooling2D', [14, 14, 32], 0],
      ['Dropout', [14, 14, 32], 0],
      ['Conv2D', [14, 14, 64], conv(3, 32, 64)],
      ['MaxPooling2D', [7, 7, 64], 0],
      ['Dropout', [7, 7, 64], 0],
      ['Flatten', [3136], 0],
      ['Dense', [128], dense(3136, 128)],
      ['Dropout', [128], 0],
      ['Dense', [10], dense(128, 10)],
    ],
    total: 421642,
  },
  {
    file: '17-strided-convs.py',
    input: [32, 32, 3],
    rows: [
      ['Conv2D', [16, 16, 16], conv(3, 3, 16)],
      ['Conv2D', [8, 8, 32], conv(3, 16, 32)],
      ['Conv2D', [3, 3, 64], conv(3, 32, 64)],
      ['Flatten', [576], 0],
      ['Dense', [10], dense(576, 10)],
    ],
    total: 29354,
  },
  {
    file: '18-tf-nn-activations.py',
    input: [2],
    rows: [
      ['Dense', [8], dense(2, 8)],
      ['Dense', [2], dense(8, 2)],
    ],
    total: 42,
  },
  {
    file: '19-constants-arithmetic.py',
    input: [784],
    rows: [
      ['Dense', [112], dense(784, 112)],
      ['Dense', [10], dense(112, 10)],
    ],
    total: 89050,
  },
  {
    file: '20-regularizers.py',
    input: [10],
    rows: [
      ['Dense', [64], dense(10, 64)],
      ['Dense', [1], dense(64, 1)],
    ],
    total: 769,
  },
  {
    file: '21-alexnet-mini.py',
    input: [64, 64, 3],
    rows: [
      ['Conv2D', [14, 14, 96], conv(11, 3, 96)],
      ['MaxPooling2D', [6, 6, 96], 0],
      ['Conv2D', [6, 6, 256], conv(5, 96, 256)],
      ['MaxPooling2D', [2, 2, 256], 0],
      ['Flatten', [1024], 0],
      ['Dense', [10], dense(1024, 10)],
    ],
    total: 659850,
  },
  {
    file: '22-zeropadding-lenet.py',
    input: [28, 28, 1],
    rows: [['ZeroPadding2D', [32, 32, 1], 0], ...PAPER],
    total: 51902,
  },
  {
    file: '23-gap-cifar.py',
    input: [32, 32, 3],
    rows: [
      ['Conv2D', [32, 32, 32], conv(3, 3, 32)],
      ['ZeroPadding2D', [35, 39, 32], 0],
      ['Conv2D', [35, 39, 64], conv(3, 32, 64)],
      ['GlobalAveragePooling2D', [64], 0],
      ['Dense', [10], dense(64, 10)],
    ],
    total: 20042,
  },
  {
    file: '24-rmsprop-positional-fit.py',
    input: [784],
    rows: [
      ['Dense', [256], dense(784, 256)],
      ['Dense', [10], dense(256, 10)],
    ],
    total: 203530,
  },
  {
    file: '25-named-elu.py',
    input: [16],
    rows: [
      ['Dense', [32], dense(16, 32)],
      ['Activation', [32], 0],
      ['Dense', [2], dense(32, 2)],
    ],
    total: 610,
  },
  {
    file: '26-scopes.py',
    input: [16, 16, 1],
    rows: [
      ['Conv2D', [14, 14, 8], conv(3, 1, 8)],
      ['MaxPooling2D', [7, 7, 8], 0],
      ['Flatten', [392], 0],
      ['Dense', [4], dense(392, 4)],
    ],
    total: 1652,
  },
  {
    file: '27-indented-fragment.py',
    input: [28, 28, 1],
    rows: [
      ['Conv2D', [26, 26, 32], conv(3, 1, 32)],
      ['MaxPooling2D', [13, 13, 32], 0],
      ['Flatten', [5408], 0],
      ['Dense', [10], dense(5408, 10)],
    ],
    total: 54410,
  },
  { file: '28-build-later.py', input: [32, 32, 1], rows: PAPER, total: 51902 },
  {
    file: '29-sequential-kwarg-list.py',
    input: [8, 8, 1],
    rows: [
      ['Flatten', [64], 0],
      ['Dense', [32], dense(64, 32)],
      ['Dropout', [32], 0],
      ['Dense', [10], 32 * 10], // use_bias=False
    ],
    total: 2400,
  },
  {
    file: '30-two-models.py',
    input: [4],
    rows: [
      ['Dense', [16], dense(4, 16)],
      ['Dense', [3], dense(16, 3)],
    ],
    total: 131,
  },
];

describe('Keras code import: snippet corpus', () => {
  it('has at least 25 snippets, each with a hand-computed total that matches its rows', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    for (const c of cases)
      expect(
        c.rows.reduce((a, r) => a + r[2], 0),
        c.file,
      ).toBe(c.total);
  });

  for (const c of cases) {
    it(c.file, () => {
      const r = importKerasCode(load(c.file));
      expect(r.built.inputShape).toEqual(c.input);
      expect(r.built.layers.map((l): Row => [l.layer.className, l.outputShape, l.paramCount])).toEqual(
        c.rows,
      );
      expect(r.built.paramCount).toBe(c.total);
    });
  }
});
