// The merge layers: Add, Subtract, Multiply, Average, Maximum (elementwise over equal shapes) and Concatenate
// (along any axis), plus the gradient sum the trainer inserts where a tensor fans out. Kernels in
// shaders/merge.wgsl; float64 reference in src/reference/merge.ts.
import type { Dispatch, GpuContext } from '../gpu/context';
import type { MergeKind } from '../model/layers';
import type { BuiltLayer } from '../model/sequential';
import { gridStride, record, sizeOf } from './common';
import type { LayerBuffers, LayerOp, LayerOpOptions } from './types';

const WG = 64;

const OPS: Record<MergeKind, number> = { Add: 0, Subtract: 1, Average: 0, Multiply: 2, Maximum: 3 };

function elementwise(
  ctx: GpuContext,
  entry: string,
  buffers: GPUBuffer[],
  count: number,
  label: string,
  c = {},
) {
  return record(ctx, 'merge', entry, { WG, COUNT: count, ...c }, buffers, gridStride(count, WG), label);
}

/** dst += src over `count` floats: one more contribution to the gradient of a tensor read by several layers. */
export function accumulateInto(
  ctx: GpuContext,
  src: GPUBuffer,
  dst: GPUBuffer,
  count: number,
  label: string,
) {
  return elementwise(ctx, 'accumulate', [src, dst], count, label);
}

function inputsOf(layer: BuiltLayer, io: LayerBuffers): { xs: GPUBuffer[]; dXs: (GPUBuffer | null)[] } {
  const xs = io.xs ?? [io.x];
  const dXs = io.dXs ?? [io.dX];
  const name = layer.layer.config.name;
  if (xs.length !== layer.inputShapes.length || dXs.length !== xs.length) {
    throw new Error(
      `${name}: ${xs.length} input buffers for ${layer.inputShapes.length} inputs; the trainer must pass xs and dXs`,
    );
  }
  return { xs, dXs };
}

export function createMerge(
  ctx: GpuContext,
  layer: BuiltLayer,
  io: LayerBuffers,
  opts: LayerOpOptions,
): LayerOp {
  const kind = layer.layer.className as string as MergeKind;
  const name = layer.layer.config.name;
  if (!(kind in OPS)) throw new Error(`createMerge got ${kind}`);
  const { xs, dXs } = inputsOf(layer, io);
  const n = xs.length;
  const shape = layer.inputShapes[0];
  const fmt = (s: number[]) => `(${s.join(', ')})`;
  if (n < 2) throw new Error(`${name} (${kind}) needs at least 2 inputs, got ${n}`);
  if (kind === 'Subtract' && n !== 2) {
    throw new Error(`${name} (Subtract) takes exactly 2 inputs, got ${n}; use Add for more`);
  }
  for (const s of layer.inputShapes) {
    if (s.length !== shape.length || s.some((d, i) => d !== shape[i])) {
      throw new Error(
        `${name} (${kind}) needs inputs of one shape, got ${layer.inputShapes.map(fmt).join(' and ')}; ` +
          'make the branches agree (e.g. a 1x1 Conv2D on the skip connection)',
      );
    }
  }
  const count = opts.batch * sizeOf(shape);
  const op = OPS[kind];
  const lastScale = kind === 'Average' ? 1 / n : 1;
  const forward: Dispatch[] = [
    elementwise(ctx, 'combine', [xs[0], xs[1], io.y], count, `${name}:forward`, {
      OP: op,
      SCALE: n === 2 ? lastScale : 1,
    }),
  ];
  for (let k = 2; k < n; k++) {
    const c = { OP: op, SCALE: k === n - 1 ? lastScale : 1 };
    forward.push(elementwise(ctx, 'combine_into', [xs[k], io.y], count, `${name}:forward${k}`, c));
  }
  const backward: Dispatch[] = [];
  const label = (k: number) => `${name}:backward${k}`;
  if (kind === 'Multiply') {
    dXs.forEach((dX, k) => {
      if (!dX) return;
      const others = xs.filter((_, j) => j !== k);
      backward.push(elementwise(ctx, 'product_grad', [io.dY, others[0], dX], count, label(k)));
      for (const o of others.slice(1))
        backward.push(elementwise(ctx, 'scale_into', [o, dX], count, label(k)));
    });
  } else if (kind === 'Maximum') {
    // Claims must be tracked over every input (an input without a gradient may still win the element).
    if (dXs.some((d) => d)) {
      const claimed = ctx.arena.storage(`${name}/claimed`, count);
      const sink = dXs.some((d) => !d) ? ctx.arena.storage(`${name}/unused-dX`, count) : null;
      dXs.forEach((dX, k) => {
        const buffers = [xs[k], io.y, io.dY, claimed, dX ?? (sink as GPUBuffer)];
        backward.push(elementwise(ctx, 'max_grad', buffers, count, label(k), { FIRST: k === 0 ? 1 : 0 }));
      });
    }
  } else {
    dXs.forEach((dX, k) => {
      if (!dX) return;
      const scale = kind === 'Average' ? 1 / n : kind === 'Subtract' && k === 1 ? -1 : 1;
      // The trainer may make an input's gradient the very buffer of dY (graph.ts passThrough): nothing to do.
      if (dX === io.dY && scale === 1) return;
      if (dX === io.dY) throw new Error(`${name}: dX${k} aliases dY but needs scaling by ${scale}`);
      backward.push(elementwise(ctx, 'scaled_copy', [io.dY, dX], count, label(k), { SCALE: scale }));
    });
  }
  return { layerName: name, forwardTrain: forward, forwardInfer: forward, backward };
}

