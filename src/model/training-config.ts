// Training settings as model.compile(...) and model.fit(...) state them; the Keras importer fills these and
// the trainer and the UI read them.
export type OptimizerName = 'sgd' | 'adam' | 'rmsprop';
export type LossName =
  | 'sparse_categorical_crossentropy'
  | 'categorical_crossentropy'
  | 'binary_crossentropy'
  | 'mean_squared_error';

/** Keras callbacks of fit(callbacks=[...]) that the trainer honours (src/train/callbacks.ts). */
export type CallbackConfig =
  | {
      kind: 'EarlyStopping';
      monitor: string;
      min_delta: number;
      patience: number;
      mode: 'min' | 'max' | 'auto';
      restore_best_weights: boolean;
      baseline?: number;
      start_from_epoch: number;
      /** Keras's verbose: 1 prints what the callback did in the fit log; 0 (the default) is silent. */
      verbose?: number;
    }
  | {
      kind: 'ReduceLROnPlateau';
      monitor: string;
      factor: number;
      patience: number;
      mode: 'min' | 'max' | 'auto';
      min_delta: number;
      cooldown: number;
      min_lr: number;
      verbose?: number;
    }
  | {
      kind: 'LearningRateScheduler';
      /** The schedule as an expression tree over `epoch` and `lr` (never Python run as code). */
      schedule: LrExpr;
      /** The Python source of the schedule, for messages and export. */
      source: string;
      verbose?: number;
    };

/** A learning-rate schedule read from Python: numbers, epoch, lr, arithmetic, comparisons, a few functions. */
export type LrExpr =
  | { op: 'num'; value: number }
  | { op: 'var'; name: 'epoch' | 'lr' }
  | { op: '+' | '-' | '*' | '/' | '//' | '%' | '**'; a: LrExpr; b: LrExpr }
  | { op: 'neg'; a: LrExpr }
  | { op: '<' | '<=' | '>' | '>=' | '==' | '!='; a: LrExpr; b: LrExpr }
  | { op: 'and' | 'or'; a: LrExpr; b: LrExpr }
  | { op: 'not'; a: LrExpr }
  | { op: 'if'; cond: LrExpr; yes: LrExpr; no: LrExpr }
  | { op: 'call'; fn: LrFunction; args: LrExpr[] };

export type LrFunction =
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'floor'
  | 'ceil'
  | 'abs'
  | 'cos'
  | 'sin'
  | 'min'
  | 'max'
  | 'pow'
  | 'trunc'
  | 'float';

export interface OptimizerConfig {
  name: OptimizerName;
  learning_rate: number;
  /** sgd */
  momentum?: number;
  nesterov?: boolean;
  /** adam */
  beta_1?: number;
  beta_2?: number;
  epsilon?: number;
  /** rmsprop */
  rho?: number;
  centered?: boolean;
}

export interface TrainingConfig {
  optimizer: OptimizerConfig;
  loss: LossName;
  /** The loss's from_logits (Keras's default false): true means the last layer is linear and emits logits. */
  from_logits?: boolean;
  metrics: string[];
  /** fit(callbacks=[...]) */
  callbacks?: CallbackConfig[];
  batch_size: number;
  epochs: number;
  validation_split: number;
}

/** Keras's default learning rates: SGD 0.01, Adam 0.001, RMSprop 0.001. */
export function defaultOptimizer(name: OptimizerName): OptimizerConfig {
  switch (name) {
    case 'sgd':
      return { name, learning_rate: 0.01, momentum: 0, nesterov: false };
    case 'adam':
      return { name, learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 };
    case 'rmsprop':
      return { name, learning_rate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false };
  }
}

export const DEFAULT_TRAINING: TrainingConfig = {
  optimizer: defaultOptimizer('adam'),
  loss: 'sparse_categorical_crossentropy',
  metrics: ['accuracy'],
  batch_size: 64,
  epochs: 5,
  validation_split: 0.1,
};
