// `npm run bench`: serves tests/bench/page.html with Vite, opens headless Chromium (WebGPU on SwiftShader, or
// the machine's GPU with --gpu), times every model x contender pair in a fresh page, one after another, and
// prints the tables and writes tests/bench/out/results.json. `--kernels` times Paperweight's kernels instead.
//   --gpu                  use the real GPU adapter (drops the SwiftShader flags)
//   --kernels              per-kernel timings of the LeNet at batch 64 (tests/bench/out/kernels.json)
//   --models a,b           subset of lenet5-mnist, convnetjs-cifar10, wide-cifar-cnn, resnet20-cifar10,
//                          mobilenet-cifar10
//   --contenders a,b       subset of paperweight, tfjs-webgpu, tfjs-webgl, tfjs-cpu, tfjs-wasm, jax-webgpu
//   --quick                shorter windows (a smoke run, numbers are rough)
//   --repeats N            --kernels: timed repeats per kernel (default 5)
//   --report               reprint the tables of the last run (tests/bench/out/results.json)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { BENCH_MODELS } from './models';
import type { BenchApi } from './page';
import { firstLossAgreement, kernelTable, resultsTable, steadyStateTable } from './report';
import {
  CONTENDER_IDS,
  type ContenderId,
  MODEL_IDS,
  type ModelId,
  type PairPlan,
  type PairResult,
} from './types';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const outDir = join(here, 'out');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
function list<T extends string>(name: string, all: T[]): T[] {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return all;
  const picked = argv[i + 1].split(',') as T[];
  const bad = picked.filter((p) => !all.includes(p));
  if (bad.length) throw new Error(`--${name}: unknown ${bad.join(', ')}; choose from ${all.join(', ')}`);
  return picked;
}

const useGpu = flag('gpu');
const quick = flag('quick');
const SWIFTSHADER = [
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-vulkan-surface',
];
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  ...(useGpu ? ['--enable-features=Vulkan'] : SWIFTSHADER),
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Lets the page ask for 'timestamp-query' (per-kernel timing); harmless for the throughput runs.
  ...(flag('kernels') ? ['--enable-dawn-features=allow_unsafe_apis'] : []),
];
// A real GPU does a step in milliseconds; SwiftShader in seconds: size the windows to match.
const TIMING = quick
  ? { warmupSteps: 1, windows: 2, windowSeconds: 1, budgetSeconds: 8 }
  : useGpu
    ? { warmupSteps: 5, windows: 5, windowSeconds: 2, budgetSeconds: 15 }
    : { warmupSteps: 2, windows: 3, windowSeconds: 4, budgetSeconds: 30 };
const PAIR_TIMEOUT_MS = 8 * 60_000;

async function startVite(): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'warn',
    clearScreen: false,
    server: { port: 5190, strictPort: false, host: '127.0.0.1', hmr: false },
    // Bundle the contenders' packages before the first page opens, so Vite never reloads a page mid-run.
    optimizeDeps: {
      entries: ['tests/bench/page.html'],
      include: [
        '@tensorflow/tfjs-core',
        '@tensorflow/tfjs-layers',
        '@tensorflow/tfjs-backend-cpu',
        '@tensorflow/tfjs-backend-webgl',
        '@tensorflow/tfjs-backend-webgpu',
        '@jax-js/jax',
      ],
    },
  });
  await server.listen();
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('Vite did not report a URL');
  return { server, url: new URL('tests/bench/page.html', base).href };
}

/** The page's last progress line, so a pair that times out still says how far it got. */
let lastLog = '';

async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.text().startsWith('[bench]')) {
      lastLog = m.text().slice(8);
      console.log(`  ${lastLog}`);
    } else if (m.type() === 'error' && !m.text().includes('404'))
      console.log(`  [page error] ${m.text().slice(0, 300)}`);
  });
  page.on('pageerror', (e) => console.log(`  [page exception] ${e.message.slice(0, 300)}`));
  await page.goto(url);
  await page.waitForFunction(() => 'bench' in globalThis, null, { timeout: 120_000 });
  return page;
}

type Win = { bench: BenchApi };

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

