/** Which notifications also leave the console (issue 9 §6): a user's channel and kinds, checked here. */
import { invalidAs } from '../errors.ts';
import { isNotificationKind, type NotificationKind } from './rules.ts';

export const OUTBOUND_CHANNELS = ['none', 'log', 'sms', 'work_message'] as const;
export type OutboundChannelName = typeof OUTBOUND_CHANNELS[number];

/** Without a saved preference: emergencies go out (through the demo's log channel until a gateway is configured). */
export const DEFAULT_OUTBOUND_KINDS: readonly NotificationKind[] = ['emergency'];

export interface NotifyPreference { channel: OutboundChannelName; kinds: NotificationKind[]; address: string | null }

export function checkPreference(v: { channel: string; kinds: string[]; address?: string | null }): NotifyPreference {
  if (!(OUTBOUND_CHANNELS as readonly string[]).includes(v.channel)) throw invalidAs('channel', { key: 'field.one_of', params: { allowed: OUTBOUND_CHANNELS.join(', ') } }, `must be one of ${OUTBOUND_CHANNELS.join(', ')}`);
  v.kinds.forEach((k, i) => { if (!isNotificationKind(k)) throw invalidAs(`kinds[${i}]`, { key: 'notify.unknown_notification_kind', params: { k: String(k) } }, `unknown notification kind "${k}"`); });
  const address = v.address?.trim() || null;
  if (v.channel === 'sms' && address !== null && !/^\+?\d{5,20}$/.test(address)) throw invalidAs('address', { key: 'notify.sms_address_phone_number' }, 'an SMS address is a phone number');
  return { channel: v.channel as OutboundChannelName, kinds: [...new Set(v.kinds)] as NotificationKind[], address };
}
