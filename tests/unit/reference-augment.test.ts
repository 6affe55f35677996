// The augmentation chain a model's head makes (src/model/augment-chain.ts) and the reference's pieces
// (src/reference/augment.ts): placement rules, Keras's factor ranges, the fill value through Rescaling, fill
// modes on integer indices, the draws' statistics, and RandomCrop's two forms.
import { describe, expect, it } from 'vitest';
import { importKerasCode } from '../../src/keras';
import { type AugmentStage, augmentChain, inferenceChain } from '../../src/model/augment-chain';
import { augmentSource, augmentUniform, fillIndex } from '../../src/reference/augment';
import { gatherBatch } from '../../src/reference/batch';

const model = (layers: string, shape = '(8, 8, 1)') =>
  importKerasCode(`import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=${shape}),
    ${layers}
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
`).built;

describe('augmentChain', () => {
  it('is null without augmentation layers and reads the head through Rescaling', () => {
    expect(augmentChain(model('layers.Rescaling(1.0 / 255),'))).toBeNull();
    const c = augmentChain(
      model(
        'layers.Rescaling(2.0, offset=-1.0), layers.RandomFlip("horizontal"), layers.RandomCrop(6, 5), ' +
          'layers.RandomZoom(0.2, fill_mode="constant", fill_value=0.5),',
      ),
    );
    expect(c?.stages.map((s) => s.kind)).toEqual(['flip', 'crop', 'zoom']);
    expect([c?.inH, c?.inW, c?.outH, c?.outW]).toEqual([8, 8, 6, 5]);
    // The zoom sees the crop's 6x5 frame, a single factor is (-f, f), width_factor=None draws once.
    const zoom = c?.stages[2];
    expect(zoom).toMatchObject({ inH: 6, inW: 5, height: [-0.2, 0.2], width: null });
    // fill_value 0.5 after Rescaling(2, -1) is 0.75 where the gather writes.
    expect(c?.fillMode).toBe('constant');
    expect(c?.fill[0]).toBeCloseTo(0.75, 12);
  });

  it('refuses an augmentation layer after another layer, naming it and the fix', () => {
    const m = model('layers.Conv2D(2, 3), layers.RandomRotation(0.1),');
    expect(() => augmentChain(m)).toThrow(
      /random_rotation \(RandomRotation\) comes after conv2d; .*move random_rotation up to follow the Input/,
    );
  });

  it('refuses a constant fill after a Normalization adapted on the data', () => {
    const m = model('layers.Normalization(), layers.RandomTranslation(0.1, 0.1, fill_mode="constant"),');
    expect(() => augmentChain(m)).toThrow(
      /only known on the GPU; move random_translation before normalization/,
    );
  });

  it('keeps only the crops, in their inference form, for evaluation', () => {
    const c = augmentChain(
      model('layers.RandomFlip(), layers.RandomCrop(4, 4), layers.RandomRotation(0.2),'),
    );
    const inf = inferenceChain(c!);
    expect(inf.stages.map((s) => s.kind)).toEqual(['crop']);
    expect(inf.fillMode).toBe('nearest');
  });
});

describe('reference augmentation', () => {
  it('maps indices by the fill modes (reflect about the edge, wrap, clamp, none)', () => {
    const at = (mode: 'reflect' | 'wrap' | 'nearest' | 'constant') =>
      [-5, -1, 0, 3, 4, 8].map((i) => fillIndex(i, 4, mode));
    expect(at('reflect')).toEqual([3, 0, 0, 3, 3, 0]);
    expect(at('wrap')).toEqual([3, 3, 0, 3, 0, 0]);
    expect(at('nearest')).toEqual([0, 0, 0, 3, 3, 3]);
    expect(at('constant')).toEqual([-1, -1, 0, 3, -1, -1]);
  });

  it('draws uniforms that differ by step, row and stage, and average 1/2', () => {
    const stage: AugmentStage = { kind: 'rotate', range: [-1, 1], inH: 4, inW: 4, seed: 0 };
    let sum = 0;
    const seen = new Set<number>();
    for (let step = 0; step < 20; step++) {
      for (let row = 0; row < 50; row++) {
        const u = augmentUniform({ seed: 7, step }, stage, 0, row, 0);
        expect(u).toBeGreaterThanOrEqual(0);
        expect(u).toBeLessThan(1);
        sum += u;
        seen.add(u);
      }
    }
    // 1000 uniforms: mean 0.5 with standard deviation 0.0091.
    expect(sum / 1000).toBeGreaterThan(0.46);
    expect(sum / 1000).toBeLessThan(0.54);
    expect(seen.size).toBeGreaterThan(990);
    expect(augmentUniform({ seed: 7, step: 0 }, stage, 1, 0, 0)).not.toBe(
      augmentUniform({ seed: 7, step: 0 }, stage, 0, 0, 0),
    );
  });

  it('rotates a quarter turn about the centre with factor 0.25', () => {
    const c = augmentChain(model('layers.RandomRotation((0.25, 0.25)),', '(5, 5, 1)'))!;
    const [y, x] = augmentSource(c, { seed: 0, step: 0 }, 0, 0, 2, true);
    // (0, 2) is 2 above the centre (2, 2); a quarter turn takes it 2 to one side.
    expect(Math.abs(y - 2)).toBeLessThan(1e-12);
    expect(Math.abs(Math.abs(x - 2) - 2)).toBeLessThan(1e-12);
  });

  it('RandomCrop at inference resizes the largest centred window of its aspect ratio (Keras 3)', () => {
    // 4x8 image, crop 2x2: the window is the centred 4x4 (columns 2..5), halved.
    const c = augmentChain(model('layers.RandomCrop(2, 2),', '(4, 8, 1)'))!;
    const images = Uint8Array.from({ length: 32 }, (_, i) => (i % 8) * 10 + Math.floor(i / 8));
    const out = gatherBatch(images, Int32Array.from([0]), {
      srcH: 4,
      srcW: 8,
      channels: 1,
      dstH: 4,
      dstW: 8,
      mode: 'pad',
      normalization: { kind: 'scale255' },
      augment: { chain: c, draw: { seed: 0, step: 0 }, training: false },
    }).data;
    // Output (0, 0) samples (0.5, 2.5): the mean of rows 0..1 and columns 2..3.
    expect(out[0] * 255).toBeCloseTo((20 + 30 + 21 + 31) / 4, 9);
    expect(out[3] * 255).toBeCloseTo((42 + 52 + 43 + 53) / 4, 9);
  });
});
