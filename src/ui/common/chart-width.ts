// uPlot charts that follow their box's width (uPlot draws at a fixed size).
import type uPlot from 'uplot';

/** The width a chart in `box` gets: the box's, at least 240 px. */
export const chartWidth = (box: HTMLElement | null, fallback: number) =>
  Math.max(240, box?.clientWidth ?? fallback);

/** Resizes `charts` to `box`'s width whenever it changes; returns the function that stops it. */
export function followWidth(box: HTMLElement | null, charts: uPlot[], height: number): () => void {
  const ro = new ResizeObserver(() => {
    const width = chartWidth(box, 480);
    for (const c of charts) c.setSize({ width, height });
  });
  if (box) ro.observe(box);
  return () => ro.disconnect();
}
