// Per-kernel timing of the LeNet's ops (tests/gpu/kernel-timing.ts) runs end to end on this adapter, over both
// kernel families. It checks the work done (every kernel timed, each GEMM's FLOPs, a yardstick for each), never
// how long it took: speed belongs in `npm run bench -- --kernels`. KERNEL_BATCH=64 KERNEL_REPEATS=5 prints
// the figures of issue 6 (KERNEL_FAMILY=direct or tiled for one family only).
import { expect, it } from 'vitest';
import { KERNEL_FAMILIES, type KernelFamily } from '../../src/gpu/family';
import { paperLeNet5 } from '../../src/model/presets';
import { nodeGpu } from '../helpers/node-gpu';
import { type KernelTime, timeLenetKernels } from './kernel-timing';

const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(0)}%`);
function print(rows: KernelTime[]): string {
  return rows
    .map(
      (r) =>
        `${r.label.padEnd(26)} ${r.ms.toFixed(3).padStart(9)} ms ${(r.flops / 1e6).toFixed(2).padStart(6)} MFLOP ` +
        `${r.gflops?.toFixed(3) ?? '-'} GFLOP/s (matmul ${r.matmulGflops?.toFixed(3) ?? '-'}: ` +
        `${pct(r.gflops !== null && r.matmulGflops ? r.gflops / r.matmulGflops : null)}) share ${pct(r.share)} | ` +
        `cpu ${r.cpuMs.toFixed(1)} ms ${r.flops ? (r.flops / (r.cpuMs * 1e6)).toFixed(3) : '-'} GFLOP/cpu-s ` +
        `(matmul ${r.matmulCpuGflops?.toFixed(3) ?? '-'}: ${pct(r.flops && r.matmulCpuGflops ? r.flops / (r.cpuMs * 1e6) / r.matmulCpuGflops : null)})`,
    )
    .join('\n');
}

const families = process.env.KERNEL_FAMILY ? [process.env.KERNEL_FAMILY as KernelFamily] : KERNEL_FAMILIES;

for (const family of families) {
  it(`times every LeNet kernel (${family} family) and the matmul yardstick of each GEMM`, async () => {
    const batch = Number(process.env.KERNEL_BATCH ?? 4);
    const repeats = Number(process.env.KERNEL_REPEATS ?? 1);
    const { rows, kernelMs, wallMs } = await timeLenetKernels(await nodeGpu(), batch, repeats, family);
    console.log(
      `${print(rows)}\n${family}, batch ${batch}: kernels ${kernelMs.toFixed(2)} ms, one submit ${wallMs.toFixed(2)} ms`,
    );

    const model = paperLeNet5().build();
    const gemmLayers = model.layers.filter((b) => ['Conv2D', 'Dense'].includes(b.layer.className));
    // Every GEMM layer has a forward and a dK pass; all but the first a dX pass.
    for (const [i, b] of gemmLayers.entries()) {
      const name = b.layer.config.name;
      const entries = ['forward', 'backward_dw', ...(i > 0 ? ['backward_dx'] : [])];
      const gemms = rows.filter((r) => r.label.startsWith(`${name}:`) && r.flops > 0);
      expect(gemms.map((r) => r.label.split(':')[1]).sort(), name).toEqual(entries.sort());
      // One multiply-add per (output element, reduction step): the same count forward and backward.
      const macs =
        batch *
        b.outputShape.reduce((p, q) => p * q, 1) *
        b.params[0].shape.slice(0, -1).reduce((p, q) => p * q, 1);
      for (const r of gemms) expect(r.flops, r.label).toBe(2 * macs);
    }
    const layers = new Set(rows.map((r) => r.label.split(':')[0]));
    for (const b of model.layers) {
      if (b.layer.className !== 'Flatten')
        expect(layers.has(b.layer.config.name), b.layer.config.name).toBe(true);
    }
    expect(rows.filter((r) => r.kind === 'loss')).toHaveLength(1);
    for (const r of rows) {
      expect(Number.isFinite(r.ms) && r.ms >= 0, `${r.label} timed`).toBe(true);
      expect(Number.isFinite(r.cpuMs) && r.cpuMs >= 0, `${r.label} cpu time`).toBe(true);
      // Every GEMM has its yardstick timed (a positive rate; it is Infinity only if a timer read 0).
      if (r.flops > 0) expect(r.matmulGflops ?? 0, `${r.label} yardstick`).toBeGreaterThan(0);
      else expect(r.matmulGflops, r.label).toBeNull();
    }
    expect(rows.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1, 6);
  });
}
