// Bad code and impossible models: each refused with its place and a fix, and nothing ever executed.
import { describe, expect, it, vi } from 'vitest';
import { importKerasCode } from '../../src/keras';
import { DEFAULT_TRAINING, defaultOptimizer } from '../../src/model';
import { planDataset } from '../../src/train/dataset';
import { checkTrainingMemory, estimateTrainingMemory, ModelTooLargeError } from '../../src/train/memory';
import { codeRefusal } from '../helpers/keras';

const deepCode = (n: number) =>
  `model = Sequential()\nmodel.add(Input(shape=(4,)))\n${"model.add(Dense(4, activation='relu'))\n".repeat(n)}model.add(Dense(2, activation='softmax'))\n`;

describe('bad code', () => {
  it('points at a syntax error and the bracket left open', () => {
    const e = codeRefusal("model = Sequential([\n  Dense(10, activation='relu'\n])\n");
    expect([e.line, e.column]).toEqual([3, 1]);
    expect(e.message).toContain("the '(' at line 2, column 8 is not closed");
  });

  it('names an unsupported layer, what it is for in Keras and what to do', () => {
    const e = codeRefusal('model = Sequential([Input(shape=(28, 28, 1)), LSTM(32), Dense(10)])');
    expect(e.column).toBe(47);
    expect(e.message).toMatch(
      /'LSTM' is not supported: in Keras it works on sequences .*Paperweight trains image networks/,
    );
    const own = codeRefusal('model = Sequential([Input(shape=(28, 28, 1)), MyBlock(32), Dense(10)])');
    expect(own.message).toMatch(/'MyBlock' is not a Keras layer Paperweight reads .*these layers: Conv2D/);
  });

  it('refuses shapes that collapse to zero, naming the layer and the fix', () => {
    const e = codeRefusal(
      'model = Sequential([Input(shape=(8, 8, 1)), Conv2D(4, 5), Conv2D(4, 5), Flatten(), Dense(10)])',
    );
    expect(e.message).toContain("kernel 5x5 is larger than the 4x4 input of conv2d_1; use padding='same'");
    const pool = codeRefusal(
      'model = Sequential([Input(shape=(3, 3, 1)), MaxPooling2D(2), MaxPooling2D(2), Flatten(), Dense(2)])',
    );
    expect(pool.message).toMatch(/max_pooling2d_1/);
  });

  it('refuses 10,000 layers at the first one past the limit, naming layers in linear work', () => {
    // Naming each layer by rescanning the previous ones made reaching this check take ~15 s. Count the name
    // lookups instead of timing them (a busy machine must not fail this test): linear naming does a bounded number per
    // layer (about 28 across the parser and Sequential), a rescan ~n^2/2 (50 million here).
    const has = vi.spyOn(Set.prototype, 'has');
    try {
      const e = codeRefusal(deepCode(10_000));
      expect(has.mock.calls.length).toBeGreaterThan(0);
      expect(has.mock.calls.length).toBeLessThan(100 * 10_000);
      // Line 1 is Sequential(), line 2 the Input, so layer 1,001 is on line 1,003.
      expect([e.line, e.column]).toEqual([1003, 11]);
      expect(e.message).toContain('the model has 10,001 layers, more than the 1,000 Paperweight builds');
    } finally {
      has.mockRestore();
    }
    const r = importKerasCode(deepCode(999));
    expect(r.built.layers.length).toBe(1000);
    expect(r.built.layers[998].layer.config.name).toBe('dense_998');
  });

  it('refuses code that asks to run something, and runs none of it', () => {
    const g = globalThis as { __pwRan?: boolean };
    g.__pwRan = false;
    for (const [code, what] of [
      [
        "__import__('os').system('x')\nmodel = Sequential([Input(shape=(4,)), Dense(2)])",
        "__import__('os').system",
      ],
      ['model = Sequential([Input(shape=(4,)), Dense(2)])\neval("globalThis.__pwRan = true")', 'eval'],
      [
        "import os\nos.system('touch /tmp/pw')\nmodel = Sequential([Input(shape=(4,)), Dense(2)])",
        'os.system',
      ],
      ["model = Sequential([Input(shape=(4,)), Dense(exec('2'))])", 'exec'],
    ]) {
      const e = codeRefusal(code);
      expect(e.message).toContain(`${what}(...) is refused: Paperweight reads Keras code`);
      expect(e.line).not.toBeNull();
    }
    expect(g.__pwRan).toBe(false);
  });
});

