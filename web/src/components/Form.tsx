/**
 * Form fields with real <label>s, hints and errors wired through aria-describedby / aria-invalid.
 * `error` takes a message; pass `apiError.field === name ? apiError.message : undefined` to show server errors.
 */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldProps { label: ReactNode; hint?: ReactNode; error?: ReactNode; required?: boolean }

function FieldShell({ id, label, hint, error, required, children }: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}{required && <span className="req" aria-hidden="true"> *</span>}</label>
      {children}
      {hint && !error && <div id={`${id}-hint`} className="field-hint">{hint}</div>}
      {error && <div id={`${id}-error`} className="field-error" role="alert">{error}</div>}
    </div>
  );
}

const described = (id: string, hint: unknown, error: unknown) =>
  error ? `${id}-error` : hint ? `${id}-hint` : undefined;

export function TextField({ label, hint, error, required, id, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <FieldShell id={fid} label={label} hint={hint} error={error} required={required}>
      <input id={fid} required={required} aria-invalid={error ? true : undefined} aria-describedby={described(fid, hint, error)} {...input} />
    </FieldShell>
  );
}

export function TextArea({ label, hint, error, required, id, ...input }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <FieldShell id={fid} label={label} hint={hint} error={error} required={required}>
      <textarea id={fid} required={required} aria-invalid={error ? true : undefined} aria-describedby={described(fid, hint, error)} {...input} />
    </FieldShell>
  );
}

export interface Option { value: string; label: string; disabled?: boolean }

export function Select({ label, hint, error, required, id, options, placeholder, ...input }:
  FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: readonly Option[]; placeholder?: string }) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <FieldShell id={fid} label={label} hint={hint} error={error} required={required}>
      <select id={fid} required={required} aria-invalid={error ? true : undefined} aria-describedby={described(fid, hint, error)} {...input}>
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => <option key={o.value} value={o.value} disabled={o.disabled}>{o.label}</option>)}
      </select>
    </FieldShell>
  );
}

export function Checkbox({ label, hint, id, ...input }: { label: ReactNode; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <div className="field field-check">
      <input type="checkbox" id={fid} aria-describedby={hint ? `${fid}-hint` : undefined} {...input} />
      <label htmlFor={fid}>{label}</label>
      {hint && <div id={`${fid}-hint`} className="field-hint">{hint}</div>}
    </div>
  );
}

/** A form-level error banner (for errors without a field). */
export function FormError({ children }: { children?: ReactNode }) {
  if (!children) return null;
  return <div className="form-error" role="alert">{children}</div>;
}
