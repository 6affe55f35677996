// A small PNG decoder (fflate's inflate): for Node, where there is no createImageBitmap, and for tests.
// Handles every non-interlaced PNG of bit depth 1-16 in every colour type; 16-bit samples keep their high byte.
import { MAX_IMAGE_PIXELS } from './image-header';
import { InflateFailure, inflateCapped } from './inflate';
import { byteExcerpt } from './text';
import type { DecodedImage } from './types';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export async function decodePng(bytes: Uint8Array, name = 'image'): Promise<DecodedImage> {
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error(`${name} is not a PNG file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let type = 0;
  let palette: Uint8Array | null = null;
  let alpha: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  while (pos + 8 <= bytes.length) {
    const len = view.getUint32(pos);
    const kind = byteExcerpt(bytes.subarray(pos + 4, pos + 8), 4);
    const data = bytes.subarray(pos + 8, pos + 8 + len);
    if (data.length < len) throw new Error(`${name} is cut short inside its ${kind} chunk`);
    if (kind === 'IHDR') {
      if (len !== 13) throw new Error(`${name} has a damaged PNG header`);
      width = view.getUint32(pos + 8);
      height = view.getUint32(pos + 12);
      depth = data[8];
      type = data[9];
      if (data[12] !== 0) throw new Error(`${name} is interlaced, which this decoder does not read`);
    } else if (kind === 'PLTE') palette = data;
    else if (kind === 'tRNS') alpha = data;
    else if (kind === 'IDAT') idat.push(data);
    else if (kind === 'IEND') break;
    pos += 12 + len;
  }
  if (width * height > MAX_IMAGE_PIXELS)
    throw new Error(
      `${name} claims ${width}x${height} pixels, more than ${MAX_IMAGE_PIXELS / 1e6} megapixels`,
    );
  const channels = CHANNELS[type];
  if (!width || !height || !channels || ![1, 2, 4, 8, 16].includes(depth))
    throw new Error(`${name} has an unreadable PNG header`);
  const joined = new Uint8Array(idat.reduce((a, c) => a + c.length, 0));
  let off = 0;
  for (const c of idat) {
    joined.set(c, off);
    off += c.length;
  }
  const bpp = Math.max(1, (channels * depth) / 8);
  const stride = Math.ceil((width * channels * depth) / 8);
  // Inflated at most to what width x height x depth needs: a 1 MB file can inflate to gigabytes otherwise.
  let raw: Uint8Array;
  try {
    raw = inflateCapped(joined, height * (stride + 1), 'zlib');
  } catch (e) {
    if (!(e instanceof InflateFailure)) throw e;
    throw new Error(
      e.problem === 'too long'
        ? `${name} holds more pixel data than its ${width}x${height} size needs (a decompression bomb or a damaged file)`
        : `${name} has ${e.problem} pixel data (the file is damaged)`,
    );
  }
  if (raw.length < height * (stride + 1)) throw new Error(`${name} has too little image data`);
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = px.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? px.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? row[x - bpp] : 0;
      const c = x >= bpp ? up[x - bpp] : 0;
      const pred = [0, a, up[x], (a + up[x]) >> 1, paeth(a, up[x], c)][filter];
      if (pred === undefined) throw new Error(`${name} has an unknown PNG row filter ${filter}`);
      row[x] = (src[x] + pred) & 0xff;
    }
  }
  const sample = (y: number, i: number): number => {
    // The i-th sample of row y, scaled to 8 bits.
    const row = y * stride;
    if (depth === 8) return px[row + i];
    if (depth === 16) return px[row + 2 * i];
    const perByte = 8 / depth;
    const v = (px[row + Math.floor(i / perByte)] >> (8 - depth * (1 + (i % perByte)))) & ((1 << depth) - 1);
    return type === 3 ? v : Math.round((v * 255) / ((1 << depth) - 1));
  };
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const s = x * channels;
      if (type === 3) {
        const idx = sample(y, x);
        rgba[o] = palette?.[3 * idx] ?? 0;
        rgba[o + 1] = palette?.[3 * idx + 1] ?? 0;
        rgba[o + 2] = palette?.[3 * idx + 2] ?? 0;
        rgba[o + 3] = alpha?.[idx] ?? 255;
      } else if (channels <= 2) {
        const g = sample(y, s);
        rgba[o] = rgba[o + 1] = rgba[o + 2] = g;
        rgba[o + 3] = channels === 2 ? sample(y, s + 1) : 255;
      } else {
        rgba[o] = sample(y, s);
        rgba[o + 1] = sample(y, s + 1);
        rgba[o + 2] = sample(y, s + 2);
        rgba[o + 3] = channels === 4 ? sample(y, s + 3) : 255;
      }
    }
  }
  return { width, height, rgba };
}
