// Per-kernel timing of one training step: each recorded dispatch in its own compute pass with timestamp
// writes where the device has 'timestamp-query', otherwise each dispatch submitted alone and timed on the wall
// clock. For the step-time report and the benchmark's --kernels; not used while training.
import type { Dispatch, GpuContext } from '../gpu/context';

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
  const samples: number[][] = dispatches.map(() => []);
  const { device } = ctx;
  if (device.features.has('timestamp-query')) {
    const n = dispatches.length * 2;
    const querySet = device.createQuerySet({ type: 'timestamp', count: n });
    const resolve = ctx.arena.create(
      'profile/resolve',
      n * 8,
      GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    );
    const read = ctx.arena.create('profile/read', n * 8, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    try {
      for (let r = 0; r < repeats; r++) {
        prepare();
        const encoder = device.createCommandEncoder();
        dispatches.forEach((d, i) => {
          const pass = encoder.beginComputePass({
            timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 },
          });
          pass.setPipeline(d.pipeline);
          pass.setBindGroup(0, d.bindGroup);
          pass.dispatchWorkgroups(...d.workgroups);
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
      ctx.arena.release(resolve);
      ctx.arena.release(read);
    }
  } else {
    for (let r = 0; r < repeats; r++) {
      for (const [i, d] of dispatches.entries()) {
        prepare();
        await device.queue.onSubmittedWorkDone();
        const t0 = performance.now();
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginComputePass();
        pass.setPipeline(d.pipeline);
        pass.setBindGroup(0, d.bindGroup);
        pass.dispatchWorkgroups(...d.workgroups);
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
