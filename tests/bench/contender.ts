// What the harness needs from each contender. Every contender trains the same BuiltModel from the same
// Keras-layout initial weights on the same batches (BenchData), with Adam at Keras's defaults.
import type { BuiltModel, NamedWeight } from '../../src/model';
import type { BenchData } from './data';

export interface Contender {
  /** Starts the backend (adapter, device, tfjs backend); returns what it runs on. */
  init(): Promise<string>;
  /** Builds and compiles the model with these weights and makes the data available. */
  build(model: BuiltModel, weights: NamedWeight[], data: BenchData, seed: number): Promise<void>;
  /**
   * Trains `steps` steps on batches start, start+1, ... (mod data.batchCount) and resolves when the device has
   * finished them, with each step's loss (a contender may read them back once, at the end).
   */
  train(start: number, steps: number): Promise<number[]>;
  /** Paperweight: one fit epoch over all the batches, its own samples/s (the playground's path). */
  fitEpoch?(): Promise<{ samplesPerSec: number; loss: number }>;
  memory(): Promise<{ bytes: number | null; note?: string }>;
  /** Paperweight: the arena's createBuffer count, for the steady-state check. */
  arenaAllocations?(): number;
  dispose(): Promise<void>;
}

/** A contender that cannot run this model: the harness reports `reason` instead of a number. */
export class Unsupported extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'Unsupported';
  }
}
