// Paperweight: the trainer (src/train) when it is there, otherwise the ops-level step of paperweight-ops.ts.
import type { Contender } from '../contender';
import { PaperweightOpsContender } from './paperweight-ops';

// import.meta.glob finds nothing (instead of failing the build) while src/train/index.ts does not exist yet.
const trainerModule = import.meta.glob('../../../src/train/index.ts');

export async function paperweightContender(): Promise<Contender> {
  const load = Object.values(trainerModule)[0];
  if (!load) return new PaperweightOpsContender();
  const { PaperweightTrainerContender } = await import('./paperweight-trainer');
  return new PaperweightTrainerContender();
}
