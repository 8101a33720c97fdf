/**
 * The 吹哨报到 panel on a case: the case's summonses (each department's report state with a countdown, report,
 * close, rate), and — for whoever commands on the case's street — the form to blow the whistle. Live: a summons
 * event of this case reloads it.
 */
import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { api, isApiError, useQuery, type ApiError } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { useI18n } from '../../app/i18n.ts';
import { useLiveEvents } from '../../app/sse.ts';
import { Checkbox, FormError, Select, TextArea, TextField } from '../../components/Form.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { SummonsCard } from './SummonsCard.tsx';
import { KIND, MODE, SUMMONS_TOPICS, type Summons } from './model.ts';
import './summons.css';

type Candidate = { id: string; name: string; kind: string };

function IssueForm({ caseId, candidates, onIssued, onCancel }: { caseId: number; candidates: Candidate[]; onIssued: (s: Summons) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const [kind, setKind] = useState('routine');
  const [mode, setMode] = useState('on_site');
  const [reason, setReason] = useState('');
  const [address, setAddress] = useState('');
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const shown = useMemo(() => candidates.filter((c) => !filter.trim() || c.name.includes(filter.trim()) || chosen.includes(c.id)), [candidates, filter, chosen]);
  const field = (f: string) => (error && isApiError(error) && (error.field === f || error.field?.startsWith(`${f}.`)) ? error.message : undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const s = await api.POST('/api/v1/cases/{id}/summons', {
        params: { path: { id: String(caseId) } },
        body: { kind: kind as 'routine', mode: mode as 'on_site', reason, unitIds: chosen, ...(address.trim() ? { place: { address: address.trim() } } : {}) },
      });
      onIssued(s);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="summons-issue" onSubmit={submit} aria-label={t({ zh: '吹哨', en: 'Blow the whistle' })}>
      <div className="summons-row">
        <Select label={t({ zh: '哨类', en: 'Kind' })} value={kind} onChange={(e) => setKind(e.target.value)} required
          options={Object.entries(KIND).map(([value, m]) => ({ value, label: t(m) }))} error={field('kind')} />
        <Select label={t({ zh: '会商方式', en: 'Meeting' })} value={mode} onChange={(e) => setMode(e.target.value)} required
          options={Object.entries(MODE).map(([value, m]) => ({ value, label: t(m) }))} error={field('mode')} />
      </div>
      <fieldset className="summons-units">
        <legend>{t({ zh: '报到部门（已选 {n} 个）', en: 'Departments to report ({n} chosen)' }, { n: chosen.length })}</legend>
        <TextField label={t({ zh: '筛选部门', en: 'Filter' })} value={filter} onChange={(e) => setFilter(e.target.value)} />
        <div className="summons-unit-list" role="group">
          {shown.map((c) => (
            <Checkbox key={c.id} label={c.name} checked={chosen.includes(c.id)}
              onChange={(e) => setChosen((x) => (e.target.checked ? [...x, c.id] : x.filter((u) => u !== c.id)))} />
          ))}
        </div>
        {field('unitIds') && <div className="field-error" role="alert">{field('unitIds')}</div>}
      </fieldset>
      <TextArea label={t({ zh: '吹哨事由', en: 'Reason' })} required value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={2000} error={field('reason')} />
      <TextField label={t({ zh: '会商地点（默认案件地址）', en: 'Meeting place (default: the case\'s address)' })} value={address} onChange={(e) => setAddress(e.target.value)} maxLength={500} />
      <div className="summons-buttons">
        <button type="submit" className="btn btn-primary" disabled={busy || chosen.length === 0}>{t({ zh: '吹哨', en: 'Blow the whistle' })}</button>
        <button type="button" className="btn" onClick={onCancel}>{t({ zh: '取消', en: 'Cancel' })}</button>
      </div>
      <FormError>{error && !(isApiError(error) && ['kind', 'mode', 'reason', 'unitIds'].some((f) => field(f))) ? errText(error) : undefined}</FormError>
    </form>
  );
}

export function SummonsPanel({ caseId }: { caseId: number }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const id = String(caseId);
  const list = useQuery((signal) => api.GET('/api/v1/cases/{id}/summons', { params: { path: { id } }, signal }), [id]);
  const cands = useQuery((signal) => api.GET('/api/v1/cases/{id}/summons/candidates', { params: { path: { id } }, signal }), [id]);
  const [issuing, setIssuing] = useState(false);
  const [fresh, setFresh] = useState<Record<number, Summons>>({});
  const reloadList = list.reload;
  const reloadCands = cands.reload;
  const reload = useCallback(() => { setFresh({}); reloadList(); reloadCands(); }, [reloadList, reloadCands]);
  useLiveEvents((e) => { if (Number(e.data.caseId) === caseId) reload(); }, SUMMONS_TOPICS, can('events.read'));
  const changed = (s: Summons) => { setFresh((x) => ({ ...x, [s.id]: s })); reloadCands(); };
  const items = (list.data?.items ?? []).map((s) => fresh[s.id] ?? s);
  return (
    <section className="card summons-panel" aria-labelledby="summons-h">
      <div className="summons-panel-head">
        <h2 id="summons-h">{t({ zh: '吹哨报到', en: 'Summons' })}</h2>
        {cands.data?.mayIssue && !issuing && (
          <button type="button" className="btn btn-primary" onClick={() => setIssuing(true)}>{t({ zh: '吹哨', en: 'Blow the whistle' })}</button>
        )}
      </div>
      {issuing && cands.data && (
        <IssueForm caseId={caseId} candidates={cands.data.items} onCancel={() => setIssuing(false)}
          onIssued={(s) => { setIssuing(false); setFresh((x) => ({ ...x, [s.id]: s })); reload(); }} />
      )}
      {list.error && !list.data ? <ErrorState error={list.error} onRetry={list.reload} />
        : !list.data ? <Loading inline />
        : items.length === 0 ? <p className="muted">{t({ zh: '本案尚未吹哨。街镇无法单独解决时，可吹哨召集相关部门限时报到。', en: 'No summons yet. When the street cannot solve it alone, it can summon departments to report.' })}</p>
        : items.map((s) => <SummonsCard key={s.id} s={s} onChanged={changed} />)}
    </section>
  );
}
