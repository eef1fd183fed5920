/** Small labelled inputs for the settings form. */
import { useState, type ReactNode } from 'react';

/**
 * A labelled row. `group` is for rows holding several controls (radios, a select and a number):
 * a <label> may name only one control, so those rows are a named group instead.
 */
export function Field({ label, children, hint, group }: { label: string; children: ReactNode; hint?: ReactNode; group?: boolean }) {
  return (
    <>
      {group ? (
        <div className="field" role="group" aria-label={label}>
          <span>{label}</span>
          {children}
        </div>
      ) : (
        <label className="field">
          <span>{label}</span>
          {children}
        </label>
      )}
      {hint && <p className="hint field-hint">{hint}</p>}
    </>
  );
}

/** A number input that keeps what the analyst types and reports only valid numbers. */
export function NumberField(props: {
  label: string;
  value: number;
  min?: number;
  max?: number;
  step?: number;
  hint?: ReactNode;
  onChange(v: number): void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <Field label={props.label} hint={props.hint}>
      <input
        type="number"
        min={props.min}
        max={props.max}
        step={props.step ?? 1}
        value={draft ?? String(props.value)}
        onChange={(e) => {
          const text = e.currentTarget.value;
          setDraft(text);
          const v = Number(text);
          const inRange = (props.min === undefined || v >= props.min) && (props.max === undefined || v <= props.max);
          if (text.trim() !== '' && Number.isFinite(v) && inRange) props.onChange(v);
        }}
        onBlur={() => setDraft(null)}
      />
    </Field>
  );
}

interface ChoiceProps<T extends string> {
  name: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange(v: T): void;
}

export function Choice<T extends string>(props: ChoiceProps<T>) {
  return (
    <div className="radio-row" role="radiogroup">
      {props.options.map((o) => (
        <label key={o.value} className="toggle">
          <input type="radio" name={props.name} checked={props.value === o.value} onChange={() => props.onChange(o.value)} />
          {o.label}
        </label>
      ))}
    </div>
  );
}

/** A text setting that may be unset: an empty box means "not set" (undefined), e.g. "detect it". */
export function OptionalText(props: { value: string | undefined; placeholder: string; onChange(v: string | undefined): void }) {
  return (
    <input
      type="text"
      value={props.value ?? ''}
      placeholder={props.placeholder}
      onChange={(e) => props.onChange(e.currentTarget.value || undefined)}
    />
  );
}

/** A labelled row of radios: one of a few named choices. */
export function ChoiceField<T extends string>({ label, ...choice }: { label: string } & ChoiceProps<T>) {
  return (
    <Field group label={label}>
      <Choice {...choice} />
    </Field>
  );
}

/** Whether a user regex compiles; the message says why not. */
export function regexProblem(pattern: string): string | null {
  if (!pattern) return null;
  try {
    new RegExp(pattern);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : 'invalid regular expression';
  }
}
