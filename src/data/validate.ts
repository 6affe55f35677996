// The last check before a dataset reaches the trainer, whatever format it came from: it holds images, its
// arrays are as long as its shape says, and every label names one of its classes. Each loader refuses bad
// input earlier with a more specific message; this makes sure nothing slips through between them.
import { checkLabels } from './labels';
import { MAX_CLASSES } from './limits';
import { type Dataset, DatasetError, type ImageSet } from './types';

function checkSet(ds: Dataset, set: ImageSet, which: 'training' | 'test'): void {
  if (set.count === 0) {
    throw new DatasetError(
      ds.source,
      `holds no ${which} images (the ${which} arrays are empty); nothing could be trained on, so check the files hold data`,
    );
  }
  const size = ds.height * ds.width * ds.channels;
  if (set.images.length !== set.count * size || set.labels.length < set.count) {
    throw new DatasetError(
      ds.source,
      `holds ${set.count} ${which} images of ${ds.height}x${ds.width}x${ds.channels} but ${set.images.length} pixel bytes and ${set.labels.length} labels; the files are inconsistent`,
    );
  }
  checkLabels(set.labels, set.count, ds.classNames.length, ds.source, ds.name);
}

export function checkDataset(ds: Dataset): Dataset {
  const dims = [ds.height, ds.width, ds.channels];
  if (!dims.every((d) => Number.isSafeInteger(d) && d > 0)) {
    throw new DatasetError(ds.source, `has images of ${dims.join('x')}, which is not a usable image size`);
  }
  if (ds.classNames.length < 1 || ds.classNames.length > MAX_CLASSES) {
    throw new DatasetError(
      ds.source,
      `has ${ds.classNames.length} classes; Paperweight trains classifiers of 1 to ${MAX_CLASSES} classes`,
    );
  }
  checkSet(ds, ds.train, 'training');
  if (ds.test) checkSet(ds, ds.test, 'test');
  return ds;
}
