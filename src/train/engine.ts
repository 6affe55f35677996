// The GPU side of a compiled model: every buffer, recorded dispatch and schedule (made once in the constructor
// and in loadDataset), and the few ways of replaying them: a training step, an evaluation pass, an inference
// pass with a read-back. The Trainer (trainer.ts) drives it; nothing here allocates per step.
import { type Dispatch, encodeDispatches, type GpuContext } from '../gpu/context';
import { type AugmentChain, augmentChain } from '../model/augment-chain';
import type { BuiltModel } from '../model/sequential';
import type { TrainingConfig } from '../model/training-config';
import type { NamedWeight } from '../model/weights';
import {
  BatchGather,
  type GpuImageSet,
  gpuData,
  type SourceFormat,
  uploadImageSet,
  writeImages,
} from './batch';
import { type DatasetPlan, inputGeometry, modelSourceFormat } from './dataset';
import { type CompiledNetwork, compileNetwork } from './graph';
import { checkLearningRate, GpuOptimizer } from './optimizer';
import { divergedLoss, ReadbackRing } from './readback';
import { Flow } from './schedule';
import { type Copy, StagingReader } from './staging';
import { StepState } from './step-state';
import type { Evaluation } from './types';

/** What loadDataset made: the uploaded sets and the schedules that gather from them. */
export interface DatasetState {
  plan: DatasetPlan;
  buffers: GPUBuffer[];
  indices: GPUBuffer;
  trainSchedule: Dispatch[];
  valSchedule: Dispatch[] | null;
  testSchedule: Dispatch[] | null;
}

/** Raw samples given to predict / trainOnBatch / activations: one batch of room, at the dataset's size. */
export interface Scratch {
  set: GpuImageSet;
  imageBytes: number;
  buffers: GPUBuffer[];
  train: Dispatch[];
  predict: Dispatch[];
}

export class Engine {
  readonly net: CompiledNetwork;
  readonly optimizer: GpuOptimizer;
  readonly step: StepState;
  readonly ring: ReadbackRing;
  readonly flow: Flow;
  /** Buffers made by the constructor (scratch and dataset buffers are tracked with them). */
  readonly owned: GPUBuffer[] = [];
  data: DatasetState | null = null;
  scratch: Scratch;
  /** Why the device was lost, once it is. */
  lost: string | null = null;
  stepsDone = 0;
  /** The head augmentation layers, applied by the training gather (null: none). */
  readonly augment: AugmentChain | null;
  private readonly reader: StagingReader;
  private readonly confusion: GPUBuffer;
  private readonly confusionDispatch: Dispatch;
  private readonly lossTrack: GPUBuffer;
  private readonly trackDispatch: Dispatch;
  private evaluations: Promise<unknown> = Promise.resolve();

  constructor(
    readonly ctx: GpuContext,
    readonly model: BuiltModel,
    config: TrainingConfig,
    seed: number,
  ) {
    checkLearningRate(config.optimizer.learning_rate);
    this.step = new StepState(ctx, seed, config.optimizer.learning_rate);
    const net = compileNetwork(ctx, model, config, config.batch_size, this.step.buffer);
    this.net = net;
    this.augment = augmentChain(model);
    this.optimizer = new GpuOptimizer(
      ctx,
      config.optimizer,
      // Non-trainable state (no gradient) is the layers' own business, never the optimizer's.
      net.params.flatMap((p) =>
        p.grad ? [{ name: p.name, size: p.size, param: p.buffer, grad: p.grad }] : [],
      ),
      this.step.buffer,
    );
    this.ring = new ReadbackRing(ctx, net.params, divergedLoss(net.classes));
    this.confusion = ctx.arena.storage('metrics/confusion', net.classes * net.classes);
    this.confusionDispatch = confusionDispatch(ctx, net, this.confusion);
    this.lossTrack = ctx.arena.storage('metrics/loss-track', 4);
    this.trackDispatch = trackDispatch(ctx, net, this.lossTrack);
    const activationBytes = net.layers.reduce((a, l) => a + l.sampleSize * 4, 0);
    const paramBytes = net.params.reduce((a, p) => a + p.size * 4, 0);
    this.reader = new StagingReader(
      ctx,
      Math.max(activationBytes, paramBytes, net.batch * net.classes * 4, 16 + net.classes * net.classes * 4),
    );
    this.flow = new Flow(ctx.device);
    const g = inputGeometry(model);
    this.scratch = this.makeScratch(modelSourceFormat(g), 'pad', g.dstH, g.dstW);
    ctx.device.lost.then((info) => {
      this.lost = info.message || String(info.reason);
    });
  }

  get memoryBytes(): number {
    let n = 0;
    for (const list of [this.owned, this.data?.buffers ?? [], this.scratch.buffers]) {
      for (const b of list) n += b.size;
    }
    return n;
  }

