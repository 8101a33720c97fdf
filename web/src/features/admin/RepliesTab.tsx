/**
 * The 12345 seats' standard replies (话术库): what a seat says for a matter, a class or a kind of request. City data,
 * saved whole as the next version (PUT /hotline/replies); the seats see it at once, beside the knowledge base.
 */
import { useEffect, useState } from 'react';
import { api, isApiError, useQuery, type ApiError, type BodyOf } from '../../app/api.ts';
import { useI18n, type Msg } from '../../app/i18n.ts';
import { FormError } from '../../components/Form.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';

type Reply = BodyOf<'/api/v1/hotline/replies', 'put'>['replies'][number];
type Kind = NonNullable<Reply['requestKinds']>[number];
interface Row { key: number; id: string; title: string; text: string; matterCodes: string; matterClasses: string; requestKinds: Kind[] }

const KINDS: Record<Kind, Msg> = {
  consult: { zh: '咨询', en: 'Question' }, help: { zh: '求助', en: 'Help' }, complaint: { zh: '投诉', en: 'Complaint' },
  report: { zh: '举报', en: 'Report' }, suggestion: { zh: '建议', en: 'Suggestion' },
};
let seq = 0;
const split = (s: string) => s.split(/[\s,，、;；]+/).map((x) => x.trim()).filter(Boolean);
const toRow = (r: { id: string; title: string; text: string; matterCodes?: string[]; matterClasses?: string[]; requestKinds?: string[] }): Row => ({
  key: ++seq, id: r.id, title: r.title, text: r.text, matterCodes: (r.matterCodes ?? []).join(', '), matterClasses: (r.matterClasses ?? []).join(', '),
  requestKinds: (r.requestKinds ?? []).filter((k): k is Kind => k in KINDS),
});
const toReply = (r: Row): Reply => ({
  id: r.id.trim(), title: r.title.trim(), text: r.text.trim(), matterCodes: split(r.matterCodes), matterClasses: split(r.matterClasses), requestKinds: r.requestKinds,
});

