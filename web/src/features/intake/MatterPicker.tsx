/**
 * The matter (事项) of a report: suggestions from the description (POST /catalog/suggest, debounced: the text is in
 * the body, so a long description fits; the answer also says whether the words mean an emergency). The first can
 * be taken with one click or Alt+1 in the description), and a searchable picker over the whole catalogue
 * (GET /catalog/matters, filtered as the operator types).
 */
import { useId, useMemo, useState } from 'react';
import { api, useQuery } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import type { Emergency, Matter, Suggestion } from './types.ts';

const NO_EMERGENCY: Emergency = { level: null, referrals: [], words: [] };

export function useSuggestions(text: string) {
  return useQuery<{ items: Suggestion[]; emergency: Emergency }>(
    (signal) => (text.trim().length < 2 ? Promise.resolve({ items: [], emergency: NO_EMERGENCY })
      : api.POST('/api/v1/catalog/suggest', { body: { text: text.trim().slice(0, 10_000), limit: 5 }, signal })),
    [text],
  );
}

export function Suggestions({ items, loading, error, selected, onPick }: {
  items: Suggestion[]; loading: boolean; error: unknown; selected: string | undefined; onPick: (m: Matter) => void;
}) {
  const { t } = useI18n();
  if (error) return <p className="intake-note intake-warn" role="status">{t({ zh: '事项建议暂不可用，请在下方搜索选择。', en: 'Suggestions are unavailable; search below.' })}</p>;
  if (!items.length) {
    return <p className="intake-note muted">{loading ? t('common.loading') : t({ zh: '输入诉求内容后，这里会建议事项类型。', en: 'Type the description to get matter suggestions.' })}</p>;
  }
  return (
    <div className="suggest-list" role="group" aria-label={t({ zh: '建议的事项', en: 'Suggested matters' })}>
      {items.map((s, i) => (
        <button key={s.code} type="button" className={`chip${selected === s.code ? ' chip-on' : ''}${i === 0 ? ' chip-top' : ''}`}
          aria-pressed={selected === s.code} onClick={() => onPick(s)}
          title={s.matched.length ? t({ zh: '匹配：', en: 'Matched: ' }) + s.matched.join('、') : undefined}>
          {i === 0 && <span className="chip-key" aria-hidden="true">Alt+1</span>}
          <span className="chip-name">{s.name}</span> <code className="muted">{s.code}</code>
        </button>
      ))}
    </div>
  );
}

export function MatterSearch({ selected, onPick }: { selected: Matter | undefined; onPick: (m: Matter) => void }) {
  const { t } = useI18n();
  const id = useId();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const all = useQuery((signal) => api.GET('/api/v1/catalog/matters', { signal }), []);
  const hits = useMemo(() => {
    const s = q.trim();
    const items = all.data?.items ?? [];
    if (!s) return items.slice(0, 8);
    return items.filter((m) => m.name.includes(s) || m.code.startsWith(s) || m.className.includes(s)).slice(0, 12);
  }, [q, all.data]);
  return (
    <div className="field matter-search">
      <label htmlFor={id}>{t({ zh: '搜索事项（名称或编码）', en: 'Search matters (name or code)' })}</label>
      <input id={id} type="search" value={q} autoComplete="off"
        onChange={(e) => { setQ(e.target.value); setOpen(true); }} onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') { e.preventDefault(); if (hits[0]) { onPick(hits[0]); setOpen(false); setQ(''); } }
          if (e.key === 'Escape') setOpen(false);
        }}
        aria-controls={`${id}-list`} aria-expanded={open} />
      {open && (
        all.error ? <ErrorState error={all.error} onRetry={all.reload} />
          : all.loading && !all.data ? <Loading inline />
            : (
              <ul id={`${id}-list`} className="matter-results" aria-label={t({ zh: '事项搜索结果', en: 'Matching matters' })}>
                {hits.length === 0 && <li className="muted">{t({ zh: '没有匹配的事项', en: 'No matching matter' })}</li>}
                {hits.map((m) => (
                  <li key={m.code}>
                    <button type="button" className={`matter-option${selected?.code === m.code ? ' chip-on' : ''}`}
                      onClick={() => { onPick(m); setOpen(false); setQ(''); }}>
                      <span>{m.name}</span> <code className="muted">{m.code}</code> <span className="muted small">{m.className}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )
      )}
    </div>
  );
}
