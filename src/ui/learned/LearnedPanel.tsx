// What the network learned: the first layer's kernels as small images, and each layer's weight norm and
// update norm (how far its weights moved between reads) over the run, as small multiples. A dead layer
// shows a flat update line; an exploding one a climbing weight norm.
import { useEffect, useMemo, useRef } from 'react';
import { useModel } from '../../store/model';
import { useTraining } from '../../store/training';
import { insightOf, type LayerNorm } from '../../worker/insight';
import { kernelTiles } from './kernels';
import { NormChart } from './NormChart';

function Tile({ rgba, h, w, label }: { rgba: Uint8ClampedArray; h: number; w: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    c.width = w;
    c.height = h;
    c.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(rgba), w, h), 0, 0);
  }, [rgba, h, w]);
  return <canvas ref={ref} className="kernel-tile" data-testid="kernel-tile" aria-label={label} role="img" />;
}

export function LearnedPanel() {
  const learned = useTraining((s) => s.learned);
  const weights = useTraining((s) => s.weights);
  const inputShape = useModel((s) => s.built?.inputShape ?? null);
  // After a reload only the kept weights are there: the kernel comes from them.
  const kernel = useMemo(
    () => learned?.kernel ?? (weights ? insightOf(weights, null).firstKernel : null),
    [learned, weights],
  );
  const tiles = useMemo(
    () => (kernel && inputShape ? kernelTiles(kernel.shape, kernel.data, inputShape) : null),
    [kernel, inputShape],
  );
  const layers = useMemo(() => {
    const h = learned?.history ?? [];
    const names = h.length ? h[h.length - 1].norms.map((n) => n.layer) : [];
    return names.map((layer) => ({
      layer,
      points: h.map((r) => ({
        step: r.step,
        norm: r.norms.find((n) => n.layer === layer) as LayerNorm | undefined,
      })),
    }));
  }, [learned]);
  return (
    <section className="card" aria-labelledby="learned-title">
      <div className="card-head">
        <h2 id="learned-title">What it learned</h2>
        <span className="muted small">{kernel ? `${kernel.layer} kernels` : 'appears while training'}</span>
      </div>
      <div className="kernel-grid" data-testid="first-layer-kernels" data-tiles={tiles?.tiles.length ?? 0}>
        {tiles?.tiles.map((t, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a tile is its output unit's index
          <Tile key={i} rgba={t} h={tiles.height} w={tiles.width} label={`${kernel?.layer} filter ${i}`} />
        ))}
        {tiles && tiles.total > tiles.tiles.length && (
          <span className="muted small">+{tiles.total - tiles.tiles.length} more</span>
        )}
        {kernel && !tiles && <span className="muted small">The first layer's kernel is not an image.</span>}
      </div>
      {layers.length > 0 && (
        <div className="norms" data-testid="layer-norms">
          {layers.map((l) => (
            <NormChart key={l.layer} layer={l.layer} points={l.points} />
          ))}
        </div>
      )}
    </section>
  );
}