  /** Uploads the planned sets (the old dataset is freed first, so two never sit on the GPU together). */
  loadDataset(plan: DatasetPlan): void {
    this.releaseDataset();
    const { ctx, net } = this;
    const { value, buffers } = ctx.arena.collect((): Omit<DatasetState, 'buffers'> => {
      const target = { x: net.input, labels: net.labels, batch: net.batch, dstH: plan.dstH, dstW: plan.dstW };
      const gather = new BatchGather(ctx, plan.source, target, plan.mode, this.step.buffer, this.augment);
      const train = uploadImageSet(ctx, 'train', plan.source, plan.train);
      const indices = ctx.arena.storage('train/indices', plan.trainCount);
      const evalOf = (d: Dispatch) => [
        d,
        ...net.forwardInfer,
        ...net.evalLoss.evaluate,
        this.confusionDispatch,
      ];
      let valSchedule: Dispatch[] | null = null;
      let valSet: GpuImageSet | null = null;
      if (plan.val) {
        valSet = plan.val.split ? null : uploadImageSet(ctx, 'val', plan.source, plan.val.set);
        valSchedule = evalOf(gather.dispatch(valSet ?? train, { seqBase: plan.val.base }, 'val'));
      }
      let testSchedule: Dispatch[] | null = null;
      if (plan.test) {
        // The same set given as validation and test data is uploaded once.
        const testSet =
          valSet && plan.val?.set === plan.test
            ? valSet
            : uploadImageSet(ctx, 'test', plan.source, plan.test);
        testSchedule = evalOf(gather.dispatch(testSet, { seqBase: 0 }, 'test'));
      }
      const trainSchedule = this.trainSchedule(gather.dispatch(train, { indices }, 'train', true));
      return { plan, indices, trainSchedule, valSchedule, testSchedule };
    });
    this.data = { ...value, buffers };
    this.releaseScratch();
    this.scratch = this.makeScratch(plan.source, plan.mode, plan.dstH, plan.dstW);
  }

  /** gather -> forward (training mode) -> loss -> loss tracking -> backward (last to first) -> optimizer. */
  private trainSchedule(gather: Dispatch): Dispatch[] {
    const { net } = this;
    return [
      gather,
      ...net.forwardTrain,
      ...net.trainLoss.train,
      this.trackDispatch,
      ...net.backward,
      ...this.optimizer.dispatches,
    ];
  }

  private makeScratch(source: SourceFormat, mode: 'pad' | 'resize', dstH: number, dstW: number): Scratch {
    const { ctx, net } = this;
    const { value, buffers } = ctx.arena.collect(() => {
      const target = { x: net.input, labels: net.labels, batch: net.batch, dstH, dstW };
      const gather = new BatchGather(ctx, source, target, mode, this.step.buffer, this.augment);
      const set = uploadImageSet(ctx, 'scratch', source, null, net.batch);
      const d = gather.dispatch(set, { seqBase: 0 }, 'scratch');
      return {
        set,
        imageBytes: source.height * source.width * source.channels,
        train: this.trainSchedule(gather.dispatch(set, { seqBase: 0 }, 'scratch-train', true)),
        predict: [d, ...net.forwardInfer, ...net.evalLoss.predict],
      };
    });
    return { ...value, buffers };
  }

  /**
   * One training step: STEP state, then one encoder (checkpoint copy when reading, every kernel in one compute
   * pass, metrics copy) and one submit. Synchronous, so no other submit can slip between its STEP write and it.
   */
  submitStep(schedule: readonly Dispatch[], start: number, valid: number, slot: number): void {
    const { device } = this.ctx;
    this.step.write(start, valid);
    const encoder = device.createCommandEncoder();
    if (slot >= 0) this.ring.encodeCheckpoint(encoder, slot, this.step.step);
    const pass = encoder.beginComputePass();
    encodeDispatches(pass, schedule);
    pass.end();
    if (slot >= 0) this.ring.encodeMetrics(encoder, slot, this.net.trainMetrics, this.lossTrack);
    device.queue.submit([encoder.finish()]);
    this.step.step++;
    this.stepsDone++;
  }

  /** Zeroes the training sums; with `restoreFrom` also puts checkpoint back and zeroes the optimizer state. */
  resetTraining(restoreFrom?: number): boolean {
    const encoder = this.ctx.device.createCommandEncoder();
    let restored = false;
    if (restoreFrom !== undefined) {
      restored = this.ring.encodeRestore(encoder, restoreFrom);
      this.optimizer.resetSlots(encoder);
    }
    encoder.clearBuffer(this.net.trainMetrics);
    encoder.clearBuffer(this.lossTrack);
    this.ctx.device.queue.submit([encoder.finish()]);
    return restored;
  }

