// `npm run bench -- --kernels`: how long each kernel of a training step takes (the LeNet-5 at batch 64 unless
// --models says otherwise), timed by the trainer's own profileStep; GFLOP/s of each conv and dense GEMM; its
// share of the step; and plain matmuls of the same FLOPs on the same adapter as the yardstick, timed the same
// way: timestamp queries where the device has them (Chromium needs --enable-dawn-features=allow_unsafe_apis,
// which the runner passes), otherwise the dispatch repeated in one submit, minus an empty submit's cost.
import { createContext, type Dispatch, encodeDispatches } from '../../src/gpu/context';
import { acquireDevice } from '../../src/gpu/device';
import { timestampRounds } from '../../src/train/profile';
import { median } from './harness';
import matmulSource from './matmul.wgsl?raw';
import { BENCH_MODELS } from './models';
import { benchTrainer, gemmFlops, kindOf } from './trainer-step';
import type { KernelReport, KernelRow, ModelId } from './types';

type Timer = (dispatches: Dispatch[]) => Promise<number[]>;

/** Per-dispatch ms from timestamps written at the start and end of one compute pass per dispatch. */
function timestampTimer(device: GPUDevice): Timer {
  return async (dispatches) => (await timestampRounds(device, dispatches, 1)).map(([ms]) => ms);
}

/** Per-dispatch ms: `reps` copies in one pass and one submit, wall time minus an empty submit's. */
function isolatedTimer(device: GPUDevice): Timer {
  const submit = async (ds: Dispatch[], reps: number) => {
    const t = performance.now();
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    for (let r = 0; r < reps; r++) encodeDispatches(pass, ds);
    pass.end();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    return performance.now() - t;
  };
  return async (dispatches) => {
    const empty = median([await submit([], 1), await submit([], 1), await submit([], 1)]);
    const out: number[] = [];
    for (const d of dispatches) {
      const once = Math.max(0.01, (await submit([d], 1)) - empty);
      const reps = Math.max(1, Math.min(50, Math.ceil(30 / once)));
      out.push(Math.max(0, (await submit([d], reps)) - empty) / reps);
    }
    return out;
  };
}

/** A yardstick: an n x n x n matmul (2 n^3 FLOPs), `entry` 'tiled' or 'direct' (see matmul.wgsl). */
function matmulDispatch(
  device: GPUDevice,
  n: number,
  entry: 'tiled' | 'direct',
): { dispatch: Dispatch; buffers: GPUBuffer[] } {
  const module = device.createShaderModule({ label: 'bench-matmul', code: matmulSource });
  const pipeline = device.createComputePipeline({
    layout: 'auto',
    compute: { module, entryPoint: entry, constants: { M: n, N: n, K: n } },
  });
  const buffers = [0, 1, 2].map(() =>
    device.createBuffer({ size: n * n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST }),
  );
  device.queue.writeBuffer(
    buffers[0],
    0,
    Float32Array.from({ length: n * n }, (_, i) => (i % 7) / 7),
  );
  device.queue.writeBuffer(
    buffers[1],
    0,
    Float32Array.from({ length: n * n }, (_, i) => (i % 5) / 5),
  );
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const g = Math.ceil(n / (entry === 'tiled' ? 64 : 32));
  return {
    dispatch: { pipeline, bindGroup, workgroups: [g, g, 1], label: `matmul ${entry} ${n}^3` },
    buffers,
  };
}

export async function kernelReport(
  modelId: ModelId,
  repeats: number,
  log: (m: string) => void,
): Promise<KernelReport> {
  const bench = BENCH_MODELS[modelId];
  const batch = bench.batch;
  const acquired = await acquireDevice(undefined, true);
  const { device } = acquired;
  const ctx = createContext(device);
  const model = bench.build();
  const { trainer, trainStep } = await benchTrainer(ctx, model, batch, 42);

  // One whole step as trainOnBatch runs it: one submit, then the metrics read back.
  const wall: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    await trainStep();
    wall.push(performance.now() - t);
  }
  const profile = await trainer.profileStep(repeats);
  log(`${profile.kernels.length} kernels per step, timed with ${profile.method}`);
  const step = profile.kernels.map((k) => ({
    label: k.label,
    ms: k.ms,
    kind: kindOf(k.label),
    flops: gemmFlops(model, batch, k.label),
  }));
  const total = profile.totalMs;

  // Yardstick per distinct size, n rounded to 16 so 2 n^3 is close to the kernel's FLOPs; the same timing
  // method as the kernels.
  const timer = profile.method === 'timestamp-query' ? timestampTimer(device) : isolatedTimer(device);
  const sizeFor = (flops: number) => Math.max(16, Math.round(Math.cbrt(flops / 2) / 16) * 16);
  const matmul = new Map<number, number>();
  const yardsticks: KernelReport['yardsticks'] = [];
  for (const s of step.filter((x) => x.flops > 0)) {
    const n = sizeFor(s.flops);
    if (matmul.has(n)) continue;
    let best = 0;
    for (const entry of ['tiled', 'direct'] as const) {
      const { dispatch, buffers } = matmulDispatch(device, n, entry);
      const ms: number[] = [];
      for (let r = 0; r <= repeats; r++) ms.push((await timer([dispatch]))[0]);
      const gflops = (2 * n ** 3) / (median(ms.slice(1)) * 1e6);
      yardsticks.push({ n, entry, gflops });
      best = Math.max(best, gflops);
      for (const b of buffers) b.destroy();
    }
    matmul.set(n, best);
  }

  const rows: KernelRow[] = step.map((s) => {
    const gflops = s.flops > 0 && s.ms > 0 ? s.flops / (s.ms * 1e6) : null;
    const mm = s.flops > 0 ? (matmul.get(sizeFor(s.flops)) ?? null) : null;
    return {
      label: s.label,
      kind: s.kind,
      ms: s.ms,
      flops: s.flops,
      gflops,
      share: total > 0 ? s.ms / total : 0,
      matmulGflops: mm,
      ofMatmul: gflops !== null && mm ? gflops / mm : null,
    };
  });
  trainer.destroy();
  ctx.arena.destroyAll();
  device.destroy();
  return {
    adapter: acquired.adapterName,
    method: profile.method,
    model: modelId,
    batch,
    rows,
    yardsticks,
    stepKernelMs: total,
    stepWallMs: median(wall),
  };
}
