// Live loss (log scale) and accuracy curves with uPlot: per batch raw (light) and smoothed (ink), per epoch
// validation (points). Redrawn when the store says the series or the epochs changed (a few times a second),
// outside React: the chart is not re-rendered as a component.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { batchSeries } from '../../store/series';
import { useTraining } from '../../store/training';
import { chartWidth, followWidth } from '../common/chart-width';
import { useAccuracyName } from '../common/metrics';
import { chartData } from './decimate';

const HEIGHT = 150;

function makeChart(el: HTMLElement, title: string, log: boolean, width: number): uPlot {
  const opts: uPlot.Options = {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { drag: { x: true, y: false } },
    scales: {
      x: { time: false },
      y: log
        ? { distr: 3 }
        : { range: (_u, lo, hi) => [Math.max(0, Math.min(lo, 0.8)), Math.min(1, Math.max(hi, 1))] },
    },
    axes: [
      { stroke: '#8d887d', grid: { stroke: '#eee9df', width: 1 }, ticks: { stroke: '#e4dfd3' }, size: 30 },
      {
        stroke: '#8d887d',
        grid: { stroke: '#eee9df', width: 1 },
        ticks: { stroke: '#e4dfd3' },
        size: 46,
        label: title,
        labelSize: 16,
      },
    ],
    series: [
      { label: 'step' },
      { label: 'batch', stroke: 'rgba(45,79,134,0.28)', width: 1, spanGaps: true, points: { show: false } },
      { label: 'smoothed', stroke: '#2d4f86', width: 1.8, spanGaps: true, points: { show: false } },
      {
        label: 'validation',
        stroke: '#b5532d',
        width: 1.5,
        spanGaps: true,
        points: { show: true, size: 6, fill: '#b5532d' },
      },
    ],
  };
  return new uPlot(opts, [[], [], [], []], el);
}

export function Curves() {
  const lossEl = useRef<HTMLDivElement>(null);
  const accEl = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const hasData = useTraining((s) => s.status !== 'idle' || s.epochs.length > 0);
  // Only what the model reports: no accuracy chart when compile's metrics= asks for none.
  const accuracyName = useAccuracyName();

  useEffect(() => {
    const width = chartWidth(box.current, 500);
    const loss = makeChart(lossEl.current!, 'loss', true, width);
    const acc = makeChart(accEl.current!, accuracyName ?? 'accuracy', false, width);
    let drawn = -1;
    let epochsDrawn: unknown = null;
    const update = () => {
      const epochs = useTraining.getState().epochs;
      if (batchSeries.version === drawn && epochs === epochsDrawn) return;
      drawn = batchSeries.version;
      epochsDrawn = epochs;
      const n = batchSeries.length;
      const lossVals = batchSeries.loss.subarray(0, n).map((v) => Math.max(v, 1e-6));
      const l = chartData(
        batchSeries.step,
        lossVals,
        n,
        epochs.map((e) => ({ step: e.step, value: e.val_loss === null ? null : Math.max(e.val_loss, 1e-6) })),
      );
      const a = chartData(
        batchSeries.step,
        batchSeries.accuracy,
        n,
        epochs.map((e) => ({ step: e.step, value: e.val_accuracy })),
      );
      loss.setData([l.x, l.raw, l.smooth, l.val] as uPlot.AlignedData);
      acc.setData([a.x, a.raw, a.smooth, a.val] as uPlot.AlignedData);
      if (box.current) {
        // Plain numbers for tests and screen readers: how many points, and the mean loss at both ends.
        const k = Math.min(5, n);
        const mean = (a: number, z: number) => {
          let sum = 0;
          for (let i = a; i < z; i++) sum += batchSeries.loss[i];
          return z > a ? sum / (z - a) : 0;
        };
        box.current.dataset.points = String(n);
        box.current.dataset.lossFirst = n ? mean(0, k).toFixed(4) : '';
        box.current.dataset.lossLast = n ? mean(n - k, n).toFixed(4) : '';
      }
    };
    const unsubscribe = useTraining.subscribe((st, prev) => {
      if (st.seriesVersion !== prev.seriesVersion || st.epochs !== prev.epochs) update();
    });
    update();
    const unfollow = followWidth(box.current, [loss, acc], HEIGHT);
    return () => {
      unsubscribe();
      unfollow();
      loss.destroy();
      acc.destroy();
    };
  }, [accuracyName]);

  return (
    <section className="card" aria-labelledby="curves-title">
      <div className="card-head">
        <h2 id="curves-title">Curves</h2>
        <span className="muted small">per batch (light), smoothed (dark), validation per epoch (dots)</span>
      </div>
      <div className="curves" data-testid="curves" data-points={0} ref={box}>
        <div
          ref={lossEl}
          role="img"
          aria-label="Loss curve (log scale)"
          style={{ visibility: hasData ? 'visible' : 'hidden' }}
        />
        <div
          ref={accEl}
          role="img"
          aria-label={`Accuracy curve (${accuracyName})`}
          data-testid="curve-accuracy"
          hidden={accuracyName === null}
          style={{ visibility: hasData ? 'visible' : 'hidden' }}
        />
        {!hasData && <div className="curves-empty">Press Start to watch the network learn.</div>}
      </div>
    </section>
  );
}
