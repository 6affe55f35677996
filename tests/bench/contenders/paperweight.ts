import type { Contender } from '../contender';
export class PaperweightContender implements Contender {
  async init(): Promise<string> {
    throw new Error('src/train has not landed yet');
  }
  async build(): Promise<void> {}
  async train(): Promise<number[]> {
    return [];
  }
  async memory() {
    return { bytes: null };
  }
  async dispose(): Promise<void> {}
}
