// Activation names as Keras spells them. 'softmax' on the last layer is fused with the loss in training.
import { memberOf } from './member-of';

export const ACTIVATIONS = [
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'softmax',
  'elu',
  'leaky_relu',
  'relu6',
  'selu',
  'softplus',
  'swish',
  'gelu',
] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export const isActivation = memberOf(ACTIVATIONS);

/** Keras writes `activation=None` for linear; both spellings are accepted. */
export function parseActivation(name: string | null | undefined, where: string): ActivationName {
  if (name === null || name === undefined || name === 'None') return 'linear';
  if (isActivation(name)) return name;
  throw new Error(
    `${where}: activation '${name}' is not supported; use one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}`,
  );
}
