// How the model's output meets its loss: which loss kernel runs, which output activation it fuses (softmax or
// sigmoid: the last layer then emits logits), how the dataset's sparse labels become targets, and which
// accuracy Keras reports for the pair. A pair that cannot learn is refused with the reason and the fix; no
// pair is silently changed into another.
import type { ActivationName } from '../model/activations';
import type { BuiltLayer, BuiltModel } from '../model/sequential';
import type { LossName, TrainingConfig } from '../model/training-config';

export type LossKernel = 'softmax_xent' | 'sigmoid_bce' | 'mse';
export type AccuracyName = 'sparse_categorical_accuracy' | 'categorical_accuracy' | 'binary_accuracy';

export interface OutputPlan {
  loss: LossName;
  kernel: LossKernel;
  /** Units of the last layer. */
  units: number;
  /** Columns of the class-score buffer and the dataset's label range: 2 for one unit, else units. */
  classes: number;
  /** The output activation computed inside the loss, from the last layer's logits. */
  fused: 'softmax' | 'sigmoid' | null;
  /** categorical_crossentropy: the sparse labels are one-hot encoded on the GPU first (to_categorical). */
  oneHot: boolean;
  /** What Keras's metrics=['accuracy'] means for this loss and output. */
  accuracy: AccuracyName;
}

/** The activation the last layer ends with, or null when the layer is not one that applies one. */
function activationOf(l: BuiltLayer): ActivationName | null {
  const { className, config } = l.layer as { className: string; config: { activation?: ActivationName } };
  if (className === 'Dense' || className === 'Conv2D' || className === 'Activation') {
    return config.activation ?? 'linear';
  }
  if (className === 'Softmax') return 'softmax';
  return null;
}

export function planOutput(
  model: BuiltModel,
  config: Pick<TrainingConfig, 'loss' | 'from_logits'>,
): OutputPlan {
  const { loss } = config;
  const fromLogits = config.from_logits ?? false;
  const last = model.layers[model.layers.length - 1];
  const name = last.layer.config.name;
  if (last.outputShape.length !== 1) {
    throw new Error(
      `the last layer ${name} outputs (${last.outputShape.join(', ')}), but ${loss} needs one score per class; ` +
        `end the model with Flatten() and Dense(classes, activation='softmax')`,
    );
  }
  const units = last.outputShape[0];
  const act = activationOf(last);
  const shown = act ?? last.layer.className;
  const plan = (p: Omit<OutputPlan, 'loss' | 'units' | 'classes'>): OutputPlan => ({
    ...p,
    loss,
    units,
    classes: units === 1 ? 2 : units,
  });
  const logitsHint = `${loss} with from_logits=True`;
  switch (loss) {
    case 'sparse_categorical_crossentropy':
    case 'categorical_crossentropy': {
      if (units === 1) {
        throw new Error(
          `${name} has one unit, and ${loss} over one class cannot learn (a softmax of one score is always 1); ` +
            `for two classes use Dense(1, activation='sigmoid') with loss='binary_crossentropy', or ` +
            `Dense(2, activation='softmax')`,
        );
      }
      const accuracy =
        loss === 'categorical_crossentropy' ? 'categorical_accuracy' : 'sparse_categorical_accuracy';
      const oneHot = loss === 'categorical_crossentropy';
      if (act === 'softmax') {
        if (fromLogits) {
          throw new Error(
            `${name} ends with a softmax, so its outputs are probabilities, not logits; remove from_logits=True ` +
              `(or make the last layer linear to keep it)`,
          );
        }
        return plan({ kernel: 'softmax_xent', fused: 'softmax', oneHot, accuracy });
      }
      if (act === 'linear') {
        if (!fromLogits) {
          throw new Error(
            `${name} is linear, so it outputs logits, but ${loss} expects probabilities (from_logits=False); ` +
              `use activation='softmax' on it, or ${logitsHint}`,
          );
        }
        return plan({ kernel: 'softmax_xent', fused: 'softmax', oneHot, accuracy });
      }
      throw new Error(
        `${name} has activation '${shown}', but ${loss} needs class probabilities that sum to one; ` +
          `use activation='softmax' on the last layer` +
          (act === 'sigmoid' ? ", or loss='binary_crossentropy' for independent sigmoid outputs" : ''),
      );
    }
    case 'binary_crossentropy': {
      const accuracy = 'binary_accuracy';
      if (act === 'sigmoid') {
        if (fromLogits) {
          throw new Error(
            `${name} ends with a sigmoid, so its outputs are probabilities, not logits; remove from_logits=True`,
          );
        }
        return plan({ kernel: 'sigmoid_bce', fused: 'sigmoid', oneHot: false, accuracy });
      }
      if (act === 'linear') {
        if (!fromLogits) {
          throw new Error(
            `${name} is linear, so it outputs logits, but binary_crossentropy expects probabilities ` +
              `(from_logits=False); use activation='sigmoid' on it, or ${logitsHint}`,
          );
        }
        return plan({ kernel: 'sigmoid_bce', fused: 'sigmoid', oneHot: false, accuracy });
      }
      throw new Error(
        `${name} has activation '${shown}', but binary_crossentropy needs one probability per unit; use ` +
          `activation='sigmoid'` +
          (act === 'softmax' && units === 1
            ? ' (a softmax of one unit is always 1, so nothing could be learned)'
            : act === 'softmax'
              ? ", or loss='categorical_crossentropy' with the softmax"
              : ''),
      );
    }
    case 'mean_squared_error': {
      if (act === null) {
        throw new Error(
          `the last layer ${name} is a ${last.layer.className}; end the model with a Dense layer for ` +
            'mean_squared_error',
        );
      }
      return plan({
        kernel: 'mse',
        fused: null,
        oneHot: false,
        accuracy: units === 1 ? 'binary_accuracy' : 'categorical_accuracy',
      });
    }
  }
}
