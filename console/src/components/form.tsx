/**
 * Form parts that show a problem+json answer in words: each field shows the errors whose JSON pointer names
 * it, the summary the problem's own words and any error no field claimed.
 */
import { createContext, useContext, useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '../api/client';

const ProblemContext = createContext<Problem | undefined>(undefined);

export function ProblemProvider({ problem, children }: { problem?: Problem; children: ReactNode }) {
  return <ProblemContext.Provider value={problem}>{children}</ProblemContext.Provider>;
}

/** The errors at this pointer (or below it), in words. */
export function useFieldError(pointer: string | undefined): string | undefined {
  const problem = useContext(ProblemContext);
  if (!pointer || !problem?.errors) return undefined;
  const own = problem.errors.filter((e) => e.pointer === pointer || e.pointer.startsWith(`${pointer}/`));
  return own.length > 0 ? own.map((e) => e.detail).join('; ') : undefined;
}

const kindOf = (type: string) => type.replace(/^urn:xborder:problem:/, '');

/** The problem in words, and the errors no field of this form shows. */
export function ProblemSummary({ problem, fields = [] }: { problem?: Problem; fields?: string[] }) {
  const { t } = useTranslation();
  if (!problem) return null;
  const claimed = (p: string) => fields.some((f) => p === f || p.startsWith(`${f}/`));
  const rest = (problem.errors ?? []).filter((e) => !claimed(e.pointer));
  return (
    <div className="problem" role="alert">
      <p>
        <strong>{t(`problem.${kindOf(problem.type)}`, { defaultValue: problem.title })}</strong>{' '}
        {problem.detail}
      </p>
      {rest.length > 0 && (
        <ul>
          {rest.map((e) => (
            <li key={`${e.pointer}:${e.detail}`}>
              <code>{e.pointer || '/'}</code> {e.detail}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p id={id} className="field-error">
      {error}
    </p>
  ) : null;
}

interface Common {
  label: string;
  /** the JSON pointer of this field in the request body */
  pointer?: string;
  required?: boolean;
  hint?: string;
}

export function TextField(
  props: Common & {
    value: string;
    onChange: (v: string) => void;
    type?: 'text' | 'date' | 'password' | 'number' | 'datetime-local';
    multiline?: boolean;
    autoComplete?: string;
  },
) {
  const id = useId();
  const error = useFieldError(props.pointer);
  const describedBy = [props.hint ? `${id}-hint` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    value: props.value,
    required: props.required,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy || undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      {props.multiline ? (
        <textarea {...common} rows={3} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete ?? 'off'}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
      <FieldError id={`${id}-err`} error={error} />
    </div>
  );
}

export function SelectField<V extends string>(
  props: Common & { value: V; onChange: (v: V) => void; options: { value: V; label: string }[] },
) {
  const id = useId();
  const error = useFieldError(props.pointer);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        required={props.required}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
        onChange={(e) => props.onChange(e.target.value as V)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-err`} error={error} />
    </div>
  );
}

export function RadioGroup<V extends string>(
  props: Common & { value: V | ''; onChange: (v: V) => void; options: { value: V; label: string }[] },
) {
  const id = useId();
  const error = useFieldError(props.pointer);
  return (
    <fieldset
      className="radios"
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? `${id}-err` : undefined}
    >
      <legend>{props.label}</legend>
      {props.options.map((o) => (
        <label key={o.value}>
          <input
            type="radio"
            name={id}
            value={o.value}
            checked={props.value === o.value}
            required={props.required}
            onChange={() => props.onChange(o.value)}
          />{' '}
          {o.label}
        </label>
      ))}
      <FieldError id={`${id}-err`} error={error} />
    </fieldset>
  );
}

export function FileField(props: Common & { onChange: (f: File | undefined) => void; accept?: string }) {
  const id = useId();
  const error = useFieldError(props.pointer);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="file"
        accept={props.accept}
        required={props.required}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
        onChange={(e) => props.onChange(e.target.files?.[0])}
      />
      <FieldError id={`${id}-err`} error={error} />
    </div>
  );
}
