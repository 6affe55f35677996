// One fuzz worker process: runs each case it is sent and reports how it ended. The parent gives it its memory
// limits and kills it when a case runs too long, so a hang or an out-of-memory crash costs one process, never
// the test run. (Kept apart from fuzz.check.ts so importing the checks never starts a message loop.)
import { runCase } from './fuzz.check';

if (!process.send) {
  console.error('fuzz.child.ts is started by scripts/fuzz.run.ts; run `npm run fuzz` instead');
  process.exit(2);
}
process.on('message', async (m: { seed: number; index: number }) => {
  process.send?.(await runCase(m.seed, m.index));
});
process.send({ ready: true });
