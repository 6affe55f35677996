// Per-batch metrics for the curves. Kept outside React state in growable typed arrays: a long run makes
// hundreds of thousands of points and the charts poll `version` a few times a second instead of re-rendering
// on every batch.
export class Series {
  step = new Float64Array(1024);
  loss = new Float64Array(1024);
  accuracy = new Float64Array(1024);
  length = 0;
  version = 0;

  push(step: number, loss: number, accuracy: number): void {
    if (this.length === this.step.length) this.grow();
    this.step[this.length] = step;
    this.loss[this.length] = loss;
    this.accuracy[this.length] = accuracy;
    this.length++;
    this.version++;
  }

  clear(): void {
    this.length = 0;
    this.version++;
  }

  /** Plain arrays of what is filled (for saving). */
  snapshot(): { step: number[]; loss: number[]; accuracy: number[] } {
    return {
      step: Array.from(this.step.subarray(0, this.length)),
      loss: Array.from(this.loss.subarray(0, this.length)),
      accuracy: Array.from(this.accuracy.subarray(0, this.length)),
    };
  }

  restore(s: { step: number[]; loss: number[]; accuracy: number[] }): void {
    this.clear();
    for (let i = 0; i < s.step.length; i++) this.push(s.step[i], s.loss[i], s.accuracy[i]);
  }

  private grow(): void {
    const n = this.step.length * 2;
    const g = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.step = g(this.step);
    this.loss = g(this.loss);
    this.accuracy = g(this.accuracy);
  }
}

export const batchSeries = new Series();
