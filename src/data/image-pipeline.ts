// Decode, convert and resize a batch of images: the same code runs in the image worker (browser decoder)
// and in the calling thread (an injected decoder, e.g. in Node).
import { refuseBeforeDecoding } from './image-header';
import { convertImage, isGrayImage } from './resize';
import type { ImageDecoder } from './types';

export interface BatchItem {
  name: string;
  bytes: Uint8Array;
}

export type BatchResult =
  | { ok: true; pixels: Uint8Array; width: number; height: number; gray: boolean }
  | { ok: false; reason: string };

export interface BatchOutput {
  /** [height, width] used: the requested one, or the first decoded image's size when none was given. */
  target: [number, number] | null;
  results: BatchResult[];
}

export async function processBatch(
  items: BatchItem[],
  target: [number, number] | null,
  channels: 1 | 3,
  decode: ImageDecoder,
): Promise<BatchOutput> {
  let size = target;
  const results: BatchResult[] = [];
  for (const item of items) {
    try {
      // Empty files and absurd headers never reach the decoder (which would allocate what the header claims).
      const refused = refuseBeforeDecoding(item.bytes);
      if (refused) throw new Error(refused);
      const img = await decode(item.bytes, item.name);
      if (!(img.width > 0 && img.height > 0)) throw new Error('the image is empty');
      if (!size) size = [img.height, img.width];
      const pixels = convertImage(img, size[0], size[1], channels);
      results.push({ ok: true, pixels, width: img.width, height: img.height, gray: isGrayImage(img) });
    } catch (e) {
      // Decoders name the image; the caller lists the path already.
      const reason = e instanceof Error ? e.message : String(e);
      results.push({
        ok: false,
        reason: reason.startsWith(`${item.name} `) ? reason.slice(item.name.length + 1) : reason,
      });
    }
  }
  return { target: size, results };
}

/** Runs batches somewhere: in this thread or in workers. */
export interface ImageProcessor {
  run(items: BatchItem[], target: [number, number] | null, channels: 1 | 3): Promise<BatchOutput>;
  /** How many batches it can usefully run at once. */
  readonly parallel: number;
  close(): void;
}

export function inThreadProcessor(decode: ImageDecoder): ImageProcessor {
  return {
    run: (items, target, channels) => processBatch(items, target, channels, decode),
    parallel: 1,
    close() {},
  };
}
