// Inflating DEFLATE data (zip entries, PNG pixels) with a ceiling: the input is fed in small pieces and the
// output counted, so data that inflates past what its header promised is stopped after a few MiB of work
// instead of after the gigabytes a bomb would expand to.
import { Inflate, Unzlib } from 'fflate';
import { concatBytes } from './stream';

const STEP = 16 << 10;

export type InflateProblem = 'damaged' | 'cut short' | 'too long';

export class InflateFailure extends Error {
  constructor(readonly problem: InflateProblem) {
    super(problem);
  }
}

/** The inflated bytes, at most `max`; throws InflateFailure when the data is damaged or inflates past max. */
export function inflateCapped(data: Uint8Array, max: number, format: 'raw' | 'zlib'): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let over = false;
  let ended = false;
  const onData = (chunk: Uint8Array, final: boolean) => {
    if (final) ended = true;
    if (over || chunk.length === 0) return;
    if (total + chunk.length > max) {
      over = true;
      return;
    }
    parts.push(chunk.slice());
    total += chunk.length;
  };
  const stream = format === 'zlib' ? new Unzlib(onData) : new Inflate(onData);
  try {
    if (data.length === 0) stream.push(new Uint8Array(0), true);
    for (let i = 0; i < data.length && !over && !ended; i += STEP)
      stream.push(data.subarray(i, i + STEP), i + STEP >= data.length);
  } catch (e) {
    if (over) throw new InflateFailure('too long');
    const msg = e instanceof Error ? e.message : '';
    throw new InflateFailure(/unexpected EOF/i.test(msg) ? 'cut short' : 'damaged');
  }
  if (over) throw new InflateFailure('too long');
  if (!ended) throw new InflateFailure('cut short');
  return concatBytes(parts);
}
