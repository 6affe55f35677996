import { excerpt } from './text';

// The shapes every loader produces and the trainer consumes. Images are uint8 NHWC so a dataset stays small
// (MNIST is 47 MB, CIFAR-10 150 MB) and can be uploaded to the GPU as is; normalization happens per batch.

/** N images of the dataset's height x width x channels, row-major NHWC, one label per image. */
export interface ImageSet {
  images: Uint8Array;
  labels: Int32Array;
  count: number;
}

/**
 * How pixels become network inputs. Means and stds are on the /255 scale (0..1), per channel:
 * `x = (pixel / 255 - mean[c]) / std[c]`. 'scale255' is plain `x = pixel / 255`.
 */
export type Normalization = { kind: 'scale255' } | { kind: 'meanstd'; mean: number[]; std: number[] };

export interface Dataset {
  /** 'MNIST', 'CIFAR-10', the dropped folder's name... */
  name: string;
  /** The file names it came from, or 'built-in'. */
  source: string;
  height: number;
  width: number;
  channels: number;
  classNames: string[];
  train: ImageSet;
  test: ImageSet | null;
  normalization: Normalization;
  /** Things the person should know that did not stop the load (skipped images, resizing...). */
  notes: string[];
}

/**
 * Why a file was refused. The message always starts with the file, then says the reason in plain words.
 * The file name may come from inside an archive, so it is shown as a short printable excerpt.
 */
export class DatasetError extends Error {
  readonly file: string;
  readonly reason: string;
  constructor(file: string, reason: string) {
    const shown = excerpt(file, 120);
    // Names from inside a file may hold control characters: escaped wherever the reason quotes them.
    const said = excerpt(reason, Number.POSITIVE_INFINITY);
    super(`${shown}: ${said}`);
    this.name = 'DatasetError';
    this.file = shown;
    this.reason = said;
  }
}

/** fraction in [0, 1]; message says what is happening ('reading data_batch_3.bin'). */
export type Progress = (fraction: number, message: string) => void;

/** One dropped or fetched file. `path` is relative to the dropped folder ('flowers/roses/1.jpg') or a name. */
export interface InputFile {
  path: string;
  size: number;
  stream(): ReadableStream<Uint8Array>;
  bytes(): Promise<Uint8Array>;
}

export interface DecodedImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

/** Turns an encoded image (PNG, JPEG...) into RGBA pixels. The browser default uses createImageBitmap. */
export type ImageDecoder = (bytes: Uint8Array, name: string) => Promise<DecodedImage>;

export interface LoadOptions {
  /** [height, width] every image is resized to; default the model's input size, else the first image's. */
  targetSize?: [number, number];
  /** Default: grayscale when every image is gray, else RGB. */
  color?: 'grayscale' | 'rgb';
  onProgress?: Progress;
  /** Replaces the browser's decoder (Node, tests). */
  decoder?: ImageDecoder;
}

export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}
