/**
 * Find the place by its address (GET /public/geocode — the seat's offline geocoder): a match as written is taken at
 * once; anything else — another form of the name, one character off, a number between two known ones, a road or a
 * town only — is listed as approximate, and the citizen picks one (or taps the map). A picked place is a point
 * like a tap on the map; the typed text goes with the report as its address.
 */
import { useState, type FormEvent } from 'react';
import { api, isApiError, type ResponseOf } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';

type Found = ResponseOf<'/api/v1/public/geocode', 'get'>;
export type Candidate = Found['candidates'][number];

export function AddressSearch({ onPick }: { onPick: (c: Candidate, query: string) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<(Found & { query: string }) | undefined>();
  const [error, setError] = useState('');
  const search = async (e?: FormEvent) => {
    e?.preventDefault();
    const query = q.trim();
    if (query.length < 2 || busy) return;
    setBusy(true); setError('');
    try {
      const r = await api.GET('/api/v1/public/geocode', { params: { query: { q: query } } });
      const exact = r.outcome === 'exact' && r.candidates[0] && !r.candidates[0].approximate;
      if (exact) {
        onPick(r.candidates[0], query);
        setFound(undefined);
      } else {
        setFound({ ...r, query });
      }
    } catch (err) {
      setError(isApiError(err) ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="portal-address" data-testid="portal-address">
      <div className="portal-address-row">
        <label className="sr-only" htmlFor="portal-address-q">{t({ zh: '按地址查找', en: 'Find by address' })}</label>
        <input id="portal-address-q" type="search" value={q} maxLength={100} autoComplete="street-address"
          placeholder={t({ zh: '输入地址、小区或地标，如 望江路128号', en: 'Address, compound or landmark, e.g. 望江路128号' })}
          onChange={(e) => { setQ(e.target.value); setFound(undefined); }}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void search(); } }} />
        <button type="button" className="btn" onClick={() => void search()} disabled={busy || q.trim().length < 2}>
          {busy ? t({ zh: '查找中…', en: 'Finding…' }) : t({ zh: '查找', en: 'Find' })}
        </button>
      </div>
      {error && <div className="field-error" role="alert">{error}</div>}
      {found && (found.candidates.length === 0
        ? <p className="field-hint" role="status">{t({ zh: '没有找到“{q}”，请换个说法或在地图上点选。', en: 'Nothing found for “{q}”: try other words or tap the map.' }, { q: found.query })}</p>
        : (
          <div role="status">
            <p className="field-hint portal-warn">
              {found.outcome === 'ambiguous'
                ? t({ zh: '找到多个可能的位置，请选择：', en: 'Several places match — choose one:' })
                : t({ zh: '未找到完全一致的地址，以下是近似结果，请确认：', en: 'No exact match — these are approximate, please confirm:' })}
            </p>
            <ul className="portal-candidates" data-testid="portal-candidates">
              {found.candidates.map((c, i) => (
                <li key={`${c.name}-${i}`}>
                  <button type="button" className="portal-candidate" onClick={() => { onPick(c, found.query); setFound(undefined); }}>
                    <span className="portal-candidate-name">{c.name}</span>
                    {c.street && <span className="muted small"> · {c.street}</span>}
                    {c.approximate && <span className="portal-approx">{t({ zh: '近似', en: 'approximate' })}</span>}
                  </button>
                </li>
              ))}
            </ul>
          </div>
          ))}
    </div>
  );
}
