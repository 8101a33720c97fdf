/**
 * A file picker in the page's language: the native input is visually hidden (still focusable, still the form
 * field, still what screen readers and tests drive), and a button plus the chosen names stand in for the browser's
 * own "Choose Files / No file chosen", which a Chinese page must not show in English.
 */
import { useId, useState, type InputHTMLAttributes } from 'react';
import { useI18n } from '../app/i18n.ts';

export function FileInput({ label, buttonText, onFiles, className, ...rest }: Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'onChange'> & {
  label?: string; buttonText?: string; onFiles: (files: File[]) => void;
}) {
  const { t } = useI18n();
  const own = useId();
  const id = rest.id ?? own;
  const [names, setNames] = useState<string[]>([]);
  return (
    <span className={`file-input${className ? ` ${className}` : ''}`}>
      <input {...rest} id={id} type="file" className="sr-only" aria-label={label}
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          setNames(files.map((f) => f.name));
          onFiles(files);
        }} />
      <label htmlFor={id} className="btn file-input-button">
        {buttonText ?? (rest.multiple ? t({ zh: '选择文件（可多选）', en: 'Choose files' }) : t({ zh: '选择文件', en: 'Choose a file' }))}
      </label>
      <span className="file-input-names muted" aria-live="polite">
        {names.length === 0 ? t({ zh: '未选择文件', en: 'No file chosen' }) : names.length <= 3 ? names.join('、') : t({ zh: '已选择 {n} 个文件', en: '{n} files chosen' }, { n: names.length })}
      </span>
    </span>
  );
}
