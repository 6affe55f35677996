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
  /** Notes the import must give: one per Keras 1 / 2 spelling rewritten, one per activation object. */
  notes?: number;
}
const isNote = (w: string) => /Keras [12] (spelling|form)|Keras 1's|is a layer object/.test(w);
const act = (shape: number[]): Row => ['Activation', shape, 0];
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
    notes: 1, // LeakyReLU(alpha=...): Keras 3 calls it negative_slope
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
  // Keras 1: Convolution2D(32, 3, 3) is a 3x3 kernel; notes: 2 for the first conv (3, 3 and border_mode),
  // 1 for the second, 1 for nb_epoch.
  {
    file: '31-keras1-mnist-cnn.py',
    input: [28, 28, 1],
    rows: [
      ['Conv2D', [26, 26, 32], conv(3, 1, 32)], // 320
      act([26, 26, 32]),
      ['Conv2D', [24, 24, 32], conv(3, 32, 32)], // 9248
      act([24, 24, 32]),
      ['MaxPooling2D', [12, 12, 32], 0],
      ['Dropout', [12, 12, 32], 0],
      ['Flatten', [4608], 0], // 12*12*32
      ['Dense', [128], dense(4608, 128)], // 589952
      act([128]),
      ['Dropout', [128], 0],
      ['Dense', [10], dense(128, 10)], // 1290
      act([10]),
    ],
    total: 600810, // 320 + 9248 + 589952 + 1290
    notes: 4,
  },
  {
    // output_dim, init, p, output_dim, output_dim, lr, show_accuracy, nb_epoch: 8 notes.
    file: '32-keras1-mlp.py',
    input: [784],
    rows: [
      ['Dense', [512], dense(784, 512)], // 401920
      act([512]),
      ['Dropout', [512], 0],
      ['Dense', [512], dense(512, 512)], // 262656
      act([512]),
      ['Dropout', [512], 0],
      ['Dense', [10], dense(512, 10)], // 5130
      act([10]),
    ],
    total: 669706,
    notes: 8,
  },
  {
    // subsample=(2, 2), 'same': ceil(32/2) = 16; 'valid': floor((16-3)/2)+1 = 7. Notes: 3 + 2 + 2.
    file: '33-keras1-subsample.py',
    input: [32, 32, 3],
    rows: [
      ['Conv2D', [16, 16, 16], conv(5, 3, 16)], // 1216
      act([16, 16, 16]),
      ['Conv2D', [7, 7, 32], conv(3, 16, 32)], // 4640
      act([7, 7, 32]),
      ['Flatten', [1568], 0], // 7*7*32
      ['Dense', [10], dense(1568, 10)], // 15690
    ],
    total: 21546,
    notes: 7,
  },
  {
    // dim_ordering='tf' x5, two positional kernels: 7 notes.
    file: '34-keras1-dim-ordering.py',
    input: [32, 32, 3],
    rows: [
      ['ZeroPadding2D', [34, 34, 3], 0],
      ['Conv2D', [32, 32, 64], conv(3, 3, 64)], // 1792
      ['ZeroPadding2D', [34, 34, 64], 0],
      ['Conv2D', [32, 32, 64], conv(3, 64, 64)], // 36928
      ['MaxPooling2D', [16, 16, 64], 0],
      ['Flatten', [16384], 0], // 16*16*64
      ['Dense', [10], dense(16384, 10)], // 163850
    ],
    total: 202570,
    notes: 7,
  },
  {
    // nb_filter + nb_row/nb_col twice, output_dim x3: 7 notes.
    file: '35-keras1-lenet-keywords.py',
    input: [32, 32, 1],
    rows: LENET_84('AveragePooling2D', [28, 28, 6]),
    total: 61706, // 156 + 2416 + 48120 + 10164 + 850
    notes: 7,
  },
  {
    // Keras's mnist_cnn: 1,199,882 parameters. Conv2D(32, 3, 3) twice + Adam(lr=...): 3 notes.
    file: '36-keras2-early-conv-3-3.py',
    input: [28, 28, 1],
    rows: [
      ['Conv2D', [26, 26, 32], conv(3, 1, 32)], // 320
      ['Conv2D', [24, 24, 64], conv(3, 32, 64)], // 18496
      ['MaxPooling2D', [12, 12, 64], 0],
      ['Dropout', [12, 12, 64], 0],
      ['Flatten', [9216], 0], // 12*12*64
      ['Dense', [128], dense(9216, 128)], // 1179776
      ['Dropout', [128], 0],
      ['Dense', [10], dense(128, 10)], // 1290
    ],
    total: 1199882,
    notes: 3,
  },
  {
    // bias=False: 20*64 = 1280, no bias. bias, p, output_dim, init: 4 notes.
    file: '37-keras1-bias-dropout-p.py',
    input: [20],
    rows: [
      ['Dense', [64], 20 * 64],
      ['Dropout', [64], 0],
      ['Dense', [3], dense(64, 3)], // 195
    ],
    total: 1475,
    notes: 4,
  },
  {
    // pool 3 stride 2 'valid': floor((15-3)/2)+1 = 7; pool 2 'same': ceil(7/2) = 4. Notes: 2 + 1 + 2 + 1.
    file: '38-keras1-border-mode-pools.py',
    input: [15, 15, 1],
    rows: [
      ['Conv2D', [15, 15, 8], conv(3, 1, 8)], // 80
      ['MaxPooling2D', [7, 7, 8], 0],
      ['Conv2D', [7, 7, 16], conv(3, 8, 16)], // 1168
      ['MaxPooling2D', [4, 4, 16], 0],
      ['Flatten', [256], 0],
      ['Dense', [5], dense(256, 5)], // 1285
    ],
    total: 2533,
    notes: 6,
  },
  {
    file: '39-class-self-model.py',
    input: [28, 28, 1],
    rows: [
      ['Conv2D', [24, 24, 16], conv(5, 1, 16)], // 416
      ['MaxPooling2D', [12, 12, 16], 0],
      ['Flatten', [2304], 0], // 12*12*16
      ['Dense', [10], dense(2304, 10)], // 23050
    ],
    total: 23466,
  },
  {
    file: '40-sequential-subclass.py',
    input: [16],
    rows: [
      ['Dense', [32], dense(16, 32)], // 544
      ['Dense', [4], dense(32, 4)], // 132: num_classes=4 from the instantiation
    ],
    total: 676,
  },
  {
    // make_cnn((32, 32, 3), f2=64, num_classes=100): f1 keeps its default 16.
    file: '41-function-with-args.py',
    input: [32, 32, 3],
    rows: [
      ['Conv2D', [32, 32, 16], conv(3, 3, 16)], // 448
      ['MaxPooling2D', [16, 16, 16], 0],
      ['Conv2D', [16, 16, 64], conv(3, 16, 64)], // 9280
      ['MaxPooling2D', [8, 8, 64], 0],
      ['Flatten', [4096], 0],
      ['Dropout', [4096], 0],
      ['Dense', [100], dense(4096, 100)], // 409700
    ],
    total: 419428,
  },
  {
    file: '42-function-main-guard.py',
    input: [10],
    rows: [
      ['Dense', [20], dense(10, 20)], // 220
      ['Dense', [3], dense(20, 3)], // 63
    ],
    total: 283,
  },
  {
    file: '43-trailing-dot-floats.py',
    input: [32, 32, 3],
    rows: [
      ['Conv2D', [32, 32, 32], conv(3, 3, 32)], // 896
      act([32, 32, 32]),
      ['MaxPooling2D', [16, 16, 32], 0],
      ['Dropout', [16, 16, 32], 0],
      ['Flatten', [8192], 0],
      ['Dense', [10], dense(8192, 10)], // 81930
    ],
    total: 82826,
  },
  {
    // padding='Same' / 'SAME' / 'VALID' as Keras lower-cases them.
    file: '44-odd-casing.py',
    input: [28, 28, 1],
    rows: [
      ['Conv2D', [28, 28, 32], conv(5, 1, 32)], // 832
      ['Conv2D', [28, 28, 32], conv(5, 32, 32)], // 25632
      ['MaxPooling2D', [14, 14, 32], 0],
      ['Dropout', [14, 14, 32], 0],
      ['Conv2D', [14, 14, 64], conv(3, 32, 64)], // 18496
      ['MaxPooling2D', [7, 7, 64], 0],
      ['Flatten', [3136], 0],
      ['Dense', [256], dense(3136, 256)], // 803072
      ['Dense', [10], dense(256, 10)], // 2570
    ],
    total: 850602,
  },
  {
    // activation=LeakyReLU(alpha=0.1) becomes a layer after the Dense: a note, and one for alpha.
    file: '45-activation-objects.py',
    input: [32],
    rows: [
      ['Dense', [64], dense(32, 64)], // 2112
      act([64]),
      ['Dense', [64], dense(64, 64)], // 4160
      ['Dense', [5], dense(64, 5)], // 325
    ],
    total: 6597,
    notes: 2,
  },
  {
    file: '46-activation-layer-objects.py',
    input: [12, 12, 1],
    rows: [
      ['Conv2D', [10, 10, 16], conv(3, 1, 16)], // 160
      act([10, 10, 16]),
      ['Conv2D', [8, 8, 16], conv(3, 16, 16)], // 2320
      act([8, 8, 16]),
      ['GlobalAveragePooling2D', [16], 0],
      ['Dense', [2], dense(16, 2)], // 34
      act([2]),
    ],
    total: 2514,
    notes: 1,
  },
  {
    // Keras 3: Conv2D(32, 3, 2, padding=...) is strides 2: ceil(32/2) = 16, ceil(16/2) = 8. No notes.
    file: '47-keras3-strides-positional.py',
    input: [32, 32, 3],
    rows: [
      ['Conv2D', [16, 16, 32], conv(3, 3, 32)], // 896
      ['Conv2D', [8, 8, 64], conv(3, 32, 64)], // 18496
      ['GlobalAveragePooling2D', [64], 0],
      ['Dense', [10], dense(64, 10)], // 650
    ],
    total: 20042,
  },
  {
    file: '48-tf-keras-full-paths.py',
    input: [28, 28, 1],
    rows: [
      ['Conv2D', [26, 26, 8], conv(3, 1, 8)], // 80
      ['AveragePooling2D', [13, 13, 8], 0],
      ['Flatten', [1352], 0], // 13*13*8
      ['Dense', [10], dense(1352, 10)], // 13530
    ],
    total: 13610,
  },
  {
    // LeNet.build(width=28, height=28, depth=1, classes=10), a @staticmethod. Notes: 2 per conv, lr, nb_epoch.
    file: '49-static-build-keras1.py',
    input: [28, 28, 1],
    rows: [
      ['Conv2D', [28, 28, 20], conv(5, 1, 20)], // 520
      act([28, 28, 20]),
      ['MaxPooling2D', [14, 14, 20], 0],
      ['Conv2D', [14, 14, 50], conv(5, 20, 50)], // 25050
      act([14, 14, 50]),
      ['MaxPooling2D', [7, 7, 50], 0],
      ['Flatten', [2450], 0], // 7*7*50
      ['Dense', [500], dense(2450, 500)], // 1225500
      act([500]),
      ['Dense', [10], dense(500, 10)], // 5010
      act([10]),
    ],
    total: 1256080,
    notes: 6,
  },
  {
    file: '50-strategy-scope-function.py',
    input: [28, 28, 1],
    rows: [
      ['Conv2D', [26, 26, 32], conv(3, 1, 32)], // 320
      ['MaxPooling2D', [13, 13, 32], 0],
      ['Flatten', [5408], 0], // 13*13*32
      ['Dense', [64], dense(5408, 64)], // 346176
      ['Dense', [10], dense(64, 10)], // 650
    ],
    total: 347146,
  },
  {
    // Notes: 4 per conv (3, 3 / border_mode / init / W_regularizer), 1 for Dense's init.
    file: '51-keras1-init-regularized.py',
    input: [24, 24, 3],
    rows: [
      ['Conv2D', [24, 24, 32], conv(3, 3, 32)], // 896
      act([24, 24, 32]),
      ['Conv2D', [24, 24, 32], conv(3, 32, 32)], // 9248
      act([24, 24, 32]),
      ['MaxPooling2D', [12, 12, 32], 0],
      ['Flatten', [4608], 0],
      ['Dense', [64], dense(4608, 64)], // 294976
      act([64]),
      ['Dense', [6], dense(64, 6)], // 390
      act([6]),
    ],
    total: 305510,
    notes: 9,
  },
  {
    // output_dim, lr, nb_epoch: 3 notes (decay is warned about as ignored, not rewritten).
    file: '52-keras1-sgd-decay.py',
    input: [8],
    rows: [
      ['Dense', [32], dense(8, 32)], // 288
      ['Dense', [1], dense(32, 1)], // 33
    ],
    total: 321,
    notes: 3,
  },
  {
    // build(img_size=48): 'valid' stride 2: floor((48-3)/2)+1 = 23, floor((23-3)/2)+1 = 11.
    file: '53-function-globals-defaults.py',
    input: [48, 48, 3],
    rows: [
      ['Conv2D', [23, 23, 16], conv(3, 3, 16)], // 448
      ['Conv2D', [11, 11, 32], conv(3, 16, 32)], // 4640
      ['GlobalAveragePooling2D', [32], 0],
      ['Dense', [5], dense(32, 5)], // 165
    ],
    total: 5253,
  },
  {
    // strides=None is the pool size: 18 -> 9; pool 3 'same': ceil(9/3) = 3. Notes: 3, 3 / border / output_dim.
    file: '54-keras1-strides-none.py',
    input: [20, 20, 4],
    rows: [
      ['Conv2D', [18, 18, 8], conv(3, 4, 8)], // 296
      ['MaxPooling2D', [9, 9, 8], 0],
      ['MaxPooling2D', [3, 3, 8], 0],
      ['Flatten', [72], 0],
      ['Dense', [2], dense(72, 2)], // 146
    ],
    total: 442,
    notes: 3,
  },
  {
    // MaxPooling2D(2, 2): 16 -> 8; pool 2 stride 1: 7; pool 3 stride 1: 5.
    file: '55-positional-pool-variants.py',
    input: [16, 16, 2],
    rows: [
      ['Conv2D', [16, 16, 4], conv(3, 2, 4)], // 76
      ['MaxPooling2D', [8, 8, 4], 0],
      ['MaxPooling2D', [7, 7, 4], 0],
      ['AveragePooling2D', [5, 5, 4], 0],
      ['Flatten', [100], 0],
      ['Dense', [3], dense(100, 3)], // 303
    ],
    total: 379,
  },
  {
    file: '56-class-build-method.py',
    input: [28, 28],
    rows: [
      ['Flatten', [784], 0],
      ['Dense', [64], dense(784, 64)], // 50240
      ['Dense', [10], dense(64, 10)], // 650
    ],
    total: 50890,
  },
  {
    // 3, 3 / border_mode / subsample / init / bias, then output_dim / init: 7 notes.
    file: '57-keras1-all-conv-kwargs.py',
    input: [8, 8, 3],
    rows: [
      ['Conv2D', [8, 8, 64], conv(3, 3, 64)], // 1792
      ['Flatten', [4096], 0],
      ['Dense', [10], dense(4096, 10)], // 40970
    ],
    total: 42762,
    notes: 7,
  },
  {
    file: '58-keras1-imports-and-utils.py',
    input: [28, 28, 1],
    rows: [
      ['Conv2D', [24, 24, 32], conv(5, 1, 32)], // 832
      ['MaxPooling2D', [12, 12, 32], 0],
      ['Dropout', [12, 12, 32], 0],
      ['Flatten', [4608], 0],
      ['Dense', [128], dense(4608, 128)], // 589952
      ['Dense', [10], dense(128, 10)], // 1290
    ],
    total: 592074,
    notes: 3,
  },
  {
    file: '59-trailing-dot-everywhere.py',
    input: [10],
    rows: [
      ['Dense', [16], dense(10, 16)], // 176
      ['Dropout', [16], 0],
      ['Dense', [2], dense(16, 2)], // 34
    ],
    total: 210,
  },
  {
    // The Keras 1 spelling of 09-keras2-cifar10-cnn.py: the same rows. Notes: 4 kernels, 2 border_mode, lr.
    file: '60-keras1-cifar10-cnn.py',
    input: [32, 32, 3],
    rows: [
      ['Conv2D', [32, 32, 32], conv(3, 3, 32)],
      act([32, 32, 32]),
      ['Conv2D', [30, 30, 32], conv(3, 32, 32)],
      act([30, 30, 32]),
      ['MaxPooling2D', [15, 15, 32], 0],
      ['Dropout', [15, 15, 32], 0],
      ['Conv2D', [15, 15, 64], conv(3, 32, 64)],
      act([15, 15, 64]),
      ['Conv2D', [13, 13, 64], conv(3, 64, 64)],
      act([13, 13, 64]),
      ['MaxPooling2D', [6, 6, 64], 0],
      ['Dropout', [6, 6, 64], 0],
      ['Flatten', [2304], 0],
      ['Dense', [512], dense(2304, 512)],
      act([512]),
      ['Dropout', [512], 0],
      ['Dense', [10], dense(512, 10)],
      act([10]),
    ],
    total: 1250858,
    notes: 7,
  },
  {
    // add_conv_block(model, 16) then (model, 32): the helper adds to the model it is given.
    file: '61-helper-adds-blocks.py',
    input: [32, 32, 3],
    rows: [
      ['Conv2D', [32, 32, 16], conv(3, 3, 16)], // 448
      ['MaxPooling2D', [16, 16, 16], 0],
      ['Conv2D', [16, 16, 32], conv(3, 16, 32)], // 4640
      ['MaxPooling2D', [8, 8, 32], 0],
      ['Flatten', [2048], 0],
      ['Dense', [10], dense(2048, 10)], // 20490
    ],
    total: 25578,
  },
  {
    // init='uniform' x3, nb_epoch: 4 notes.
    file: '62-keras1-pima-mlp.py',
    input: [8],
    rows: [
      ['Dense', [12], dense(8, 12)], // 108
      ['Dense', [8], dense(12, 8)], // 104
      ['Dense', [1], dense(8, 1)], // 9
    ],
    total: 221,
    notes: 4,
  },
  {
    file: '63-keras3-same-casing-floats.py',
    input: [28, 28, 1],
    rows: [
      ['Conv2D', [28, 28, 32], conv(3, 1, 32)], // 320
      ['MaxPooling2D', [14, 14, 32], 0],
      ['Conv2D', [14, 14, 64], conv(3, 32, 64)], // 18496
      ['MaxPooling2D', [7, 7, 64], 0],
      ['Flatten', [3136], 0],
      ['Dropout', [3136], 0],
      ['Dense', [10], dense(3136, 10)], // 31370
    ],
    total: 50186,
  },
  {
    // BatchNormalization has 4 parameters per channel (gamma, beta, moving mean, moving variance): 4*32 = 128.
    file: '64-batchnorm-cnn.py',
    input: [32, 32, 3],
    rows: [
      ['Conv2D', [32, 32, 32], conv(3, 3, 32)], // 896
      ['BatchNormalization', [32, 32, 32], 4 * 32],
      act([32, 32, 32]),
      ['Conv2D', [30, 30, 32], conv(3, 32, 32)], // 9248
      ['BatchNormalization', [30, 30, 32], 4 * 32],
      act([30, 30, 32]),
      ['MaxPooling2D', [15, 15, 32], 0],
      ['Flatten', [7200], 0], // 15*15*32
      ['Dense', [10], dense(7200, 10)], // 72010
    ],
    total: 82410,
  },
  {
    // Rescaling(1./255) keeps the shape; 'same' convs; GlobalMaxPooling2D keeps the 32 channels.
    file: '65-rescaling-global-max.py',
    input: [64, 64, 3],
    rows: [
      ['Rescaling', [64, 64, 3], 0],
      ['Conv2D', [64, 64, 16], conv(3, 3, 16)], // 448
      ['MaxPooling2D', [32, 32, 16], 0],
      ['Conv2D', [32, 32, 32], conv(3, 16, 32)], // 4640
      ['GlobalMaxPooling2D', [32], 0],
      ['Dense', [5], dense(32, 5)], // 165
    ],
    total: 5253,
  },
  {
    // Convolution2D(16, 3, 3) + border_mode, BatchNormalization(mode=0), output_dim: 4 notes.
    file: '66-keras1-batchnorm-mode.py',
    input: [16, 16, 1],
    rows: [
      ['Conv2D', [16, 16, 16], conv(3, 1, 16)], // 160
      ['BatchNormalization', [16, 16, 16], 4 * 16],
      act([16, 16, 16]),
      ['MaxPooling2D', [8, 8, 16], 0],
      ['Flatten', [1024], 0],
      ['Dense', [10], dense(1024, 10)], // 10250
      act([10]),
    ],
    total: 10474,
    notes: 4,
  },
  // The functional API: layers called on tensors, keras.Model(inputs, outputs).
  {
    file: '67-functional-mnist.py',
    input: [28, 28, 1],
    rows: [
      ['Conv2D', [26, 26, 32], conv(3, 1, 32)], // 320
      ['MaxPooling2D', [13, 13, 32], 0],
      ['Flatten', [5408], 0], // 13*13*32
      ['Dense', [10], dense(5408, 10)], // 54090
    ],
    total: 54410,
  },
  {
    // x + inputs: both 16x16x8, so Add keeps the shape and has no parameters.
    file: '68-functional-residual.py',
    input: [16, 16, 8],
    rows: [
      ['Conv2D', [16, 16, 8], conv(3, 8, 8)], // 584
      ['Conv2D', [16, 16, 8], conv(3, 8, 8)], // 584
      ['Add', [16, 16, 8], 0],
      act([16, 16, 8]),
      ['GlobalAveragePooling2D', [8], 0],
      ['Dense', [4], dense(8, 4)], // 36
    ],
    total: 1204,
  },
  {
    // Keras 1: Convolution2D(16, 3, 3) + border_mode, output_dim, Model(input=, output=): 5 notes.
    file: '69-keras1-functional.py',
    input: [32, 32, 3],
    rows: [
      ['Conv2D', [32, 32, 16], conv(3, 3, 16)], // 448
      ['MaxPooling2D', [16, 16, 16], 0],
      ['Flatten', [4096], 0],
      ['Dense', [10], dense(4096, 10)], // 40970
    ],
    total: 41418,
    notes: 5,
  },
  {
    // Two branches (1x1 and 3x3, 4 filters each) concatenated to 8 channels; BatchNormalization 4*8 = 32.
    file: '70-functional-batchnorm-concat.py',
    input: [8, 8, 3],
    rows: [
      ['Conv2D', [8, 8, 4], conv(1, 3, 4)], // 16
      ['Conv2D', [8, 8, 4], conv(3, 3, 4)], // 112
      ['Concatenate', [8, 8, 8], 0],
      ['BatchNormalization', [8, 8, 8], 4 * 8],
      act([8, 8, 8]),
      ['Flatten', [512], 0],
      ['Dense', [2], dense(512, 2)], // 1026
    ],
    total: 1186,
  },
  {
    // build_model((12, 12, 1), 3) returns keras.Model(inputs, outputs); padding='Same', activation=tf.nn.relu.
    file: '71-functional-in-function.py',
    input: [12, 12, 1],
    rows: [
      ['Conv2D', [12, 12, 8], conv(3, 1, 8)], // 80
      ['MaxPooling2D', [6, 6, 8], 0],
      ['Dropout', [6, 6, 8], 0],
      ['Flatten', [288], 0],
      ['Dense', [3], dense(288, 3)], // 867
    ],
    total: 947,
  },
  {
    // img_rows, img_cols = 20, 24; the image_data_format() test is unknown, so both branches are read and the
    // channels-last one (last) stands: (20, 24, 1). No layers in the branches, so no note.
    file: '72-image-data-format-branch.py',
    input: [20, 24, 1],
    rows: [
      ['Conv2D', [18, 22, 12], conv(3, 1, 12)], // 120
      ['MaxPooling2D', [9, 11, 12], 0],
      ['Flatten', [1188], 0], // 9*11*12
      ['Dense', [4], dense(1188, 4)], // 4756
    ],
    total: 4876,
  },
];

describe('Keras code import: snippet corpus', () => {
  it('has at least 60 snippets, each with a hand-computed total that matches its rows', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
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
      // Every Keras 1 / 2 spelling and activation object is noted, never read silently.
      expect(r.warnings.filter(isNote)).toHaveLength(c.notes ?? 0);
    });
  }
});
