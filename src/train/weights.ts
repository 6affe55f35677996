// Matching Keras-layout weights to the compiled parameters: by name when every name matches (`conv2d/kernel`),
// else by position when the shapes agree in order (Keras's set_weights takes a list; imported files may
// number their layers differently).
import type { NamedWeight } from '../model/weights';

export interface ParamShape {
  name: string;
  shape: number[];
  size: number;
}

const fmt = (s: readonly number[]) => `(${s.join(', ')})`;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The data of `given` in the order of `params`; throws naming the first weight that does not fit. */
export function matchWeights(params: readonly ParamShape[], given: readonly NamedWeight[]): Float32Array[] {
  const byName = new Map(given.map((w) => [w.name, w]));
  const named = params.every((p) => byName.has(p.name));
  const picked = named ? params.map((p) => byName.get(p.name)!) : [...given];
  if (!named && picked.length !== params.length) {
    const missing = params.find((p) => !byName.has(p.name))!;
    throw new Error(
      `the weights do not fit this model: it has ${params.length} weight arrays, ${given.length} were given, ` +
        `and '${missing.name}' is not among their names`,
    );
  }
  return params.map((p, i) => {
    const w = picked[i];
    if (!sameShape(w.shape, p.shape) || w.data.length !== p.size) {
      throw new Error(
        `weight '${w.name}' has shape ${fmt(w.shape)} (${w.data.length} values) but ${p.name} of this model ` +
          `needs ${fmt(p.shape)}; the weights belong to a different architecture`,
      );
    }
    for (let j = 0; j < w.data.length; j++) {
      if (!Number.isFinite(w.data[j])) {
        throw new Error(`weight '${w.name}' holds a non-finite value (${w.data[j]}) at index ${j}`);
      }
    }
    return w.data;
  });
}
