// model.compile(...) and model.fit(...) from Python source to Paperweight's training settings. Settings the
// trainer does not have are warned about and left at their defaults: the model is what matters here.
import {
  defaultOptimizer,
  type LossName,
  type OptimizerConfig,
  type OptimizerName,
  type TrainingConfig,
} from '../model';
import { type ArgContext, type BoundArgs, bindArgs } from './args';
import { readCallbacks } from './code-callbacks';
import { baseName, type CallValue, describe, type Value } from './python-values';

const OPTIMIZERS: Record<string, OptimizerName> = { adam: 'adam', sgd: 'sgd', rmsprop: 'rmsprop' };

// Keras's optimizer signatures (positional order), Keras 3 names first.
const OPTIMIZER_PARAMS: Record<OptimizerName, string[]> = {
  sgd: ['learning_rate', 'momentum', 'nesterov'],
  adam: ['learning_rate', 'beta_1', 'beta_2', 'epsilon', 'amsgrad'],
  rmsprop: ['learning_rate', 'rho', 'momentum', 'epsilon', 'centered'],
};
const OPTIMIZER_IGNORED = [
  'name',
  'weight_decay',
  'clipnorm',
  'clipvalue',
  'global_clipnorm',
  'use_ema',
  'ema_momentum',
  'ema_overwrite_frequency',
  'loss_scale_factor',
  'gradient_accumulation_steps',
  'decay',
  'lr',
];

function warnAt(ctx: ArgContext, v: { at: { from: number } }, msg: string): void {
  let line = 1;
  for (let i = 0; i < v.at.from; i++) if (ctx.source.charCodeAt(i) === 10) line++;
  ctx.warnings.push(`line ${line}: ${msg}`);
}

export function optimizerOf(v: Value, ctx: ArgContext): OptimizerConfig | null {
  if (v.kind === 'str') {
    const name = OPTIMIZERS[v.value.toLowerCase()];
    if (name) return defaultOptimizer(name);
    warnAt(ctx, v, `optimizer '${v.value}' is not supported (use 'adam', 'sgd' or 'rmsprop'); using Adam`);
    return null;
  }
  if (v.kind !== 'call') {
    warnAt(ctx, v, `cannot read optimizer=${describe(v, ctx.source)} without running the code; using Adam`);
    return null;
  }
  const cls = baseName(v.callee);
  const name = OPTIMIZERS[cls.toLowerCase()];
  if (!name) {
    warnAt(ctx, v, `optimizer ${cls} is not supported (use Adam, SGD or RMSprop); using Adam`);
    return null;
  }
  const params = OPTIMIZER_PARAMS[name];
  const a = bindArgs(cls, v, params, OPTIMIZER_IGNORED, ctx);
  const opt = defaultOptimizer(name);
  // Keras 2's lr= is the old spelling of learning_rate.
  const lr = a.number('learning_rate') ?? a.number('lr');
  if (lr !== undefined) opt.learning_rate = lr;
  for (const p of params) {
    if (p === 'learning_rate') continue;
    const val = a.get(p);
    if (!val) continue;
    if (p === 'amsgrad') {
      if (a.bool(p)) a.warn(val.at, `${cls}: amsgrad=True is ignored (plain Adam is used)`);
    } else if (p === 'nesterov' || p === 'centered') {
      opt[p] = a.bool(p);
    } else {
      (opt as unknown as Record<string, number>)[p] = a.number(p) as number;
    }
  }
  for (const p of OPTIMIZER_IGNORED)
    if (p !== 'lr' && p !== 'name') a.ignore(p, "not in Paperweight's optimizers");
  return opt;
}

const LOSSES: Record<string, LossName> = {
  sparse_categorical_crossentropy: 'sparse_categorical_crossentropy',
  categorical_crossentropy: 'categorical_crossentropy',
  binary_crossentropy: 'binary_crossentropy',
  mean_squared_error: 'mean_squared_error',
  mse: 'mean_squared_error',
};

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** loss='name', loss=keras.losses.name or loss=keras.losses.Class(from_logits=...). */
function lossOf(v: Value, ctx: ArgContext): { loss: LossName; fromLogits?: boolean } | null {
  let name: string | null = null;
  let fromLogits: boolean | undefined;
  if (v.kind === 'str') name = v.value;
  else if (v.kind === 'ref') name = baseName(v.name);
  else if (v.kind === 'call') {
    name = snake(baseName(v.callee));
    const a = bindArgs(
      baseName(v.callee),
      v,
      ['from_logits'],
      ['reduction', 'name', 'label_smoothing', 'axis', 'ignore_class', 'dtype'],
      ctx,
    );
    fromLogits = a.bool('from_logits');
    a.requireDefault(
      'label_smoothing',
      (x) => x.kind === 'num' && x.value === 0,
      'Paperweight has no label smoothing; remove it',
    );
    a.requireDefault('ignore_class', (x) => x.kind === 'none', 'Paperweight has no ignored class; remove it');
  }
  const loss = name === null ? undefined : LOSSES[name.toLowerCase()];
  if (loss) return { loss, fromLogits };
  warnAt(
    ctx,
    v,
    `loss ${describe(v, ctx.source)} is not supported (use 'sparse_categorical_crossentropy', ` +
      `'categorical_crossentropy', 'binary_crossentropy' or 'mean_squared_error'); using ` +
      'sparse_categorical_crossentropy',
  );
  return null;
}

