// Paperweight's kernels driven by the bench itself (step-graph.ts), for when the trainer (src/train/index.ts)
// is not there yet: the same ops, optimizer and STEP state the trainer replays, one command encoder and one
// submit per step. The batches are uploaded once into one GPU buffer and copied into the input per step (the
// trainer gathers them from uint8 on the GPU instead); the loss is summed on the GPU and read once per call.
import type { BufferArena } from '../../../src/gpu/arena';
import { createContext, encodeDispatches, type GpuContext } from '../../../src/gpu/context';
import { acquireDevice } from '../../../src/gpu/device';
import type { BuiltModel, NamedWeight } from '../../../src/model';
import { StepState } from '../../../src/train/step-state';
import type { Contender } from '../contender';
import { type BenchData, floatBatch } from '../data';
import { ADAM } from '../models';
import { type AssembledStep, assembleStep } from '../step-graph';

export class PaperweightOpsContender implements Contender {
  private ctx: GpuContext | null = null;
  private step: AssembledStep | null = null;
  private state: StepState | null = null;
  private images: GPUBuffer | null = null;
  private labels: GPUBuffer | null = null;
  private staging: GPUBuffer | null = null;
  private data: BenchData | null = null;

  async init(): Promise<string> {
    const acquired = await acquireDevice();
    this.ctx = createContext(acquired.device);
    return `${acquired.adapterName} (ops-level step: src/train/index.ts not present)`;
  }

  async build(model: BuiltModel, weights: NamedWeight[], data: BenchData, seed: number): Promise<void> {
    const ctx = this.ctx!;
    this.data = data;
    this.step = assembleStep(ctx, model, data.batch, seed, weights);
    this.state = new StepState(ctx, seed, ADAM.learning_rate);
    const arena: BufferArena = ctx.arena;
    const perBatch = data.batch * data.height * data.width * data.channels;
    this.images = arena.storage('bench/images', perBatch * data.batchCount);
    for (let i = 0; i < data.batchCount; i++) {
      ctx.device.queue.writeBuffer(this.images, i * perBatch * 4, floatBatch(data, i));
    }
    this.labels = arena.storage('bench/labels', data.labels.length);
    ctx.device.queue.writeBuffer(this.labels, 0, new Int32Array(data.labels));
    this.staging = arena.create('bench/metrics-read', 16, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  }

  async train(start: number, steps: number): Promise<number[]> {
    const { device } = this.ctx!;
    const s = this.step!;
    const d = this.data!;
    const perBatch = d.batch * d.height * d.width * d.channels * 4;
    const dispatches = s.dispatches.map((x) => x.dispatch);
    for (let k = 0; k < steps; k++) {
      const i = (start + k) % d.batchCount;
      this.state!.write(0, d.batch);
      const enc = device.createCommandEncoder();
      if (k === 0) enc.clearBuffer(s.metrics);
      enc.copyBufferToBuffer(this.images!, i * perBatch, s.input, 0, perBatch);
      enc.copyBufferToBuffer(this.labels!, i * d.batch * 4, s.labels, 0, d.batch * 4);
      const pass = enc.beginComputePass();
      encodeDispatches(pass, dispatches);
      pass.end();
      if (k === steps - 1) enc.copyBufferToBuffer(s.metrics, 0, this.staging!, 0, 16);
      device.queue.submit([enc.finish()]);
      this.state!.step++;
    }
    await this.staging!.mapAsync(GPUMapMode.READ);
    const m = new Float32Array(this.staging!.getMappedRange().slice(0));
    this.staging!.unmap();
    return [m[0] / m[2]];
  }

  async memory(): Promise<{ bytes: number | null; note?: string }> {
    return {
      bytes: this.ctx?.arena.bytesInUse ?? null,
      note: 'BufferArena.bytesInUse (includes the batches)',
    };
  }

  arenaAllocations(): number {
    return this.ctx?.arena.allocations ?? 0;
  }

  async dispose(): Promise<void> {
    this.ctx?.arena.destroyAll();
    this.ctx?.device.destroy();
    this.ctx = null;
  }
}
