// Keras's fit callbacks, with Keras 3's rules: EarlyStopping, ReduceLROnPlateau and LearningRateScheduler.
// The trainer calls epochBegin before an epoch's first step and epochEnd with its logs; the learning rate lives
// in the STEP state, so a change takes effect from the next step without recompiling anything.
import type { CallbackConfig } from '../model/training-config';
import type { NamedWeight } from '../model/weights';
import { evalLr } from './lr-schedule';
import { checkLearningRate } from './optimizer';
import type { CallbackEvent } from './types';

export interface CallbackHost {
  getLearningRate(): number;
  setLearningRate(lr: number): void;
  readWeights(): Promise<NamedWeight[]>;
  writeWeights(w: NamedWeight[]): void;
  /** Told what a callback did (the fit log prints it). */
  announce?(e: CallbackEvent): void;
}

/** What the callbacks decided, for History. */
export interface CallbackReport {
  /** Set when EarlyStopping ended the run: the epoch (0-based) it stopped after, and the best one. */
  earlyStop?: { epoch: number; monitor: string; best: number; bestEpoch: number; restored: boolean };
  /** Why a callback did nothing (a monitored value that is never logged), as Keras warns. */
  notes: string[];
}

type Logs = Record<string, number | undefined>;

/**
 * Keras 3's 'auto' mode: EarlyStopping maximises a monitor ending in acc/accuracy/auc, ReduceLROnPlateau one
 * containing 'acc'; everything else is minimised.
 */
function maximises(monitor: string, mode: 'min' | 'max' | 'auto', who: 'early' | 'plateau'): boolean {
  if (mode !== 'auto') return mode === 'max';
  return who === 'early' ? /(acc|accuracy|auc)$/.test(monitor) : monitor.includes('acc');
}

interface EarlyState {
  cfg: Extract<CallbackConfig, { kind: 'EarlyStopping' }>;
  wait: number;
  best: number | null;
  bestEpoch: number;
  bestWeights: NamedWeight[] | null;
  stoppedEpoch: number;
}

interface PlateauState {
  cfg: Extract<CallbackConfig, { kind: 'ReduceLROnPlateau' }>;
  wait: number;
  best: number;
  cooldown: number;
}

export class FitCallbacks {
  readonly report: CallbackReport = { notes: [] };
  private readonly early: EarlyState[] = [];
  private readonly plateau: PlateauState[] = [];
  private readonly schedulers: Extract<CallbackConfig, { kind: 'LearningRateScheduler' }>[] = [];
  private readonly warned = new Set<string>();

  constructor(
    configs: readonly CallbackConfig[],
    private readonly host: CallbackHost,
  ) {
    for (const c of configs) {
      if (c.kind === 'EarlyStopping') {
        this.early.push({ cfg: c, wait: 0, best: null, bestEpoch: 0, bestWeights: null, stoppedEpoch: 0 });
      } else if (c.kind === 'ReduceLROnPlateau') {
        if (!(c.factor < 1)) {
          throw new Error(`ReduceLROnPlateau: factor must be < 1 (it multiplies the rate), got ${c.factor}`);
        }
        const max = maximises(c.monitor, c.mode, 'plateau');
        this.plateau.push({ cfg: c, wait: 0, best: max ? -Infinity : Infinity, cooldown: 0 });
      } else this.schedulers.push(c);
    }
  }

  /** What a callback did, for the fit log: only with verbose > 0, as Keras prints it (its default is silent). */
  private say(cfg: CallbackConfig, e: CallbackEvent): void {
    if ((cfg.verbose ?? 0) > 0) this.host.announce?.(e);
  }

  get changesLearningRate(): boolean {
    return this.plateau.length + this.schedulers.length > 0;
  }

  /** LearningRateScheduler: lr = schedule(epoch, lr), before the epoch's first step. */
  epochBegin(epoch: number): void {
    for (const s of this.schedulers) {
      const lr = evalLr(s.schedule, epoch, this.host.getLearningRate());
      if (!(Number.isFinite(lr) && lr > 0)) {
        throw new Error(
          `LearningRateScheduler: the schedule (${s.source.trim()}) gave ${lr} at epoch ${epoch}; it must return ` +
            'a positive learning rate',
        );
      }
      checkLearningRate(lr);
      this.host.setLearningRate(lr);
      this.say(s, { kind: 'LearningRateScheduler', epoch, learningRate: lr });
    }
  }

