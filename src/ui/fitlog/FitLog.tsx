// The Keras fit log: what `model.fit(verbose=1)` and `model.evaluate()` print, live, from the same store
// records as the curves and the metrics. Copy and download as text.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useTraining } from '../../store/training';
import { useAccuracyName } from '../common/metrics';
import { downloadText } from '../export/download';
import { BAR_CHAR, BAR_WIDTH, fitLog, type LogLine, logText } from './format';

function Line({ line }: { line: LogLine }) {
  if (!line.bar) return <div className="log-line">{line.text}</div>;
  const { at, done } = line.bar;
  const end = at + BAR_WIDTH;
  return (
    <div className="log-line">
      {line.text.slice(0, at)}
      <span className="bar-done">{BAR_CHAR.repeat(done)}</span>
      <span className="bar-todo">{BAR_CHAR.repeat(BAR_WIDTH - done)}</span>
      {line.text.slice(end)}
    </div>
  );
}

export function FitLog() {
  const s = useTraining(
    useShallow((t) => ({
      epochs: t.epochs,
      total: t.settings.epochs,
      batchSize: t.settings.batchSize,
      lastBatch: t.lastBatch,
      lastBatchAt: t.lastBatchAt,
      base: t.base,
      evaluation: t.evaluation,
      evalSeconds: t.evalSeconds,
      callbacks: t.callbackEvents,
    })),
  );
  const accuracyName = useAccuracyName();
  const lines = useMemo(() => {
    const b = s.lastBatch;
    return fitLog({
      accuracyName,
      callbacks: s.callbacks,
      epochs: s.epochs,
      totalEpochs: s.total,
      live:
        b && s.base
          ? {
              epoch: s.base.epoch + b.epoch,
              batch: b.batch,
              batchesPerEpoch: b.batchesPerEpoch,
              loss: b.loss,
              accuracy: b.accuracy,
              elapsed: Math.max(0, (s.lastBatchAt - s.base.epochStartedAt) / 1000),
            }
          : null,
      evaluation: s.evaluation
        ? {
            loss: s.evaluation.loss,
            accuracy: s.evaluation.accuracy,
            count: s.evaluation.count,
            batchSize: s.batchSize,
            seconds: s.evalSeconds,
          }
        : null,
    });
  }, [s, accuracyName]);
  const box = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the newest line, as a terminal does
  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines]);
  const text = logText(lines);
  const copy = () => {
    void navigator.clipboard?.writeText(text).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      },
      () => setCopied(false),
    );
  };
  return (
    <section className="card" aria-labelledby="fitlog-title">
      <div className="card-head">
        <h2 id="fitlog-title">Fit log</h2>
        <span className="muted small">as model.fit(verbose=1) prints it</span>
        <span className="spacer" />
        <button
          type="button"
          className="btn small"
          data-testid="fit-log-copy"
          onClick={copy}
          disabled={!lines.length}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button
          type="button"
          className="btn small"
          data-testid="fit-log-download"
          disabled={!lines.length}
          onClick={() => downloadText(text, 'fit-log.txt')}
        >
          Download
        </button>
      </div>
      <pre className="fit-log" data-testid="fit-log" ref={box} aria-live="off">
        {lines.length === 0 ? (
          <span className="muted">Press Start: the log appears here as Keras prints it.</span>
        ) : (
          lines.map((l) => <Line key={l.id} line={l} />)
        )}
      </pre>
    </section>
  );
}
