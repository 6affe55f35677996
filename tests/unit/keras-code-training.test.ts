// compile()/fit() training settings read from Keras code: losses with from_logits, metrics, and the fit
// callbacks (EarlyStopping, ReduceLROnPlateau, LearningRateScheduler with its Python schedule read as a tree).
import { describe, expect, it } from 'vitest';
import { exportKerasCode, importKerasCode } from '../../src/keras';
import { type CallbackConfig, DEFAULT_TRAINING, type LrExpr } from '../../src/model';
import { evalLr } from '../../src/train/lr-schedule';

const MODEL = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Flatten(), layers.Dense(10, activation='softmax')])
`;
const read = (tail: string) => importKerasCode(MODEL + tail);

function schedule(tail: string): LrExpr {
  const cbs = read(tail).training.callbacks as CallbackConfig[];
  const s = cbs.find((c) => c.kind === 'LearningRateScheduler');
  if (s?.kind !== 'LearningRateScheduler') throw new Error('no schedule read');
  return s.schedule;
}

describe('compile: losses and metrics', () => {
  it('reads every supported loss spelling and from_logits', () => {
    const cases: [string, string, boolean | undefined][] = [
      ["loss='binary_crossentropy'", 'binary_crossentropy', undefined],
      ['loss=keras.losses.BinaryCrossentropy(from_logits=True)', 'binary_crossentropy', true],
      ["loss='mse'", 'mean_squared_error', undefined],
      ['loss=keras.losses.MeanSquaredError()', 'mean_squared_error', undefined],
      [
        'loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)',
        'sparse_categorical_crossentropy',
        true,
      ],
      ['loss=keras.losses.categorical_crossentropy', 'categorical_crossentropy', undefined],
    ];
    for (const [arg, loss, fromLogits] of cases) {
      const t = read(`model.compile(optimizer='adam', ${arg})\n`).training;
      expect(t.loss, arg).toBe(loss);
      expect(t.from_logits, arg).toBe(fromLogits);
    }
  });

  it('keeps the accuracy metrics and says which it leaves out', () => {
    const r = read(
      "model.compile(loss='mse', metrics=['acc', 'binary_accuracy', 'mae', keras.metrics.AUC()])\n",
    );
    expect(r.training.metrics).toEqual(['accuracy', 'binary_accuracy']);
    expect(r.warnings.join('\n')).toMatch(/metric 'mae' is not computed.*left out/);
    expect(r.warnings.join('\n')).toMatch(/metric keras\.metrics\.AUC\(\) is not computed/);
    expect(read("model.compile(loss='mse', metrics=None)\n").training.metrics).toEqual([]);
  });

  it('refuses label smoothing rather than ignore it', () => {
    expect(() =>
      read('model.compile(loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1))\n'),
    ).toThrow(/label_smoothing=0\.1 is not supported/);
  });
});

describe('fit callbacks', () => {
  it('reads EarlyStopping and ReduceLROnPlateau with Keras defaults, through a variable too', () => {
    const t =
      read(`es = keras.callbacks.EarlyStopping(monitor='val_accuracy', patience=3, restore_best_weights=True)
model.fit(x, y, epochs=20, callbacks=[es, keras.callbacks.ReduceLROnPlateau(factor=0.5, min_lr=1e-5)])
`).training;
    expect(t.callbacks).toEqual([
      {
        kind: 'EarlyStopping',
        monitor: 'val_accuracy',
        min_delta: 0,
        patience: 3,
        mode: 'auto',
        restore_best_weights: true,
        start_from_epoch: 0,
      },
      {
        kind: 'ReduceLROnPlateau',
        monitor: 'val_loss',
        factor: 0.5,
        patience: 10,
        mode: 'auto',
        min_delta: 1e-4,
        cooldown: 0,
        min_lr: 1e-5,
      },
    ]);
  });

  it('reads a lambda schedule and the Keras documentation def with if/else and ops.exp', () => {
    const lam = schedule(
      'model.fit(x, y, callbacks=[keras.callbacks.LearningRateScheduler(lambda epoch: 1e-3 * 10 ** (epoch / 20))])\n',
    );
    expect(evalLr(lam, 0, 0.5)).toBeCloseTo(1e-3, 15);
    expect(evalLr(lam, 20, 0.5)).toBeCloseTo(1e-2, 15);
    const doc = schedule(`from keras import ops
def scheduler(epoch, lr):
    """Keras's example."""
    if epoch < 10:
        return lr
    else:
        return lr * ops.exp(-0.1)
model.fit(x, y, callbacks=[keras.callbacks.LearningRateScheduler(scheduler)])
`);
    expect(evalLr(doc, 9, 0.01)).toBe(0.01);
    expect(evalLr(doc, 10, 0.01)).toBeCloseTo(0.01 * Math.exp(-0.1), 15);
  });

  it('reads step decay with locals, math.pow/floor, elif and augmented assignment', () => {
    const s = schedule(`import math
