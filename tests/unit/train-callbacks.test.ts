// The fit callbacks' Keras 3 rules, driven by hand-made epoch logs and a fake trainer (no GPU).
import { describe, expect, it } from 'vitest';
import type { CallbackConfig } from '../../src/model/training-config';
import type { NamedWeight } from '../../src/model/weights';
import { FitCallbacks } from '../../src/train/callbacks';

function host(lr = 0.1) {
  const h = {
    lr,
    weights: 0,
    restored: [] as number[],
    getLearningRate: () => h.lr,
    setLearningRate: (v: number) => {
      h.lr = v;
    },
    // The "weights" are the epoch they were read at, so restoring shows which epoch came back.
    readWeights: async (): Promise<NamedWeight[]> => [
      { name: 'w', shape: [1], data: Float32Array.of(h.weights) },
    ],
    writeWeights: (w: NamedWeight[]) => {
      h.restored.push(w[0].data[0]);
    },
  };
  return h;
}

const early = (over: Partial<Extract<CallbackConfig, { kind: 'EarlyStopping' }>> = {}): CallbackConfig => ({
  kind: 'EarlyStopping',
  monitor: 'val_loss',
  min_delta: 0,
  patience: 0,
  mode: 'auto',
  restore_best_weights: false,
  start_from_epoch: 0,
  ...over,
});

/** Runs epochs with the monitored values until a callback stops; returns the epochs run. */
async function run(
  cb: FitCallbacks,
  h: ReturnType<typeof host>,
  key: string,
  values: number[],
): Promise<number> {
  let e = 0;
  for (; e < values.length; e++) {
    cb.epochBegin(e);
    h.weights = e;
    if (await cb.epochEnd(e, { loss: 1, [key]: values[e] })) {
      e++;
      break;
    }
  }
  cb.trainEnd();
  return e;
}

describe('EarlyStopping', () => {
  it('stops once the monitored loss has not improved by min_delta for `patience` epochs', async () => {
    const h = host();
    const cb = new FitCallbacks([early({ patience: 2, min_delta: 0.05 })], h);
    // 0.9 -> 0.8 improves; 0.78 and 0.77 are within min_delta of 0.8: the second of them stops the run.
    expect(await run(cb, h, 'val_loss', [0.9, 0.8, 0.78, 0.77, 0.5])).toBe(4);
    expect(cb.report.earlyStop).toEqual({
      epoch: 3,
      monitor: 'val_loss',
      best: 0.8,
      bestEpoch: 1,
      restored: false,
    });
    expect(h.restored).toEqual([]);
  });

  it('maximises accuracy in auto mode and restores the best epoch weights', async () => {
    const h = host();
    const cb = new FitCallbacks(
      [early({ monitor: 'val_accuracy', patience: 1, restore_best_weights: true })],
      h,
    );
    expect(await run(cb, h, 'val_accuracy', [0.5, 0.7, 0.6, 0.9])).toBe(3);
    expect(cb.report.earlyStop?.bestEpoch).toBe(1);
    expect(h.restored).toEqual([1]);
  });

  it('never stops in epoch 0, waits for start_from_epoch, and needs the baseline beaten to reset', async () => {
    const h = host();
    expect(await run(new FitCallbacks([early()], h), h, 'val_loss', [1, 2])).toBe(2);
    const late = new FitCallbacks([early({ start_from_epoch: 2 })], h);
    expect(await run(late, h, 'val_loss', [1, 2, 3, 4])).toBe(4);
    // Never under the baseline 0.5, so improvements do not reset the wait (though they never stop the run):
    // the first flat epoch stops it. Without the baseline the wait restarts at 0.8 and one more epoch runs.
    const base = new FitCallbacks([early({ patience: 2, baseline: 0.5 })], h);
    expect(await run(base, h, 'val_loss', [0.9, 0.8, 0.85, 0.85])).toBe(3);
    const free = new FitCallbacks([early({ patience: 2 })], h);
    expect(await run(free, h, 'val_loss', [0.9, 0.8, 0.85, 0.85])).toBe(4);
  });

  it('does nothing, and says why, when the monitored value is never logged', async () => {
    const h = host();
    const cb = new FitCallbacks([early()], h);
    expect(await run(cb, h, 'loss_only', [1, 2, 3])).toBe(3);
    expect(cb.report.notes[0]).toMatch(/monitors 'val_loss', which is not logged.*validation_split > 0/);
    // With validation logged under other names (metrics= spelled 'accuracy', the monitor 'val_acc'), the fix
    // is the monitor's name, not validation data.
    const named = new FitCallbacks([early({ monitor: 'val_acc' })], h);
    expect(await run(named, h, 'val_accuracy', [0.5, 0.6, 0.7])).toBe(3);
    expect(named.report.notes).toEqual([
      "EarlyStopping monitors 'val_acc', which is not logged (logged: loss, val_accuracy); it did nothing. " +
        'Monitor one of those.',
    ]);
  });
});

