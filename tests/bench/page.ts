// The bench page: the Node runner (run.ts) opens it once per model x contender pair, so every pair starts
// from a fresh page (no leftover GPU memory, compiled kernels or backend state from the previous one).
import type { Contender } from './contender';
import { installGpuCounters } from './counters';
import { timePair } from './harness';
import type { KernelReport, ModelId, PairPlan, PairResult } from './types';

installGpuCounters();

function log(msg: string): void {
  console.log(`[bench] ${msg}`);
}

async function makeContender(id: PairPlan['contender']): Promise<Contender> {
  switch (id) {
    case 'paperweight':
      return new (await import('./contenders/paperweight')).PaperweightContender();
    case 'tfjs-webgpu':
    case 'tfjs-webgl':
    case 'tfjs-cpu':
    case 'tfjs-wasm': {
      const { TfjsContender } = await import('./contenders/tfjs');
      return new TfjsContender(id.slice(5) as 'webgpu' | 'webgl' | 'cpu' | 'wasm');
    }
    case 'jax-webgpu':
      return new (await import('./contenders/jax')).JaxContender();
  }
}

async function runPair(plan: PairPlan): Promise<PairResult> {
  let contender: Contender;
  try {
    contender = await makeContender(plan.contender);
  } catch (e) {
    const note = `could not load the contender: ${e instanceof Error ? e.message : String(e)}`;
    return { model: plan.model, contender: plan.contender, status: 'error', note, batch: 0 };
  }
  return timePair(plan, contender, log);
}

async function runKernels(model: ModelId, repeats: number): Promise<KernelReport> {
  const { kernelReport } = await import('./kernels');
  return kernelReport(model, repeats, log);
}

async function adapterInfo(): Promise<{ name: string; features: string[] } | null> {
  const adapter = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const i = adapter.info;
  const name = [i.vendor, i.architecture, i.device, i.description].filter((s) => s).join(' ');
  return { name, features: [...adapter.features].sort() };
}

const api = { runPair, runKernels, adapterInfo };
export type BenchApi = typeof api;
(globalThis as unknown as { bench: BenchApi }).bench = api;
log('ready');
