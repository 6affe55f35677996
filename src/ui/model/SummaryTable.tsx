// model.summary() as Keras prints it, as a table.
import { groupDigits, paramBytes } from '../../model';
import { useModel } from '../../store/model';

export function SummaryTable() {
  const summary = useModel((s) => s.summary);
  if (!summary) return null;
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
          </tr>
        </thead>
        <tbody>
          {summary.rows.map((r) => (
            <tr key={r.name}>
              <td>
                {r.name} <span className="muted">({r.className})</span>
              </td>
              <td className="num">{r.outputShape}</td>
              <td className="num r">{groupDigits(r.params)}</td>
            </tr>
          ))}
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
