// Small pixel helpers shared by the panels: dataset images to canvases and data URLs, float maps to gray.
import type { Dataset } from '../../data/types';
import { adaptImage } from '../../worker/adapt';

/** Sizes `canvas` to a grid of `cols` x `rows` cells on the card's paper colour, pixels unsmoothed. */
export function gridCanvas(
  canvas: HTMLCanvasElement,
  cols: number,
  rows: number,
  cellW: number,
  cellH: number,
): CanvasRenderingContext2D {
  canvas.width = cols * cellW;
  canvas.height = rows * cellH;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fffefa';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.imageSmoothingEnabled = false;
  return ctx;
}

/** Puts image `index` of a uint8 NHWC set on a canvas at its own size. */
export function putImage(
  ctx: CanvasRenderingContext2D,
  images: Uint8Array,
  index: number,
  h: number,
  w: number,
  c: number,
  dx = 0,
  dy = 0,
): void {
  const img = ctx.createImageData(w, h);
  const base = index * h * w * c;
  for (let p = 0; p < h * w; p++) {
    const o = base + p * c;
    const r = images[o];
    const g = c >= 3 ? images[o + 1] : r;
    const b = c >= 3 ? images[o + 2] : r;
    img.data[p * 4] = r;
    img.data[p * 4 + 1] = g;
    img.data[p * 4 + 2] = b;
    img.data[p * 4 + 3] = 255;
  }
  ctx.putImageData(img, dx, dy);
}

export function drawSample(
  canvas: HTMLCanvasElement | null,
  d: Dataset | null,
  index: number,
  test = false,
): void {
  if (!canvas || !d) return;
  const set = test ? d.test : d.train;
  if (!set || index >= set.count) return;
  canvas.width = d.width;
  canvas.height = d.height;
  const ctx = canvas.getContext('2d');
  if (ctx) putImage(ctx, set.images, index, d.height, d.width, d.channels);
}

/** Gray data URL of one channel of an [h, w, c] float map, scaled by the given range. */
export function channelDataUrl(
  data: Float32Array,
  h: number,
  w: number,
  c: number,
  channel: number,
  lo: number,
  hi: number,
): string {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(w, h);
  const span = hi - lo || 1;
  for (let p = 0; p < h * w; p++) {
    const v = Math.round((255 * (data[p * c + channel] - lo)) / span);
    const g = Math.max(0, Math.min(255, v));
    img.data[p * 4] = g;
    img.data[p * 4 + 1] = g;
    img.data[p * 4 + 2] = g;
    img.data[p * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL();
}

/** Training image `index` as the model sees it: fitted to its [h, w, c] input by padding or resizing. */
export function inputDataUrl(
  d: Dataset,
  index: number,
  input: number[] | null,
  mode: 'pad' | 'resize',
): string {
  const canvas = document.createElement('canvas');
  if (input?.length !== 3 || index >= d.train.count) {
    drawSample(canvas, d, index);
    return canvas.toDataURL();
  }
  const [h, w, c] = input;
  const px = d.height * d.width * d.channels;
  const img = adaptImage(
    d.train.images.subarray(index * px, (index + 1) * px),
    d.height,
    d.width,
    d.channels,
    h,
    w,
    c,
    mode,
  );
  canvas.width = w;
  canvas.height = h;
  putImage(canvas.getContext('2d')!, img, 0, h, w, c);
  return canvas.toDataURL();
}

export function range(data: Float32Array): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return Number.isFinite(lo) ? [lo, hi] : [0, 1];
}