/** Keras's axis (counting the batch axis as 0, negative from the end) as an index into the unbatched shape. */
export function concatAxis(axis: number, rank: number, name: string): number {
  const a = axis < 0 ? rank + 1 + axis : axis;
  if (!(Number.isInteger(axis) && a >= 1 && a <= rank)) {
    throw new Error(
      `${name} (Concatenate): axis=${axis} is not an axis of its rank-${rank + 1} inputs (batch included) ` +
        'or is the batch axis; use axis=-1 to join channels',
    );
  }
  return a - 1;
}

export function createConcatenate(
  ctx: GpuContext,
  layer: BuiltLayer,
  io: LayerBuffers,
  opts: LayerOpOptions,
): LayerOp {
  const name = layer.layer.config.name;
  const { xs, dXs } = inputsOf(layer, io);
  const shapes = layer.inputShapes;
  const rank = shapes[0].length;
  const axis = concatAxis((layer.layer.config as { axis?: number }).axis ?? -1, rank, name);
  const fmt = (s: number[]) => `(${s.join(', ')})`;
  for (const s of shapes) {
    if (s.length !== rank || s.some((d, i) => i !== axis && d !== shapes[0][i])) {
      throw new Error(
        `${name} (Concatenate) joins along axis ${axis + 1}, so the other axes must agree, got ` +
          `${shapes.map(fmt).join(' and ')}`,
      );
    }
  }
  const outer = opts.batch * sizeOf(shapes[0].slice(0, axis));
  const inner = sizeOf(shapes[0].slice(axis + 1));
  const total = shapes.reduce((a, s) => a + s[axis], 0);
  const forward: Dispatch[] = [];
  const backward: Dispatch[] = [];
  let offset = 0;
  xs.forEach((x, k) => {
    const len = shapes[k][axis];
    const c = { LEN: len, INNER: inner, TOTAL: total, OFFSET: offset };
    const count = outer * len * inner;
    forward.push(elementwise(ctx, 'concat_place', [x, io.y], count, `${name}:forward${k}`, c));
    const dX = dXs[k];
    if (dX) backward.push(elementwise(ctx, 'concat_slice', [io.dY, dX], count, `${name}:backward${k}`, c));
    offset += len;
  });
  return { layerName: name, forwardTrain: forward, forwardInfer: forward, backward };
}
