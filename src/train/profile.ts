// Per-kernel timing of one training step: each recorded dispatch in its own compute pass with timestamp
// writes where the device has 'timestamp-query', otherwise each dispatch submitted alone and timed on the wall
// clock. For the step-time report and the benchmark's --kernels; not used while training.
import { type Dispatch, encodeDispatches, type GpuContext } from '../gpu/context';

export interface KernelTiming {
  label: string;
  /** Median over the repeats, milliseconds. */
  ms: number;
}

export interface StepProfile {
  method: 'timestamp-query' | 'wall-clock';
  kernels: KernelTiming[];
  /** Sum of the kernels' medians. */
  totalMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** `prepare` runs before each repeat (it writes the STEP state the kernels read). */
export async function profileDispatches(
  ctx: GpuContext,
  dispatches: readonly Dispatch[],
  prepare: () => void,
  repeats = 3,
): Promise<StepProfile> {
  const { device } = ctx;
  let samples: number[][] = dispatches.map(() => []);
  if (device.features.has('timestamp-query')) {
    samples = await timestampRounds(device, dispatches, repeats, prepare);
  } else {
    for (let r = 0; r < repeats; r++) {
      for (const [i, d] of dispatches.entries()) {
        prepare();
        await device.queue.onSubmittedWorkDone();
        const t0 = performance.now();
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginComputePass();
        encodeDispatches(pass, [d]);
        pass.end();
        device.queue.submit([encoder.finish()]);
        await device.queue.onSubmittedWorkDone();
        samples[i].push(performance.now() - t0);
      }
    }
  }
  const kernels = dispatches.map((d, i) => ({ label: d.label ?? `dispatch ${i}`, ms: median(samples[i]) }));
  return {
    method: device.features.has('timestamp-query') ? 'timestamp-query' : 'wall-clock',
    kernels,
    totalMs: kernels.reduce((a, k) => a + k.ms, 0),
  };
}

/**
 * Each dispatch in its own compute pass between timestamp writes, all in one submit, `repeats` times
 * (`beforeRound` first each time): milliseconds per dispatch per round. Needs 'timestamp-query'.
 */
export async function timestampRounds(
  device: GPUDevice,
  dispatches: readonly Dispatch[],
  repeats: number,
  beforeRound: () => void = () => {},
): Promise<number[][]> {
  const n = dispatches.length * 2;
  const querySet = device.createQuerySet({ type: 'timestamp', count: n });
  const resolve = device.createBuffer({
    size: n * 8,
    usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
  });
  const read = device.createBuffer({ size: n * 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const samples: number[][] = dispatches.map(() => []);
  try {
    for (let r = 0; r < repeats; r++) {
      beforeRound();
      const encoder = device.createCommandEncoder();
      dispatches.forEach((d, i) => {
        const pass = encoder.beginComputePass({
          timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 },
        });
        encodeDispatches(pass, [d]);
        pass.end();
      });
      encoder.resolveQuerySet(querySet, 0, n, resolve, 0);
      encoder.copyBufferToBuffer(resolve, 0, read, 0, n * 8);
      device.queue.submit([encoder.finish()]);
      await read.mapAsync(GPUMapMode.READ);
      const t = new BigUint64Array(read.getMappedRange().slice(0));
      read.unmap();
      dispatches.forEach((_, i) => {
        samples[i].push(Number(t[2 * i + 1] - t[2 * i]) / 1e6);
      });
    }
  } finally {
    querySet.destroy();
    resolve.destroy();
    read.destroy();
  }
  return samples;
}
