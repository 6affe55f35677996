// The fuzz cases, each rebuilt from (seed, index) alone so any case can be replayed with
// `npm run fuzz -- --seed S --case I`. Most cases mutate one file of a valid fixture: bit flips, cuts,
// overwritten runs, and header-field inflation that keeps the container valid (gzip, zip and tar are
// unpacked, the inner file or a tar header field changed, and packed again, so the inner parser sees it).
// The rest are the hostile families of tests/fixtures/hostile.ts with random parameters.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { unzipSync, zipSync } from 'fflate';
import { seededRandom } from '../src/data/split';
import { excerpt } from '../src/data/text';
import {
  deepNestedMeta,
  hostileFiles,
  manyEntryZip,
  memoReuseMeta,
  pngBomb,
  zip64Claim,
} from '../tests/fixtures/hostile';
import { concat, tarEnd, tarMember } from '../tests/fixtures/hostile-bytes';

export interface CaseFile {
  path: string;
  bytes: Uint8Array;
}
export interface FuzzCase {
  /** What was done, to read in a failure report. */
  label: string;
  files: CaseFile[];
}

const FIXTURES = join(import.meta.dirname, '..', 'tests', 'fixtures');

/** The valid fixtures that are mutated: a dropped folder (paths start with its name) or one file. */
const SEEDS = [
  'idx',
  'idx-gz',
  'cifar-10-batches-bin',
  'cifar-10-batches-py',
  'cifar-100-binary',
  'cifar-py3',
  'cifar-10-binary.tar.gz',
  'cifar-10-python.tar.gz',
  'cifar-100-binary.tar.gz',
  'cifar-100-python.tar.gz',
  'npz/mnist.npz',
  'npz/shapes.npz',
  'images',
  'images.zip',
  'images-split',
];

function readSeed(rel: string): CaseFile[] {
  const root = join(FIXTURES, rel);
  if (!statSync(root).isDirectory())
    return [{ path: rel.split('/').pop()!, bytes: new Uint8Array(readFileSync(root)) }];
  const out: CaseFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push({ path: `${rel}/${relative(root, full)}`, bytes: new Uint8Array(readFileSync(full)) });
    }
  };
  walk(root);
  return out;
}

let seedCache: Map<string, CaseFile[]> | null = null;
function seeds(): Map<string, CaseFile[]> {
  seedCache ??= new Map(SEEDS.map((s) => [s, readSeed(s)]));
  return seedCache;
}

type Rng = () => number;
const int = (r: Rng, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)];
const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x01, 0x30, 0x37, 0x20];

/** A position biased towards the first 1 KB, where the headers are. */
function position(r: Rng, n: number): number {
  return r() < 0.6 ? int(r, Math.min(n, 1024)) : int(r, n);
}

/** Raw byte mutations: flips, a cut, an overwritten run, an inserted or deleted run. */
function mutateBytes(r: Rng, b: Uint8Array): [string, Uint8Array] {
  if (b.length === 0) return ['grown', Uint8Array.from({ length: 1 + int(r, 64) }, () => int(r, 256))];
  const kind = int(r, 5);
  const out = b.slice();
  if (kind === 0) {
    const n = 1 + int(r, 16);
    for (let i = 0; i < n; i++) out[position(r, out.length)] ^= 1 << int(r, 8);
    return [`${n} bit flips`, out];
  }
  if (kind === 1) {
    const at = int(r, b.length);
    return [`cut at ${at} of ${b.length}`, b.slice(0, at)];
  }
  if (kind === 2) {
    const at = position(r, out.length);
    const v = r() < 0.7 ? pick(r, INTERESTING) : int(r, 256);
    const n = 1 + int(r, 8);
    out.fill(v, at, at + n);
    return [`${n} bytes at ${at} set to ${v}`, out];
  }
  if (kind === 3) {
    const at = position(r, b.length);
    const extra = Uint8Array.from({ length: 1 + int(r, 32) }, () => int(r, 256));
    return [`${extra.length} bytes inserted at ${at}`, concat([b.subarray(0, at), extra, b.subarray(at)])];
  }
  const at = position(r, b.length);
  const n = 1 + int(r, 32);
  return [`${n} bytes deleted at ${at}`, concat([b.subarray(0, at), b.subarray(at + n)])];
}

const isGz = (b: Uint8Array) => b[0] === 0x1f && b[1] === 0x8b;
const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b;
const isTar = (b: Uint8Array) => b.length >= 512 && String.fromCharCode(...b.subarray(257, 262)) === 'ustar';

