// Per-kernel timings of Paperweight's ops for the paper LeNet-5: every forward and backward dispatch of every
// layer plus the fused loss, each in its own compute pass bracketed by timestamp queries. Each conv/dense
// kernel's GFLOP/s is set against the faster of two plain matmuls of a square shape with the same FLOPs on the
// same adapter: the workgroup-tiled one (shaders/dense.wgsl `forward`, what GPUs want) and the barrier-free
// one (shaders/conv2d_direct.wgsl `forward` as a 1x1 conv, what CPU adapters like SwiftShader want). The optimizer step belongs to the trainer and is not included.
// (tests/bench/kernels.ts does the same for the whole trainer step in the browser bench.)
import { createContext, type Dispatch, encodeDispatches, type GpuContext } from '../../src/gpu/context';
import type { AcquiredDevice } from '../../src/gpu/device';
import type { KernelFamily } from '../../src/gpu/family';
import { paperLeNet5 } from '../../src/model/presets';
import { Rng } from '../../src/model/random';
import type { BuiltLayer } from '../../src/model/sequential';
import { createLayerOp, createLossOp, type LayerBuffers, STEP } from '../../src/ops';
import { ceilDiv, record } from '../../src/ops/common';
import { directTile, gemmTile } from '../../src/ops/gemm';
import { timestampRounds } from '../../src/train/profile';

export interface KernelTime {
  label: string;
  kind: 'forward' | 'backward' | 'loss';
  ms: number;
  flops: number;
  gflops: number | null;
  matmulGflops: number | null;
  share: number;
  /** CPU time the process spent on the dispatch alone (SwiftShader runs on the CPU): robust to other load. */
  cpuMs: number;
  matmulCpuGflops: number | null;
}

export interface Timed {
  label: string;
  kind: KernelTime['kind'];
  dispatch: Dispatch;
  flops: number;
}

function randomBuffer(ctx: GpuContext, label: string, n: number, rng: Rng, scale = 0.1): GPUBuffer {
  const buf = ctx.arena.storage(label, n);
  ctx.device.queue.writeBuffer(
    buf,
    0,
    Float32Array.from({ length: n }, () => rng.uniform(-scale, scale)),
  );
  return buf;
}

/** Useful FLOPs of one GEMM dispatch (2 per multiply-add); 0 for the rest. */
function flopsOf(b: BuiltLayer, label: string, batch: number): number {
  const entry = label.split(':')[1] ?? '';
  if (!['forward', 'backward_dx', 'backward_dw'].includes(entry)) return 0;
  const l = b.layer;
  if (l.className === 'Conv2D') {
    const [oh, ow, cout] = b.outputShape;
    return 2 * batch * oh * ow * cout * l.config.kernel_size[0] * l.config.kernel_size[1] * b.inputShape[2];
  }
  if (l.className === 'Dense') return 2 * batch * b.inputShape[0] * l.config.units;
  return 0;
}

