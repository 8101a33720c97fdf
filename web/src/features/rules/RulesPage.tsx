/**
 * /rules — sensing rules (issue 11 part 3): the list, an editor that saves a new version each time (the versions
 * are listed; a stale edit is refused by the server), and "test against recorded readings": which alarms the
 * definition in the editor would have fired, when — before it is enabled. Readings may be pasted (JSON) when the
 * data plane has none recorded.
 */
import { useState } from 'react';
import { api, useQuery, type BodyOf, type ResponseOf } from '../../app/api.ts';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { Page } from '../../components/Page.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import './rules.css';

type Rule = ResponseOf<'/api/v1/sensing/rules', 'get'>['items'][number];
type Body = BodyOf<'/api/v1/sensing/rules', 'post'>;
type TestResult = ResponseOf<'/api/v1/sensing/rules/test', 'post'>;

const TEMPLATES: Record<string, unknown> = {
  threshold: { kind: 'threshold', measurement: 'waterLevel', op: '>', value: 20, forSeconds: 300, hysteresis: 2 },
  rate: { kind: 'rate', measurement: 'temperature', direction: 'rise', perMinute: 2, windowSeconds: 300 },
  unchanged: { kind: 'unchanged', measurement: 'total', forSeconds: 43200, tolerance: 0.001 },
  heartbeat: { kind: 'heartbeat' },
  all: { kind: 'all', conditions: [{ kind: 'threshold', measurement: 'smoke', op: '>=', value: 1 }, { kind: 'rate', measurement: 'temperature', direction: 'rise', perMinute: 2, windowSeconds: 120 }] },
};

interface Draft {
  id: string; version: number | null; name: string; scopeKind: string; scopeId: string; condition: string; matterCode: string; urgency: string;
  suppressMinutes: number; enabled: boolean; note: string;
}
const EMPTY: Draft = { id: '', version: null, name: '', scopeKind: 'type', scopeId: '', condition: JSON.stringify(TEMPLATES.threshold, null, 2), matterCode: '', urgency: 'normal', suppressMinutes: 30, enabled: false, note: '' };
const draftOf = (r: Rule): Draft => ({
  id: r.id, version: r.version, name: r.name, scopeKind: r.scope.kind, scopeId: r.scope.id, condition: JSON.stringify(r.condition, null, 2),
  matterCode: r.matterCode, urgency: r.urgency, suppressMinutes: r.suppressMinutes, enabled: r.enabled, note: '',
});

