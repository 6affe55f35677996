// Initial weights for a built model, Keras layout and Keras names (`conv2d/kernel`), from a seed.
import { initialize } from './initializers';
import { Rng } from './random';
import type { BuiltModel } from './sequential';

export interface NamedWeight {
  /** Keras weight name: `${layer}/${param}`, e.g. 'conv2d/kernel'. */
  name: string;
  shape: number[];
  data: Float32Array;
}

export function initialWeights(model: BuiltModel, seed = 42): NamedWeight[] {
  const rng = new Rng(seed);
  const out: NamedWeight[] = [];
  for (const l of model.layers) {
    for (const p of l.params) {
      out.push({
        name: `${l.layer.config.name}/${p.name}`,
        shape: [...p.shape],
        data: initialize(p.initializer, p.shape, rng),
      });
    }
  }
  return out;
}