function printResults(
  header: { browser: string; adapter: string; date: string; machine: { cores: number } },
  results: PairResult[],
): void {
  console.log(
    `\n${header.browser}, adapter ${header.adapter}, ${header.machine.cores} cores, ${header.date}\n`,
  );
  console.log(resultsTable(results));
  console.log(`\n${firstLossAgreement(results).join('\n')}`);
  console.log('\nSteady state over the timed steps (WebGPU calls counted in the page):\n');
  console.log(steadyStateTable(results));
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  if (flag('report')) {
    // Reprints the tables of the last run without running anything.
    const last = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8'));
    printResults(last, last.results);
    return;
  }
  const { server, url } = await startVite();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS, headless: true });
  try {
    const probe = await openPage(browser, url);
    const adapter = await probe.evaluate(() => (globalThis as unknown as Win).bench.adapterInfo());
    if (!adapter) throw new Error('Chromium offers no WebGPU adapter with these flags');
    console.log(`Chromium ${browser.version()}, adapter: ${adapter.name || '(no name)'}`);
    const header = {
      date: new Date().toISOString(),
      command: `npm run bench -- ${argv.join(' ')}`.trim(),
      machine: machine(),
      browser: `Chromium ${browser.version()}`,
      flags: FLAGS,
      adapter: adapter.name,
      adapterFeatures: adapter.features,
      // Other processes on this machine's 2 cores slow every contender; the load says how much was going on.
      loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
    };

    if (flag('kernels')) {
      // The LeNet unless --models says otherwise.
      const kernelModels = argv.includes('--models')
        ? list<ModelId>('models', MODEL_IDS)
        : ['lenet5-mnist' as const];
      const i = argv.indexOf('--repeats');
      const repeats = i >= 0 ? Number(argv[i + 1]) : 5;
      const reports = [];
      for (const model of kernelModels) {
        const report = await withTimeout(
          probe.evaluate(([m, n]) => (globalThis as unknown as Win).bench.runKernels(m, n), [
            model,
            repeats,
          ] as const),
          PAIR_TIMEOUT_MS,
          `kernel timing of ${model}`,
        );
        reports.push(report);
        console.log(`\nPer-kernel timings, ${BENCH_MODELS[model].title} (${report.method}):\n`);
        console.log(kernelTable(report));
        console.log(
          `\nsum of kernels ${report.stepKernelMs.toFixed(1)} ms; one whole trainOnBatch step ${report.stepWallMs.toFixed(1)} ms`,
        );
        if (report.note) console.log(report.note);
        const ys = report.yardsticks.map((y) => `${y.entry} ${y.n}^3 ${y.gflops.toFixed(2)}`).join(', ');
        console.log(`yardstick matmuls (GFLOP/s): ${ys}`);
      }
      await probe.close();
      writeFileSync(join(outDir, 'kernels.json'), JSON.stringify({ ...header, kernels: reports }, null, 2));
      console.log(`\nwrote ${join(outDir, 'kernels.json')}`);
      return;
    }
    await probe.close();

    const models = list<ModelId>('models', MODEL_IDS);
    const contenders = list<ContenderId>('contenders', CONTENDER_IDS);
    const results: PairResult[] = [];
    for (const model of models) {
      for (const contender of contenders) {
        console.log(`\n${model} x ${contender}`);
        const plan: PairPlan = { model, contender, ...TIMING, distinctBatches: 8, seed: 42 };
        const t0 = Date.now();
        let r: PairResult;
        lastLog = '';
        const page = await openPage(browser, url);
        try {
          r = await withTimeout(
            page.evaluate((p) => (globalThis as unknown as Win).bench.runPair(p), plan),
            PAIR_TIMEOUT_MS,
            `${model} x ${contender}`,
          );
        } catch (e) {
          r = {
            model,
            contender,
            status: 'error',
            note: e instanceof Error ? e.message : String(e),
            batch: 0,
          };
        }
        await page.close().catch(() => {});
        const what =
          r.status === 'ok' ? `${r.samplesPerSec?.toFixed(1)} samples/s` : `${r.status}: ${r.note}`;
        console.log(`  -> ${what} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
        results.push(r);
        const end = { loadAverageAtEnd: os.loadavg().map((x) => Number(x.toFixed(2))) };
        writeFileSync(join(outDir, 'results.json'), JSON.stringify({ ...header, ...end, results }, null, 2));
      }
    }
    console.log(
      `\n${header.browser}, adapter ${header.adapter}, ${header.machine.cores} cores, ${header.date}\n`,
    );
    console.log(resultsTable(results));
    console.log(`\n${firstLossAgreement(results).join('\n')}`);
    console.log(
      `load average at start ${header.loadAverage.join(' ')}, at end ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    console.log('\nSteady state over the timed steps (WebGPU calls counted in the page):\n');
    console.log(steadyStateTable(results));
    console.log(`\nwrote ${join(outDir, 'results.json')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
