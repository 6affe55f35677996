// Training settings as model.compile(...) and model.fit(...) state them; the Keras importer fills these and
// the trainer and the UI read them.
export type OptimizerName = 'sgd' | 'adam' | 'rmsprop';
export type LossName = 'sparse_categorical_crossentropy' | 'categorical_crossentropy';

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
  metrics: string[];
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