/** The metrics Paperweight computes: accuracy under its Keras names. */
const ACCURACY = [
  'accuracy',
  'acc',
  'sparse_categorical_accuracy',
  'categorical_accuracy',
  'binary_accuracy',
];

function metricName(v: Value, ctx: ArgContext): string | null {
  let name: string | null = null;
  if (v.kind === 'str') name = v.value === 'acc' ? 'accuracy' : v.value;
  else if (v.kind === 'ref') name = baseName(v.name);
  else if (v.kind === 'call') name = snake(baseName(v.callee));
  if (name !== null && ACCURACY.includes(name)) return name;
  warnAt(
    ctx,
    v,
    `metric ${describe(v, ctx.source)} is not computed: Paperweight reports the loss and accuracy; it is left out`,
  );
  return null;
}

export function readCompile(call: CallValue, training: Partial<TrainingConfig>, ctx: ArgContext): void {
  const a = bindArgs(
    'compile',
    call,
    [
      'optimizer',
      'loss',
      'loss_weights',
      'metrics',
      'weighted_metrics',
      'run_eagerly',
      'steps_per_execution',
      'jit_compile',
      'auto_scale_loss',
    ],
    ['sample_weight_mode', 'target_tensors', 'distribute', 'pss_evaluation_shards'],
    ctx,
  );
  const opt = a.get('optimizer');
  if (opt) {
    const o = optimizerOf(opt, ctx);
    if (o) training.optimizer = o;
  }
  const loss = a.get('loss');
  if (loss) {
    const l = lossOf(loss, ctx);
    if (l) {
      training.loss = l.loss;
      if (l.fromLogits !== undefined) training.from_logits = l.fromLogits;
    }
  }
  const metrics = a.get('metrics');
  if (metrics?.kind === 'seq') {
    training.metrics = metrics.items.map((m) => metricName(m, ctx)).filter((m): m is string => m !== null);
  } else if (metrics?.kind === 'none') {
    training.metrics = [];
  } else if (metrics) {
    const m = metricName(metrics, ctx);
    training.metrics = m ? [m] : [];
  }
}

export function readFit(call: CallValue, training: Partial<TrainingConfig>, ctx: ArgContext): void {
  const a: BoundArgs = bindArgs(
    'fit',
    call,
    [
      'x',
      'y',
      'batch_size',
      'epochs',
      'verbose',
      'callbacks',
      'validation_split',
      'validation_data',
      'shuffle',
    ],
    [
      'class_weight',
      'sample_weight',
      'initial_epoch',
      'steps_per_epoch',
      'validation_steps',
      'validation_batch_size',
      'validation_freq',
      'max_queue_size',
      'workers',
      'use_multiprocessing',
    ],
    ctx,
  );
  const soft = <T>(read: () => T | undefined): T | undefined => {
    // fit(batch_size=BATCH) where BATCH comes from elsewhere: keep the default rather than refuse the model.
    try {
      return read();
    } catch (e) {
      ctx.warnings.push(`${(e as Error).message}; using the default`);
      return undefined;
    }
  };
  const batch = soft(() => a.int('batch_size'));
  if (batch !== undefined) training.batch_size = batch;
  const epochs = soft(() => a.int('epochs'));
  if (epochs !== undefined) training.epochs = epochs;
  const split = soft(() => a.number('validation_split'));
  if (split !== undefined) {
    const v = a.get('validation_split');
    if (v && !(split >= 0 && split < 1))
      a.fail(v.at, `fit: validation_split must be in [0, 1), got ${split}`);
    training.validation_split = split;
  }
  const callbacks = a.get('callbacks');
  if (callbacks && callbacks.kind !== 'none') training.callbacks = readCallbacks(callbacks, ctx);
  const vd = a.get('validation_data');
  if (vd && vd.kind !== 'none' && split === undefined) {
    a.warn(vd.at, 'fit: validation_data is replaced by a validation split of the dataset you load');
  }
}
