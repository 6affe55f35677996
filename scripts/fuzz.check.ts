// How one fuzz case ends: built from (seed, index), loaded with loadDataset, and judged. A refusal must be a
// DatasetError whose message a person can read; a load must give a dataset that is valid by checks made here,
// independently of the loader's own.
import { fromBytes } from '../src/data/adapters';
import { loadDataset } from '../src/data/load';
import { decodePng } from '../src/data/png-decoder';
import { type Dataset, DatasetError } from '../src/data/types';
import { makeCase } from './fuzz.cases';

export type Outcome = 'loaded' | 'refused' | 'crash' | 'bad-message' | 'accepted-invalid' | 'hang';
export interface CaseReport {
  index: number;
  outcome: Outcome;
  label: string;
  detail: string;
}

/** Library or engine words a person should never see in a refusal. */
const JARGON = [
  /invalid zip data|incorrect header check|invalid (block|distance|length)|unexpected EOF/i,
  /encoding undefined|\bundefined\b|\[object |\bnull\b/,
  /NaN (bytes|images|records|rows|labels)|of NaN\b|\bNaNx|xNaN\b|from Infinity to -Infinity/,
  /RangeError|TypeError|Offset is outside|Invalid typed array|Maximum call stack|Array buffer allocation/i,
];

function unprintable(s: string): boolean {
  return [...s].some((ch) => {
    const c = ch.codePointAt(0) ?? 0;
    return c < 0x20 || (c >= 0x7f && c < 0xa0) || c === 0xfffd;
  });
}

/** What is wrong with a refusal's message, or null. */
export function messageProblem(message: string): string | null {
  if (message.length > 800) return `message is ${message.length} characters long`;
  if (unprintable(message)) return 'message holds control characters or broken UTF-8';
  const jargon = JARGON.find((j) => j.test(message));
  return jargon ? `message holds jargon (${jargon.source})` : null;
}

/** What is wrong with a loaded dataset (checked here, independently of the loader's own check), or null. */
export function datasetProblem(d: Dataset): string | null {
  const dims = [d.height, d.width, d.channels];
  if (!dims.every((x) => Number.isInteger(x) && x > 0) || (d.channels !== 1 && d.channels !== 3))
    return `image shape ${dims.join('x')}`;
  if (!(d.classNames.length >= 1) || !d.classNames.every((n) => typeof n === 'string'))
    return 'class names are not a list of strings';
  for (const [which, set] of [
    ['train', d.train],
    ['test', d.test],
  ] as const) {
    if (!set) continue;
    if (!(set.count > 0)) return `${which} holds ${set.count} images`;
    if (set.images.length !== set.count * d.height * d.width * d.channels)
      return `${which} holds ${set.images.length} bytes for ${set.count} images of ${dims.join('x')}`;
    for (let i = 0; i < set.count; i++) {
      const l = set.labels[i];
      if (!(Number.isInteger(l) && l >= 0 && l < d.classNames.length))
        return `${which} label ${l} of image ${i} is not one of ${d.classNames.length} classes`;
    }
  }
  return null;
}

export async function runCase(seed: number, index: number): Promise<CaseReport> {
  const c = makeCase(seed, index);
  const report = (outcome: Outcome, detail: string): CaseReport => ({
    index,
    outcome,
    label: c.label,
    detail,
  });
  try {
    const files = c.files.map((f) => fromBytes(f.path, f.bytes, 1 + ((index * 7919) % 65536)));
    const d = await loadDataset(files, { decoder: decodePng });
    const problem = datasetProblem(d);
    return problem
      ? report('accepted-invalid', problem)
      : report('loaded', `${d.name}: ${d.train.count} images`);
  } catch (e) {
    if (!(e instanceof DatasetError)) {
      const err = e as Error;
      return report(
        'crash',
        `${err?.name}: ${String(err?.message).slice(0, 300)}\n${String(err?.stack).slice(0, 800)}`,
      );
    }
    const problem = messageProblem(e.message);
    return problem
      ? report('bad-message', `${problem}: ${e.message.slice(0, 300)}`)
      : report('refused', e.message.slice(0, 300));
  }
}
