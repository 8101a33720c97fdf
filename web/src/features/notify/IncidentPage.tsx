/**
 * 重大事件指挥 (issue 9 §5, major-incident mode): the open incidents; open a new one; for the chosen one, its cases,
 * its timeline (首报, 续报, resources) and — for its commanders — forms to add a case by number, a report, a resource,
 * and to close it.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, isApiError, useQuery, type ResponseOf } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime, useI18n, type Msg } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';
import { Page } from '../../components/Page.tsx';
import { Select, TextArea, TextField } from '../../components/Form.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/States.tsx';
import './notify.css';

type Detail = ResponseOf<'/api/v1/incidents/{id}', 'get'>;
const LEVELS: Record<string, Msg> = { I: { zh: 'Ⅰ级 特别重大', en: 'Level I' }, II: { zh: 'Ⅱ级 重大', en: 'Level II' }, III: { zh: 'Ⅲ级 较大', en: 'Level III' }, IV: { zh: 'Ⅳ级 一般', en: 'Level IV' } };
const KINDS: Record<string, Msg> = {
  team: { zh: '队伍', en: 'Team' }, person: { zh: '人员', en: 'Person' }, vehicle: { zh: '车辆', en: 'Vehicle' },
  equipment: { zh: '装备', en: 'Equipment' }, material: { zh: '物资', en: 'Material' }, other: { zh: '其他', en: 'Other' },
};
const ENTRY: Record<string, Msg> = {
  opened: { zh: '启动指挥', en: 'Opened' }, case_added: { zh: '纳入案件', en: 'Case added' }, report: { zh: '续报', en: 'Report' },
  resource: { zh: '调派资源', en: 'Resource' }, closed: { zh: '结束指挥', en: 'Closed' },
};

function useSubmit(run: () => Promise<unknown>, onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try { await run(); onDone(); } catch (err) { setError(isApiError(err) ? err.message : String(err)); } finally { setBusy(false); }
  };
  return { busy, error, submit };
}

function Form({ title, children, busy, error, submit, label }: { title: string; children: ReactNode; busy: boolean; error?: string; submit: (e: FormEvent) => void; label: string }) {
  return (
    <form className="card handover-card" onSubmit={submit} aria-label={title}>
      <h3>{title}</h3>
      {children}
      {error && <div className="notice notice-error" role="alert">{error}</div>}
      <button type="submit" className="btn btn-primary" disabled={busy}>{label}</button>
    </form>
  );
}

export default function IncidentPage() {
  const { t, locale } = useI18n();
  const { hasRole } = useAuth();
  const list = useQuery((signal) => api.GET('/api/v1/incidents', { signal }), []);
  const [chosen, setChosen] = useState<number | undefined>();
  const commander = hasRole(['dispatcher', 'shift_leader', 'centre_leader', 'admin']);
  const [title, setTitle] = useState('');
  const [level, setLevel] = useState('III');
  const open = useSubmit(async () => {
    const r = await api.POST('/api/v1/incidents', { body: { title, level: level as 'III' } });
    setTitle('');
    setChosen(r.id);
  }, list.reload);
  const current = chosen ?? list.data?.items.find((i) => i.state === 'open')?.id;
  return (
    <Page title={t({ zh: '重大事件指挥', en: 'Major incidents' })}>
      <div className="handover-grid">
        <div>
          {commander && (
            <Form title={t({ zh: '启动指挥', en: 'Open an incident' })} label={t({ zh: '启动', en: 'Open' })} {...open}>
              <TextField label={t({ zh: '事件名称', en: 'Title' })} value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={100} />
              <Select label={t({ zh: '响应级别', en: 'Level' })} value={level} onChange={(e) => setLevel(e.target.value)}
                options={Object.entries(LEVELS).map(([value, m]) => ({ value, label: t(m) }))} />
            </Form>
          )}
          <section className="card handover-card" aria-label={t({ zh: '事件列表', en: 'Incidents' })}>
            {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : !list.data ? <Loading />
              : list.data.items.length === 0 ? <EmptyState title={t({ zh: '暂无重大事件', en: 'No incidents' })} /> : (
                <ul className="bell-list">
                  {list.data.items.map((i) => (
                    <li key={i.id}>
                      <button type="button" className={`bell-item${i.id === current ? ' unread' : ''}`} onClick={() => setChosen(i.id)}>
                        {i.title} <span className="muted">· {t(LEVELS[i.level] ?? { zh: i.level, en: i.level })} · {i.state === 'open' ? t({ zh: '指挥中', en: 'open' }) : t({ zh: '已结束', en: 'closed' })}</span>
                        <div className="muted">{formatDateTime(i.openedAt, locale)}</div>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
          </section>
        </div>
        {current !== undefined ? <IncidentDetail key={current} id={current} onChange={list.reload} /> : <span />}
      </div>
    </Page>
  );
}

function IncidentDetail({ id, onChange }: { id: number; onChange: () => void }) {
  const { t, locale } = useI18n();
  const q = useQuery((signal) => api.GET('/api/v1/incidents/{id}', { params: { path: { id: String(id) } }, signal }), [id]);
  const done = () => { q.reload(); onChange(); };
  const [caseId, setCaseId] = useState('');
  const [text, setText] = useState('');
  const [res, setRes] = useState({ kind: 'team', name: '', quantity: '1' });
  const path = { params: { path: { id: String(id) } } };
  const addCase = useSubmit(async () => {
    // A case number (14+ digits) or an id: the case route reads both, among the cases the user may see.
    const c = await api.GET('/api/v1/cases/{id}', { params: { path: { id: caseId.trim() } } });
    await api.POST('/api/v1/incidents/{id}/cases', { ...path, body: { caseId: Number(c.id) } });
    setCaseId('');
  }, done);
  const report = useSubmit(async () => { await api.POST('/api/v1/incidents/{id}/reports', { ...path, body: { text } }); setText(''); }, done);
  const resource = useSubmit(async () => {
    await api.POST('/api/v1/incidents/{id}/resources', { ...path, body: { kind: res.kind as 'team', name: res.name, quantity: Number(res.quantity) || 1 } });
    setRes({ ...res, name: '' });
  }, done);
  const close = useSubmit(async () => { await api.POST('/api/v1/incidents/{id}/close', { ...path, body: {} }); }, done);
  if (q.error) return <ErrorState error={q.error} onRetry={q.reload} />;
  const d: Detail | undefined = q.data;
  if (!d) return <Loading />;
  return (
    <section aria-label={d.title} data-testid="incident">
      <article className="card handover-card">
        <h2>{d.title}</h2>
        <div className="muted">{t(LEVELS[d.level] ?? { zh: d.level, en: d.level })}{d.regionName ? ` · ${d.regionName}` : ''} · {t({ zh: '指挥', en: 'Commander' })} {d.commanderName}</div>
        <h3>{t({ zh: `关联案件（${d.cases.length}）`, en: `Cases (${d.cases.length})` })}</h3>
        {d.cases.length === 0 ? <p className="muted">{t({ zh: '无', en: 'None' })}</p> : (
          <ul>{d.cases.map((c) => <li key={c.id}><Link to={`/cases/${c.id}`}>{c.caseNo}</Link> {c.description}</li>)}</ul>
        )}
        <h3>{t({ zh: '时间线', en: 'Timeline' })}</h3>
        <ol>
          {d.timeline.map((e) => (
            <li key={e.id}>
              <strong>{e.kind === 'report' && e.details.label ? t(e.details.label as Msg) : t(ENTRY[e.kind] ?? { zh: e.kind, en: e.kind })}</strong>
              {' '}<span className="muted">{formatDateTime(e.at, locale)} {e.actorName ?? ''}</span>
              <div className="handover-notes">{e.kind === 'resource' ? `${t(KINDS[String(e.details.kind)] ?? { zh: '', en: '' })} ${e.text} × ${String(e.details.quantity)}` : e.text}</div>
            </li>
          ))}
        </ol>
      </article>
      {d.canCommand && (
        <>
          <Form title={t({ zh: '续报', en: 'Situation report' })} label={t({ zh: '提交续报', en: 'Add report' })} {...report}>
            <TextArea label={t({ zh: '情况', en: 'Situation' })} value={text} onChange={(e) => setText(e.target.value)} rows={4} required maxLength={4000} />
          </Form>
          <Form title={t({ zh: '纳入案件', en: 'Add a case' })} label={t({ zh: '纳入', en: 'Add' })} {...addCase}>
            <TextField label={t({ zh: '案件编号', en: 'Case number' })} value={caseId} onChange={(e) => setCaseId(e.target.value)} inputMode="numeric" required />
          </Form>
          <Form title={t({ zh: '调派资源', en: 'Assign a resource' })} label={t({ zh: '记录', en: 'Record' })} {...resource}>
            <Select label={t({ zh: '类别', en: 'Kind' })} value={res.kind} onChange={(e) => setRes({ ...res, kind: e.target.value })}
              options={Object.entries(KINDS).map(([value, m]) => ({ value, label: t(m) }))} />
            <TextField label={t({ zh: '名称', en: 'Name' })} value={res.name} onChange={(e) => setRes({ ...res, name: e.target.value })} required maxLength={100} />
            <TextField label={t({ zh: '数量', en: 'Quantity' })} value={res.quantity} onChange={(e) => setRes({ ...res, quantity: e.target.value })} inputMode="numeric" />
          </Form>
          <Form title={t({ zh: '结束指挥', en: 'Close' })} label={t({ zh: '结束', en: 'Close incident' })} {...close}><span /></Form>
        </>
      )}
    </section>
  );
}
