// The first layer's kernel as small RGBA images: one per output unit. A Conv2D kernel [kh, kw, in, out]
// gives kh x kw tiles (RGB when the input has 3 channels, else the mean over input channels); a Dense kernel
// [in, out] on an image input gives h x w tiles. Each tile is scaled by its own largest magnitude, zero grey.
export const MAX_TILES = 64;

export interface KernelTiles {
  height: number;
  width: number;
  /** One RGBA image per tile. */
  tiles: Uint8ClampedArray[];
  /** Output units in the layer (more than the tiles shown when over MAX_TILES). */
  total: number;
}

function toRgba(values: Float64Array[], n: number, channels: number): Uint8ClampedArray {
  let max = 0;
  for (const v of values) for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(v[i]));
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const v = values[channels === 3 ? c : 0][i];
      out[i * 4 + c] = Math.round(128 + (127 * v) / (max || 1));
    }
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** Tiles of a first-layer kernel, or null when it cannot be drawn as images (a Dense on a vector input). */
export function kernelTiles(shape: number[], data: Float32Array, inputShape: number[]): KernelTiles | null {
  let kh: number;
  let kw: number;
  let cin: number;
  let out: number;
  let at: (y: number, x: number, c: number, o: number) => number;
  if (shape.length === 4) {
    [kh, kw, cin, out] = shape;
    at = (y, x, c, o) => data[((y * kw + x) * cin + c) * out + o];
  } else if (
    shape.length === 2 &&
    inputShape.length === 3 &&
    shape[0] === inputShape[0] * inputShape[1] * inputShape[2]
  ) {
    [kh, kw, cin] = inputShape;
    out = shape[1];
    at = (y, x, c, o) => data[((y * kw + x) * cin + c) * out + o];
  } else {
    return null;
  }
  const n = kh * kw;
  const tiles: Uint8ClampedArray[] = [];
  for (let o = 0; o < Math.min(out, MAX_TILES); o++) {
    const planes = cin === 3 ? [0, 1, 2] : [-1];
    const values = planes.map((c) => {
      const v = new Float64Array(n);
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++) {
          if (c >= 0) v[y * kw + x] = at(y, x, c, o);
          else {
            let s = 0;
            for (let k = 0; k < cin; k++) s += at(y, x, k, o);
            v[y * kw + x] = s / cin;
          }
        }
      return v;
    });
    tiles.push(toRgba(values, n, cin === 3 ? 3 : 1));
  }
  return { height: kh, width: kw, tiles, total: out };
}