describe('memory before allocation', () => {
  const limits = { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 27 };

  it('refuses a Dense layer of 10^9 weights with the bytes it needs and the adapter limit', () => {
    const { built } = importKerasCode(
      "model = Sequential([Input(shape=(100000,)), Dense(10000, activation='relu'), Dense(10, activation='softmax')])",
    );
    expect(built.paramCount).toBe(1_000_110_010);
    let err: unknown = null;
    try {
      checkTrainingMemory(built, 32, defaultOptimizer('adam'), limits);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ModelTooLargeError);
    const msg = (err as Error).message;
    // params + grads + Adam's m and v: 4 x 4 bytes x 1,000,110,010 = 14.90 GiB, plus 16.6 MB of activations.
    expect(msg).toContain('needs about 14.92 GiB of GPU memory (1,000,110,010 parameters)');
    expect(msg).toContain('the kernel of dense (100000x10000 floats) alone is 3.73 GiB');
    expect(msg).toContain('maxStorageBufferBindingSize 128.0 MiB');
    expect(msg).toContain('nothing was allocated');
  });

  it('counts what a training step holds and accepts what fits', () => {
    const { built } = importKerasCode(
      "model = Sequential([Input(shape=(28, 28, 1)), Flatten(), Dense(100, activation='relu'), Dense(10, activation='softmax')])",
    );
    const adam = estimateTrainingMemory(built, 64, defaultOptimizer('adam'));
    const sgd = estimateTrainingMemory(built, 64, defaultOptimizer('sgd'));
    expect(adam.paramBytes).toBe(79_510 * 4 * 4);
    expect(sgd.paramBytes).toBe(79_510 * 4 * 2);
    expect(adam.activationBytes).toBe(4 * 64 * (784 + 3 * (784 + 100 + 10)));
    expect(checkTrainingMemory(built, 64, defaultOptimizer('adam'), limits).totalBytes).toBe(adam.totalBytes);
    // The same model at an absurd batch size trips the per-buffer limit on its activations.
    expect(() => checkTrainingMemory(built, 100_000, DEFAULT_TRAINING.optimizer, limits)).toThrow(
      /the input batch alone is 299\.1 MiB/,
    );
  });
});

describe('input shape against the dataset', () => {
  it('says how to fit a dataset to the model: pad, resize or grayscale', () => {
    const { built } = importKerasCode(
      "model = Sequential([Input(shape=(28, 28, 1)), Flatten(), Dense(10, activation='softmax')])",
    );
    const cifarLike = {
      height: 32,
      width: 32,
      channels: 3,
      classNames: Array.from({ length: 10 }, (_, i) => `c${i}`),
      normalization: { kind: 'scale255' as const },
      train: { images: new Uint8Array(4 * 32 * 32 * 3), labels: new Int32Array(4), count: 4 },
      val: null,
      test: null,
    };
    let msg = '';
    try {
      planDataset(built, 10, cifarLike, 0, 'pad');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toBe(
      'the model expects grayscale input (28, 28, 1) but the dataset is RGB (32, 32, 3); ' +
        'set input_shape=(28, 28, 3) or load the dataset as grayscale',
    );
    // A model that takes vectors says which input_shape, or which Flatten, fits the images.
    const vec = importKerasCode("model = Sequential([Input(shape=(784,)), Dense(10, activation='softmax')])");
    expect(() => planDataset(vec.built, 10, cifarLike, 0, 'pad')).toThrow(
      "the model takes vectors of 784 values but the dataset's images are (32, 32, 3) = 3072 values; " +
        'set input_shape=(3072,) or start the model with Flatten() and input_shape=(32, 32, 3)',
    );
    // A smaller image is padded (or resized), never refused.
    const plan = planDataset(
      built,
      10,
      {
        ...cifarLike,
        height: 20,
        width: 20,
        channels: 1,
        train: { images: new Uint8Array(4 * 400), labels: new Int32Array(4), count: 4 },
      },
      0,
    );
    expect(plan.mode).toBe('pad');
  });
});