  private monitored(monitor: string, logs: Logs, who: string): number | null {
    const v = logs[monitor];
    if (v !== undefined && Number.isFinite(v)) return v;
    const key = `${who}:${monitor}`;
    if (!this.warned.has(key)) {
      this.warned.add(key);
      const have = Object.keys(logs)
        .filter((k) => logs[k] !== undefined)
        .join(', ');
      this.report.notes.push(
        `${who} monitors '${monitor}', which is not logged (logged: ${have}); it did nothing. ` +
          (monitor.startsWith('val_') && !have.includes('val_')
            ? 'Give validation data or validation_split > 0.'
            : 'Monitor one of those.'),
      );
    }
    return null;
  }

  /** After an epoch: ReduceLROnPlateau and EarlyStopping. True when training should stop. */
  async epochEnd(epoch: number, logs: Logs): Promise<boolean> {
    let stop = false;
    for (const p of this.plateau) this.plateauEnd(p, epoch, logs);
    for (const e of this.early) {
      if (await this.earlyEnd(e, epoch, logs)) stop = true;
    }
    return stop;
  }

  private plateauEnd(p: PlateauState, epoch: number, logs: Logs): void {
    const current = this.monitored(p.cfg.monitor, logs, 'ReduceLROnPlateau');
    if (current === null) return;
    const { cfg } = p;
    const max = maximises(cfg.monitor, cfg.mode, 'plateau');
    const better = max ? current > p.best + cfg.min_delta : current < p.best - cfg.min_delta;
    if (p.cooldown > 0) {
      p.cooldown--;
      p.wait = 0;
    }
    if (better) {
      p.best = current;
      p.wait = 0;
    } else if (p.cooldown <= 0) {
      p.wait++;
      if (p.wait >= cfg.patience) {
        const old = this.host.getLearningRate();
        if (old > cfg.min_lr) {
          const lr = Math.max(old * cfg.factor, cfg.min_lr);
          this.host.setLearningRate(lr);
          this.say(cfg, { kind: 'ReduceLROnPlateau', epoch, learningRate: lr });
          p.cooldown = cfg.cooldown;
          p.wait = 0;
        }
      }
    }
  }

  private async earlyEnd(e: EarlyState, epoch: number, logs: Logs): Promise<boolean> {
    const { cfg } = e;
    const current = this.monitored(cfg.monitor, logs, 'EarlyStopping');
    if (current === null || epoch < cfg.start_from_epoch) return false;
    const max = maximises(cfg.monitor, cfg.mode, 'early');
    const delta = Math.abs(cfg.min_delta);
    const improves = (v: number, ref: number | null) =>
      ref === null || (max ? v - delta > ref : v + delta < ref);
    if (cfg.restore_best_weights && e.bestWeights === null) e.bestWeights = await this.host.readWeights();
    e.wait++;
    if (improves(current, e.best)) {
      e.best = current;
      e.bestEpoch = epoch;
      if (cfg.restore_best_weights) e.bestWeights = await this.host.readWeights();
      // Keras restarts the wait only when the baseline is beaten too, and never stops on an improvement.
      if (cfg.baseline === undefined || improves(current, cfg.baseline)) e.wait = 0;
      return false;
    }
    if (e.wait >= cfg.patience && epoch > 0) {
      e.stoppedEpoch = epoch;
      return true;
    }
    return false;
  }

  /** End of fit: EarlyStopping's restore_best_weights, and the report of who stopped the run. */
  trainEnd(): void {
    for (const e of this.early) {
      const restored = e.cfg.restore_best_weights && e.bestWeights !== null;
      if (restored) this.host.writeWeights(e.bestWeights as NamedWeight[]);
      if (e.stoppedEpoch > 0 && e.best !== null && !this.report.earlyStop) {
        const { stoppedEpoch: epoch, bestEpoch } = e;
        this.report.earlyStop = { epoch, monitor: e.cfg.monitor, best: e.best, bestEpoch, restored };
        this.say(e.cfg, { kind: 'EarlyStopping', epoch, bestEpoch, restored });
      }
    }
  }
}
