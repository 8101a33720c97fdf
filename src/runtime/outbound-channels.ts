/**
 * Outbound notification channels (issue 9 §6): SMS and 政务微信-style work messages, behind one interface so a city
 * plugs in its own gateway. Each adapter POSTs JSON to a configured gateway URL (NOTIFY_SMS_URL,
 * NOTIFY_WORK_MESSAGE_URL); without one, the message is written to the log — the demo's channel — so an
 * installation never needs the internet to run.
 */
import type { Config } from '../config/env.ts';
import type { Logger } from './context.ts';

export interface OutboundMessage {
  userId: string;
  /** Phone number or work-message account from the user's preferences (null: the gateway looks the user up). */
  address: string | null;
  kind: string;
  caseNo: string | null;
  text: string;
}

export interface OutboundChannel {
  readonly name: string;
  send(m: OutboundMessage): Promise<void>;
}


/** The demo's channel: one log line per message. */
export class LogChannel implements OutboundChannel {
  constructor(readonly name: string, private log: Logger, private note = '') {}
  async send(m: OutboundMessage): Promise<void> {
    this.log.info({ outbound: this.name, userId: m.userId, address: m.address, kind: m.kind, caseNo: m.caseNo }, `notify ${this.name}${this.note}: ${m.text}`);
  }
}

/** A gateway that takes one JSON POST per message (an SMS platform, or a work-message bot API). */
export class HttpGatewayChannel implements OutboundChannel {
  constructor(readonly name: string, private url: string, private body: (m: OutboundMessage) => unknown, private fetchImpl: typeof fetch = fetch) {}
  async send(m: OutboundMessage): Promise<void> {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 5000);
    try {
      const r = await this.fetchImpl(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(this.body(m)), signal: ac.signal });
      await r.body?.cancel().catch(() => {});
      if (r.status < 200 || r.status > 299) throw new Error(`gateway answered HTTP ${r.status}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The channels of this installation, by name ('none' has no channel). */
export function outboundChannels(config: Pick<Config, 'notifySmsUrl' | 'notifyWorkMessageUrl'>, log: Logger): Map<string, OutboundChannel> {
  const m = new Map<string, OutboundChannel>();
  m.set('log', new LogChannel('log', log));
  m.set('sms', config.notifySmsUrl
    ? new HttpGatewayChannel('sms', config.notifySmsUrl, (x) => ({ to: x.address, userId: x.userId, text: x.text }))
    : new LogChannel('sms', log, ' (demo: no SMS gateway configured)'));
  // The 政务微信 / 企业微信 message API shape: touser, msgtype text, text.content.
  m.set('work_message', config.notifyWorkMessageUrl
    ? new HttpGatewayChannel('work_message', config.notifyWorkMessageUrl, (x) => ({ touser: x.address ?? x.userId, msgtype: 'text', text: { content: x.text } }))
    : new LogChannel('work_message', log, ' (demo: no work-message gateway configured)'));
  return m;
}
