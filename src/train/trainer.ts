// The trainer: compile (create), the GPU-resident dataset, fit / evaluate / predict / trainOnBatch, pause /
// resume / stop between steps, weights in Keras layouts, and divergence handling. Everything the hot path
// touches is made in create and setDataset (engine.ts); a training step writes the STEP state, records one
// command encoder replaying prebuilt dispatches and submits it; metrics come back a few times a second.
import type { GpuContext } from '../gpu/context';
import type { BuiltModel } from '../model/sequential';
import type { TrainingConfig } from '../model/training-config';
import { initialWeights, type NamedWeight } from '../model/weights';
import { FitCallbacks } from './callbacks';
import { planDataset } from './dataset';
import { Engine } from './engine';
import { ACCURACY_METRICS, epochLogs, runEpoch } from './fit';
import { checkTrainingMemory } from './memory';
import { checkLearningRate } from './optimizer';
import type { AccuracyName } from './output';
import { profileDispatches, type StepProfile } from './profile';
import type { MetricsRead } from './readback';
import {
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
  /** How dataset images are fitted to the input: default 'pad' when they are no larger, else 'resize'. */
  inputAdapt?: 'pad' | 'resize';
  /** Initial weights (Keras names and layouts); default initialWeights(model, seed). */
  weights?: NamedWeight[];
}

export class Trainer {
  private readonly seed: number;
  private paused = false;
  /** Called once a pause has taken hold (see pause). */
  private onPaused: (() => void) | null = null;
  private stopped = false;
  private running = false;
  private destroyed = false;
  private resumeWaiters: (() => void)[] = [];

