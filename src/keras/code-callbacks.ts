// fit(callbacks=[...]) from Python source: EarlyStopping, ReduceLROnPlateau and LearningRateScheduler with
// Keras 3's arguments and defaults. Other callbacks (ModelCheckpoint, TensorBoard, CSVLogger, custom ones) do
// not change the training and are left out with a warning; so is a schedule that cannot be read without
// running it (the rate then stays constant, and the warning says so).
import type { CallbackConfig } from '../model';
import { type ArgContext, bindArgs } from './args';
import { readSchedule, ScheduleError } from './code-schedule';
import { baseName, type CallValue, describe, type Value } from './python-values';

function warn(ctx: ArgContext, at: { from: number }, msg: string): void {
  let line = 1;
  for (let i = 0; i < at.from; i++) if (ctx.source.charCodeAt(i) === 10) line++;
  ctx.warnings.push(`line ${line}: ${msg}`);
}

const MODES = ['auto', 'min', 'max'] as const;

/** verbose=1 (or more): the callback says what it did in the fit log; Keras's default 0 is silent. */
function verbose(a: { int(name: string, min?: number): number | undefined }): { verbose?: number } {
  const v = a.int('verbose', 0) ?? 0;
  return v > 0 ? { verbose: v } : {};
}

function earlyStopping(call: CallValue, ctx: ArgContext): CallbackConfig {
  const a = bindArgs(
    'EarlyStopping',
    call,
    [
      'monitor',
      'min_delta',
      'patience',
      'verbose',
      'mode',
      'baseline',
      'restore_best_weights',
      'start_from_epoch',
    ],
    [],
    ctx,
  );
  const baseline = a.get('baseline');
  return {
    kind: 'EarlyStopping',
    monitor: a.str('monitor') ?? 'val_loss',
    min_delta: Math.abs(a.number('min_delta') ?? 0),
    patience: a.int('patience', 0) ?? 0,
    mode: (a.str('mode', MODES) ?? 'auto') as 'auto' | 'min' | 'max',
    restore_best_weights: a.bool('restore_best_weights') ?? false,
    ...(baseline && baseline.kind !== 'none' ? { baseline: a.number('baseline') } : {}),
    start_from_epoch: a.int('start_from_epoch', 0) ?? 0,
    ...verbose(a),
  };
}

function reduceLROnPlateau(call: CallValue, ctx: ArgContext): CallbackConfig {
  const a = bindArgs(
    'ReduceLROnPlateau',
    call,
    ['monitor', 'factor', 'patience', 'verbose', 'mode', 'min_delta', 'cooldown', 'min_lr'],
    ['epsilon'],
    ctx,
  );
  const factor = a.number('factor') ?? 0.1;
  const f = a.get('factor');
  if (f && !(factor > 0 && factor < 1)) {
    a.fail(f.at, `ReduceLROnPlateau: factor must be between 0 and 1 (it multiplies the rate), got ${factor}`);
  }
  return {
    kind: 'ReduceLROnPlateau',
    monitor: a.str('monitor') ?? 'val_loss',
    factor,
    patience: a.int('patience', 0) ?? 10,
    mode: (a.str('mode', MODES) ?? 'auto') as 'auto' | 'min' | 'max',
    // Keras 2 spelled min_delta `epsilon`.
    min_delta: a.number('min_delta') ?? a.number('epsilon') ?? 1e-4,
    cooldown: a.int('cooldown', 0) ?? 0,
    min_lr: a.number('min_lr') ?? 0,
    ...verbose(a),
  };
}

function scheduler(call: CallValue, ctx: ArgContext): CallbackConfig | null {
  const a = bindArgs('LearningRateScheduler', call, ['schedule', 'verbose'], [], ctx);
  const fn = a.get('schedule');
  if (!fn) {
    return a.fail(
      call.at,
      'LearningRateScheduler needs a schedule function, e.g. lambda epoch, lr: lr * 0.9',
    );
  }
  try {
    return { kind: 'LearningRateScheduler', ...readSchedule(fn, ctx.source), ...verbose(a) };
  } catch (e) {
    if (!(e instanceof ScheduleError)) throw e;
    warn(
      ctx,
      fn.at,
      `LearningRateScheduler(${describe(fn, ctx.source)}) is left out, so the learning rate stays constant: ` +
        `${e.message}. Paperweight reads a lambda or a def of (epoch, lr) made of numbers, epoch, lr, ` +
        'arithmetic, if/else and math functions, e.g. `lambda epoch, lr: lr * 0.9 if epoch >= 10 else lr`',
    );
    return null;
  }
}

/** The callbacks list of fit(); each one Paperweight honours becomes a CallbackConfig. */
export function readCallbacks(v: Value, ctx: ArgContext): CallbackConfig[] {
  const items = v.kind === 'seq' ? v.items : [v];
  const out: CallbackConfig[] = [];
  for (const item of items) {
    if (item.kind !== 'call') {
      warn(
        ctx,
        item.at,
        `callback ${describe(item, ctx.source)} cannot be read without running the code; left out`,
      );
      continue;
    }
    const cls = baseName(item.callee);
    if (cls === 'EarlyStopping') out.push(earlyStopping(item, ctx));
    else if (cls === 'ReduceLROnPlateau') out.push(reduceLROnPlateau(item, ctx));
    else if (cls === 'LearningRateScheduler') {
      const s = scheduler(item, ctx);
      if (s) out.push(s);
    } else {
      warn(
        ctx,
        item.at,
        `callback ${cls} is left out: Paperweight honours EarlyStopping, ReduceLROnPlateau and ` +
          'LearningRateScheduler (checkpoints and logs are in the page: export the weights, the fit log)',
      );
    }
  }
  return out;
}
