// A dataset's normalization as a per-channel affine map of raw 0..255 values: value = raw * scale[c] + shift[c].
// scale255: raw / 255. meanstd: (raw / 255 - mean[c]) / std[c], with one mean / std for all channels or one per
// channel. The GPU gather (src/train/batch.ts) and the reference gather (src/reference/batch.ts) both read it.
import type { Normalization } from './types';

export function channelAffine(norm: Normalization, channels: number): { scale: number[]; shift: number[] } {
  const scale = new Array<number>(channels).fill(1 / 255);
  const shift = new Array<number>(channels).fill(0);
  if (norm.kind === 'scale255') return { scale, shift };
  for (let c = 0; c < channels; c++) {
    const pick = (values: number[], what: string): number => {
      if (values.length !== 1 && values.length !== channels) {
        throw new Error(`normalization: ${what} has ${values.length} values for ${channels} channels`);
      }
      return values.length === 1 ? values[0] : values[c];
    };
    const mean = pick(norm.mean, 'mean');
    const std = pick(norm.std, 'std');
    if (!(std > 0)) throw new Error(`normalization: std must be > 0, got ${std}`);
    scale[c] = 1 / (255 * std);
    shift[c] = -mean / std;
  }
  return { scale, shift };
}
