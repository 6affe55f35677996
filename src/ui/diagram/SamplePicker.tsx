// Chooses the training sample whose feature maps the diagram shows.
import { useEffect, useRef } from 'react';
import { useDataset } from '../../store/dataset';
import { useTraining } from '../../store/training';
import { drawSample } from '../common/images';

export function SamplePicker() {
  const dataset = useDataset((s) => s.dataset);
  const index = useTraining((s) => s.sampleIndex);
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => drawSample(canvas.current, dataset, index), [dataset, index]);
  if (!dataset) return null;
  const n = dataset.train.count;
  const go = (d: number) => useTraining.getState().setSample((index + d + n) % n);
  const label = dataset.classNames[dataset.train.labels[index]] ?? '?';
  return (
    <div className="sample-pick">
      <button type="button" className="btn small" onClick={() => go(-1)} aria-label="Previous sample">
        ‹
      </button>
      <canvas ref={canvas} aria-label={`Sample ${index}, label ${label}`} />
      <button type="button" className="btn small" onClick={() => go(1)} aria-label="Next sample">
        ›
      </button>
      <span>
        #{index} · {label}
      </span>
    </div>
  );
}