/** A tar header field set to something absurd, the checksum fixed so the header still reads as valid. */
function inflateTarField(r: Rng, tar: Uint8Array): [string, Uint8Array] {
  const headers: number[] = [];
  for (let at = 0; at + 512 <= tar.length; ) {
    const h = tar.subarray(at, at + 512);
    if (h.every((x) => x === 0)) break;
    headers.push(at);
    const size = Number.parseInt(String.fromCharCode(...h.subarray(124, 135)), 8) || 0;
    at += 512 + Math.ceil(size / 512) * 512;
  }
  if (headers.length === 0) return mutateBytes(r, tar);
  const out = tar.slice();
  const at = pick(r, headers);
  const values = [
    '77777777777',
    '00000000000',
    '-0000000001',
    'zz',
    '99999999999',
    '7777777777 ',
    '00000001000',
  ];
  const field = new Uint8Array(12);
  const choice = int(r, values.length + 2);
  if (choice < values.length) field.set(new TextEncoder().encode(values[choice]));
  else {
    field[0] = choice === values.length ? 0x80 : 0xff; // GNU base-256, positive or negative
    for (let i = 1; i < 12; i++) field[i] = int(r, 256);
  }
  out.set(field, at + 124);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : out[at + i];
  out.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0 `), at + 148);
  return [`tar size field of the header at ${at} set`, out];
}

/** Mutates inside containers (gzip, zip, tar) and packs again, so the inner format sees the damage. */
function mutateDeep(r: Rng, b: Uint8Array, depth = 0): [string, Uint8Array] {
  if (depth < 3 && isGz(b) && r() < 0.75) {
    let plain: Uint8Array;
    try {
      plain = new Uint8Array(gunzipSync(b));
    } catch {
      return mutateBytes(r, b); // already damaged by an earlier mutation
    }
    const [what, inner] = mutateDeep(r, plain, depth + 1);
    return [`gunzip, ${what}, gzip`, new Uint8Array(gzipSync(inner, { level: 1 }))];
  }
  if (depth < 3 && isZip(b) && r() < 0.75) {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(b);
    } catch {
      return mutateBytes(r, b);
    }
    const names = Object.keys(entries).filter((n) => !n.endsWith('/'));
    if (names.length === 0) return mutateBytes(r, b);
    const name = pick(r, names);
    const [what, inner] = mutateDeep(r, entries[name], depth + 1);
    entries[name] = inner;
    return [`unzip, ${excerpt(name, 40)}: ${what}, zip`, zipSync(entries, { level: 1 })];
  }
  if (isTar(b) && r() < 0.5) return inflateTarField(r, b);
  return mutateBytes(r, b);
}

/** The hostile families, with random parameters. */
function hostileCase(r: Rng): FuzzCase {
  const fixed = hostileFiles();
  const kind = int(r, 8);
  if (kind === 0) {
    const rel = pick(r, Object.keys(fixed).sort());
    return { label: `hostile ${rel}`, files: [{ path: rel.split('/').pop()!, bytes: fixed[rel] }] };
  }
  if (kind === 1) {
    const n = pick(r, [2 ** 16, 2 ** 31, 2 ** 32 - 1, 2 ** 53 - 1, 10 ** 6, int(r, 2 ** 20)]);
    return { label: `zip64 claiming ${n} entries`, files: [{ path: 'claim.zip', bytes: zip64Claim(n) }] };
  }
  if (kind === 2) {
    const levels = 1 + int(r, 60);
    return {
      label: `memo reuse ${levels} deep`,
      files: [{ path: 'batches.meta', bytes: memoReuseMeta(levels) }],
    };
  }
  if (kind === 3) {
    const depth = 2 + int(r, 50_000);
    return {
      label: `lists nested ${depth} deep`,
      files: [{ path: 'batches.meta', bytes: deepNestedMeta(depth) }],
    };
  }
  if (kind === 4) {
    const mib = 1 + int(r, 8);
    const bomb = pngBomb(mib);
    return {
      label: `PNG bomb of ${mib} MiB`,
      files: [
        { path: 'b/x/1.png', bytes: bomb },
        { path: 'b/y/1.png', bytes: bomb },
      ],
    };
  }
  if (kind === 5) {
    const n = 1 + int(r, 3000);
    return { label: `zip of ${n} one-byte files`, files: [{ path: 'many.zip', bytes: manyEntryZip(n) }] };
  }
  if (kind === 6) {
    // A tar member whose size field promises far more than the archive holds.
    const body = Uint8Array.from({ length: 3073 * (1 + int(r, 3)) }, (_, i) =>
      i % 3073 === 0 ? int(r, 12) : i & 0xff,
    );
    const size = pick(r, ['77777777777', '00100000000', '10000000000', '00000006002']);
    return {
      label: `tar member claiming ${size} (octal) bytes`,
      files: [
        {
          path: 'c.tar',
          bytes: concat([tarMember('cifar-10-batches-bin/data_batch_1.bin', body, size), tarEnd()]),
        },
      ],
    };
  }
  // Random bytes under a dataset's name.
  const name = pick(r, [
    'data_batch_1',
    'data_batch_1.bin',
    'mnist.npz',
    'x.zip',
    'a.tar.gz',
    'train-images-idx3-ubyte',
    'x_train.npy',
    'c/a/1.png',
  ]);
  const bytes = Uint8Array.from({ length: int(r, 4096) }, () => int(r, 256));
  const files = [{ path: name, bytes }];
  if (name.startsWith('c/')) files.push({ path: 'c/b/1.png', bytes });
  return { label: `random bytes as ${name}`, files };
}

/** Case `index` of the campaign `seed`. */
export function makeCase(seed: number, index: number): FuzzCase {
  const r = seededRandom((seed * 0x9e3779b1 + index * 0x85ebca6b) >>> 0);
  if (r() < 0.15) return hostileCase(r);
  const name = pick(r, SEEDS);
  const files = seeds()
    .get(name)!
    .map((f) => ({ ...f }));
  const mutations = r() < 0.8 ? 1 : 2;
  const labels: string[] = [];
  for (let m = 0; m < mutations; m++) {
    const i = int(r, files.length);
    const [what, bytes] = mutateDeep(r, files[i].bytes);
    files[i] = { path: files[i].path, bytes };
    labels.push(`${files[i].path}: ${what}`);
  }
  return { label: `${name}; ${labels.join('; ')}`, files };
}
