// Per-kernel timing of the LeNet's ops (tests/gpu/kernel-timing.ts) runs end to end on this adapter. A small
// batch keeps the suite fast; KERNEL_BATCH=64 KERNEL_REPEATS=5 prints the figures of issue 6.
import { expect, it } from 'vitest';
import { convTuning } from '../../src/ops/conv2d';
import { nodeGpu } from '../helpers/node-gpu';
import { timeLenetKernels } from './kernel-timing';

it('times every LeNet kernel and the matmul yardstick', async () => {
  const batch = Number(process.env.KERNEL_BATCH ?? 8);
  const repeats = Number(process.env.KERNEL_REPEATS ?? 1);
  if (process.env.CONV_TK) convTuning.tk = Number(process.env.CONV_TK);
  const { rows, kernelMs, wallMs } = await timeLenetKernels(await nodeGpu(), batch, repeats);
  const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(0)}%`);
  console.log(
    rows
      .map(
        (r) =>
          `${r.label.padEnd(26)} ${r.ms.toFixed(3).padStart(9)} ms ${(r.flops / 1e6).toFixed(2).padStart(6)} MFLOP ` +
          `${r.gflops?.toFixed(3) ?? '-'} GFLOP/s (matmul ${r.matmulGflops?.toFixed(3) ?? '-'}: ` +
          `${pct(r.gflops !== null && r.matmulGflops ? r.gflops / r.matmulGflops : null)}) share ${pct(r.share)} | ` +
          `cpu ${r.cpuMs.toFixed(1)} ms ${r.flops ? (r.flops / (r.cpuMs * 1e6)).toFixed(3) : '-'} GFLOP/cpu-s ` +
          `(matmul ${r.matmulCpuGflops?.toFixed(3) ?? '-'}: ${pct(r.flops && r.matmulCpuGflops ? r.flops / (r.cpuMs * 1e6) / r.matmulCpuGflops : null)})`,
      )
      .join('\n'),
  );
  console.log(`batch ${batch}: kernels ${kernelMs.toFixed(2)} ms, one submit ${wallMs.toFixed(2)} ms`);
  expect(rows.length).toBeGreaterThanOrEqual(14);
  for (const r of rows) expect(r.ms).toBeGreaterThan(0);
  expect(rows.filter((r) => r.gflops !== null && r.gflops > 0).length).toBeGreaterThanOrEqual(8);
});
