/** Pieces shared by the device pages (issue 11 part 1): API types, state labels, the credential shown once. */
import { useState } from 'react';
import { api, type ItemOf, type ResponseOf } from '../../app/api.ts';
import { useErrorText } from '../../components/States.tsx';
import { useI18n, type Msg } from '../../app/i18n.ts';

export type Device = ResponseOf<'/api/v1/devices/{id}', 'get'>['device'];
export type DeviceType = ItemOf<ResponseOf<'/api/v1/device-types', 'get'>>;
export type DeviceState = Device['state'];

export const STATES: readonly DeviceState[] = ['online', 'offline', 'fault', 'maintenance'];
export const STATE_LABELS: Record<DeviceState, Msg> = {
  online: { zh: '在线', en: 'Online' }, offline: { zh: '离线', en: 'Offline' }, fault: { zh: '故障', en: 'Fault' }, maintenance: { zh: '维护中', en: 'Maintenance' },
};
export const ATTACHMENT_LABELS: Record<string, Msg> = {
  part: { zh: '部件', en: 'Part' }, place: { zh: '场所', en: 'Place' }, scenario: { zh: '场景', en: 'Scenario' },
};
export const SCENARIO_LABELS: Record<string, Msg> = {
  waterlogging: { zh: '积水点', en: 'Waterlogging' }, crowd: { zh: '大客流', en: 'Crowd flow' }, old_housing: { zh: '老旧小区房屋安全', en: 'Old housing' },
  shop_sign: { zh: '店招店牌', en: 'Shop signs' }, elevator: { zh: '电梯', en: 'Elevators' }, fire: { zh: '消防', en: 'Fire' },
  manhole: { zh: '井盖', en: 'Manhole covers' }, elderly_water: { zh: '独居老人用水', en: 'Elderly water use' },
};

export function StateBadge({ state }: { state: DeviceState }) {
  const { t } = useI18n();
  return <span className={`device-state device-state-${state}`}>{t(STATE_LABELS[state])}</span>;
}

/** The device credential, shown once after registration or rotation, with a copy button. */
export function SecretNotice({ deviceId, secret, onClose }: { deviceId: string; secret: string; onClose: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <section className="card device-secret" role="alert" aria-label={t({ zh: '设备密钥', en: 'Device credential' })}>
      <strong>{t({ zh: '设备 {id} 的密钥（只显示这一次，请立即保存）', en: 'Credential of {id} (shown only this once: save it now)' }, { id: deviceId })}</strong>
      <code data-testid="device-secret">{secret}</code>
      <p className="muted small">{t({ zh: 'MQTT 用户名为设备编号，密码为此密钥；HTTP 上报用 Basic 认证。', en: 'MQTT user name = device id, password = this secret; HTTP ingestion uses Basic authentication.' })}</p>
      <div className="device-secret-actions">
        <button type="button" className="btn" onClick={() => { void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => undefined); }}>
          {copied ? t({ zh: '已复制', en: 'Copied' }) : t({ zh: '复制', en: 'Copy' })}
        </button>
        <button type="button" className="btn" onClick={onClose}>{t({ zh: '我已保存', en: 'I have saved it' })}</button>
      </div>
    </section>
  );
}

/** The name of a type in the page's language. */
export function typeName(types: readonly DeviceType[] | undefined, id: string, locale: string): string {
  const ty = types?.find((x) => x.id === id);
  return ty ? (locale === 'en' ? ty.en : ty.zh) : id;
}

/** Set a device's state (maintenance, fault, back online …) and issue / rotate its credential. */
export function DeviceActions({ d, onChanged, onSecret }: { d: Device; onChanged: () => void; onSecret: (id: string, secret: string) => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [err, setErr] = useState<string | null>(null);
  const setState = async (state: DeviceState) => {
    try { await api.PATCH('/api/v1/devices/{id}', { params: { path: { id: d.id } }, body: { state } }); setErr(null); onChanged(); } catch (e) { setErr(errorText(e)); }
  };
  const rotate = async () => {
    if (d.hasCredential && !window.confirm(t({ zh: '重置后旧密钥立即失效，继续？', en: 'The old credential stops working at once. Go on?' }))) return;
    try { const r = await api.POST('/api/v1/devices/{id}/credential', { params: { path: { id: d.id } } }); setErr(null); onSecret(d.id, r.secret); onChanged(); } catch (e) { setErr(errorText(e)); }
  };
  return (
    <div className="device-row-actions">
      <select aria-label={t({ zh: '设置状态', en: 'Set state' })} value="" onChange={(e) => { const v = e.currentTarget.value as DeviceState; if (v) void setState(v); }}>
        <option value="">{t({ zh: '设置状态…', en: 'Set state…' })}</option>
        {STATES.filter((s) => s !== d.state).map((s) => <option key={s} value={s}>{t(STATE_LABELS[s])}</option>)}
      </select>
      <button type="button" className="btn small" onClick={() => void rotate()}>{d.hasCredential ? t({ zh: '重置密钥', en: 'Rotate credential' }) : t({ zh: '颁发密钥', en: 'Issue credential' })}</button>
      {err && <span className="error-text small" role="alert">{err}</span>}
    </div>
  );
}
