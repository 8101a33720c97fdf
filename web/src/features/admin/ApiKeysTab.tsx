/** API keys for department systems: list, create (the secret is shown once, with a copy button), revoke. */
import { useRef, useState, type FormEvent } from 'react';
import { api, isApiError, useQuery, type ApiError, type ItemOf, type ResponseOf } from '../../app/api.ts';
import { useI18n, formatDateTime } from '../../app/i18n.ts';
import type { Role } from '../../app/auth.tsx';
import { FormError, TextField } from '../../components/Form.tsx';
import { EmptyState, ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import {
  fieldError, LEVEL_LABELS, MultiSelect, Pager, regionOptions, RolePicker, ROLE_LABELS, unitOptions, usePaged, useLabel, useReference,
} from './shared.tsx';

type ApiKey = ItemOf<ResponseOf<'/api/v1/apikeys', 'get'>>;
/** A new key with its secret (shown once). */
type NewKey = ResponseOf<'/api/v1/apikeys', 'post'>;

export function ApiKeysTab() {
  const { t, locale } = useI18n();
  const ref = useReference();
  const q = useQuery((signal) => api.GET('/api/v1/apikeys', { signal }), []);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<NewKey | undefined>();
  const items = q.data?.items ?? [];
  const paged = usePaged(items, 15);
  return (
    <div className="admin-grid">
      <section className="card admin-wide" aria-labelledby="keys-h">
        <div className="row-between">
          <h2 id="keys-h">{t({ zh: '接口密钥', en: 'API keys' })}</h2>
          <button type="button" className="btn btn-primary" onClick={() => { setCreating((x) => !x); setSecret(undefined); }} aria-expanded={creating}>{t({ zh: '新建密钥', en: 'New key' })}</button>
        </div>
        <p className="muted">{t({ zh: '供部门业务系统调用接口（Authorization: Bearer <密钥>）。密钥只在创建时显示一次。', en: 'For department systems (Authorization: Bearer <key>). The secret is shown once, when created.' })}</p>
        {secret && <SecretOnce secret={secret} onDone={() => setSecret(undefined)} />}
        {creating && <CreateKey ref_={ref} onCancel={() => setCreating(false)} onCreated={(k) => { setSecret(k); setCreating(false); q.reload(); }} />}
        {q.error ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading /> : items.length === 0 ? <EmptyState title={t({ zh: '还没有接口密钥', en: 'No API keys yet' })} /> : (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="keys-table">
                <thead>
                  <tr>
                    <th>{t({ zh: '名称', en: 'Name' })}</th><th>{t({ zh: '前缀', en: 'Prefix' })}</th><th>{t({ zh: '角色', en: 'Roles' })}</th>
                    <th>{t({ zh: '单位', en: 'Units' })}</th><th>{t({ zh: '区域', en: 'Regions' })}</th><th>{t({ zh: '创建时间', en: 'Created' })}</th>
                    <th>{t({ zh: '状态', en: 'Status' })}</th><th>{t({ zh: '操作', en: 'Actions' })}</th>
                  </tr>
                </thead>
                <tbody>
                  {paged.rows.map((k) => (
                    <tr key={k.id} data-key-id={k.id}>
                      <td>{k.name}</td><td><code>{k.prefix}…</code></td>
                      <td>{k.roles.map((r) => <span key={r} className="tag">{ROLE_LABELS[r] ? t(ROLE_LABELS[r]) : r}</span>)}</td>
                      <td>{k.unitIds.map((id) => ref.unitById.get(id)?.name ?? id).join('、') || '—'}</td>
                      <td>{k.regionIds.map((id) => ref.regionById.get(id)?.name ?? id).join('、') || t({ zh: '全市', en: 'whole city' })}</td>
                      <td>{formatDateTime(k.createdAt, locale)}</td>
                      <td>{k.active ? <span className="tag tag-ok">{t({ zh: '有效', en: 'active' })}</span>
                        : <span className="tag tag-off">{t({ zh: '已吊销 {at}', en: 'revoked {at}' }, { at: formatDateTime(k.revokedAt, locale) })}</span>}</td>
                      <td>{k.active && <RevokeButton k={k} onDone={q.reload} />}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager {...paged} label={t({ zh: '密钥分页', en: 'Key pages' })} />
          </>
        )}
      </section>
    </div>
  );
}

function SecretOnce({ secret, onDone }: { secret: NewKey; onDone: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<'ok' | 'failed' | undefined>();
  const codeRef = useRef<HTMLElement>(null);
  const copy = async () => {
    try { await navigator.clipboard.writeText(secret.key); setCopied('ok'); } catch {
      // No clipboard permission (e.g. plain http): select the text so Ctrl+C works.
      const el = codeRef.current;
      if (el) { const r = document.createRange(); r.selectNodeContents(el); const s = window.getSelection(); s?.removeAllRanges(); s?.addRange(r); }
      setCopied('failed');
    }
  };
  return (
    <div className="secret-once" role="alert" data-testid="new-key">
      <p><strong>{t({ zh: '密钥“{name}”已创建。请立即复制保存：它只显示这一次，关闭后无法再查看。', en: 'Key "{name}" created. Copy it now: it is shown only this once and cannot be seen again.' }, { name: secret.name })}</strong></p>
      <code ref={codeRef} className="secret" data-testid="new-key-secret">{secret.key}</code>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={copy}>{t({ zh: '复制密钥', en: 'Copy the key' })}</button>
        <button type="button" className="btn" onClick={onDone}>{t({ zh: '我已保存，关闭', en: 'I have stored it — close' })}</button>
        {copied === 'ok' && <span role="status">{t({ zh: '已复制', en: 'Copied' })}</span>}
        {copied === 'failed' && <span role="status">{t({ zh: '无法访问剪贴板，已选中密钥，请按 Ctrl+C 复制', en: 'No clipboard access: the key is selected, press Ctrl+C' })}</span>}
      </div>
    </div>
  );
}

function RevokeButton({ k, onDone }: { k: ApiKey; onDone: () => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const revoke = async () => {
    setBusy(true); setError(undefined);
    try { await api.POST('/api/v1/apikeys/{id}/revoke', { params: { path: { id: k.id } } }); onDone(); } catch (e) { setError(e); } finally { setBusy(false); }
  };
  return (
    <div className="actions">
      {!confirming
        ? <button type="button" className="btn btn-small" onClick={() => setConfirming(true)} aria-label={t({ zh: '吊销 {name}', en: 'Revoke {name}' }, { name: k.name })}>{t({ zh: '吊销', en: 'Revoke' })}</button>
        : <>
          <button type="button" className="btn btn-small btn-danger" onClick={revoke} disabled={busy}>{t({ zh: '确认吊销', en: 'Confirm revoke' })}</button>
          <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>{t('common.cancel')}</button>
        </>}
      {error !== undefined && <span className="field-error" role="alert">{errorText(error)}</span>}
    </div>
  );
}

function CreateKey({ ref_, onCreated, onCancel }: { ref_: ReturnType<typeof useReference>; onCreated: (k: NewKey) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const label = useLabel();
  const errorText = useErrorText();
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Role[]>(['operator']);
  const [unitIds, setUnitIds] = useState<string[]>([]);
  const [regionIds, setRegionIds] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const apiErr = isApiError(error) ? error : undefined;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setError(undefined);
    try {
      onCreated(await api.POST('/api/v1/apikeys', { body: { name: name.trim(), ...(roles.length ? { roles } : {}), unitIds, regionIds } }));
    } catch (err) { setError(err as Error); } finally { setBusy(false); }
  };
  const fielded = apiErr?.field && ['name', 'roles', 'unitIds', 'regionIds'].some((f) => apiErr.field!.startsWith(f));
  return (
    <form className="subform" onSubmit={submit} aria-label={t({ zh: '新建密钥', en: 'New key' })}>
      <FormError>{error && !fielded ? errorText(error) : undefined}</FormError>
      <TextField label={t({ zh: '用途名称', en: 'What it is for' })} required maxLength={100} value={name} onChange={(e) => setName(e.currentTarget.value)}
        hint={t({ zh: '例如：水务局工单系统', en: 'e.g. the water bureau work-order system' })} error={fieldError(apiErr, 'name')} />
      <RolePicker legend={t({ zh: '角色（默认受理员）', en: 'Roles (default operator)' })} value={roles} onChange={setRoles} error={fieldError(apiErr, 'roles')} />
      <div className="form-cols">
        <MultiSelect id="key-units" label={t({ zh: '代表的单位', en: 'Acts for units' })} options={unitOptions(ref_.units.data?.items ?? [])} value={unitIds} onChange={setUnitIds}
          hint={fieldError(apiErr, 'unitIds')} />
        <MultiSelect id="key-regions" label={t({ zh: '负责区域（默认全市）', en: 'Regions (default the whole city)' })} options={regionOptions(ref_.regions.data?.items ?? [], (l) => label(LEVEL_LABELS, l))}
          value={regionIds} onChange={setRegionIds} hint={fieldError(apiErr, 'regionIds')} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? t({ zh: '正在创建…', en: 'Creating…' }) : t({ zh: '创建密钥', en: 'Create the key' })}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