  private constructor(
    private readonly engine: Engine,
    readonly model: BuiltModel,
    readonly config: TrainingConfig,
    private readonly opts: TrainerOptions,
  ) {
    this.seed = opts.seed ?? 42;
    engine.writeWeights(this.initial());
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
      made = ctx.arena.collect(() => {
        const engine = new Engine(ctx, model, config, opts.seed ?? 42);
        return new Trainer(engine, model, config, opts);
      });
    } catch (e) {
      thrown = e;
    }
    const validation = await ctx.device.popErrorScope();
    const oom = await ctx.device.popErrorScope();
    if (thrown || !made) throw thrown;
    const trainer = made.value;
    trainer.engine.owned.push(...made.buffers);
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
    return this.engine.memoryBytes;
  }

  get stepsDone(): number {
    return this.engine.stepsDone;
  }

  /**
   * What fit reports beside the loss, as Keras names it: the accuracy under the name compile(metrics=...) gave
   * it ('accuracy', 'sparse_categorical_accuracy', ...; null when the metrics ask for none, as Keras then logs
   * only the loss), and which accuracy that is for this loss and output.
   */
  get reported(): { accuracy: string | null; kind: AccuracyName } {
    const named = this.config.metrics.find((m) => ACCURACY_METRICS.includes(m));
    return { accuracy: named ?? null, kind: this.engine.net.output.accuracy };
  }

  get learningRate(): number {
    return this.engine.step.learningRate;
  }

  /** Uploads the dataset once (uint8, u32-packed) and prepares its gathers; checks it against the model first. */
  setDataset(ds: TrainerDataset): void {
    this.assertIdle('setDataset');
    const { classes } = this.engine.net;
    this.engine.loadDataset(
      planDataset(this.model, classes, ds, this.config.validation_split, this.opts.inputAdapt),
    );
  }

  async fit(opts: FitOptions): Promise<History> {
    this.assertIdle('fit');
    const data = this.engine.data;
    if (!data) throw new Error('no dataset: call setDataset before fit');
    if (!(Number.isInteger(opts.epochs) && opts.epochs >= 1)) {
      throw new Error(`epochs must be a positive integer, got ${opts.epochs}`);
    }
    this.running = true;
    // pause / stop act on a running fit; one left over from before must not freeze or end this one.
    this.stopped = false;
    this.paused = false;
    this.onPaused = null;
    const history: History = { epochs: [], stopped: false };
    const control = { betweenSteps: () => this.betweenSteps(), halted: () => this.stopped || this.destroyed };
    const keras = new FitCallbacks(opts.keras ?? this.config.callbacks ?? [], {
      getLearningRate: () => this.learningRate,
      setLearningRate: (lr) => this.setLearningRate(lr),
      readWeights: () => this.engine.readWeights(),
      writeWeights: (w) => this.setWeights(w),
      announce: (e) => opts.callbacks?.onCallback?.(e),
    });
    this.engine.resetTraining();
    try {
      for (let epoch = 0; epoch < opts.epochs && !control.halted(); epoch++) {
        keras.epochBegin(epoch);
        const lr = this.learningRate;
        const r = await runEpoch(this.engine, data, epoch, this.seed, opts, control);
        if (r.diverged) await this.recoverFromDivergence(epoch, r.diverged);
        if (!r.end) break;
        if (keras.changesLearningRate) r.end.learning_rate = lr;
        history.epochs.push(r.end);
        opts.callbacks?.onEpochEnd?.(r.end);
        if (await keras.epochEnd(epoch, epochLogs(r.end, this.config.metrics))) break;
      }
      if (!this.destroyed) keras.trainEnd();
    } finally {
      this.running = false;
      // Steps of a stopped epoch were never read: their sums must not leak into the next fit or trainOnBatch.
      if (!this.destroyed) this.engine.resetTraining();
    }
    history.stopped = this.stopped;
    if (keras.report.earlyStop) history.earlyStop = keras.report.earlyStop;
    if (keras.report.notes.length > 0) history.notes = keras.report.notes;
    return history;
  }

  /** Waits while paused; false once stopped or destroyed. Yields to the event loop now and then. */
  private async betweenSteps(): Promise<boolean> {
    this.engine.throwIfLost();
    await this.engine.flow.maybeYield();
    if (this.paused && !this.stopped && !this.destroyed) {
      // The steps in flight finish and report their metrics before the run counts as paused.
      await this.engine.ring.settle();
      const paused = this.onPaused;
      this.onPaused = null;
      if (this.paused) paused?.();
    }
    while (this.paused && !this.stopped && !this.destroyed) {
      await new Promise<void>((r) => this.resumeWaiters.push(r));
    }
    return !this.stopped && !this.destroyed;
  }

  /** Puts back the newest checkpoint with a finite loss (or the initial weights) and throws. */
  private async recoverFromDivergence(epoch: number, read: MetricsRead): Promise<never> {
    const { ring } = this.engine;
    const good = ring.good;
    const restored = this.engine.resetTraining(good);
    let note = `the weights from step ${ring.stepOf(good)} (the last with a finite loss) are restored`;
    const weights = await this.engine.readWeights();
    if (!restored || weights.some((w) => !w.data.every(Number.isFinite))) {
      this.engine.writeWeights(this.initial());
      note = 'no finite checkpoint was left, so the initial weights are restored';
    }
    ring.forget();
    const lr = this.learningRate;
    const step = this.engine.step.step;
    throw new TrainingDivergedError(
      `training diverged in epoch ${epoch + 1}: ${lossProblem(read)} by step ${step}; ${note}. ` +
        `Lower the learning rate (now ${lr}; try ${+(lr / 10).toPrecision(3)}) and train again.`,
      epoch,
      step,
      lr,
    );
  }

  async evaluate(which: 'val' | 'test'): Promise<Evaluation> {
    this.assertAlive('evaluate');
    const data = this.engine.data;
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
    return this.engine.evaluate(schedule, count, true);
  }

  async predict(images: Uint8Array, count: number): Promise<Float32Array> {
    this.assertAlive('predict');
    const { net, scratch, step } = this.engine;
    this.checkSamples(images, count);
    const out = new Float32Array(count * net.classes);
    const per = scratch.imageBytes;
    for (let start = 0; start < count; start += net.batch) {
      const rows = Math.min(net.batch, count - start);
      this.engine.loadScratch(images.subarray(start * per, (start + rows) * per), null);
      step.write(0, rows);
      const probs = await this.engine.runAndRead(scratch.predict, [
        { buffer: net.probs, bytes: rows * net.classes * 4 },
      ]);
      out.set(new Float32Array(probs), start * net.classes);
    }
    return out;
  }

  /** One optimizer step on up to batch_size samples (fewer are padded and ignored); the loss before it. */
  async trainOnBatch(
    images: Uint8Array,
    labels: Int32Array,
    count: number,
  ): Promise<{ loss: number; accuracy: number }> {
    this.assertIdle('trainOnBatch');
    const { net, ring } = this.engine;
    if (!(Number.isInteger(count) && count >= 1 && count <= net.batch)) {
      throw new Error(`trainOnBatch takes 1 to ${net.batch} samples (the compiled batch_size), got ${count}`);
    }
    this.checkSamples(images, count);
    for (let i = 0; i < count; i++) {
      if (!(labels[i] >= 0 && labels[i] < net.classes)) {
        throw new Error(`label ${labels[i]} of sample ${i} is outside 0..${net.classes - 1}`);
      }
    }
    this.engine.loadScratch(
      images.subarray(0, count * this.engine.scratch.imageBytes),
      labels.subarray(0, count),
    );
    const slot = await ring.waitForFree();
    this.engine.submitStep(this.engine.scratch.train, 0, count, slot);
    const m = await ring.read(slot);
    if (!m.finite) {
      // The slot's checkpoint holds the weights this batch started from.
      this.engine.resetTraining(slot);
      ring.forget();
      const lr = this.learningRate;
      throw new TrainingDivergedError(
        `${lossProblem(m)} on this batch; the weights from before it are restored. Lower the learning ` +
          `rate (now ${lr}; try ${+(lr / 10).toPrecision(3)}).`,
        0,
        this.engine.step.step,
        lr,
      );
    }
    return { loss: m.lossSum / m.count, accuracy: m.correct / m.count };
  }

  /** Every layer's output for one sample (inference mode); the last is the class probabilities. */
  async activations(image: Uint8Array): Promise<LayerActivation[]> {
    this.assertAlive('activations');
    const { net, scratch, step } = this.engine;
    this.checkSamples(image, 1);
    this.engine.loadScratch(image.subarray(0, scratch.imageBytes), null);
    step.write(0, 1);
    const last = net.layers.length - 1;
    // The last layer's y holds logits when the loss owns the softmax or sigmoid; the model's output is probs
    // (for one sigmoid unit, the probs row is [1 - p, p] and the output is p).
    const copies = net.layers.map((l, i) => ({
      buffer: i === last ? net.probs : l.y,
      bytes: (i === last ? net.classes : l.sampleSize) * 4,
    }));
    const bytes = await this.engine.runAndRead(scratch.predict, copies);
    let offset = 0;
    return net.layers.map((l, i) => {
      const all = new Float32Array(bytes.slice(offset, offset + copies[i].bytes));
      offset += copies[i].bytes;
      const data = all.length === l.sampleSize ? all : all.slice(all.length - l.sampleSize);
      return { layerName: l.built.layer.config.name, shape: [...l.built.outputShape], data };
    });
  }

  /**
   * Times each kernel of fit's training step (src/train/profile.ts). It runs `repeats` real steps on the first
   * batch, so the weights move; for benchmarks and reports, not during a run.
   */
  async profileStep(repeats = 3): Promise<StepProfile> {
    this.assertIdle('profileStep');
    const { data, net, step, ctx } = this.engine;
    if (!data) throw new Error('no dataset: call setDataset before profileStep');
    const rows = Math.min(net.batch, data.plan.trainCount);
    return profileDispatches(ctx, data.trainSchedule, () => step.write(0, rows), repeats);
  }

  /**
   * Pauses a running fit before its next step. `onPaused` runs once the pause has taken hold: the steps in
   * flight have finished and every read-back of them has been reported (onBatchEnd), so nothing moves after
   * it until resume. Not called when the run resumes, stops or ends first.
   */
  pause(onPaused?: () => void): void {
    this.paused = true;
    this.onPaused = onPaused ?? null;
  }

  resume(): void {
    this.paused = false;
    this.onPaused = null;
    this.wake();
  }

  stop(): void {
    this.stopped = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const w of waiters) w();
  }

  /** Takes effect from the next step (the rate lives in the STEP state, no recompilation). */
  setLearningRate(lr: number): void {
    checkLearningRate(lr);
    this.engine.step.learningRate = lr;
  }

  getWeights(): Promise<NamedWeight[]> {
    this.assertAlive('getWeights');
    return this.engine.readWeights();
  }

  setWeights(weights: NamedWeight[]): void {
    this.assertAlive('setWeights');
    this.engine.writeWeights(matchWeights(this.engine.net.params, weights));
    this.engine.ring.forget();
  }

  private initial(): Float32Array[] {
    return matchWeights(this.engine.net.params, this.opts.weights ?? initialWeights(this.model, this.seed));
  }

  private checkSamples(images: Uint8Array, count: number): void {
    const per = this.engine.scratch.imageBytes;
    if (images.length < count * per) {
      throw new Error(
        `${count} samples need ${count * per} bytes (${per} each, NHWC uint8 at the dataset's size), got ` +
          `${images.length}`,
      );
    }
  }

  private assertAlive(what: string): void {
    if (this.destroyed) throw new Error(`${what}: this trainer was destroyed; create a new one`);
  }

  private assertIdle(what: string): void {
    this.assertAlive(what);
    if (this.running) throw new Error(`${what}: training is running; stop it first`);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.stop();
    this.destroyed = true;
    this.engine.destroy();
  }
}

/** What went wrong with the loss, for the divergence message. */
function lossProblem(m: MetricsRead): string {
  if (!m.nonFinite && Number.isFinite(m.maxStepLoss)) {
    return `the loss exploded (a batch averaged ${m.maxStepLoss.toPrecision(3)})`;
  }
  return 'the loss became NaN or infinite';
}
