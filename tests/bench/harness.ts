// Times one model x contender pair in the page: backend start-up, time to first step, warm-up, then timed
// windows whose steps adapt to the warm-up step time; samples/s is the median over the windows.
import { initialWeights } from '../../src/model';
import type { Contender } from './contender';
import { Unsupported } from './contender';
import { diffCounts, snapshotCounts } from './counters';
import { benchData } from './data';
import { BENCH_MODELS } from './models';
import type { PairPlan, PairResult } from './types';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function timePair(
  plan: PairPlan,
  contender: Contender,
  log: (msg: string) => void,
): Promise<PairResult> {
  const model = BENCH_MODELS[plan.model];
  const base: PairResult = { model: plan.model, contender: plan.contender, status: 'ok', batch: model.batch };
  try {
    const data = await benchData(model, plan.distinctBatches, plan.seed);
    let t = performance.now();
    const adapter = await contender.init();
    const initMs = performance.now() - t;
    const built = model.build();
    const weights = initialWeights(built, plan.seed);

    t = performance.now();
    await contender.build(built, weights, data, plan.seed);
    const first = await contender.train(0, 1);
    const firstStepMs = performance.now() - t;
    log(`${plan.contender}: first step ${firstStepMs.toFixed(0)} ms, loss ${first[0]?.toFixed(4)}`);

    // Warm-up: also estimates the step time, which sizes the windows. One step when the first took long (it
    // includes compilation, so it says little about the steady state); none when it took the whole budget
    // (then the one timed window of one step is the first step after compilation).
    let cursor = 1;
    const budgetMs = plan.budgetSeconds * 1000;
    const warmup = firstStepMs > budgetMs ? 0 : firstStepMs > budgetMs / 3 ? 1 : plan.warmupSteps;
    let stepMs = firstStepMs;
    if (warmup > 0) {
      t = performance.now();
      await contender.train(cursor, warmup);
      stepMs = (performance.now() - t) / warmup;
      cursor += warmup;
    }
    const stepsPerWindow = Math.max(1, Math.round((plan.windowSeconds * 1000) / stepMs));
    const windows = Math.max(
      1,
      Math.min(plan.windows, Math.floor((plan.budgetSeconds * 1000) / (stepsPerWindow * stepMs))),
    );
    log(`${plan.contender}: ${stepMs.toFixed(0)} ms/step warm, ${windows} windows x ${stepsPerWindow} steps`);

    const allocBefore = contender.arenaAllocations?.();
    const countsBefore = snapshotCounts();
    const sps: number[] = [];
    let lastLosses: number[] = [];
    for (let w = 0; w < windows; w++) {
      t = performance.now();
      lastLosses = await contender.train(cursor, stepsPerWindow);
      const dt = (performance.now() - t) / 1000;
      cursor += stepsPerWindow;
      sps.push((stepsPerWindow * model.batch) / dt);
    }
    const counts = diffCounts(snapshotCounts(), countsBefore);
    const allocAfter = contender.arenaAllocations?.();
    const mem = await contender.memory();
    // fit's epoch covers every batch of the pool: only when that fits in the budget.
    let fitSamplesPerSec: number | undefined;
    if (contender.fitEpoch && plan.distinctBatches * stepMs < plan.budgetSeconds * 1000) {
      fitSamplesPerSec = (await contender.fitEpoch()).samplesPerSec;
      log(
        `${plan.contender}: fit epoch of ${plan.distinctBatches} batches, ${fitSamplesPerSec.toFixed(1)} samples/s`,
      );
    }
    const samplesPerSec = median(sps);
    const lossFirst = first[0];
    const lossLast = lastLosses.length ? mean(lastLosses) : Number.NaN;
    // Strictly lower: with one or two timed steps on a slow adapter a 2% drop is already a real one.
    const lossFell = Number.isFinite(lossFirst) && Number.isFinite(lossLast) && lossLast < lossFirst;
    await contender.dispose();
    return {
      ...base,
      adapter,
      initMs,
      firstStepMs,
      stepsPerWindow,
      windowSamplesPerSec: sps,
      samplesPerSec,
      msPerStep: (1000 * model.batch) / samplesPerSec,
      memoryBytes: mem.bytes,
      memoryNote: mem.note,
      lossFirst,
      lossLast,
      lossFell,
      counts,
      steps: windows * stepsPerWindow,
      arenaAllocationsBefore: allocBefore,
      arenaAllocationsAfter: allocAfter,
      fitSamplesPerSec,
    };
  } catch (e) {
    const note = e instanceof Error ? e.message : String(e);
    await contender.dispose().catch(() => {});
    return { ...base, status: e instanceof Unsupported ? 'unsupported' : 'error', note };
  }
}
