/**
 * What the problem is: the common ones as buttons, every public matter (city data, GET /public/matters) in one
 * list grouped by class — a citizen recognises 井盖破损 faster in 市政公用设施 than in 250 unsorted lines.
 */
import { useId } from 'react';
import { useI18n } from '../../app/i18n.ts';
import type { ResponseOf } from '../../app/api.ts';

type Matter = ResponseOf<'/api/v1/public/matters', 'get'>['items'][number];

export function MatterPicker({ matters, value, onChange, error }: { matters: Matter[]; value: string; onChange: (code: string) => void; error?: string }) {
  const { t } = useI18n();
  const id = useId();
  const featured = matters.filter((m) => m.featured);
  const groups = new Map<string, Matter[]>();
  for (const m of matters) {
    const key = `${m.classCode}|${m.className}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <span className="field-label" id={`${id}-label`}>{t({ zh: '问题类型', en: 'What is the problem?' })}<span className="req" aria-hidden="true"> *</span></span>
      {featured.length > 0 && (
        <div className="portal-chips" role="group" aria-label={t({ zh: '常见问题', en: 'Common problems' })} data-testid="portal-featured">
          {featured.map((m) => (
            <button key={m.code} type="button" className={`portal-chip${value === m.code ? ' on' : ''}`} aria-pressed={value === m.code} onClick={() => onChange(m.code)}>{m.name}</button>
          ))}
        </div>
      )}
      <select id={`${id}-all`} aria-labelledby={`${id}-label`} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined} data-testid="portal-matter">
        <option value="">{t({ zh: '全部类型（{n} 项），请选择…', en: 'All types ({n}): choose…' }, { n: matters.length })}</option>
        {ordered.map(([key, list]) => (
          <optgroup key={key} label={list[0].className}>
            {list.map((m) => <option key={m.code} value={m.code}>{m.name}</option>)}
          </optgroup>
        ))}
      </select>
      {error && <div id={`${id}-error`} className="field-error" role="alert">{error}</div>}
    </div>
  );
}
