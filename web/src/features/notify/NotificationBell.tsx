/**
 * The bell in the top bar (issue 9 §6): the caller's unread count, live — the stream's `notification.created`
 * reaches only the people a notification was made for — with a panel listing the newest notifications,
 * click-through to the case, and mark-all-read. Without the live stream (grid members, inspectors) it polls.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type ResponseOf } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { navigate } from '../../app/router.tsx';
import { useLiveEvents } from '../../app/sse.ts';
import { NotifyPreferences } from './NotifyPreferences.tsx';
import './notify.css';

type Item = ResponseOf<'/api/v1/notifications', 'get'>['items'][number];

export function NotificationBell() {
  const { t, locale } = useI18n();
  const { user, can } = useAuth();
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Item[] | undefined>();
  const [prefs, setPrefs] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const live = can('events.read');

  const refresh = useCallback(async () => {
    try {
      const r = await api.GET('/api/v1/notifications', { params: { query: { limit: 20 } } });
      setUnread(r.unread);
      setItems(r.items);
    } catch { /* shown again on the next event or poll */ }
  }, []);

  useEffect(() => {
    if (!user) return;
    void refresh();
    const timer = setInterval(() => void refresh(), live ? 60_000 : 20_000);
    return () => clearInterval(timer);
  }, [user, live, refresh]);
  useLiveEvents(() => void refresh(), ['notification.created'], !!user && live);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => { document.removeEventListener('mousedown', close); document.removeEventListener('keydown', close); };
  }, [open]);

  if (!user) return null;
  const markAll = async () => {
    const r = await api.POST('/api/v1/notifications/read', { body: { all: true } });
    setUnread(r.unread);
    setItems((xs) => xs?.map((x) => ({ ...x, readAt: x.readAt ?? new Date().toISOString() })));
  };
  const openItem = async (n: Item) => {
    setOpen(false);
    if (!n.readAt) {
      try {
        const r = await api.POST('/api/v1/notifications/read', { body: { ids: [n.id] } });
        setUnread(r.unread);
      } catch { /* the link still opens */ }
    }
    if (n.caseId !== null) navigate(`/cases/${n.caseId}`);
    else if (n.kind === 'handover') navigate('/handovers');
  };
  const label = t({ zh: `通知（${unread} 条未读）`, en: `Notifications (${unread} unread)` });
  return (
    <div className="bell" ref={ref}>
      <button type="button" className="bell-button" aria-label={label} title={label} aria-haspopup="dialog" aria-expanded={open}
        data-testid="bell" onClick={() => { setOpen(!open); if (!open) void refresh(); }}>
        <svg className="bell-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
        </svg>
        {unread > 0 && <span className="bell-count" data-testid="bell-count">{unread > 99 ? '99+' : unread}</span>}
      </button>
      {open && (
        <div className="bell-panel" role="dialog" aria-label={t({ zh: '通知', en: 'Notifications' })}>
          <div className="bell-head">
            <strong>{t({ zh: '通知', en: 'Notifications' })}</strong>
            <span>
              <button type="button" className="btn" onClick={() => setPrefs(!prefs)} aria-pressed={prefs}>{t({ zh: '设置', en: 'Settings' })}</button>{' '}
              <button type="button" className="btn" disabled={unread === 0} onClick={() => void markAll()}>{t({ zh: '全部已读', en: 'Mark all read' })}</button>
            </span>
          </div>
          {prefs ? <NotifyPreferences onClose={() => setPrefs(false)} /> : !items?.length ? <div className="bell-empty muted">{t({ zh: '暂无通知', en: 'No notifications' })}</div> : (
            <ul className="bell-list">
              {items.map((n) => (
                <li key={n.id}>
                  <button type="button" className={`bell-item${n.readAt ? '' : ' unread'}`} data-testid="bell-item" onClick={() => void openItem(n)}>
                    <span className={`bell-kind bell-kind-${n.kind}`}>{locale === 'en' ? n.label.en : n.label.zh}</span>
                    {n.caseNo && <span>{t({ zh: '案件', en: 'Case' })} {n.caseNo}</span>}
                    <div className="muted">{formatDateTime(n.createdAt, locale)}</div>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
