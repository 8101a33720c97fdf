/** Which notifications also leave the console (SMS, 政务微信 work message), chosen by the user (issue 9 §6). */
import { useEffect, useState, type FormEvent } from 'react';
import { KIND_LABELS, NOTIFICATION_KINDS, type NotificationKind } from '../../../../src/domain/notify/rules.ts';
import { api, isApiError } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import { Checkbox, Select, TextField } from '../../components/Form.tsx';
import { Loading } from '../../components/States.tsx';

type Channel = 'none' | 'log' | 'sms' | 'work_message';

export function NotifyPreferences({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const [channel, setChannel] = useState<Channel>('log');
  const [kinds, setKinds] = useState<NotificationKind[]>([]);
  const [address, setAddress] = useState('');
  const [error, setError] = useState<{ field?: string; message: string } | undefined>();
  const [saved, setSaved] = useState(false);
  // The form appears only once the stored choice is known: a user must never edit (and save over) the defaults.
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    void api.GET('/api/v1/notifications/preferences').then(
      (p) => { setChannel(p.channel); setKinds(p.kinds); setAddress(p.address ?? ''); setLoaded(true); },
      (err) => { setError({ message: isApiError(err) ? err.message : String(err) }); setLoaded(true); },
    );
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api.PUT('/api/v1/notifications/preferences', { body: { channel, kinds, address: address.trim() || null } });
      setSaved(true);
    } catch (err) {
      setError(isApiError(err) ? { field: err.field, message: err.message } : { message: String(err) });
    }
  };
  const toggle = (k: NotificationKind) => { setSaved(false); setKinds(kinds.includes(k) ? kinds.filter((x) => x !== k) : [...kinds, k]); };
  if (!loaded) return <Loading inline />;
  return (
    <form className="bell-prefs" onSubmit={submit} aria-label={t({ zh: '通知设置', en: 'Notification settings' })}>
      <Select label={t({ zh: '站外通知方式', en: 'Also send through' })} value={channel} onChange={(e) => { setSaved(false); setChannel(e.target.value as Channel); }}
        options={[
          { value: 'none', label: t({ zh: '不发送', en: 'Nothing' }) }, { value: 'log', label: t({ zh: '系统日志（演示）', en: 'Log (demo)' }) },
          { value: 'sms', label: t({ zh: '短信', en: 'SMS' }) }, { value: 'work_message', label: t({ zh: '政务微信', en: 'Work message' }) },
        ]} />
      {(channel === 'sms' || channel === 'work_message') && (
        <TextField label={channel === 'sms' ? t({ zh: '手机号', en: 'Phone' }) : t({ zh: '账号', en: 'Account' })} value={address}
          onChange={(e) => setAddress(e.target.value)} maxLength={100} error={error?.field === 'address' ? error.message : undefined} />
      )}
      <fieldset className="bell-kinds">
        <legend>{t({ zh: '哪些通知站外发送', en: 'Which kinds' })}</legend>
        {NOTIFICATION_KINDS.map((k) => <Checkbox key={k} label={t(KIND_LABELS[k])} checked={kinds.includes(k)} onChange={() => toggle(k)} />)}
      </fieldset>
      {error && error.field !== 'address' && <div className="notice notice-error" role="alert">{error.message}</div>}
      <div className="bell-head">
        <button type="submit" className="btn btn-primary">{t({ zh: '保存', en: 'Save' })}</button>
        {saved && <span role="status">{t({ zh: '已保存', en: 'Saved' })}</span>}
        <button type="button" className="btn" onClick={onClose}>{t({ zh: '返回', en: 'Back' })}</button>
      </div>
    </form>
  );
}
