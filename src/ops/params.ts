// Weights by Keras name (LayerBuffers.params), for the ops whose layers have more than kernel and bias.
import type { LayerBuffers } from './types';

/** io.params[name], with an error that names the layer when the trainer did not provide it. */
export function param(
  io: LayerBuffers,
  layer: string,
  name: string,
): { value: GPUBuffer; grad: GPUBuffer | null } {
  const p = io.params?.[name];
  if (!p)
    throw new Error(`${layer}: the '${name}' weight has no GPU buffer; the trainer must fill io.params`);
  return p;
}
