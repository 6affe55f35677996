// Reference augmentation (float64): the per-sample random draws and the inverse map of an augmentation chain
// (src/model/augment-chain.ts), and sampling through it with an interpolation and a fill mode. What the batch
// gather of shaders/batch.wgsl reproduces.
//
// Draws are a counter-based hash (pcgHash of src/reference/dropout.ts, wrapping u32), nothing stored per step:
//   key(s)          = pcg(runSeed + pcg(stageSeed + s * 0x9E3779B9))         s = the stage's index in the chain
//   draw(s, r, j)   = pcg(pcg(pcg(key(s) + step) + r) + j)                    r = the row in the batch
//   uniform         = (draw >>> 8) / 2^24 in [0, 1)
// j = 0 is the height (or only) draw of a stage, j = 1 the width one. A crop draws with r = 0 (one location per
// batch, as Keras 3) and takes offset = draw % (room + 1), an exact integer on both sides.
// Fill modes act on integer pixel indices (each bilinear neighbour separately), as TF's ImageProjectiveTransform
// does for the integer grid: reflect (d c b a | a b c d | d c b a), wrap (a b c d | a b c d), nearest (clamp),
// constant (the neighbour takes the fill value). Nearest interpolation rounds half up: floor(v + 0.5).
import { type AugmentChain, type AugmentStage, cropWindow, type Range } from '../model/augment-chain';
import { pcgHash } from './dropout';

export interface AugmentDraw {
  /** The run's seed (STEP.seed on the GPU). */
  seed: number;
  /** The optimizer step (STEP.step on the GPU). */
  step: number;
}

const u32 = (v: number) => v >>> 0;

export function augmentDraw(d: AugmentDraw, stage: AugmentStage, s: number, row: number, j: number): number {
  const key = pcgHash(u32(d.seed + pcgHash(u32(stage.seed + Math.imul(s, 0x9e3779b9)))));
  return pcgHash(u32(pcgHash(u32(pcgHash(u32(key + d.step)) + row)) + j));
}

export function augmentUniform(
  d: AugmentDraw,
  stage: AugmentStage,
  s: number,
  row: number,
  j: number,
): number {
  return (augmentDraw(d, stage, s, row, j) >>> 8) / 16777216;
}

const lerp = (r: Range, u: number) => r[0] + (r[1] - r[0]) * u;

/** Maps a point of the stage's output frame to its input frame; `training` false is the inference form. */
function mapStage(
  stage: AugmentStage,
  s: number,
  d: AugmentDraw,
  row: number,
  p: [number, number],
  training: boolean,
): [number, number] {
  const [y, x] = p;
  const u = (j: number) => augmentUniform(d, stage, s, row, j);
  const cy = (stage.inH - 1) / 2;
  const cx = (stage.inW - 1) / 2;
  switch (stage.kind) {
    case 'flip':
      return [
        stage.vertical && u(1) < 0.5 ? stage.inH - 1 - y : y,
        stage.horizontal && u(0) < 0.5 ? stage.inW - 1 - x : x,
      ];
    case 'translate':
      return [y - lerp(stage.height, u(0)) * stage.inH, x - lerp(stage.width, u(1)) * stage.inW];
    case 'rotate': {
      const theta = lerp(stage.range, u(0)) * 2 * Math.PI;
      const cos = Math.cos(theta);
      const sin = Math.sin(theta);
      return [sin * (x - cx) + cos * (y - cy) + cy, cos * (x - cx) - sin * (y - cy) + cx];
    }
    case 'zoom': {
      const zy = 1 + lerp(stage.height, u(0));
      const zx = stage.width ? 1 + lerp(stage.width, u(1)) : zy;
      return [cy + zy * (y - cy), cx + zx * (x - cx)];
    }
    case 'crop': {
      const { inH, inW, height, width } = stage;
      if (training && inH > height && inW > width) {
        return [
          y + (augmentDraw(d, stage, s, 0, 0) % (inH - height + 1)),
          x + (augmentDraw(d, stage, s, 0, 1) % (inW - width + 1)),
        ];
      }
      // Keras 3: the largest centred window of the crop's aspect ratio, resized (half-pixel centres).
      const win = cropWindow(inH, inW, height, width);
      return [
        win.top + ((y + 0.5) * win.height) / height - 0.5,
        win.left + ((x + 0.5) * win.width) / width - 0.5,
      ];
    }
  }
}

/** The point of the chain's input frame that output pixel (y, x) of `row` samples. */
export function augmentSource(
  chain: AugmentChain,
  d: AugmentDraw,
  row: number,
  y: number,
  x: number,
  training: boolean,
): [number, number] {
  let p: [number, number] = [y, x];
  for (let s = chain.stages.length - 1; s >= 0; s--) p = mapStage(chain.stages[s], s, d, row, p, training);
  return p;
}

/** An integer index mapped into [0, n) by the fill mode, or -1 for 'constant' outside. */
export function fillIndex(i: number, n: number, mode: AugmentChain['fillMode']): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'constant':
      return -1;
    case 'nearest':
      return Math.min(Math.max(i, 0), n - 1);
    case 'wrap':
      return ((i % n) + n) % n;
    case 'reflect': {
      const m = ((i % (2 * n)) + 2 * n) % (2 * n);
      return m < n ? m : 2 * n - 1 - m;
    }
  }
}

/**
 * The value at (sy, sx) of an H x W frame whose pixel (y, x) is value(y, x) (already normalised), through the
 * chain's interpolation and fill mode; `fill` is the constant-mode value.
 */
export function sampleFrame(
  chain: AugmentChain,
  sy: number,
  sx: number,
  fill: number,
  value: (y: number, x: number) => number,
): number {
  const { inH: H, inW: W, fillMode } = chain;
  const at = (y: number, x: number): number => {
    const my = fillIndex(y, H, fillMode);
    const mx = fillIndex(x, W, fillMode);
    return my < 0 || mx < 0 ? fill : value(my, mx);
  };
  if (chain.interpolation === 'nearest') return at(Math.floor(sy + 0.5), Math.floor(sx + 0.5));
  const y0 = Math.floor(sy);
  const x0 = Math.floor(sx);
  const fy = sy - y0;
  const fx = sx - x0;
  const a = at(y0, x0);
  const b = at(y0, x0 + 1);
  const c = at(y0 + 1, x0);
  const e = at(y0 + 1, x0 + 1);
  const top = a + (b - a) * fx;
  const bottom = c + (e - c) * fx;
  return top + (bottom - top) * fy;
}
