/**
 * One small form for every desk step (claim result, appeal, exclusion review, notice, answer): its fields, a submit
 * button and a cancel button; a server error naming a field is shown at that field, any other above the buttons.
 */
import { useState, type FormEvent } from 'react';
import { isApiError, type ApiError } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import { FileInput } from '../../components/FileInput.tsx';
import { FormError, Select, TextArea, TextField, type Option } from '../../components/Form.tsx';
import { useErrorText } from '../../components/States.tsx';

export interface DeskField { name: string; label: string; kind?: 'text' | 'textarea' | 'select' | 'files'; options?: Option[]; required?: boolean; initial?: string }

export function DeskForm({ title, fields, submit, onDone, onCancel }: {
  title: string; fields: DeskField[]; submit: (values: Record<string, string>, files: File[]) => Promise<unknown>; onDone: () => void; onCancel?: () => void;
}) {
  const { t } = useI18n();
  const errText = useErrorText();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.name, f.initial ?? ''])));
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const fieldError = (name: string) => (error && isApiError(error) && error.field === name ? error.message : undefined);
  const named = error && isApiError(error) && fields.some((f) => f.name === error.field);
  const set = (name: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await submit(values, files);
      onDone();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="desk-form" onSubmit={onSubmit} aria-label={title}>
      {fields.map((f) => (f.kind === 'textarea'
        ? <TextArea key={f.name} label={f.label} value={values[f.name]} onChange={set(f.name)} required={f.required} rows={2} maxLength={2000} error={fieldError(f.name)} />
        : f.kind === 'select'
          ? <Select key={f.name} label={f.label} value={values[f.name]} onChange={set(f.name)} required={f.required} options={f.options ?? []} placeholder={t({ zh: '请选择', en: 'Choose' })} error={fieldError(f.name)} />
          : f.kind === 'files'
            ? <FileInput key={f.name} label={f.label} accept="image/*" multiple onFiles={(fs: File[]) => setFiles(fs)} />
            : <TextField key={f.name} label={f.label} value={values[f.name]} onChange={set(f.name)} required={f.required} error={fieldError(f.name)} />))}
      {error && !named && <FormError>{errText(error)}</FormError>}
      <div className="desk-buttons">
        <button type="submit" className="btn btn-primary" disabled={busy}>{title}</button>
        {onCancel && <button type="button" className="btn" onClick={onCancel} disabled={busy}>{t({ zh: '取消', en: 'Cancel' })}</button>}
      </div>
    </form>
  );
}
