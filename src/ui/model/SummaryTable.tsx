// model.summary() as Keras prints it, as a table.
import { groupDigits, paramBytes, type SummaryRow } from '../../model';
import { useModel } from '../../store/model';
import { useUi } from '../../store/ui';

const MAX_ROWS = 120;

const row = (r: SummaryRow, active: string | null, connected: boolean) => (
  <tr
    key={r.name}
    data-layer={r.name}
    data-active={r.name === active ? 'true' : undefined}
    onMouseEnter={() => useUi.getState().setActiveLayer(r.name)}
    onMouseLeave={() => useUi.getState().setActiveLayer(null)}
  >
    <td>
      {r.name} <span className="muted">({r.className})</span>
    </td>
    <td className="num">{r.outputShape}</td>
    <td className="num r">{groupDigits(r.params)}</td>
    {connected && <td className="num connected">{r.connectedTo}</td>}
  </tr>
);

export function SummaryTable() {
  const summary = useModel((s) => s.summary);
  const active = useUi((s) => s.activeLayer);
  if (!summary) return null;
  // A very deep model shows its first and last rows: thousands of table rows would only slow the page.
  const rows = summary.rows;
  const long = rows.length > MAX_ROWS;
  const head = long ? rows.slice(0, 60) : rows;
  const tail = long ? rows.slice(rows.length - 20) : [];
  const hidden = rows.length - head.length - tail.length;
  return (
    <section className="card summary" aria-labelledby="summary-title">
      <div className="card-head">
        <h2 id="summary-title">Summary</h2>
        <span className="muted small">Model: "{summary.modelName}"</span>
      </div>
      <table data-testid="model-summary">
        <thead>
          <tr>
            <th scope="col">Layer (type)</th>
            <th scope="col">Output Shape</th>
            <th scope="col" className="r">
              Param #
            </th>
            {summary.connected && <th scope="col">Connected to</th>}
          </tr>
        </thead>
        <tbody>
          {head.map((r) => row(r, active, summary.connected))}
          {hidden > 0 && (
            <tr>
              <td colSpan={summary.connected ? 4 : 3} className="muted">
                … {groupDigits(hidden)} more layers …
              </td>
            </tr>
          )}
          {tail.map((r) => row(r, active, summary.connected))}
        </tbody>
      </table>
      <div className="totals">
        Total params:{' '}
        <strong className="num" data-testid="summary-total-params">
          {summary.totalParams}
        </strong>{' '}
        <span className="muted">
          ({groupDigits(summary.totalParams)}, {paramBytes(summary.totalParams)}) · trainable{' '}
          {groupDigits(summary.trainableParams)} · non-trainable {groupDigits(summary.nonTrainableParams)}
        </span>
      </div>
    </section>
  );
}
