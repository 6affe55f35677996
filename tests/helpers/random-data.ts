// Random uint8 images with random labels, and a trainer dataset of them: for the tests and benchmarks where
// the pixels do not matter (a comparison with another implementation on the same numbers, a timed step).
import { numberedNames } from '../../src/data/names';
import type { ImageSet } from '../../src/data/types';
import type { Rng } from '../../src/model/random';
import type { TrainerDataset } from '../../src/train';

/** `count` images of `pixels` uint8 values, then `count` labels below `classes`, drawn from `rng` in that order. */
export function randomImageSet(count: number, pixels: number, classes: number, rng: Rng): ImageSet {
  const images = Uint8Array.from({ length: count * pixels }, () => Math.floor(rng.next() * 256));
  const labels = Int32Array.from({ length: count }, () => Math.floor(rng.next() * classes));
  return { images, labels, count };
}

/** A training set of `count` random images for an [h, w, c] input, scaled by 1/255, classes named '0', '1', ... */
export function randomDataset(
  inputShape: number[],
  classes: number,
  count: number,
  rng: Rng,
): TrainerDataset {
  const [height, width, channels] = inputShape;
  return {
    height,
    width,
    channels,
    classNames: numberedNames(classes),
    normalization: { kind: 'scale255' },
    train: randomImageSet(count, height * width * channels, classes, rng),
  };
}
