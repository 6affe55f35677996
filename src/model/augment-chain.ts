// The augmentation layers at the head of a model (right after the Input, with Rescaling / Normalization allowed
// between them) as one chain of geometric stages that the batch gather applies per sample in training
// (shaders/batch.wgsl, src/reference/augment.ts). The network itself treats them as aliases (no kernels).
//
// Each stage maps a point of its output frame back to its input frame (index coordinates, pixel i at i):
//   flip       x -> inW - 1 - x (and/or y), each with probability 1/2, independently
//   translate  y -> y - dy, dy = U(lo, hi) * inH (x the same with the width factor); no rounding (Keras 3)
//   rotate     about ((inW - 1) / 2, (inH - 1) / 2) by theta = U(lo, hi) * 2 pi (Keras 3's rotation matrix)
//   zoom       y -> cy + zy (y - cy), zy = 1 + U(lo, hi); width_factor=None uses the same draw for x
//   crop       training and input larger than the crop in both axes: a random integer offset, the same for the
//              whole batch (Keras 3 crops every image of a batch at one location). Otherwise (inference, or a
//              training input not larger) Keras 3 takes the largest centred window of the crop's aspect ratio
//              and resizes it bilinearly to the crop size: y -> top + (y + 0.5) cropH / height - 0.5.
// The composed map is sampled once, with the interpolation and fill mode of the last geometric layer of the
// chain (Keras resamples after each layer; one resampling is the point of folding them into the gather, and the
// two agree whenever the layers share their fill mode and no intermediate image loses pixels to the border).
import type { Factor, FillMode, Layer } from './layers';
import type { BuiltModel } from './sequential';

export const AUGMENT_CLASSES: ReadonlySet<string> = new Set([
  'RandomFlip',
  'RandomTranslation',
  'RandomRotation',
  'RandomZoom',
  'RandomCrop',
]);

/** Stage kinds as the shader sees them (pipeline overrides AUG_<KIND>, set from this table). */
export const AUG_KINDS = { flip: 0, translate: 1, rotate: 2, zoom: 3, crop: 4 } as const;
/** Fill modes as the shader sees them (overrides FILL_<MODE>). */
export const FILL_IDS: Record<FillMode, number> = { reflect: 0, wrap: 1, constant: 2, nearest: 3 };

export type Range = [number, number];

interface StageBase {
  /** The frame entering the layer. */
  inH: number;
  inW: number;
  /** The layer's own seed (Keras seed=), mixed with the run's seed; 0 when unset. */
  seed: number;
}
export type AugmentStage = StageBase &
  (
    | { kind: 'flip'; horizontal: boolean; vertical: boolean }
    | { kind: 'translate'; height: Range; width: Range }
    | { kind: 'rotate'; range: Range }
    | { kind: 'zoom'; height: Range; width: Range | null }
    | { kind: 'crop'; height: number; width: number }
  );

export interface AugmentChain {
  stages: AugmentStage[];
  /** The frame the gather fits the dataset to (the model's input) and the frame it writes (after the crops). */
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  fillMode: FillMode;
  interpolation: 'bilinear' | 'nearest';
  /** fill_value per channel, in the domain of the model's input (mapped back through Rescaling between). */
  fill: number[];
}

/** Keras: a single factor f is the range (-f, f); a pair is (lower, upper). */
function range(f: Factor, name: string, what: string): Range {
  const r: Range = Array.isArray(f) ? [f[0], f[1]] : [-Math.abs(f), Math.abs(f)];
  if (!(r[0] <= r[1]))
    throw new Error(`${name}: ${what} lower bound ${r[0]} is above its upper bound ${r[1]}`);
  return r;
}

function stageOf(layer: Layer, inH: number, inW: number): AugmentStage | null {
  const frame = { inH, inW, seed: 0 };
  switch (layer.className) {
    case 'RandomFlip': {
      const c = layer.config;
      return {
        ...frame,
        seed: c.seed ?? 0,
        kind: 'flip',
        horizontal: c.mode !== 'vertical',
        vertical: c.mode !== 'horizontal',
      };
    }
    case 'RandomTranslation': {
      const c = layer.config;
      const height = range(c.height_factor, c.name, 'height_factor');
      const width = range(c.width_factor, c.name, 'width_factor');
      return { ...frame, seed: c.seed ?? 0, kind: 'translate', height, width };
    }
    case 'RandomRotation': {
      const c = layer.config;
      return { ...frame, seed: c.seed ?? 0, kind: 'rotate', range: range(c.factor, c.name, 'factor') };
    }
    case 'RandomZoom': {
      const c = layer.config;
      const height = range(c.height_factor, c.name, 'height_factor');
      const width = c.width_factor === null ? null : range(c.width_factor, c.name, 'width_factor');
      for (const r of [height, width ?? height]) {
        if (r[0] < -1) throw new Error(`${c.name}: a zoom factor below -1 (${r[0]}) would flip the image`);
      }
      return { ...frame, seed: c.seed ?? 0, kind: 'zoom', height, width };
    }
    case 'RandomCrop': {
      const c = layer.config;
      return { ...frame, seed: c.seed ?? 0, kind: 'crop', height: c.height, width: c.width };
    }
    default:
      return null;
  }
}

