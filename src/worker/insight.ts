// What the network learned, from a read of its weights: each layer's weight norm and how far the weights
// moved since the previous read (the optimizer's accumulated updates), and the first layer's kernel.
import type { NamedWeight } from '../model';

export interface LayerNorm {
  layer: string;
  /** L2 norm of all the layer's trainable weights (kernel and bias). */
  weight: number;
  /** L2 norm of the change since the previous read, or null on the first read. */
  update: number | null;
}

export interface Insight {
  norms: LayerNorm[];
  /** The first layer's kernel ([kh, kw, in, out] or [in, out]), or null when it has none. */
  firstKernel: { layer: string; shape: number[]; data: Float32Array } | null;
}

const layerOf = (name: string) => name.slice(0, Math.max(0, name.lastIndexOf('/'))) || name;

/** Norms per layer in model order; `previous` holds the last read's values by weight name. */
export function insightOf(weights: NamedWeight[], previous: Map<string, Float32Array> | null): Insight {
  const order: string[] = [];
  const sums = new Map<string, { w: number; d: number; hasPrev: boolean }>();
  for (const w of weights) {
    const layer = layerOf(w.name);
    let s = sums.get(layer);
    if (!s) {
      s = { w: 0, d: 0, hasPrev: false };
      sums.set(layer, s);
      order.push(layer);
    }
    const prev = previous?.get(w.name);
    const same = prev !== undefined && prev.length === w.data.length;
    if (same) s.hasPrev = true;
    for (let i = 0; i < w.data.length; i++) {
      const v = w.data[i];
      s.w += v * v;
      if (same) {
        const d = v - prev[i];
        s.d += d * d;
      }
    }
  }
  const kernel = weights.find((w) => w.name.endsWith('/kernel')) ?? null;
  return {
    norms: order.map((layer) => {
      const s = sums.get(layer)!;
      return { layer, weight: Math.sqrt(s.w), update: s.hasPrev ? Math.sqrt(s.d) : null };
    }),
    firstKernel: kernel
      ? { layer: layerOf(kernel.name), shape: kernel.shape, data: kernel.data.slice() }
      : null,
  };
}

/** The values to compare the next read with. */
export const snapshotOf = (weights: NamedWeight[]) => new Map(weights.map((w) => [w.name, w.data.slice()]));
