// Placeholder until src/train/index.ts lands: the ops-level step.
export { PaperweightOpsContender as PaperweightTrainerContender } from './paperweight-ops';
