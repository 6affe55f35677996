// The trainer: compile (create), the GPU-resident dataset, fit / evaluate / predict / trainOnBatch and the
// step schedule. Everything the hot path touches is made in create and setDataset; a training step writes the
// STEP state, records one command encoder replaying prebuilt dispatches, and submits it. Metrics come back
// through ReadbackRing a few times a second without waiting on the queue.
import { type Dispatch, encodeDispatches, type GpuContext } from '../gpu/context';
import { Rng } from '../model/random';
import type { BuiltModel } from '../model/sequential';
import type { TrainingConfig } from '../model/training-config';
import { initialWeights, type NamedWeight } from '../model/weights';
import { BatchGather, type GpuImageSet, gpuData, uploadImageSet, writeImages } from './batch';
import { type DatasetPlan, inputGeometry, modelSourceFormat, planDataset } from './dataset';
import { type CompiledNetwork, compileNetwork } from './graph';
import { checkTrainingMemory } from './memory';
import { checkLearningRate, GpuOptimizer } from './optimizer';
import { profileDispatches, type StepProfile } from './profile';
import { divergedLoss, type MetricsRead, ReadbackRing } from './readback';
import { EpochLoop, Flow } from './schedule';
import { StagingReader } from './staging';
import { StepState } from './step-state';
import {
  type BatchEnd,
  type EpochEnd,
  type Evaluation,
  type FitOptions,
  type History,
  type LayerActivation,
  type TrainerDataset,
  TrainingDivergedError,
} from './types';
import { matchWeights } from './weights';

export interface TrainerOptions {
  seed?: number;
  inputAdapt?: 'pad' | 'resize';
  weights?: NamedWeight[];
}

/** What setDataset made: the uploaded sets and the dispatches that gather from them. */
interface DatasetState {
  plan: DatasetPlan;
  buffers: GPUBuffer[];
  indices: GPUBuffer;
  trainSchedule: Dispatch[];
  valSchedule: Dispatch[] | null;
  testSchedule: Dispatch[] | null;
}

/** Raw samples given to predict / trainOnBatch / activations: one batch of room, at the dataset's size. */
interface Scratch {
  set: GpuImageSet;
  imageBytes: number;
  buffers: GPUBuffer[];
  train: Dispatch[];
  predict: Dispatch[];
}

export class Trainer {
  private readonly owned: GPUBuffer[] = [];
  private readonly net: CompiledNetwork;
  private readonly optimizer: GpuOptimizer;
  private readonly step: StepState;
  private readonly ring: ReadbackRing;
  private readonly reader: StagingReader;
  private readonly confusion: GPUBuffer;
  private readonly confusionDispatch: Dispatch;
  private readonly lossTrack: GPUBuffer;
  private readonly trackDispatch: Dispatch;
  private readonly flow: Flow;
  private readonly seed: number;
  private data: DatasetState | null = null;
  private scratch!: Scratch;
  private paused = false;
  private stopped = false;
  private running = false;
  private destroyed = false;
  private resumeWaiters: (() => void)[] = [];
  private lost: string | null = null;
  stepsDone = 0;

