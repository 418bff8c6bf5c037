import type { ComponentChildren } from 'preact';

export interface FieldIds {
  id: string;
  describedBy: string | undefined;
  invalid: boolean;
}

/**
 * A label, the control, an optional hint and the error text, bound to the control with
 * aria-describedby / aria-invalid. `children` receives the ids to put on the control.
 */
export function Field(props: {
  id: string;
  label: string;
  hint?: ComponentChildren;
  error?: string;
  children: (ids: FieldIds) => ComponentChildren;
}) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = props.error ? `${props.id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.children({ id: props.id, describedBy, invalid: !!props.error })}
      {props.hint ? (
        <p id={hintId} class="hint">
          {props.hint}
        </p>
      ) : null}
      <FieldError id={errorId} message={props.error} />
    </div>
  );
}

interface InputProps {
  type?: 'text' | 'email' | 'password' | 'url' | 'search';
  autocomplete?: string;
  required?: boolean;
  maxLength?: number;
  placeholder?: string;
  spellcheck?: boolean;
}

/** The common case: a text input in a Field. */
export function TextField(
  props: InputProps & {
    id: string;
    label: string;
    value: string;
    onValue: (v: string) => void;
    hint?: ComponentChildren;
    error?: string;
  },
) {
  const { id, label, value, onValue, hint, error, ...rest } = props;
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(ids) => (
        <input
          {...rest}
          // Preact types <input> as a union per `type`; all of ours take the same attributes.
          type={(rest.type ?? 'text') as 'text'}
          id={ids.id}
          value={value}
          onInput={(e) => onValue(e.currentTarget.value)}
          aria-describedby={ids.describedBy}
          aria-invalid={ids.invalid}
        />
      )}
    </Field>
  );
}

/** An error that names no field (or a field the form does not show), announced at once. */
export function FormError({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <div class="form-error" role="alert">
      {message}
    </div>
  );
}

/** A field's error text; the control points at `id` with aria-describedby. */
export function FieldError({ id, message }: { id: string | undefined; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} class="error-text">
      <span aria-hidden="true">✕ </span>
      {message}
    </p>
  );
}
