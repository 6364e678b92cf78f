// A form's submit: busy while the action runs, the error it threw, field errors from the problem.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/http.js';

export function useSubmit(action: () => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const onSubmit = async (e?: FormEvent) => {
    e?.preventDefault();
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
  const fields = error instanceof ApiError ? error.fieldErrors() : {};
  return { busy, error, fields, onSubmit, setError };
}
