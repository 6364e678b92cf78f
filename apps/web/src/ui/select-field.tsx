// A labelled select of fixed choices (roles, kinds), with the field's error.
import { Field } from './parts.js';

export function SelectField<T extends string>(props: {
  label: string;
  value: T;
  options: readonly T[];
  onChange: (v: T) => void;
  error?: string | undefined;
}) {
  return (
    <Field label={props.label} error={props.error}>
      {(id) => (
        <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value as T)}>
          {props.options.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      )}
    </Field>
  );
}
