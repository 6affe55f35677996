// Dropout: inverted scaling with a per-step mask hashed from (element index, seed), recomputed in backward
// instead of stored; the identity at inference.
import type { GpuContext } from '../gpu/context';
import type { BuiltLayer } from '../model/sequential';
import { gridStride, record, sizeOf } from './common';
import type { LayerBuffers, LayerOp, LayerOpOptions } from './types';

/** The seed of one layer's mask at one step; the kernel derives the same from the STEP buffer. */
export function dropoutSeed(baseSeed: number, layerIndex: number, step: number): number {
  return (baseSeed + Math.imul(layerIndex, 0x9e3779b9) + Math.imul(step, 0x85ebca6b)) >>> 0;
}

const WG = 64;

export function createDropout(
  ctx: GpuContext,
  layer: BuiltLayer,
  io: LayerBuffers,
  opts: LayerOpOptions,
): LayerOp {
  if (layer.layer.className !== 'Dropout') throw new Error(`createDropout got ${layer.layer.className}`);
  const { name, rate } = layer.layer.config;
  const count = opts.batch * sizeOf(layer.inputShape);
  const c = {
    WG,
    COUNT: count,
    THRESHOLD: Math.ceil(rate * 2 ** 24),
    SCALE: 1 / (1 - rate),
    LAYER: opts.layerIndex >>> 0,
  };
  const grid = gridStride(count, WG);
  const forwardTrain = [record(ctx, 'dropout', 'apply', c, [io.x, io.step, io.y], grid, `${name}:forward`)];
  const forwardInfer =
    io.y === io.x
      ? []
      : [record(ctx, 'dropout', 'copy', { WG, COUNT: count }, [io.x, io.y], grid, `${name}:copy`)];
  const backward = io.dX
    ? [record(ctx, 'dropout', 'apply', c, [io.dY, io.step, io.dX], grid, `${name}:backward`)]
    : [];
  return { layerName: name, forwardTrain, forwardInfer, backward };
}