  private constructor(
    private readonly ctx: GpuContext,
    readonly model: BuiltModel,
    readonly config: TrainingConfig,
    private readonly opts: TrainerOptions,
  ) {
    this.seed = opts.seed ?? 42;
    this.step = new StepState(ctx, this.seed, config.optimizer.learning_rate);
    checkLearningRate(config.optimizer.learning_rate);
    this.net = compileNetwork(ctx, model, config.loss, config.batch_size, this.step.buffer);
    const { net } = this;
    this.optimizer = new GpuOptimizer(
      ctx,
      config.optimizer,
      net.params.map((p) => ({ name: p.name, size: p.size, param: p.buffer, grad: p.grad })),
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
    this.scratch = this.makeScratch(modelSourceFormat(inputGeometry(model)), 'pad');
    this.writeWeights(matchWeights(net.params, opts.weights ?? initialWeights(model, this.seed)));
    ctx.device.lost.then((info) => {
      this.lost = info.message || String(info.reason);
    });
  }

  /** Compiles the model for config.batch_size: buffers, kernels, optimizer; initial weights uploaded. */
  static async create(
    ctx: GpuContext,
    model: BuiltModel,
    config: TrainingConfig,
    opts: TrainerOptions = {},
  ): Promise<Trainer> {
    // Refuse what cannot fit from the model's shapes, before a single buffer exists.
    checkTrainingMemory(model, config.batch_size, config.optimizer, ctx.device.limits);
    ctx.device.pushErrorScope('out-of-memory');
    ctx.device.pushErrorScope('validation');
    let made: { value: Trainer; buffers: GPUBuffer[] } | null = null;
    let thrown: unknown = null;
    try {
      made = ctx.arena.collect(() => new Trainer(ctx, model, config, opts));
    } catch (e) {
      thrown = e;
    }
    const validation = await ctx.device.popErrorScope();
    const oom = await ctx.device.popErrorScope();
    if (thrown) throw thrown;
    const trainer = made!.value;
    trainer.owned.push(...made!.buffers);
    const err = oom ?? validation;
    if (err) {
      trainer.destroy();
      throw new Error(
        oom
          ? `the GPU ran out of memory for this model (${err.message}); use a smaller batch_size or fewer units`
          : `the GPU refused the compiled model: ${err.message}`,
      );
    }
    return trainer;
  }

  get memoryBytes(): number {
    let n = 0;
    for (const b of this.owned) n += b.size;
    for (const b of this.data?.buffers ?? []) n += b.size;
    for (const b of this.scratch.buffers) n += b.size;
    return n;
  }

  /**
   * Times each kernel of fit's training step (src/train/profile.ts). It runs `repeats` real steps on the first
   * batch, so the weights move; for benchmarks and reports, not during a run.
   */
  async profileStep(repeats = 3): Promise<StepProfile> {
    this.assertIdle('profileStep');
    const data = this.data;
    if (!data) throw new Error('no dataset: call setDataset before profileStep');
    const rows = Math.min(this.net.batch, data.plan.trainCount);
    return profileDispatches(this.ctx, data.trainSchedule, () => this.step.write(0, rows), repeats);
  }

  /** Uploads the dataset once (uint8) and prepares its gathers. Throws, uploading nothing, if it does not fit. */
  setDataset(ds: TrainerDataset): void {
    this.assertIdle('setDataset');
    const plan = planDataset(
      this.model,
      this.net.classes,
      ds,
      this.config.validation_split,
      this.opts.inputAdapt,
    );
    // The old dataset goes first so two never sit on the GPU together; a failed upload leaves none.
    this.releaseDataset();
    const { ctx, net } = this;
    const { value, buffers } = ctx.arena.collect((): Omit<DatasetState, 'buffers'> => {
      const target = { x: net.input, labels: net.labels, batch: net.batch, dstH: plan.dstH, dstW: plan.dstW };
      const gather = new BatchGather(ctx, plan.source, target, plan.mode, this.step.buffer);
      const train = uploadImageSet(ctx, 'train', plan.source, plan.train);
      const indices = ctx.arena.storage('train/indices', plan.trainCount);
      const evalOf = (d: Dispatch) => [
        d,
        ...net.forwardInfer,
        ...net.evalLoss.evaluate,
        this.confusionDispatch,
      ];
      let valSchedule: Dispatch[] | null = null;
      if (plan.val) {
        const valSet = plan.val.split ? train : uploadImageSet(ctx, 'val', plan.source, plan.val.set);
        valSchedule = evalOf(gather.dispatch(valSet, { seqBase: plan.val.base }, 'val'));
      }
      const testSchedule = plan.test
        ? evalOf(gather.dispatch(uploadImageSet(ctx, 'test', plan.source, plan.test), { seqBase: 0 }, 'test'))
        : null;
      return {
        plan,
        indices,
        trainSchedule: this.trainSchedule(gather.dispatch(train, { indices }, 'train')),
        valSchedule,
        testSchedule,
      };
    });
    this.data = { ...value, buffers };
    this.releaseScratch();
    this.scratch = this.makeScratch(plan.source, plan.mode, plan.dstH, plan.dstW);
  }

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

  private makeScratch(
    source: DatasetPlan['source'],
    mode: 'pad' | 'resize',
    dstH = inputGeometry(this.model).dstH,
    dstW = inputGeometry(this.model).dstW,
  ): Scratch {
    const { ctx, net } = this;
    const { value, buffers } = ctx.arena.collect(() => {
      const target = { x: net.input, labels: net.labels, batch: net.batch, dstH, dstW };
      const gather = new BatchGather(ctx, source, target, mode, this.step.buffer);
      const set = uploadImageSet(ctx, 'scratch', source, null, net.batch);
      const d = gather.dispatch(set, { seqBase: 0 }, 'scratch');
      return {
        set,
        imageBytes: source.height * source.width * source.channels,
        train: this.trainSchedule(d),
        predict: [d, ...net.forwardInfer, ...net.evalLoss.predict],
      };
    });
    return { ...value, buffers };
  }

  async fit(opts: FitOptions): Promise<History> {
    this.assertIdle('fit');
    const data = this.data;
    if (!data) throw new Error('no dataset: call setDataset before fit');
    if (!(Number.isInteger(opts.epochs) && opts.epochs >= 1)) {
      throw new Error(`epochs must be a positive integer, got ${opts.epochs}`);
    }
    this.running = true;
    this.stopped = false;
    const history: History = { epochs: [], stopped: false };
    try {
      for (let epoch = 0; epoch < opts.epochs && !this.stopped; epoch++) {
        const e = await this.fitEpoch(data, epoch, epoch === 0, opts);
        if (!e) break;
        history.epochs.push(e);
        opts.callbacks?.onEpochEnd?.(e);
      }
    } finally {
      this.running = false;
    }
    history.stopped = this.stopped;
    return history;
  }

  /** One epoch; null when stopped in its middle. */
  private async fitEpoch(
    data: DatasetState,
    epoch: number,
    first: boolean,
    opts: FitOptions,
  ): Promise<EpochEnd | null> {
    const t0 = performance.now();
    const n = data.plan.trainCount;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    if (opts.shuffle ?? true) new Rng((this.seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0).shuffle(order);
    this.ctx.device.queue.writeBuffer(data.indices, 0, order);
    const loop = new EpochLoop(epoch, Math.ceil(n / this.net.batch), opts.callbacks?.onBatchEnd);
    // Set by a read-back callback: the first read with a NaN/Inf loss.
    const bad: { read: MetricsRead | null } = { read: null };
    for (let b = 0; b < loop.batches; b++) {
      if (!(await this.betweenSteps())) break;
      if (bad.read) break;
      const start = b * this.net.batch;
      const valid = Math.min(this.net.batch, n - start);
      // Read on the run's first step (its checkpoint is the starting weights), an epoch's last, and every
      // ~250 ms; a forced read waits for a free slot, an optional one is skipped when none is free.
      const forced = (first && b === 0) || b === loop.batches - 1;
      let slot = this.ring.freeSlot();
      if (forced && slot < 0) slot = await this.ring.waitForFree();
      if (!forced && !loop.readDue()) slot = -1;
      const batchIndex = b + 1;
      this.submitStep(data.trainSchedule, start, valid, slot);
      if (slot >= 0) {
        loop.marked();
        this.ring.read(slot).then(
          (m) => {
            if (!m.finite) bad.read ??= m;
            else loop.onRead(m, batchIndex);
          },
          (e: unknown) => loop.fail(e),
        );
      }
      await this.flow.afterSubmit();
    }
    await this.ring.settle();
    loop.throwIfFailed();
    this.throwIfLost();
    if (bad.read) await this.recoverFromDivergence(epoch, bad.read);
    if (this.stopped || this.destroyed) return null;
    const trainSeconds = (performance.now() - t0) / 1000;
    const e: EpochEnd = {
      epoch,
      loss: loop.sum.loss / loop.sum.count,
      accuracy: loop.sum.correct / loop.sum.count,
      samplesPerSec: n / trainSeconds,
      seconds: 0,
    };
    if (data.valSchedule && data.plan.val) {
      const v = await this.runEvaluation(data.valSchedule, data.plan.val.count, false);
      e.val_loss = v.loss;
      e.val_accuracy = v.accuracy;
    }
    e.seconds = (performance.now() - t0) / 1000;
    return e;
  }

  /**
   * One training step: STEP state, then one encoder (checkpoint copy when reading, every kernel in one compute
   * pass, metrics copy) and one submit. Synchronous, so no other submit can slip between its STEP write and it.
   */
  private submitStep(schedule: readonly Dispatch[], start: number, valid: number, slot: number): void {
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

  /** Waits while paused; false once stopped or destroyed. Yields to the event loop now and then. */
  private async betweenSteps(): Promise<boolean> {
    this.throwIfLost();
    await this.flow.maybeYield();
    while (this.paused && !this.stopped && !this.destroyed) {
      await new Promise<void>((r) => this.resumeWaiters.push(r));
    }
    return !this.stopped && !this.destroyed;
  }

  private async recoverFromDivergence(epoch: number, read: MetricsRead): Promise<never> {
    const good = this.ring.good;
    const encoder = this.ctx.device.createCommandEncoder();
    const restored = this.ring.encodeRestore(encoder, good);
    this.optimizer.resetSlots(encoder);
    encoder.clearBuffer(this.net.trainMetrics);
    encoder.clearBuffer(this.lossTrack);
    this.ctx.device.queue.submit([encoder.finish()]);
    let note = `the weights from step ${this.ring.stepOf(good)} (the last with a finite loss) are restored`;
    const weights = await this.getWeights();
    if (!restored || weights.some((w) => !w.data.every(Number.isFinite))) {
      this.writeWeights(
        matchWeights(this.net.params, this.opts.weights ?? initialWeights(this.model, this.seed)),
      );
      note = 'no finite checkpoint was left, so the initial weights are restored';
    }
    this.ring.forget();
    const lr = this.step.learningRate;
    throw new TrainingDivergedError(
      `training diverged in epoch ${epoch + 1}: ${lossProblem(read)} by step ${this.step.step}; ${note}. ` +
        `Lower the learning rate (now ${lr}; try ${+(lr / 10).toPrecision(3)}) and train again.`,
      epoch,
      this.step.step,
      lr,
    );
  }

  async evaluate(which: 'val' | 'test'): Promise<Evaluation> {
    this.assertAlive('evaluate');
    const data = this.data;
    if (!data) throw new Error('no dataset: call setDataset before evaluate');
    const schedule = which === 'val' ? data.valSchedule : data.testSchedule;
    const count = which === 'val' ? (data.plan.val?.count ?? 0) : (data.plan.test?.count ?? 0);
    if (!schedule) {
      throw new Error(
        which === 'val'
          ? 'the dataset has no validation set; give one or set validation_split > 0'
          : 'the dataset has no test set',
      );
    }
    return this.runEvaluation(schedule, count, true);
  }

  /** Inference over `count` samples in order; loss and accuracy summed on the GPU, read once at the end. */
  private async runEvaluation(schedule: Dispatch[], count: number, confusion: boolean): Promise<Evaluation> {
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
    const classes2 = net.classes * net.classes;
    return this.reader.read(
      [
        { buffer: net.evalMetrics, bytes: 16 },
        ...(confusion ? [{ buffer: this.confusion, bytes: classes2 * 4 }] : []),
      ],
      (bytes) => {
        // A NaN/Inf output shows as a NaN loss, as in Keras.
        const m = new Float32Array(bytes, 0, 4);
        return {
          loss: m[0] / m[2],
          accuracy: m[1] / m[2],
          confusion: confusion ? new Int32Array(bytes.slice(16, 16 + classes2 * 4)) : new Int32Array(0),
        };
      },
    );
  }

  async predict(images: Uint8Array, count: number): Promise<Float32Array> {
    this.assertAlive('predict');
    const { net, scratch } = this;
    this.checkSamples(images, count);
    const out = new Float32Array(count * net.classes);
    for (let start = 0; start < count; start += net.batch) {
      const rows = Math.min(net.batch, count - start);
      this.loadScratch(
        images.subarray(start * scratch.imageBytes, (start + rows) * scratch.imageBytes),
        null,
      );
      this.step.write(0, rows);
      const probs = await this.runAndRead(scratch.predict, [
        { buffer: net.probs, bytes: rows * net.classes * 4 },
      ]);
      out.set(new Float32Array(probs), start * net.classes);
    }
    return out;
  }

  async trainOnBatch(
    images: Uint8Array,
    labels: Int32Array,
    count: number,
  ): Promise<{ loss: number; accuracy: number }> {
    const { net } = this;
    this.assertIdle('trainOnBatch');
    if (!(Number.isInteger(count) && count >= 1 && count <= net.batch)) {
      throw new Error(`trainOnBatch takes 1 to ${net.batch} samples (the compiled batch_size), got ${count}`);
    }
    this.checkSamples(images, count);
    for (let i = 0; i < count; i++) {
      if (!(labels[i] >= 0 && labels[i] < net.classes)) {
        throw new Error(`label ${labels[i]} of sample ${i} is outside 0..${net.classes - 1}`);
      }
    }
    this.loadScratch(images.subarray(0, count * this.scratch.imageBytes), labels.subarray(0, count));
    const slot = await this.ring.waitForFree();
    this.submitStep(this.scratch.train, 0, count, slot);
    const m = await this.ring.read(slot);
    if (!m.finite) {
      const encoder = this.ctx.device.createCommandEncoder();
      this.ring.encodeRestore(encoder, slot);
      this.optimizer.resetSlots(encoder);
      this.ctx.device.queue.submit([encoder.finish()]);
      const lr = this.step.learningRate;
      throw new TrainingDivergedError(
        `${lossProblem(m)} on this batch; the weights from before it are restored. Lower the learning ` +
          `rate (now ${lr}; try ${+(lr / 10).toPrecision(3)}).`,
        0,
        this.step.step,
        lr,
      );
    }
    return { loss: m.lossSum / m.count, accuracy: m.correct / m.count };
  }

  async activations(image: Uint8Array): Promise<LayerActivation[]> {
    this.assertAlive('activations');
    const { net } = this;
    this.checkSamples(image, 1);
    this.loadScratch(image.subarray(0, this.scratch.imageBytes), null);
    this.step.write(0, 1);
    const last = net.layers.length - 1;
    // The last layer's y holds logits when the loss owns the softmax; the model's output is probs.
    const copies = net.layers.map((l, i) => ({
      buffer: i === last ? net.probs : l.y,
      bytes: (i === last ? net.classes : l.sampleSize) * 4,
    }));
    const bytes = await this.runAndRead(this.scratch.predict, copies);
    let offset = 0;
    return net.layers.map((l) => {
      const data = new Float32Array(bytes.slice(offset, offset + l.sampleSize * 4));
      offset += l.sampleSize * 4;
      return { layerName: l.built.layer.config.name, shape: [...l.built.outputShape], data };
    });
  }

  private checkSamples(images: Uint8Array, count: number): void {
    const per = this.scratch.imageBytes;
    if (images.length < count * per) {
      throw new Error(
        `${count} samples need ${count * per} bytes (${per} each, NHWC uint8 at the dataset's size), got ` +
          `${images.length}`,
      );
    }
  }

  private loadScratch(images: Uint8Array, labels: Int32Array | null): void {
    writeImages(this.ctx, this.scratch.set.images, images, images.length);
    if (labels) this.ctx.device.queue.writeBuffer(this.scratch.set.labels, 0, gpuData(labels));
  }

  /** Submits `schedule` (STEP already written) and reads back `copies` of its results. */
  private runAndRead(
    schedule: Dispatch[],
    copies: { buffer: GPUBuffer; bytes: number }[],
  ): Promise<ArrayBuffer> {
    const encoder = this.ctx.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    encodeDispatches(pass, schedule);
    pass.end();
    this.ctx.device.queue.submit([encoder.finish()]);
    return this.reader.read(copies, (b) => b);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake();
  }

  stop(): void {
    this.stopped = true;
    this.wake();
  }

  private wake(): void {
    const w = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const r of w) r();
  }

  setLearningRate(lr: number): void {
    checkLearningRate(lr);
    this.step.learningRate = lr;
  }

  get learningRate(): number {
    return this.step.learningRate;
  }

  async getWeights(): Promise<NamedWeight[]> {
    this.assertAlive('getWeights');
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

  setWeights(weights: NamedWeight[]): void {
    this.assertAlive('setWeights');
    this.writeWeights(matchWeights(this.net.params, weights));
    this.ring.forget();
  }

  private writeWeights(data: Float32Array[]): void {
    this.net.params.forEach((p, i) => {
      this.ctx.device.queue.writeBuffer(p.buffer, 0, gpuData(data[i]));
    });
  }

  private assertAlive(what: string): void {
    if (this.destroyed) throw new Error(`${what}: this trainer was destroyed; create a new one`);
  }

  private assertIdle(what: string): void {
    this.assertAlive(what);
    if (this.running) throw new Error(`${what}: training is running; stop it first`);
  }

  private throwIfLost(): void {
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
    if (this.destroyed) return;
    this.stop();
    this.destroyed = true;
    this.releaseDataset();
    this.releaseScratch();
    this.reader.destroy();
    for (const b of this.owned) this.ctx.arena.release(b);
    this.owned.length = 0;
  }
}

/** What went wrong with the loss, for the divergence message. */
function lossProblem(m: MetricsRead): string {
  if (!m.nonFinite && Number.isFinite(m.maxStepLoss)) {
    return `the loss exploded (a batch averaged ${m.maxStepLoss.toPrecision(3)})`;
  }
  return 'the loss became NaN or infinite';
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

export type { BatchEnd };