/** The LeNet's ops at `batch` on real buffers: every dispatch of forward, loss and backward, in step order. */
export function lenetDispatches(ctx: GpuContext, batch: number): Timed[] {
  const model = paperLeNet5().build();
  const rng = new Rng(7);
  const step = ctx.arena.storage('step', STEP.words);
  let x = randomBuffer(ctx, 'input', batch * 32 * 32, rng, 1);
  let dX: GPUBuffer | null = null;
  const forward: Timed[] = [];
  const backward: Timed[][] = [];
  model.layers.forEach((b, i) => {
    const name = b.layer.config.name;
    const size = batch * b.outputShape.reduce((p, q) => p * q, 1);
    const flatten = b.layer.className === 'Flatten';
    const y = flatten ? x : ctx.arena.storage(`${name}/y`, size);
    const dY = flatten && dX ? dX : ctx.arena.storage(`${name}/dY`, size);
    const io: LayerBuffers = { x, y, dX, dY, step };
    for (const p of b.params) {
      const n = p.shape.reduce((q, r) => q * r, 1);
      const value = randomBuffer(ctx, `${name}/${p.name}`, n, rng);
      const grad = ctx.arena.storage(`${name}/d${p.name}`, n);
      if (p.name === 'kernel') Object.assign(io, { kernel: value, dKernel: grad });
      else if (p.name === 'bias') Object.assign(io, { bias: value, dBias: grad });
      io.params = { ...io.params, [p.name]: { value, grad } };
    }
    const op = createLayerOp(ctx, b, io, {
      batch,
      layerIndex: i,
      softmaxInLoss: i === model.layers.length - 1,
    });
    const timed = (d: Dispatch, kind: KernelTime['kind']): Timed => ({
      label: d.label ?? '?',
      kind,
      dispatch: d,
      flops: flopsOf(b, d.label ?? '', batch),
    });
    forward.push(...op.forwardTrain.map((d) => timed(d, 'forward')));
    backward.push(op.backward.map((d) => timed(d, 'backward')));
    x = y;
    dX = dY;
  });
  const classes = 10;
  const labels = ctx.arena.storage('labels', batch);
  ctx.device.queue.writeBuffer(
    labels,
    0,
    Int32Array.from({ length: batch }, (_, i) => i % classes),
  );
  const loss = createLossOp(
    ctx,
    { batch, classes, sparse: true },
    {
      logits: x,
      labels,
      probs: ctx.arena.storage('probs', batch * classes),
      dLogits: dX ?? ctx.arena.storage('dLogits', batch * classes),
      metrics: ctx.arena.storage('metrics', 4),
    },
  );
  const lossRows = loss.train.map((d) => ({
    label: 'softmax_xent:train',
    kind: 'loss' as const,
    dispatch: d,
    flops: 0,
  }));
  return [...forward, ...lossRows, ...backward.reverse().flat()];
}

/** The yardstick: dense.wgsl's plain tiled matmul [n, n] x [n, n] with about `flops` FLOPs. */
function yardstick(ctx: GpuContext, flops: number): Timed {
  const n = Math.max(4, Math.round(Math.cbrt(flops / 2) / 4) * 4);
  const rng = new Rng(n);
  const t = gemmTile(n, n);
  const d = record(
    ctx,
    'dense',
    'forward',
    { ...t, ROWS: n, FIN: n, FOUT: n, ACT: 0, ALPHA: 0 },
    [
      randomBuffer(ctx, 'mm/a', n * n, rng),
      randomBuffer(ctx, 'mm/b', n * n, rng),
      ctx.arena.storage('mm/bias', n),
      ctx.arena.storage('mm/c', n * n),
    ],
    [ceilDiv(n, t.TN), ceilDiv(n, t.TM), 1],
    `matmul ${n}^3`,
  );
  return { label: d.label ?? '', kind: 'forward', dispatch: d, flops: 2 * n * n * n };
}

/** The barrier-free yardstick: the same [n, n] x [n, n] as a 1x1 conv through conv2d_direct `forward`. */
function directYardstick(ctx: GpuContext, flops: number): Timed {
  const n = Math.max(4, Math.round(Math.cbrt(flops / 2) / 4) * 4);
  const rng = new Rng(n + 1);
  const t = directTile(n, n);
  const one = {
    H: 1,
    W: 1,
    OH: 1,
    OW: 1,
    KH: 1,
    KW: 1,
    SH: 1,
    SW: 1,
    TOP: 0,
    LEFT: 0,
    PADDED: 0,
    ACT: 0,
    ALPHA: 0,
  };
  const d = record(
    ctx,
    'conv2d_direct',
    'forward',
    { ...t.constants, ...one, BATCH: n, CIN: n, COUT: n },
    [
      randomBuffer(ctx, 'mmd/a', n * n, rng),
      randomBuffer(ctx, 'mmd/b', n * n, rng),
      ctx.arena.storage('mmd/bias', n),
      ctx.arena.storage('mmd/c', n * n),
    ],
    [ceilDiv(n, t.cols), ceilDiv(n, t.rows), 1],
    `direct matmul ${n}^3`,
  );
  return { label: d.label ?? '', kind: 'forward', dispatch: d, flops: 2 * n * n * n };
}

