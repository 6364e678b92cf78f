// Running an action from the page: busy while it runs and the error it threw; a form's submit
// adds the field errors of the API's problem.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/http.js';

/** Runs actions one at a time: busy while one runs, the error the last one threw. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

export function useSubmit(action: () => Promise<unknown>) {
  const { busy, error, setError, run } = useAction();
  const onSubmit = async (e?: FormEvent) => {
    e?.preventDefault();
    await run(action);
  };
  const fields = error instanceof ApiError ? error.fieldErrors() : {};
  return { busy, error, fields, onSubmit, setError };
}