/** Per-channel y = x * a + b of a Rescaling / Normalization with known constants; null when adapted. */
function affineOf(layer: Layer, channels: number): { a: number[]; b: number[] } | null {
  if (layer.className === 'Rescaling') {
    return {
      a: new Array(channels).fill(layer.config.scale),
      b: new Array(channels).fill(layer.config.offset),
    };
  }
  if (layer.className !== 'Normalization') return null;
  const { mean, variance } = layer.config;
  if (!mean || !variance) return null;
  const at = (v: number[], c: number) => (v.length === 1 ? v[0] : v[c]);
  const a = Array.from({ length: channels }, (_, c) => 1 / Math.max(Math.sqrt(at(variance, c)), 1e-7));
  return { a, b: a.map((s, c) => -at(mean, c) * s) };
}

const HEAD_BETWEEN = new Set(['Rescaling', 'Normalization']);

/**
 * The head augmentation chain of `model`, or null when it has none. Refuses an augmentation layer anywhere else
 * (after a layer that is not Rescaling / Normalization / another augmentation layer, or on a branch).
 */
export function augmentChain(model: BuiltModel): AugmentChain | null {
  const stages: AugmentStage[] = [];
  const s = model.inputShape;
  let [h, w] = s;
  const channels = s[s.length - 1];
  // Layers of the head so far, each with exactly one reader: the next layer.
  let head = 0;
  let last: Layer | null = null;
  const between: Layer[] = [];
  for (let i = 0; i < model.layers.length; i++) {
    const l = model.layers[i];
    const cls = l.layer.className;
    const chained = l.inbound.length === 1 && l.inbound[0] === i - 1 && head === i;
    if (AUGMENT_CLASSES.has(cls)) {
      if (!chained || s.length !== 3) {
        const after =
          i === 0 || l.inbound[0] < 0 ? 'the input' : model.layers[l.inbound[0]].layer.config.name;
        throw new Error(
          `${l.layer.config.name} (${cls}) comes after ${after}; Paperweight applies augmentation layers in the ` +
            'batch gather, so they must come right after the Input (Rescaling or Normalization may sit between); ' +
            `move ${l.layer.config.name} up to follow the Input`,
        );
      }
      const stage = stageOf(l.layer, h, w) as AugmentStage;
      stages.push(stage);
      if (stage.kind === 'crop') [h, w] = [stage.height, stage.width];
      else if (stage.kind !== 'flip') last = l.layer;
      head = i + 1;
    } else if (HEAD_BETWEEN.has(cls) && head === i && l.inbound.length === 1 && l.inbound[0] === i - 1) {
      between.push(l.layer);
      head = i + 1;
    } else {
      head = -1;
    }
  }
  if (stages.length === 0) return null;
  // Nothing but the chain's last layer may read the head's tensors (the gather writes the augmented image).
  let lastHead = 0;
  model.layers.forEach((l, i) => {
    if (AUGMENT_CLASSES.has(l.layer.className)) lastHead = i;
  });
  model.layers.forEach((l, i) => {
    const early = i > lastHead ? l.inbound.find((p) => p < lastHead) : undefined;
    if (early !== undefined) {
      const what = early < 0 ? 'the input' : model.layers[early].layer.config.name;
      throw new Error(
        `${l.layer.config.name} reads ${what}, which comes before the augmentation layers; the gather augments ` +
          'the input itself, so every layer must read the augmented images (branch after the last augmentation layer)',
      );
    }
  });
  const g = last && 'fill_mode' in last.config ? last.config : null;
  const fillMode: FillMode = g ? g.fill_mode : 'nearest';
  const fillValue = g ? g.fill_value : 0;
  return {
    stages,
    inH: s[0],
    inW: s[1],
    outH: h,
    outW: w,
    fillMode,
    interpolation: g ? g.interpolation : 'bilinear',
    fill: fillInInputDomain(fillValue, fillMode, between, last, model, channels),
  };
}

/** fill_value where the last geometric layer sees it, mapped back through the Rescaling layers before it. */
function fillInInputDomain(
  value: number,
  mode: FillMode,
  between: Layer[],
  last: Layer | null,
  model: BuiltModel,
  channels: number,
): number[] {
  const fill = new Array(channels).fill(value);
  if (mode !== 'constant' || !last) return fill;
  const at = model.layers.findIndex((l) => l.layer === last);
  const before = between.filter((b) => model.layers.findIndex((l) => l.layer === b) < at);
  for (const b of before.reverse()) {
    const f = affineOf(b, channels);
    if (!f || f.a.some((a) => a === 0)) {
      throw new Error(
        `${last.config.name} fills with fill_value after ${b.config.name}, whose statistics are only known on the ` +
          `GPU; move ${last.config.name} before ${b.config.name} or use fill_mode='reflect'`,
      );
    }
    for (let c = 0; c < channels; c++) fill[c] = (fill[c] - f.b[c]) / f.a[c];
  }
  return fill;
}

/**
 * RandomCrop at inference (Keras 3): the largest centred window of the crop's aspect ratio in an inH x inW
 * image, which is then resized to the crop (shaders/batch.wgsl computes the same window in WGSL).
 */
export function cropWindow(inH: number, inW: number, height: number, width: number) {
  const h = Math.max(Math.min(inH, Math.floor((inW * height) / width)), 1);
  const w = Math.max(Math.min(inW, Math.floor((inH * width) / height)), 1);
  return { top: Math.floor((inH - h) / 2), left: Math.floor((inW - w) / 2), height: h, width: w };
}

/** The chain the evaluation / predict gather applies: only the crops, in their inference form. */
export function inferenceChain(chain: AugmentChain): AugmentChain {
  return {
    ...chain,
    stages: chain.stages.filter((s) => s.kind === 'crop'),
    fillMode: 'nearest',
    interpolation: 'bilinear',
  };
}