/**
 * Best (minimum) ms of each dispatch over `repeats` submits, each dispatch in its own timestamped pass: the
 * machine is shared, and other load only ever adds time.
 */
async function timeEach(device: GPUDevice, items: Timed[], repeats: number): Promise<number[]> {
  const rounds = await timestampRounds(
    device,
    items.map((it) => it.dispatch),
    repeats,
  );
  return rounds.map((ms) => Math.min(...ms));
}

/** Best CPU ms (all threads of this process) of each dispatch submitted alone. */
async function cpuEach(device: GPUDevice, items: Timed[], repeats: number): Promise<number[]> {
  const best = new Array<number>(items.length).fill(Number.POSITIVE_INFINITY);
  for (let r = 0; r < repeats; r++) {
    for (let i = 0; i < items.length; i++) {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      encodeDispatches(pass, [items[i].dispatch]);
      pass.end();
      const buffer = enc.finish();
      const c0 = process.cpuUsage();
      device.queue.submit([buffer]);
      await device.queue.onSubmittedWorkDone();
      const c = process.cpuUsage(c0);
      best[i] = Math.min(best[i], (c.user + c.system) / 1000);
    }
  }
  return best;
}

/** Best wall time of the whole step recorded in one pass and one submit. */
async function wallStep(device: GPUDevice, items: Timed[], repeats: number): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    encodeDispatches(
      pass,
      items.map((i) => i.dispatch),
    );
    pass.end();
    const t0 = performance.now();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    times.push(performance.now() - t0);
  }
  return Math.min(...times);
}

export async function timeLenetKernels(
  gpu: AcquiredDevice,
  batch: number,
  repeats: number,
  family?: KernelFamily,
): Promise<{ rows: KernelTime[]; kernelMs: number; wallMs: number }> {
  if (!gpu.hasTimestamps) throw new Error('kernel timing needs the timestamp-query feature');
  const ctx = createContext(gpu.device, family);
  const items = lenetDispatches(ctx, batch);
  const sticks = items.map((it) => (it.flops > 0 ? yardstick(ctx, it.flops) : null));
  const stickItems = sticks.filter((s): s is Timed => s !== null);
  const directSticks = stickItems.map((s) => directYardstick(ctx, s.flops));
  // warm-up (lazy compilation, first touches)
  await wallStep(ctx.device, [...items, ...stickItems, ...directSticks], 1);
  const ms = await timeEach(ctx.device, items, repeats);
  const faster = (a: number[], b: number[]) => a.map((v, i) => Math.min(v, b[i]));
  const stickMs = faster(
    await timeEach(ctx.device, stickItems, repeats),
    await timeEach(ctx.device, directSticks, repeats),
  );
  const cpu = await cpuEach(ctx.device, items, repeats);
  const stickCpu = faster(
    await cpuEach(ctx.device, stickItems, repeats),
    await cpuEach(ctx.device, directSticks, repeats),
  );
  const kernelMs = ms.reduce((a, b) => a + b, 0);
  let s = 0;
  const rows = items.map((it, i) => {
    const stick = sticks[i];
    const row: KernelTime = {
      label: it.label,
      kind: it.kind,
      ms: ms[i],
      flops: it.flops,
      gflops: it.flops > 0 ? it.flops / (ms[i] * 1e6) : null,
      matmulGflops: stick ? stick.flops / (stickMs[s] * 1e6) : null,
      share: ms[i] / kernelMs,
      cpuMs: cpu[i],
      matmulCpuGflops: stick ? stick.flops / (stickCpu[s] * 1e6) : null,
    };
    if (stick) s++;
    return row;
  });
  const wallMs = await wallStep(ctx.device, items, repeats);
  ctx.arena.destroyAll();
  return { rows, kernelMs, wallMs };
}
