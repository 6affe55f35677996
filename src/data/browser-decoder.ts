// The browser's image decoder: createImageBitmap (PNG, JPEG, WebP, GIF's first frame, BMP) drawn on an
// OffscreenCanvas to read RGBA back. Works in a worker.
import type { DecodedImage } from './types';

export async function decodeWithBrowser(bytes: Uint8Array, name: string): Promise<DecodedImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
    });
  } catch (e) {
    throw new Error(`not a decodable image${e instanceof Error && e.message ? `: ${e.message}` : ''}`);
  }
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error(`${name}: no 2D canvas to read pixels with`);
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    return { width: bitmap.width, height: bitmap.height, rgba: data };
  } finally {
    bitmap.close();
  }
}
