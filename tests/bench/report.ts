// Plain-text tables of the results (Node side), in the order the pairs ran. Pure functions of the JSON.
import { BENCH_MODELS } from './models';
import type { KernelReport, PairResult } from './types';

const fmt = (x: number | undefined | null, digits = 1) =>
  x === undefined || x === null || !Number.isFinite(x) ? '-' : x.toFixed(digits);

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '-';
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(0)} KiB`;
  return `${(n / 1024 ** 2).toFixed(1)} MiB`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((s, c) => s.padEnd(widths[c])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Paperweight samples/s over this pair's, same model; null when either did not run. */
export function ratio(results: PairResult[], r: PairResult): number | null {
  const pw = results.find((x) => x.model === r.model && x.contender === 'paperweight');
  if (!pw?.samplesPerSec || !r.samplesPerSec || r.status !== 'ok' || pw.status !== 'ok') return null;
  return pw.samplesPerSec / r.samplesPerSec;
}

export function resultsTable(results: PairResult[]): string {
  const rows = results.map((r) => {
    const model = BENCH_MODELS[r.model];
    if (r.status !== 'ok') {
      return [r.model, r.contender, r.status, '-', '-', '-', '-', '-', (r.note ?? '').slice(0, 110)];
    }
    const rat = r.contender === 'paperweight' ? '1' : fmt(ratio(results, r), 2);
    const loss = `${fmt(r.lossFirst, 3)} -> ${fmt(r.lossLast, 3)}${r.lossFell ? '' : ' LOSS DID NOT FALL'}`;
    return [
      r.model,
      r.contender,
      fmt(r.samplesPerSec, 1),
      fmt(r.msPerStep, 0),
      fmt((r.firstStepMs ?? 0) / 1000, 2),
      formatBytes(r.memoryBytes),
      loss,
      rat,
      `batch ${model.batch}, ${r.steps} timed steps (${r.windowSamplesPerSec?.length} x ${r.stepsPerWindow})` +
        (r.fitSamplesPerSec ? `; fit epoch ${fmt(r.fitSamplesPerSec, 1)} samples/s` : ''),
    ];
  });
  return table(
    [
      'model',
      'contender',
      'samples/s',
      'ms/step',
      'first step s',
      'GPU memory',
      'loss first -> last',
      'PW / this',
      'notes',
    ],
    rows,
  );
}

export function steadyStateTable(results: PairResult[]): string {
  // WebGL and CPU backends make no WebGPU calls: nothing to count.
  const rows = results
    .filter((r) => r.status === 'ok' && r.counts && r.steps && !/webgl|cpu/.test(r.contender))
    .map((r) => {
      const c = r.counts!;
      const per = (n: number) => fmt(n / r.steps!, 2);
      const arena =
        r.arenaAllocationsBefore === undefined
          ? '-'
          : `${r.arenaAllocationsBefore} -> ${r.arenaAllocationsAfter}`;
      return [
        r.model,
        r.contender,
        per(c.createBuffer),
        per(c.createBindGroup),
        per(c.submit),
        per(c.writeBuffer),
        per(c.dispatch),
        arena,
      ];
    });
  return table(
    [
      'model',
      'contender',
      'createBuffer/step',
      'createBindGroup/step',
      'submit/step',
      'writeBuffer/step',
      'dispatch/step',
      'arena allocations',
    ],
    rows,
  );
}

export function kernelTable(k: KernelReport): string {
  const rows = k.rows.map((r) => [
    r.label,
    r.kind,
    fmt(r.ms, 3),
    fmt(r.flops / 1e6, 2),
    fmt(r.gflops, 2),
    `${fmt(r.share * 100, 1)}%`,
    fmt(r.matmulGflops, 2),
    r.ofMatmul === null ? '-' : `${fmt(r.ofMatmul * 100, 0)}%`,
  ]);
  return table(
    ['kernel', 'kind', 'ms', 'MFLOP', 'GFLOP/s', 'share of step', 'matmul GFLOP/s', 'of matmul'],
    rows,
  );
}

/**
 * Every contender starts from the same weights on the same first batch, so their first-step losses must agree
 * (to float32 rounding) unless the model has dropout, whose masks differ between libraries.
 */
export function firstLossAgreement(results: PairResult[]): string[] {
  const lines: string[] = [];
  for (const model of [...new Set(results.map((r) => r.model))]) {
    const ok = results.filter((r) => r.model === model && r.status === 'ok' && Number.isFinite(r.lossFirst));
    if (ok.length < 2) continue;
    const losses = ok.map((r) => r.lossFirst!);
    const spread = Math.max(...losses) - Math.min(...losses);
    const dropout = BENCH_MODELS[model].build().layers.some((l) => l.layer.className === 'Dropout');
    const verdict =
      spread < 1e-3 ? 'agree' : dropout ? 'differ (dropout masks differ by library)' : 'DISAGREE';
    lines.push(
      `${model}: first-step losses ${verdict}, spread ${spread.toExponential(1)} over ${ok.length} contenders`,
    );
  }
  return lines;
}
