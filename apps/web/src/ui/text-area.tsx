// A labelled textarea (shard lists, names, JSON).
import { Field } from './parts.js';

export function TextArea(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
  hint?: string;
  rows?: number;
  required?: boolean;
  className?: string;
}) {
  return (
    <Field label={props.label} error={props.error} hint={props.hint}>
      {(id, describedBy) => (
        <textarea
          id={id}
          rows={props.rows ?? 4}
          value={props.value}
          required={props.required}
          className={props.className}
          spellCheck={false}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
