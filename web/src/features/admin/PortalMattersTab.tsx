/**
 * Which matters citizens may report on the public portal (settings row portal_matters, GET/PUT /portal-matters):
 * a picker over the catalogue grouped by class, with a search and "all of this class". Saved whole: a class whose
 * every matter is ticked is stored as the class (so a matter added to it later is offered too), the rest as codes;
 * the featured matters (listed first on the portal) keep their order and drop out when no longer offered.
 */
import { useEffect, useMemo, useState } from 'react';
import { api, useQuery, type ApiError } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import { FormError } from '../../components/Form.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import type { Matter } from './shared.tsx';

interface Setting { include: string[]; exclude: string[]; featured: string[] }

const names = (list: readonly string[], code: string) => list.some((m) => m === code || (m.length === 2 && code.startsWith(m)));

/** The matter codes a setting offers. */
export const offeredCodes = (s: Setting, all: readonly Matter[]): Set<string> =>
  new Set(all.filter((m) => names(s.include, m.code) && !names(s.exclude, m.code)).map((m) => m.code));

/** A set of codes as a setting: whole classes as their class code, the rest one by one. */
export function settingOf(selected: ReadonlySet<string>, all: readonly Matter[], featured: readonly string[]): Setting {
  const byClass = new Map<string, Matter[]>();
  for (const m of all) byClass.set(m.classCode, [...(byClass.get(m.classCode) ?? []), m]);
  const include: string[] = [];
  for (const [c, ms] of [...byClass.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (ms.every((m) => selected.has(m.code))) include.push(c);
    else include.push(...ms.filter((m) => selected.has(m.code)).map((m) => m.code).sort());
  }
  return { include, exclude: [], featured: featured.filter((c) => selected.has(c)) };
}

export function PortalMattersTab() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const q = useQuery((signal) => api.GET('/api/v1/portal-matters', { signal }), []);
  const matters = useQuery((signal) => api.GET('/api/v1/catalog/matters', { signal }), []);
  const all: Matter[] = useMemo(() => matters.data?.items ?? [], [matters.data]);
  const [selected, setSelected] = useState<Set<string> | undefined>();
  const [featured, setFeatured] = useState<string[]>([]);
  const [search, setSearch] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (q.data && all.length > 0 && selected === undefined) { setSelected(offeredCodes(q.data, all)); setFeatured(q.data.featured); }
  }, [q.data, all, selected]);

  const classes = useMemo(() => {
    const out = new Map<string, { name: string; items: Matter[] }>();
    for (const m of [...all].sort((a, b) => a.code.localeCompare(b.code))) {
      const c = out.get(m.classCode) ?? { name: m.className, items: [] };
      c.items.push(m);
      out.set(m.classCode, c);
    }
    return [...out.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [all]);

  if (q.error) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (matters.error) return <ErrorState error={matters.error} onRetry={matters.reload} />;
  if (!q.data || !matters.data || selected === undefined) return <Loading />;
  const original = offeredCodes(q.data, all);
  const dirty = selected.size !== original.size || [...selected].some((c) => !original.has(c)) || featured.join() !== q.data.featured.join();
  const needle = search.trim().toLowerCase();
  const shown = (m: Matter) => !needle || m.code.includes(needle) || m.name.toLowerCase().includes(needle) || m.className.toLowerCase().includes(needle);

  const change = (next: Set<string>) => { setSelected(next); setSaved(false); setError(undefined); };
  const toggle = (code: string) => { const n = new Set(selected); if (n.has(code)) n.delete(code); else n.add(code); change(n); };
  const setClass = (items: Matter[], on: boolean) => {
    const n = new Set(selected);
    for (const m of items) if (on) n.add(m.code); else n.delete(m.code);
    change(n);
  };
  const toggleFeatured = (code: string) => {
    setFeatured(featured.includes(code) ? featured.filter((c) => c !== code) : [...featured, code]);
    setSaved(false);
  };
  const save = async () => {
    setBusy(true); setError(undefined); setSaved(false);
    try {
      const r = await api.PUT('/api/v1/portal-matters', { body: settingOf(selected, all, featured) });
      setSelected(offeredCodes(r, all)); setFeatured(r.featured);
      setSaved(true);
      q.reload();
    } catch (err) { setError(err as Error); } finally { setBusy(false); }
  };

  return (
    <section className="card" aria-labelledby="portal-matters-h">
      <h2 id="portal-matters-h">{t({ zh: '公众门户可上报的事项', en: 'Matters citizens may report on the portal' })}</h2>
      <p className="muted">{t({
        zh: '勾选市民可以在公众门户上报的事项；整类勾选时保存为该大类（以后新增的事项也会开放）。标星的事项在门户中排在最前。',
        en: 'Tick the matters citizens may report on the public portal; a fully ticked class is saved as the class (matters added to it later are offered too). Starred matters are listed first on the portal.',
      })}</p>
      <div className="inline-form">
        <label htmlFor="portal-matters-search">{t({ zh: '搜索事项', en: 'Search matters' })}</label>
        <input id="portal-matters-search" type="search" value={search} onChange={(e) => setSearch(e.currentTarget.value)}
          placeholder={t({ zh: '编码或名称', en: 'Code or name' })} />
        <span className="muted small" data-testid="portal-matters-count">
          {t({ zh: '已选 {n} / {total} 项', en: '{n} of {total} selected' }, { n: selected.size, total: all.length })}
        </span>
      </div>
      {classes.map(([code, c]) => {
        const visible = c.items.filter(shown);
        if (visible.length === 0) return null;
        const on = c.items.filter((m) => selected.has(m.code)).length;
        return (
          <fieldset key={code} className="matter-class" data-testid={`portal-class-${code}`}>
            <legend>
              <label>
                <input type="checkbox" checked={on === c.items.length} ref={(el) => { if (el) el.indeterminate = on > 0 && on < c.items.length; }}
                  onChange={(e) => setClass(c.items, e.currentTarget.checked)}
                  aria-label={t({ zh: '全选大类 {x}', en: 'All of class {x}' }, { x: `${code} ${c.name}` })} />
                {' '}{code} {c.name} <span className="muted small">（{on}/{c.items.length}）</span>
              </label>
            </legend>
            <ul className="matter-pick">
              {visible.map((m) => (
                <li key={m.code}>
                  <label>
                    <input type="checkbox" checked={selected.has(m.code)} onChange={() => toggle(m.code)} />
                    {' '}<code>{m.code}</code> {m.name}
                  </label>
                  {selected.has(m.code) && (
                    <button type="button" className={`btn btn-small btn-star${featured.includes(m.code) ? ' on' : ''}`} onClick={() => toggleFeatured(m.code)}
                      aria-pressed={featured.includes(m.code)} aria-label={t({ zh: '排在最前 {x}', en: 'List first {x}' }, { x: m.code })}
                      title={t({ zh: '在门户中排在最前', en: 'List first on the portal' })}>
                      {featured.includes(m.code) ? '★' : '☆'}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </fieldset>
        );
      })}
      {error && <FormError>{errorText(error)}</FormError>}
      {saved && !dirty && <div className="notice notice-ok" role="status">{t({ zh: '已保存：门户开放 {n} 项事项。', en: 'Saved: the portal offers {n} matters.' }, { n: q.data.offered })}</div>}
      <div className="save-bar actions">
        <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={busy || !dirty || selected.size === 0}>
          {busy ? t({ zh: '正在保存…', en: 'Saving…' }) : t({ zh: '保存', en: 'Save' })}
        </button>
        {dirty && <button type="button" className="btn" onClick={() => { setSelected(original); setFeatured(q.data!.featured); setError(undefined); }}>{t({ zh: '放弃修改', en: 'Discard changes' })}</button>}
        {selected.size === 0 && <span className="muted small">{t({ zh: '至少选择一项事项', en: 'Choose at least one matter' })}</span>}
      </div>
    </section>
  );
}
