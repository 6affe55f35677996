// `npm run fuzz -- --cases 20000 [--seed 1] [--from 0] [--workers 2]`: the long fuzz run against
// loadDataset; `--case I` replays one case and prints what it did. Exits 1 when any case crashed, hung,
// was refused with an unreadable message or was accepted while invalid.
import { makeCase } from './fuzz.cases';
import { runCase } from './fuzz.check';
import { runFuzz } from './fuzz.run';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) {
    console.error(`--${name} needs a whole number, got '${process.argv[i + 1]}'`);
    process.exit(2);
  }
  return v;
}

const seed = arg('seed', 1);
const one = process.argv.includes('--case') ? arg('case', 0) : null;
if (one !== null) {
  console.log(makeCase(seed, one).label);
  console.log(await runCase(seed, one));
  process.exit(0);
}
const count = arg('cases', 2000);
const from = arg('from', 0);
const t0 = Date.now();
const summary = await runFuzz({
  seed,
  cases: Array.from({ length: count }, (_, i) => from + i),
  workers: arg('workers', 2),
  onReport: (r, done) => {
    if (r.outcome !== 'loaded' && r.outcome !== 'refused')
      console.log(`case ${r.index} ${r.outcome}: ${r.label}\n  ${r.detail.split('\n')[0]}`);
    if (done % 500 === 0) console.log(`${done}/${count} cases, ${Math.round((Date.now() - t0) / 1000)} s`);
  },
});
console.log(`seed ${seed}, cases ${from}..${from + count - 1}: ${JSON.stringify(summary.counts)}`);
console.log(`${Math.round((Date.now() - t0) / 1000)} s`);
process.exit(summary.failures.length === 0 ? 0 : 1);
