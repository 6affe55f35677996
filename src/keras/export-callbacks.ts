// fit(callbacks=[...]) as Keras 3 code: the callbacks the code import reads (code-callbacks.ts), arguments at
// their Keras default left out; a LearningRateScheduler's def goes before the fit call, a lambda inline.
import type { CallbackConfig } from '../model';

const num = (v: number) => String(v);

function args(c: CallbackConfig, defaults: Record<string, number | string | boolean>): string {
  const out: string[] = [];
  for (const [k, d] of Object.entries(defaults)) {
    const v = (c as unknown as Record<string, number | string | boolean | undefined>)[k];
    if (v === undefined || v === d) continue;
    out.push(
      `${k}=${typeof v === 'string' ? JSON.stringify(v) : typeof v === 'boolean' ? (v ? 'True' : 'False') : num(v)}`,
    );
  }
  return out.join(', ');
}

/** Lines to put before model.fit (schedule defs) and the callbacks=[...] argument, or null without callbacks. */
export function callbacksCode(callbacks: readonly CallbackConfig[] | undefined): {
  before: string[];
  arg: string | null;
} {
  if (!callbacks || callbacks.length === 0) return { before: [], arg: null };
  const before: string[] = [];
  const items = callbacks.map((c) => callbackCode(c, before));
  return { before, arg: `callbacks=[${items.join(', ')}]` };
}

function callbackCode(c: CallbackConfig, before: string[]): string {
  switch (c.kind) {
    case 'EarlyStopping': {
      const a = args(c, {
        monitor: 'val_loss',
        min_delta: 0,
        patience: 0,
        mode: 'auto',
        baseline: Number.NaN,
        restore_best_weights: false,
        start_from_epoch: 0,
        verbose: 0,
      });
      return `keras.callbacks.EarlyStopping(${a})`;
    }
    case 'ReduceLROnPlateau': {
      const a = args(c, {
        monitor: 'val_loss',
        factor: 0.1,
        patience: 10,
        mode: 'auto',
        min_delta: 1e-4,
        cooldown: 0,
        min_lr: 0,
        verbose: 0,
      });
      return `keras.callbacks.ReduceLROnPlateau(${a})`;
    }
    case 'LearningRateScheduler': {
      const src = c.source.trim();
      const def = /^def\s+([A-Za-z_]\w*)/.exec(src);
      const v = c.verbose ? `, verbose=${c.verbose}` : '';
      if (!def) return `keras.callbacks.LearningRateScheduler(${src}${v})`;
      before.push(src, '');
      return `keras.callbacks.LearningRateScheduler(${def[1]}${v})`;
    }
  }
}
