// An image's width and height read from its header, before any decoder sees it: a 200-byte PNG can claim
// 20000x20000 pixels, and createImageBitmap would then try to allocate 1.6 GB of RGBA for it.

/** Decoded RGBA above this many pixels (~144 MB) is refused: far beyond any training image. */
export const MAX_IMAGE_PIXELS = 36_000_000;

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

/** [width, height] from a PNG, GIF, BMP, WebP or JPEG header; null when the bytes are none of these. */
export function imageDimensions(b: Uint8Array): [number, number] | null {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length >= 24 && b[0] === 0x89 && ascii(b, 1, 4) === 'PNG' && ascii(b, 12, 16) === 'IHDR')
    return [v.getUint32(16), v.getUint32(20)];
  if (b.length >= 10 && ascii(b, 0, 4) === 'GIF8') return [v.getUint16(6, true), v.getUint16(8, true)];
  if (b.length >= 26 && ascii(b, 0, 2) === 'BM')
    return [Math.abs(v.getInt32(18, true)), Math.abs(v.getInt32(22, true))];
  if (b.length >= 30 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') {
    const kind = ascii(b, 12, 16);
    if (kind === 'VP8X')
      return [1 + (v.getUint32(24, true) & 0xffffff), 1 + (v.getUint32(27, true) & 0xffffff)];
    if (kind === 'VP8L') {
      const bits = v.getUint32(21, true);
      return [1 + (bits & 0x3fff), 1 + ((bits >> 14) & 0x3fff)];
    }
    if (kind === 'VP8 ') return [v.getUint16(26, true) & 0x3fff, v.getUint16(28, true) & 0x3fff];
    return null;
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    // Walk the JPEG segments to the first start-of-frame marker (SOF0..SOF15 but DHT, JPG and DAC).
    let p = 2;
    while (p + 9 < b.length) {
      if (b[p] !== 0xff) return null;
      const marker = b[p + 1];
      if (marker === 0xff) {
        p++;
        continue;
      }
      const len = v.getUint16(p + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
        return [v.getUint16(p + 7), v.getUint16(p + 5)];
      p += 2 + len;
    }
  }
  return null;
}

/** Why an image must not be decoded, or null when its bytes may go to the decoder. */
export function refuseBeforeDecoding(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return 'the file is empty (0 bytes)';
  const dims = imageDimensions(bytes);
  if (!dims) return null;
  const [w, h] = dims;
  if (w * h > MAX_IMAGE_PIXELS) {
    return (
      `its header says ${w}x${h} pixels (${Math.round((w * h) / 1e6)} megapixels, ${Math.round((w * h * 4) / 1e6)} MB ` +
      `decoded); images over ${MAX_IMAGE_PIXELS / 1e6} megapixels are refused before decoding, so shrink it first`
    );
  }
  return null;
}
