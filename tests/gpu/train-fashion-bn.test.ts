// A BatchNorm CNN learns real Fashion-MNIST (Debian's dataset-fashion-mnist package) in Node on SwiftShader,
// loaded the way a person drops the four .gz files on the page, and is evaluated on the t10k images it never
// saw, in inference mode (moving statistics). The subset is small so the run stays near a minute here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fromBytes, loadDataset } from '../../src/data';
import type { ImageSet } from '../../src/data/types';
import { createContext } from '../../src/gpu/context';
import { importKerasCode } from '../../src/keras';
import { Trainer } from '../../src/train';
import { FASHION_NAMES } from '../helpers/data';
import { nodeGpu } from '../helpers/node-gpu';
import { bnCnnCode, mnistDataset, trainingConfig } from './train-data';

const DIR = '/usr/share/datasets/fashion-mnist';
const FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
];

const CODE = bnCnnCode(16, 32);

function head(set: ImageSet, count: number, pixels: number): ImageSet {
  return { images: set.images.slice(0, count * pixels), labels: set.labels.slice(0, count), count };
}

it('BatchNorm CNN on 960 Fashion-MNIST images, 3 epochs: held-out accuracy above 65% (chance is 10%)', async () => {
  let bytes: Uint8Array[];
  try {
    bytes = FILES.map((f) => new Uint8Array(readFileSync(join(DIR, f))));
  } catch {
    throw new Error(
      `Fashion-MNIST is missing from ${DIR}; run as root: apt-get install -y dataset-fashion-mnist`,
    );
  }
  const ds = await loadDataset(FILES.map((f, i) => fromBytes(`fashion-mnist/${f}`, bytes[i])));
  expect(ds.classNames).toEqual(FASHION_NAMES);
  expect(ds.train.count).toBe(60_000);
  expect(ds.test?.count).toBe(10_000);
  if (!ds.test) throw new Error('no test split');

  const ctx = createContext((await nodeGpu()).device);
  const trainer = await Trainer.create(
    ctx,
    importKerasCode(CODE).built,
    trainingConfig({ name: 'adam', learning_rate: 0.003 }, 32),
    { seed: 7 },
  );
  trainer.setDataset(
    mnistDataset(head(ds.train, 960, 784), {
      val: null,
      test: head(ds.test, 500, 784),
      classNames: ds.classNames,
    }),
  );
  const h = await trainer.fit({ epochs: 3 });
  const losses = h.epochs.map((e) => e.loss);
  const test = await trainer.evaluate('test');
  console.log(
    `Fashion-MNIST BatchNorm CNN, 960 samples x 3 epochs: loss ${losses.map((l) => l.toFixed(3)).join(' ')}; ` +
      `t10k accuracy (500 images) ${test.accuracy.toFixed(3)}`,
  );
  expect(losses[2]).toBeLessThan(losses[0]);
  expect(test.accuracy).toBeGreaterThan(0.65);
  trainer.destroy();
}, 400_000);
