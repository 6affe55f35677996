// Soak: 5,000 training steps of a small model in Node + Dawn, checking that nothing grows after the first
// epoch: GPU memory in the buffer arena (bytes and createBuffer calls) and the JS heap. Not part of
// `npm test` (it takes minutes on SwiftShader); run with
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json node --expose-gc --import tsx tests/bench/soak.ts [steps] Prints one line per epoch and a JSON summary.
// The engine loads its WGSL through Vite's import.meta.glob, so the run itself goes through Vite's SSR loader:
// started by tsx, this file loads itself again inside a Vite server and calls soak() there.
import type { GpuContext } from '../../src/gpu/context';

const STEPS = Number(process.argv[2] ?? 5000);
const BATCH = 32;
const TRAIN = 1600; // 50 steps per epoch
const gc = (globalThis as { gc?: () => void }).gc;

interface Sample {
  epoch: number;
  steps: number;
  arenaBytes: number;
  allocations: number;
  heapMB: number;
  loss: number;
  seconds: number;
}

export async function soak(): Promise<boolean> {
  const { createContext } = await import('../../src/gpu/context');
  const { Dense, Flatten } = await import('../../src/model/factories');
  const { Sequential } = await import('../../src/model/sequential');
  const { DEFAULT_TRAINING } = await import('../../src/model/training-config');
  const { Trainer } = await import('../../src/train');
  const { mnistSubset } = await import('../gpu/train-data');
  const { nodeGpu } = await import('../helpers/node-gpu');
  const { device, adapterName } = await nodeGpu();
  const ctx: GpuContext = createContext(device);
  const model = new Sequential(
    [Flatten(), Dense({ units: 32, activation: 'relu' }), Dense({ units: 10, activation: 'softmax' })],
    'soak_mlp',
    [28, 28, 1],
  ).build();
  const t = await Trainer.create(
    ctx,
    model,
    {
      ...DEFAULT_TRAINING,
      optimizer: { name: 'adam', learning_rate: 0.002 },
      batch_size: BATCH,
      validation_split: 0,
    },
    { seed: 5 },
  );
  const test = mnistSubset(256, 0, 't10k');
  t.setDataset({
    height: 28,
    width: 28,
    channels: 1,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    normalization: { kind: 'scale255' },
    train: mnistSubset(TRAIN),
    val: test,
    test,
  });
  const perEpoch = Math.ceil(TRAIN / BATCH);
  const epochs = Math.ceil(STEPS / perEpoch);
  const samples: Sample[] = [];
  const t0 = performance.now();
  const heap = () => {
    gc?.();
    return process.memoryUsage().heapUsed / 2 ** 20;
  };
  console.log(
    `soak: ${adapterName}; ${STEPS} steps = ${epochs} epochs of ${perEpoch}; gc ${gc ? 'on' : 'off'}`,
  );
  await t.fit({
    epochs,
    callbacks: {
      onEpochEnd: (e) => {
        const s: Sample = {
          epoch: e.epoch + 1,
          steps: t.stepsDone,
          arenaBytes: ctx.arena.bytesInUse,
          allocations: ctx.arena.allocations,
          heapMB: +heap().toFixed(2),
          loss: +e.loss.toFixed(4),
          seconds: +((performance.now() - t0) / 1000).toFixed(1),
        };
        samples.push(s);
        if (s.epoch === 1 || s.epoch % 10 === 0 || s.epoch === epochs) console.log(JSON.stringify(s));
      },
    },
  });
  const first = samples[0];
  const last = samples[samples.length - 1];
  const afterFirst = samples.slice(1);
  const heaps = afterFirst.map((s) => s.heapMB);
  const summary = {
    steps: t.stepsDone,
    epochs: samples.length,
    seconds: last.seconds,
    arenaBytes: {
      afterEpoch1: first.arenaBytes,
      end: last.arenaBytes,
      max: Math.max(...samples.map((s) => s.arenaBytes)),
    },
    allocations: { afterEpoch1: first.allocations, end: last.allocations },
    heapMB: {
      afterEpoch1: first.heapMB,
      end: last.heapMB,
      min: Math.min(...heaps),
      max: Math.max(...heaps),
    },
    loss: { epoch1: first.loss, end: last.loss },
    flat:
      last.arenaBytes === first.arenaBytes &&
      last.allocations === first.allocations &&
      // A leak of even 100 bytes per step would add ~0.5 MB over 5,000 steps.
      Math.max(...heaps) - Math.min(...heaps) < 2,
  };
  console.log(JSON.stringify(summary, null, 2));
  t.destroy();
  return summary.flat;
}

async function main(): Promise<void> {
  const { createServer } = await import('vite');
  const server = await createServer({
    configFile: false,
    root: new URL('../..', import.meta.url).pathname,
    logLevel: 'error',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, ws: false },
  });
  try {
    const mod = (await server.ssrLoadModule('/tests/bench/soak.ts')) as { soak: () => Promise<boolean> };
    if (!(await mod.soak())) process.exitCode = 1;
  } finally {
    await server.close();
  }
}

// Under tsx (no Vite env) start the Vite loader; inside it, only export soak().
if (!(import.meta as { env?: unknown }).env) {
  main().then(
    () => process.exit(),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
