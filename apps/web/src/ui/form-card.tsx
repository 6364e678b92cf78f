// A create/edit form in a card: its heading names it, then the fields, the error the API sent
// (problem+json with its field list) and the submit button, busy while the request runs.
import { useId, type ReactNode } from 'react';
import { ErrorBox } from './parts.js';
import type { useSubmit } from './use-submit.js';

export function FormCard(props: {
  title: string;
  submit: ReturnType<typeof useSubmit>;
  submitLabel: string;
  /** The button's text while the request runs; the submit label without it. */
  busyLabel?: string;
  children: ReactNode;
  /** Shown under the button (e.g. a secret shown once). */
  after?: ReactNode;
}) {
  const headingId = useId();
  const { submit } = props;
  return (
    <form className="card" onSubmit={submit.onSubmit} aria-labelledby={headingId}>
      <h2 id={headingId}>{props.title}</h2>
      {props.children}
      <ErrorBox error={submit.error} />
      <button type="submit" disabled={submit.busy}>
        {submit.busy && props.busyLabel ? props.busyLabel : props.submitLabel}
      </button>
      {props.after}
    </form>
  );
}
