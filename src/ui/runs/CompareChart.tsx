// The selected runs' curves on one chart (loss, log scale) and their validation accuracy per epoch on
// another, one colour per run, as TensorBoard overlays runs.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { RunRecord } from '../../store/run-record';
import { chartWidth, followWidth } from '../common/chart-width';

export const RUN_COLORS = ['#2d4f86', '#b5532d', '#3d7d4a', '#8a4fa0', '#b08a1e', '#2b8a8a', '#6b6b6b'];
export const runColor = (i: number) => RUN_COLORS[i % RUN_COLORS.length];

const HEIGHT = 150;

function chart(el: HTMLElement, runs: RunRecord[], title: string, log: boolean, width: number, val: boolean) {
  const tables: uPlot.AlignedData[] = runs.map((r) =>
    val
      ? [r.epochs.map((e) => e.epoch + 1), r.epochs.map((e) => e.val_accuracy ?? e.accuracy)]
      : [r.curves.step, r.curves.loss.map((v) => Math.max(v, 1e-6))],
  );
  const data = runs.length > 0 ? uPlot.join(tables) : ([[]] as unknown as uPlot.AlignedData);
  return new uPlot(
    {
      width,
      height: HEIGHT,
      legend: { show: false },
      scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
      axes: [
        {
          stroke: '#8d887d',
          grid: { stroke: '#eee9df', width: 1 },
          size: 30,
          label: val ? 'epoch' : 'step',
          labelSize: 14,
        },
        { stroke: '#8d887d', grid: { stroke: '#eee9df', width: 1 }, size: 46, label: title, labelSize: 16 },
      ],
      series: [
        { label: val ? 'epoch' : 'step' },
        ...runs.map((r, i) => ({
          label: `#${r.number}`,
          stroke: runColor(i),
          width: 1.6,
          spanGaps: true,
          points: { show: val, size: 6, fill: runColor(i) },
        })),
      ],
    },
    data,
    el,
  );
}

export function CompareChart({ runs }: { runs: RunRecord[] }) {
  const lossEl = useRef<HTMLDivElement>(null);
  const valEl = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const width = chartWidth(box.current, 480);
    const a = chart(lossEl.current!, runs, 'loss', true, width, false);
    const b = chart(valEl.current!, runs, 'val. accuracy', false, width, true);
    const unfollow = followWidth(box.current, [a, b], HEIGHT);
    return () => {
      unfollow();
      a.destroy();
      b.destroy();
    };
  }, [runs]);
  return (
    <div className="compare" data-testid="run-compare" data-runs={runs.length} ref={box}>
      <div
        ref={lossEl}
        role="img"
        aria-label={`Loss of runs ${runs.map((r) => `#${r.number}`).join(', ')}`}
      />
      <div ref={valEl} role="img" aria-label="Validation accuracy per epoch of the selected runs" />
    </div>
  );
}