  /**
   * Inference over `count` samples in order; loss and accuracy summed on the GPU, read once at the end.
   * Evaluations share their sums, so they run one after another (fit's validation and a caller's evaluate).
   */
  evaluate(schedule: readonly Dispatch[], count: number, withConfusion: boolean): Promise<Evaluation> {
    const run = () => this.evaluateNow(schedule, count, withConfusion);
    const result = this.evaluations.then(run, run);
    this.evaluations = result.catch(() => undefined);
    return result;
  }

  private async evaluateNow(
    schedule: readonly Dispatch[],
    count: number,
    withConfusion: boolean,
  ): Promise<Evaluation> {
    const { device } = this.ctx;
    const { net } = this;
    const clear = device.createCommandEncoder();
    clear.clearBuffer(net.evalMetrics);
    clear.clearBuffer(this.confusion);
    device.queue.submit([clear.finish()]);
    for (let start = 0; start < count; start += net.batch) {
      this.throwIfLost();
      this.step.write(start, Math.min(net.batch, count - start));
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      encodeDispatches(pass, schedule);
      pass.end();
      device.queue.submit([encoder.finish()]);
      await this.flow.afterSubmit();
      await this.flow.maybeYield();
    }
    const cells = net.classes * net.classes;
    const copies: Copy[] = [{ buffer: net.evalMetrics, bytes: 16 }];
    if (withConfusion) copies.push({ buffer: this.confusion, bytes: cells * 4 });
    return this.reader.read(copies, (bytes) => {
      // A NaN/Inf output shows as a NaN loss, as in Keras.
      const m = new Float32Array(bytes, 0, 4);
      return {
        loss: m[0] / m[2],
        accuracy: m[1] / m[2],
        confusion: withConfusion ? new Int32Array(bytes.slice(16, 16 + cells * 4)) : new Int32Array(0),
      };
    });
  }

  /** Raw samples (and labels) into the scratch set; queue-ordered before whatever is submitted next. */
  loadScratch(images: Uint8Array, labels: Int32Array | null): void {
    writeImages(this.ctx, this.scratch.set.images, images, images.length);
    if (labels) this.ctx.device.queue.writeBuffer(this.scratch.set.labels, 0, gpuData(labels));
  }

  /** Submits `schedule` (STEP already written) and reads back `copies` of its results. */
  runAndRead(schedule: readonly Dispatch[], copies: Copy[]): Promise<ArrayBuffer> {
    const encoder = this.ctx.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    encodeDispatches(pass, schedule);
    pass.end();
    this.ctx.device.queue.submit([encoder.finish()]);
    return this.reader.read(copies, (b) => b);
  }

  writeWeights(data: Float32Array[]): void {
    this.net.params.forEach((p, i) => {
      this.ctx.device.queue.writeBuffer(p.buffer, 0, gpuData(data[i]));
    });
  }

  async readWeights(): Promise<NamedWeight[]> {
    const { params } = this.net;
    const bytes = await this.reader.read(
      params.map((p) => ({ buffer: p.buffer, bytes: p.size * 4 })),
      (b) => b,
    );
    let offset = 0;
    return params.map((p) => {
      const data = new Float32Array(bytes.slice(offset, offset + p.size * 4));
      offset += p.size * 4;
      return { name: p.name, shape: [...p.shape], data };
    });
  }

  throwIfLost(): void {
    if (this.lost !== null) {
      throw new Error(
        `the GPU device was lost (${this.lost}); reload the model to continue from the last checkpoint`,
      );
    }
  }

  private releaseDataset(): void {
    for (const b of this.data?.buffers ?? []) this.ctx.arena.release(b);
    this.data = null;
  }

  private releaseScratch(): void {
    for (const b of this.scratch.buffers) this.ctx.arena.release(b);
  }

  destroy(): void {
    this.releaseDataset();
    this.releaseScratch();
    this.reader.destroy();
    for (const b of this.owned) this.ctx.arena.release(b);
    this.owned.length = 0;
  }
}

function trackDispatch(ctx: GpuContext, net: CompiledNetwork, track: GPUBuffer): Dispatch {
  const pipeline = ctx.pipelines.get('metrics', 'track_loss');
  const bindGroup = ctx.device.createBindGroup({
    label: 'track_loss',
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 3, resource: { buffer: net.trainMetrics } },
      { binding: 4, resource: { buffer: track } },
    ],
  });
  return { pipeline, bindGroup, workgroups: [1, 1, 1], label: 'track_loss' };
}

function confusionDispatch(ctx: GpuContext, net: CompiledNetwork, confusion: GPUBuffer): Dispatch {
  const WG = 64;
  const pipeline = ctx.pipelines.get('metrics', 'confusion_matrix', {
    WG,
    BATCH: net.batch,
    CLASSES: net.classes,
  });
  const bindGroup = ctx.device.createBindGroup({
    label: 'confusion',
    layout: pipeline.getBindGroupLayout(0),
    entries: [net.probs, net.labels, confusion].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  return { pipeline, bindGroup, workgroups: [Math.ceil(net.batch / WG), 1, 1], label: 'confusion_matrix' };
}
