// The run page's header actions: cancel (an unfinished run) and retry (a finished one: a new run
// of the same experiment with the same budget, target, attempts and device; for a failed or
// canceled run with a checkpoint, resuming from its last checkpoint when the box is ticked).
import { isFinalStatus, type Run, type RunCreate, type RunDetail } from '@curio/contracts';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/http.js';
import { useInvalidate } from '../../api/queries.js';
import { useCanWrite } from '../../session/session.js';
import { ErrorBox } from '../../ui/parts.js';
import { useAction } from '../../ui/use-submit.js';

/** The new run's body: the run's options, and its last checkpoint when resuming. */
export function retryBody(run: RunDetail, resume: boolean): RunCreate {
  const last = run.checkpoints.at(-1);
  return {
    experimentId: run.experimentId,
    maxAttempts: run.maxAttempts,
    budget: {
      maxMinutes: run.budget.maxMinutes ?? undefined,
      maxCost: run.budget.maxCost ?? undefined,
    },
    targetAccuracy: run.targetAccuracy ?? undefined,
    targetEvalSet: run.targetEvalSet ?? undefined,
    device: run.device ?? undefined,
    ...(resume && last && { resumeFrom: { checkpoint: last.id } }),
  };
}

export function RunActions({ run }: { run: RunDetail }) {
  const canWrite = useCanWrite();
  const invalidate = useInvalidate();
  const navigate = useNavigate();
  const { busy, error, run: act } = useAction();
  const [resume, setResume] = useState(true);
  if (!canWrite) return null;
  const last = run.checkpoints.at(-1);
  const resumable = (run.status === 'failed' || run.status === 'canceled') && last !== undefined;
  const cancel = () =>
    act(async () => {
      await api.post(`/v1/runs/${run.id}/cancel`);
      await invalidate(`/v1/runs/${run.id}`);
    });
  const retry = () =>
    act(async () => {
      const next = await api.post<Run>('/v1/runs', retryBody(run, resumable && resume));
      await invalidate('/v1/runs');
      navigate(`/runs/${next.id}`);
    });
  return (
    <>
      {!isFinalStatus(run.status) ? (
        <button type="button" className="danger" disabled={busy} onClick={cancel}>
          Cancel run
        </button>
      ) : (
        <>
          {resumable && (
            <label className="check">
              <input
                type="checkbox"
                checked={resume}
                onChange={(e) => setResume(e.target.checked)}
              />{' '}
              Resume from the last checkpoint (step {last.step})
            </label>
          )}
          <button type="button" disabled={busy} onClick={retry}>
            Retry as a new run
          </button>
        </>
      )}
      <ErrorBox error={error} />
    </>
  );
}