export function RepliesTab() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const q = useQuery((signal) => api.GET('/api/v1/hotline/replies', { signal }), []);
  const [rows, setRows] = useState<Row[] | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const [saved, setSaved] = useState<number | undefined>();
  useEffect(() => { if (q.data && rows === undefined) setRows(q.data.replies.map(toRow)); }, [q.data, rows]);
  if (q.error) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!q.data || !rows) return <Loading />;
  const apiErr = isApiError(error) ? error : undefined;
  const badRow = apiErr?.field ? Number(/^replies[[.](\d+)/.exec(apiErr.field)?.[1] ?? -1) : -1;
  const set = (key: number, patch: Partial<Row>) => { setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r))); setSaved(undefined); if (apiErr) setError(undefined); };
  const save = async () => {
    setBusy(true); setError(undefined); setSaved(undefined);
    try {
      const r = await api.PUT('/api/v1/hotline/replies', { body: { replies: rows.map(toReply) } });
      setRows(r.replies.map(toRow));
      setSaved(r.version);
    } catch (err) { setError(err as Error); } finally { setBusy(false); }
  };
  return (
    <section className="card" aria-labelledby="replies-h">
      <div className="row-between">
        <h2 id="replies-h">{t({ zh: '12345 标准话术库', en: '12345 standard replies' })}</h2>
        <span className="tag" data-testid="replies-version">{t({ zh: '第 {v} 版', en: 'Version {v}' }, { v: saved ?? q.data.version })}</span>
      </div>
      <p className="muted">{t({
        zh: '受理席位在知识库旁看到与当前事项、诉求类型相符的话术，一键复制或插入。不填事项、大类和诉求类型的话术适用于所有来电。每次保存生成新版本。',
        en: 'Seats see the replies for the call\'s matter and kind of request beside the knowledge base, and copy or insert one with a click. A reply without matters, classes and kinds fits every call. Each save is a new version.',
      })}</p>
      <ol className="reply-edit-list">
        {rows.map((r, i) => (
          <li key={r.key} className={`subform${i === badRow ? ' row-error-box' : ''}`} data-testid="reply-row">
            <div className="form-cols">
              <div className="field"><label htmlFor={`rp-${r.key}-t`}>{t({ zh: '标题', en: 'Title' })}</label>
                <input id={`rp-${r.key}-t`} value={r.title} maxLength={60} onChange={(e) => set(r.key, { title: e.currentTarget.value })} /></div>
              <div className="field"><label htmlFor={`rp-${r.key}-id`}>{t({ zh: '编号', en: 'Id' })}</label>
                <input id={`rp-${r.key}-id`} value={r.id} maxLength={40} onChange={(e) => set(r.key, { id: e.currentTarget.value })} /></div>
            </div>
            <div className="field"><label htmlFor={`rp-${r.key}-x`}>{t({ zh: '话术内容', en: 'Reply text' })}</label>
              <textarea id={`rp-${r.key}-x`} rows={3} value={r.text} maxLength={2000} onChange={(e) => set(r.key, { text: e.currentTarget.value })} /></div>
            <div className="form-cols">
              <div className="field"><label htmlFor={`rp-${r.key}-m`}>{t({ zh: '适用事项编码（逗号分隔）', en: 'Matter codes (comma-separated)' })}</label>
                <input id={`rp-${r.key}-m`} value={r.matterCodes} placeholder="06010, 06012" onChange={(e) => set(r.key, { matterCodes: e.currentTarget.value })} /></div>
              <div className="field"><label htmlFor={`rp-${r.key}-c`}>{t({ zh: '适用大类（两位编码）', en: 'Matter classes (2 digits)' })}</label>
                <input id={`rp-${r.key}-c`} value={r.matterClasses} placeholder="06" onChange={(e) => set(r.key, { matterClasses: e.currentTarget.value })} /></div>
            </div>
            <fieldset className="field">
              <legend>{t({ zh: '适用诉求类型（不选 = 全部）', en: 'Kinds of request (none = all)' })}</legend>
              <div className="role-grid">
                {(Object.keys(KINDS) as Kind[]).map((k) => (
                  <label key={k} className="check">
                    <input type="checkbox" checked={r.requestKinds.includes(k)}
                      onChange={(e) => set(r.key, { requestKinds: e.currentTarget.checked ? [...r.requestKinds, k] : r.requestKinds.filter((x) => x !== k) })} />
                    {t(KINDS[k])}
                  </label>
                ))}
              </div>
            </fieldset>
            {i === badRow && apiErr && <div className="field-error" role="alert">{apiErr.message}</div>}
            <div className="actions">
              <button type="button" className="btn btn-small" disabled={i === 0} onClick={() => { const n = [...rows]; [n[i - 1], n[i]] = [n[i], n[i - 1]]; setRows(n); }}>{t({ zh: '上移', en: 'Move up' })}</button>
              <button type="button" className="btn btn-small" onClick={() => setRows(rows.filter((x) => x.key !== r.key))}>{t({ zh: '删除', en: 'Remove' })}</button>
            </div>
          </li>
        ))}
      </ol>
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => setRows([...rows, { key: ++seq, id: `r${Date.now().toString(36)}`, title: '', text: '', matterCodes: '', matterClasses: '', requestKinds: [] }])}>
          {t({ zh: '添加话术', en: 'Add a reply' })}
        </button>
      </div>
      {error && badRow < 0 && <FormError>{errorText(error)}</FormError>}
      {saved !== undefined && <div className="notice notice-ok" role="status">{t({ zh: '已保存为第 {v} 版，受理席位立即可用。', en: 'Saved as version {v}; seats have it now.' }, { v: saved })}</div>}
      <div className="save-bar">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()}>{busy ? t({ zh: '正在保存…', en: 'Saving…' }) : t({ zh: '保存话术库', en: 'Save the replies' })}</button>
      </div>
    </section>
  );
}