function Versions({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const q = useQuery((signal) => api.GET('/api/v1/sensing/rules/{id}', { params: { path: { id } }, signal }), [id]);
  if (!q.data) return q.error ? <ErrorState error={q.error} /> : <Loading inline />;
  return (
    <ol className="rule-versions" aria-label={t({ zh: '版本', en: 'Versions' })}>
      {q.data.versions.map((v) => (
        <li key={v.version}>v{v.version} · {formatDateTime(v.createdAt, locale)} · {v.createdBy ?? '—'}{v.definition.enabled ? ` · ${t({ zh: '启用', en: 'enabled' })}` : ''}{v.note ? ` · ${v.note}` : ''}</li>
      ))}
    </ol>
  );
}

export default function RulesPage() {
  const { t, locale } = useI18n();
  const errorText = useErrorText();
  const q = useQuery((signal) => api.GET('/api/v1/sensing/rules', { signal }), []);
  const [d, setD] = useState<Draft>(EMPTY);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [readings, setReadings] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [result, setResult] = useState<TestResult | null>(null);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));

  const body = (): Body => {
    let condition: Body['condition'];
    try { condition = JSON.parse(d.condition); } catch { throw new Error(t({ zh: '条件不是有效的 JSON', en: 'The condition is not valid JSON' })); }
    return {
      name: d.name, scope: { kind: d.scopeKind, id: d.scopeId }, condition, matterCode: d.matterCode, urgency: d.urgency,
      suppressMinutes: Number(d.suppressMinutes), enabled: d.enabled, note: d.note || null,
    } as Body;
  };
  const save = async () => {
    setMsg(null);
    try {
      const r = d.version === null
        ? await api.POST('/api/v1/sensing/rules', { body: { ...body(), ...(d.id ? { id: d.id } : {}) } })
        : await api.PUT('/api/v1/sensing/rules/{id}', { params: { path: { id: d.id } }, body: { ...body(), version: d.version } });
      setD(draftOf(r));
      setMsg({ ok: true, text: t({ zh: '已保存为第 {v} 版', en: 'Saved as version {v}' }, { v: r.version }) });
      q.reload();
    } catch (e) { setMsg({ ok: false, text: errorText(e) }); }
  };
  const test = async () => {
    setMsg(null); setResult(null);
    try {
      let list: { deviceId: string; at: number; values: Record<string, number> }[] | undefined;
      if (readings.trim()) {
        try { list = JSON.parse(readings); } catch { throw new Error(t({ zh: '读数不是有效的 JSON', en: 'The readings are not valid JSON' })); }
      }
      const r = await api.POST('/api/v1/sensing/rules/test', {
        body: {
          rule: body(), ...(list ? { readings: list } : {}),
          ...(from ? { from: new Date(from).toISOString() } : {}), ...(to ? { to: new Date(to).toISOString() } : {}),
        },
      });
      setResult(r);
    } catch (e) { setMsg({ ok: false, text: errorText(e) }); }
  };

  return (
    <Page title={t({ zh: '感知规则', en: 'Sensing rules' })} className="rules-page">
      <div className="rules-layout">
        <section className="card" aria-label={t({ zh: '规则列表', en: 'Rules' })}>
          <button type="button" onClick={() => { setD(EMPTY); setResult(null); setMsg(null); }}>{t({ zh: '新建规则', en: 'New rule' })}</button>
          {q.error && !q.data ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading inline /> : (
            <ul className="rule-list">
              {q.data.items.map((r) => (
                <li key={r.id}>
                  <button type="button" className={`rule-item${d.id === r.id ? ' active' : ''}`} onClick={() => { setD(draftOf(r)); setResult(null); setMsg(null); }}>
                    <strong>{r.name}</strong> <span className="muted small">v{r.version} · {r.enabled ? t({ zh: '启用', en: 'enabled' }) : t({ zh: '停用', en: 'disabled' })}</span>
                    <div className="muted small">{r.description}</div>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card rule-editor" aria-label={t({ zh: '规则编辑', en: 'Rule editor' })}>
          <h3>{d.version === null ? t({ zh: '新规则', en: 'New rule' }) : `${d.id} · v${d.version}`}</h3>
          <div className="rule-form">
            {d.version === null && <label>{t({ zh: '编号（可选）', en: 'Id (optional)' })}<input name="id" value={d.id} onChange={(e) => set('id', e.target.value)} /></label>}
            <label>{t({ zh: '名称', en: 'Name' })}<input name="name" value={d.name} onChange={(e) => set('name', e.target.value)} /></label>
            <label>{t({ zh: '适用范围', en: 'Scope' })}
              <select name="scopeKind" value={d.scopeKind} onChange={(e) => set('scopeKind', e.target.value)}>
                <option value="type">{t({ zh: '设备类型', en: 'Device type' })}</option><option value="scenario">{t({ zh: '场景', en: 'Scenario' })}</option><option value="device">{t({ zh: '单个设备', en: 'One device' })}</option>
              </select>
            </label>
            <label>{t({ zh: '类型/场景/设备编号', en: 'Type / scenario / device id' })}<input name="scopeId" value={d.scopeId} onChange={(e) => set('scopeId', e.target.value)} /></label>
            <label>{t({ zh: '事项代码', en: 'Matter code' })}<input name="matterCode" value={d.matterCode} onChange={(e) => set('matterCode', e.target.value)} /></label>
            <label>{t({ zh: '紧急程度', en: 'Urgency' })}
              <select name="urgency" value={d.urgency} onChange={(e) => set('urgency', e.target.value)}>
                <option value="normal">{t({ zh: '一般', en: 'Normal' })}</option><option value="urgent">{t({ zh: '紧急', en: 'Urgent' })}</option><option value="very_urgent">{t({ zh: '非常紧急', en: 'Very urgent' })}</option>
              </select>
            </label>
            <label>{t({ zh: '抑制窗口（分钟）', en: 'Suppression window (min)' })}<input name="suppressMinutes" type="number" min={0} value={d.suppressMinutes} onChange={(e) => set('suppressMinutes', Number(e.target.value))} /></label>
            <label className="check"><input name="enabled" type="checkbox" checked={d.enabled} onChange={(e) => set('enabled', e.target.checked)} /> {t({ zh: '启用', en: 'Enabled' })}</label>
          </div>
          <label className="rule-condition">{t({ zh: '条件（JSON）', en: 'Condition (JSON)' })}
            <span className="rule-templates">{Object.keys(TEMPLATES).map((k) => <button key={k} type="button" className="small" onClick={() => set('condition', JSON.stringify(TEMPLATES[k], null, 2))}>{k}</button>)}</span>
            <textarea name="condition" rows={8} value={d.condition} onChange={(e) => set('condition', e.target.value)} spellCheck={false} />
          </label>
          <label>{t({ zh: '版本说明', en: 'Note for this version' })}<input name="note" value={d.note} onChange={(e) => set('note', e.target.value)} /></label>
          <div className="rule-actions"><button type="button" className="primary" onClick={() => void save()}>{t({ zh: '保存新版本', en: 'Save a new version' })}</button></div>
          {msg && <p role="status" className={msg.ok ? 'ok-text' : 'error-text'}>{msg.text}</p>}
          {d.version !== null && <Versions key={`${d.id}-${d.version}`} id={d.id} />}
        </section>
        <section className="card rule-test" aria-label={t({ zh: '用历史读数测试', en: 'Test against recorded readings' })}>
          <h3>{t({ zh: '用历史读数测试', en: 'Test against recorded readings' })}</h3>
          <div className="rule-form">
            <label>{t({ zh: '从', en: 'From' })}<input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
            <label>{t({ zh: '到', en: 'To' })}<input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} /></label>
          </div>
          <label>{t({ zh: '读数（可选，JSON：[{deviceId, at, values}]；不填则用已记录读数）', en: 'Readings (optional JSON [{deviceId, at, values}]; empty = recorded readings)' })}
            <textarea name="readings" rows={4} value={readings} onChange={(e) => setReadings(e.target.value)} spellCheck={false} />
          </label>
          <button type="button" onClick={() => void test()}>{t({ zh: '测试', en: 'Test' })}</button>
          {result && (
            <div className="rule-test-result" role="region" aria-label={t({ zh: '测试结果', en: 'Test result' })}>
              <p><strong>{t({ zh: '将产生 {n} 条告警', en: '{n} alarm(s) would have fired' }, { n: result.alarms })}</strong>{result.reopened ? ` · ${t({ zh: '{n} 次在抑制窗口内重开', en: '{n} re-opened inside the suppression window' }, { n: result.reopened })}` : ''} · {t({ zh: '{r} 条读数，{d} 台设备', en: '{r} readings, {d} devices' }, { r: result.readings, d: result.devices })}</p>
              <table>
                <thead><tr><th>{t({ zh: '时间', en: 'When' })}</th><th>{t({ zh: '设备', en: 'Device' })}</th><th>{t({ zh: '事件', en: 'Event' })}</th><th>{t({ zh: '读数', en: 'Values' })}</th></tr></thead>
                <tbody>
                  {result.events.map((e, i) => (
                    <tr key={i} data-kind={e.kind}>
                      <td>{formatDateTime(e.at, locale, true)}</td><td>{e.deviceId}</td>
                      <td>{e.kind === 'raise' ? t({ zh: '告警', en: 'Raise' }) : e.kind === 'reopen' ? t({ zh: '重开', en: 'Re-open' }) : t({ zh: '恢复', en: 'Clear' })}</td>
                      <td>{Object.entries(e.values).map(([k, v]) => `${k}=${v}`).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </Page>
  );
}
