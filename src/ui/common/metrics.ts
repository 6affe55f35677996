// Which metrics the panels show: the loss always, the accuracy only when the model reports it (compile's
// metrics=), under its Keras name.
import { useModel } from '../../store/model';
import { selectAccuracyName } from '../../store/selectors';
import { useTraining } from '../../store/training';

export function useAccuracyName(): string | null {
  const run = useTraining((s) => s.accuracyName);
  const metrics = useModel((s) => s.codeTraining.metrics);
  return selectAccuracyName(run, metrics);
}