def step_decay(epoch):
    initial_lrate = 0.1
    drop = 0.5
    epochs_drop = 10.0
    lrate = initial_lrate * math.pow(drop, math.floor((1 + epoch) / epochs_drop))
    if epoch > 100:
        lrate *= 0.1
    elif epoch == 50 or epoch // 7 % 2 == 1:
        return lrate / 2
    return lrate
model.fit(x, y, callbacks=[keras.callbacks.LearningRateScheduler(step_decay, verbose=1)])
`);
    expect(evalLr(s, 3, 1)).toBeCloseTo(0.1, 15);
    expect(evalLr(s, 14, 1)).toBeCloseTo(0.05, 15);
    expect(evalLr(s, 9, 1)).toBeCloseTo(0.025, 15); // 9 // 7 % 2 == 1 halves the decayed 0.05
    expect(evalLr(s, 50, 1)).toBeCloseTo((0.1 * 0.5 ** 5) / 2, 15);
    expect(evalLr(s, 7, 1)).toBeCloseTo(0.05, 15); // 7 // 7 % 2 == 1
    expect(evalLr(s, 150, 1)).toBeCloseTo(0.1 * 0.5 ** 15 * 0.1, 15);
    // Python's % and // round towards minus infinity.
    expect(evalLr({ op: '%', a: { op: 'num', value: -7 }, b: { op: 'num', value: 3 } }, 0, 0)).toBe(2);
  });

  it('leaves out, with the reason, schedules and callbacks it cannot read or does not honour', () => {
    const r = read(`base_lr = 0.1
def sched(epoch, lr):
    for i in range(3):
        lr = lr * 0.9
    return lr
model.fit(x, y, callbacks=[keras.callbacks.LearningRateScheduler(sched),
    keras.callbacks.LearningRateScheduler(lambda e: base_lr * 0.9 ** e),
    keras.callbacks.LearningRateScheduler(imported_schedule),
    keras.callbacks.ModelCheckpoint('best.keras')])
`);
    expect(r.training.callbacks).toEqual([]);
    const w = r.warnings.join('\n');
    expect(w).toMatch(
      /LearningRateScheduler\(sched\) is left out, so the learning rate stays constant: the statement 'ForStatement'/,
    );
    expect(w).toMatch(/'base_lr' is not a parameter or a local of the schedule/);
    expect(w).toMatch(/'imported_schedule' is not a function defined in this code/);
    expect(w).toMatch(/callback ModelCheckpoint is left out/);
  });

  it('refuses impossible arguments at their line', () => {
    expect(() => read('model.fit(x, y, callbacks=[keras.callbacks.ReduceLROnPlateau(factor=2)])\n')).toThrow(
      /factor must be between 0 and 1/,
    );
    expect(() => read("model.fit(x, y, callbacks=[keras.callbacks.EarlyStopping(mode='up')])\n")).toThrow(
      /mode='up' is not supported; use 'auto' or 'min' or 'max'/,
    );
  });
});

describe('code export of the training settings', () => {
  it('writes from_logits and the callbacks back; importing the export gives the same settings', () => {
    const r = read(`def decay(epoch, lr):
    if epoch < 3:
        return lr
    return lr * 0.5
model.compile(optimizer='adam', loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(x, y, epochs=4, callbacks=[
    keras.callbacks.EarlyStopping(monitor='val_accuracy', patience=2, baseline=0.5, verbose=1),
    keras.callbacks.ReduceLROnPlateau(factor=0.2, cooldown=1),
    keras.callbacks.LearningRateScheduler(decay, verbose=1),
    keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.9),
])
`);
    // verbose=1 (the fit log prints what the callback did) is kept; Keras's default 0 is left out.
    expect(r.training.callbacks?.map((c) => c.verbose)).toEqual([1, undefined, 1, undefined]);
    const code = exportKerasCode(r.built, { ...DEFAULT_TRAINING, ...r.training });
    expect(code).toContain('loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)');
    expect(code).toContain('def decay(epoch, lr):');
    expect(code).toContain('LearningRateScheduler(decay, verbose=1)');
    expect(code).toContain('EarlyStopping(monitor="val_accuracy", patience=2, baseline=0.5, verbose=1)');
    expect(code).toContain('ReduceLROnPlateau(factor=0.2, cooldown=1)');
    const back = importKerasCode(code).training;
    expect(back.from_logits).toBe(true);
    expect(back.callbacks).toEqual(r.training.callbacks);
    expect(r.training.callbacks).toHaveLength(4);
  });
});
