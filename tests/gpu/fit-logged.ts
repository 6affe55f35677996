// Trains for some epochs, evaluates on the held-out set and logs both: what the MNIST training tests share.
import type { Trainer } from '../../src/train';

/** Fits `epochs` epochs, evaluates 'test' and logs "`what` x N epochs: loss ...; held-out accuracy ...". */
export async function fitLogged(trainer: Trainer, what: string, epochs: number) {
  const h = await trainer.fit({ epochs });
  const losses = h.epochs.map((e) => e.loss);
  const test = await trainer.evaluate('test');
  console.log(
    `${what} x ${epochs} epochs: loss ${losses.map((l) => l.toFixed(3)).join(' ')}; ` +
      `held-out accuracy ${test.accuracy.toFixed(3)}`,
  );
  return { losses, test };
}