describe('ReduceLROnPlateau and LearningRateScheduler', () => {
  const plateau = (over = {}): CallbackConfig => ({
    kind: 'ReduceLROnPlateau',
    monitor: 'val_loss',
    factor: 0.5,
    patience: 2,
    mode: 'auto',
    min_delta: 1e-4,
    cooldown: 1,
    min_lr: 0.02,
    ...over,
  });

  it('multiplies the rate by factor after `patience` flat epochs, honours cooldown and min_lr', async () => {
    const h = host(0.1);
    const cb = new FitCallbacks([plateau()], h);
    const lrs: number[] = [];
    for (const [e, v] of [1, 1, 1, 1, 1, 1, 1, 1].entries()) {
      await cb.epochEnd(e, { val_loss: v });
      lrs.push(h.lr);
    }
    // Keras's order: epoch 0 sets best; 1, 2 wait -> halve at 2; epoch 3 ends the cooldown and waits once
    // (the cooldown counter is spent before the wait is counted); 4 halves; 5 likewise; 6 cuts to the floor
    // min_lr = 0.02 (not 0.0125), and at the floor no cut happens any more.
    expect(lrs).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02]);
    await cb.epochEnd(8, { val_loss: 1 });
    expect(h.lr).toBe(0.02);
    const noCooldown = new FitCallbacks([plateau({ cooldown: 0, patience: 1 })], host(0.1));
    const h2 = host(0.1);
    const quick = new FitCallbacks([plateau({ cooldown: 0, patience: 1, min_lr: 0 })], h2);
    for (const [e, v] of [3, 2, 2, 1.5, 1.5].entries()) await quick.epochEnd(e, { val_loss: v });
    // Improvements at 1 and 3 reset the wait; flat epochs 2 and 4 each cut.
    expect(h2.lr).toBeCloseTo(0.025, 12);
    expect(noCooldown.changesLearningRate).toBe(true);
    expect(() => new FitCallbacks([plateau({ factor: 1 })], h)).toThrow(/factor must be < 1/);
  });

  it('sets lr = schedule(epoch, lr) before each epoch and refuses a non-positive rate', () => {
    const h = host(0.1);
    const cb = new FitCallbacks(
      [
        {
          kind: 'LearningRateScheduler',
          source: 'lambda epoch, lr: lr * 0.5 if epoch > 0 else lr',
          schedule: {
            op: 'if',
            cond: { op: '>', a: { op: 'var', name: 'epoch' }, b: { op: 'num', value: 0 } },
            yes: { op: '*', a: { op: 'var', name: 'lr' }, b: { op: 'num', value: 0.5 } },
            no: { op: 'var', name: 'lr' },
          },
        },
      ],
      h,
    );
    cb.epochBegin(0);
    expect(h.lr).toBe(0.1);
    cb.epochBegin(1);
    cb.epochBegin(2);
    expect(h.lr).toBeCloseTo(0.025, 12);
    const bad = new FitCallbacks(
      [{ kind: 'LearningRateScheduler', source: 'lambda e: e - 1', schedule: { op: 'num', value: 0 } }],
      h,
    );
    expect(() => bad.epochBegin(0)).toThrow(/gave 0 at epoch 0; it must return a positive learning rate/);
  });
});
