/**
 * The grid-member admission list (网格事项准入清单, domain.md §6): which matters a dispatcher may give to a grid member
 * to handle. Entries are single matters or whole classes; the list is edited here and saved whole (PUT /admission,
 * checked by the server: unknown codes, an entry listed twice — the message names the row).
 */
import { useEffect, useMemo, useState } from 'react';
import { api, isApiError, useQuery, type ApiError, type BodyOf } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import { FormError } from '../../components/Form.tsx';
import { EmptyState, ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import type { Matter } from './shared.tsx';

type Entry = BodyOf<'/api/v1/admission', 'put'>['entries'][number];
const keyOf = (e: Entry) => (e.matterCode ? `m:${e.matterCode}` : `c:${e.matterClass}`);

export function AdmissionTab() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const q = useQuery((signal) => api.GET('/api/v1/admission', { signal }), []);
  const matters = useQuery((signal) => api.GET('/api/v1/catalog/matters', { signal }), []);
  const [entries, setEntries] = useState<Entry[] | undefined>();
  const [pick, setPick] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const [saved, setSaved] = useState(false);
  useEffect(() => { if (q.data && entries === undefined) setEntries(q.data.entries); }, [q.data, entries]);

  const all: Matter[] = useMemo(() => matters.data?.items ?? [], [matters.data]);
  const byCode = useMemo(() => new Map(all.map((m) => [m.code, m])), [all]);
  const classes = useMemo(() => {
    const out = new Map<string, string>();
    for (const m of all) if (!out.has(m.classCode)) out.set(m.classCode, m.className);
    return [...out.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [all]);
  const list = entries ?? [];
  const taken = new Set(list.map(keyOf));
  const dirty = q.data !== undefined && JSON.stringify(list) !== JSON.stringify(q.data.entries);
  const apiErr = isApiError(error) ? error : undefined;
  const badRow = apiErr?.field ? Number(/^entries\[(\d+)\]/.exec(apiErr.field)?.[1] ?? -1) : -1;

  const add = () => {
    if (!pick) return;
    const e: Entry = pick.startsWith('c:') ? { matterClass: pick.slice(2) } : { matterCode: pick.slice(2) };
    setEntries([...list, e]);
    setPick(''); setSaved(false); setError(undefined);
  };
  const remove = (i: number) => { setEntries(list.filter((_, j) => j !== i)); setSaved(false); setError(undefined); };
  const save = async () => {
    setBusy(true); setError(undefined); setSaved(false);
    try {
      const r = await api.PUT('/api/v1/admission', { body: { entries: list } });
      setEntries(r.entries);
      setSaved(true);
      q.reload();
    } catch (err) { setError(err as Error); } finally { setBusy(false); }
  };

  if (q.error) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!q.data || entries === undefined) return <Loading />;
  return (
    <section className="card" aria-labelledby="admission-h">
      <h2 id="admission-h">{t({ zh: '网格事项准入清单', en: 'Grid-member admission list' })}</h2>
      <p className="muted">{t({
        zh: '只有清单上的事项（单个事项或整个大类）可以派给网格员本人处置；保存后从下一次派遣起生效。',
        en: 'Only the matters on this list (single matters or whole classes) may be given to a grid member to handle; it applies from the next dispatch.',
      })}</p>
      {list.length === 0 ? <EmptyState title={t({ zh: '清单为空：不能派给网格员处置', en: 'Empty: nothing may be given to grid members' })} /> : (
        <div className="table-wrap">
          <table className="table" data-testid="admission-table">
            <thead><tr><th>{t({ zh: '类别', en: 'Kind' })}</th><th>{t({ zh: '编码', en: 'Code' })}</th><th>{t({ zh: '名称', en: 'Name' })}</th><th /></tr></thead>
            <tbody>
              {list.map((e, i) => (
                <tr key={keyOf(e)} className={i === badRow ? 'row-error' : undefined}>
                  <td>{e.matterCode ? t({ zh: '事项', en: 'Matter' }) : t({ zh: '大类', en: 'Class' })}</td>
                  <td><code>{e.matterCode ?? e.matterClass}</code></td>
                  <td>{e.matterCode ? byCode.get(e.matterCode)?.name ?? '—' : classes.find(([c]) => c === e.matterClass)?.[1] ?? '—'}</td>
                  <td><button type="button" className="btn btn-small" onClick={() => remove(i)}
                    aria-label={t({ zh: '移除 {x}', en: 'Remove {x}' }, { x: e.matterCode ?? e.matterClass ?? '' })}>{t({ zh: '移除', en: 'Remove' })}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="inline-form">
        <label htmlFor="admission-add">{t({ zh: '添加事项或大类', en: 'Add a matter or a class' })}</label>
        <select id="admission-add" value={pick} onChange={(e) => setPick(e.currentTarget.value)} className="select-wide">
          <option value="">{t({ zh: '请选择', en: 'Choose' })}</option>
          <optgroup label={t({ zh: '整个大类', en: 'Whole classes' })}>
            {classes.filter(([c]) => !taken.has(`c:${c}`)).map(([c, name]) => <option key={`c${c}`} value={`c:${c}`}>{c} {name}</option>)}
          </optgroup>
          <optgroup label={t({ zh: '单个事项', en: 'Single matters' })}>
            {all.filter((m) => !taken.has(`m:${m.code}`)).map((m) => <option key={m.code} value={`m:${m.code}`}>{m.code} {m.name}</option>)}
          </optgroup>
        </select>
        <button type="button" className="btn" onClick={add} disabled={!pick}>{t({ zh: '添加', en: 'Add' })}</button>
      </div>
      {error && <FormError>{errorText(error)}</FormError>}
      {saved && !dirty && <div className="notice notice-ok" role="status">{t({ zh: '已保存，共 {n} 项。', en: 'Saved: {n} entries.' }, { n: list.length })}</div>}
      <div className="save-bar actions">
        <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={busy || !dirty}>
          {busy ? t({ zh: '正在保存…', en: 'Saving…' }) : t({ zh: '保存清单', en: 'Save the list' })}
        </button>
        {dirty && <button type="button" className="btn" onClick={() => { setEntries(q.data!.entries); setError(undefined); }}>{t({ zh: '放弃修改', en: 'Discard changes' })}</button>}
        {dirty && <span className="muted small">{t({ zh: '有未保存的修改', en: 'Unsaved changes' })}</span>}
      </div>
    </section>
  );
}
