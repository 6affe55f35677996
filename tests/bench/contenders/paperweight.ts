// Paperweight through its trainer (src/train), the same API the playground's worker uses. The timed windows
// use trainOnBatch, TF.js's own call: one step, then the loss read back (one sync per step, as TF.js). After
// them, one fit epoch over the same batches (GPU-resident uint8 dataset, batches gathered on the GPU, metrics
// read back asynchronously) measures the path a person training in the playground gets.
import { createContext, type GpuContext } from '../../../src/gpu/context';
import { acquireDevice } from '../../../src/gpu/device';
import type { BuiltModel, NamedWeight } from '../../../src/model';
import { Trainer } from '../../../src/train';
import type { Contender } from '../contender';
import type { BenchData } from '../data';
import { ADAM } from '../models';

export class PaperweightContender implements Contender {
  private ctx: GpuContext | null = null;
  private trainer: Trainer | null = null;
  private data: BenchData | null = null;

  async init(): Promise<string> {
    const acquired = await acquireDevice();
    this.ctx = createContext(acquired.device);
    return acquired.adapterName;
  }

  async build(model: BuiltModel, weights: NamedWeight[], data: BenchData, seed: number): Promise<void> {
    this.data = data;
    this.trainer = await Trainer.create(
      this.ctx!,
      model,
      {
        optimizer: { name: 'adam', ...ADAM },
        loss: 'sparse_categorical_crossentropy',
        metrics: ['accuracy'],
        batch_size: data.batch,
        epochs: 1,
        validation_split: 0,
      },
      { seed, weights },
    );
    this.trainer.setDataset({
      height: data.height,
      width: data.width,
      channels: data.channels,
      classNames: Array.from({ length: data.classes }, (_, i) => String(i)),
      normalization: { kind: 'scale255' },
      train: { images: data.images, labels: data.labels, count: data.labels.length },
      val: null,
      test: null,
    });
  }

  async train(start: number, steps: number): Promise<number[]> {
    const d = this.data!;
    const per = d.batch * d.height * d.width * d.channels;
    const losses: number[] = [];
    for (let s = 0; s < steps; s++) {
      const i = (start + s) % d.batchCount;
      const images = d.images.subarray(i * per, (i + 1) * per);
      const labels = d.labels.subarray(i * d.batch, (i + 1) * d.batch);
      losses.push((await this.trainer!.trainOnBatch(images, labels, d.batch)).loss);
    }
    return losses;
  }

  async fitEpoch(): Promise<{ samplesPerSec: number; loss: number }> {
    const h = await this.trainer!.fit({ epochs: 1, shuffle: false });
    const e = h.epochs[0];
    return { samplesPerSec: e.samplesPerSec, loss: e.loss };
  }

  async memory(): Promise<{ bytes: number | null; note?: string }> {
    return {
      bytes: this.ctx?.arena.bytesInUse ?? null,
      note: `BufferArena.bytesInUse (trainer.memoryBytes ${this.trainer?.memoryBytes}; includes the uint8 dataset)`,
    };
  }

  arenaAllocations(): number {
    return this.ctx?.arena.allocations ?? 0;
  }

  async dispose(): Promise<void> {
    this.trainer?.destroy();
    this.trainer = null;
    this.ctx?.arena.destroyAll();
    this.ctx?.device.destroy();
    this.ctx = null;
  }
}
