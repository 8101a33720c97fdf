/**
 * Which reports are verified on site before they are registered (核实, domain.md §4) is city policy, not code: by
 * channel (public, media and petition reports by default), except the urgencies and matters the city dispatches at
 * once — a 非常紧急 report (a road collapse, a gas smell) is registered and dispatched without waiting for an
 * inspector, and verified by the check after handling (the inspector still sees it). Stored as the settings row
 * `verification_policy`; a row that cannot be read leaves the defaults in force (the reference cache reports it).
 */
import { invalidAs } from '../errors.ts';
import { CHANNELS, URGENCIES, VERIFY_CHANNELS } from './channels.ts';

export interface VerificationPolicy {
  /** Channels whose reports wait for an on-site verification before registration. */
  channels: string[];
  /** Urgencies registered at once, whatever the channel. */
  immediateUrgencies: string[];
  /** Matter codes (5 digits) or classes (2 digits) registered at once, whatever the channel. */
  immediateMatters: string[];
}

export const DEFAULT_VERIFICATION_POLICY: VerificationPolicy = {
  channels: [...VERIFY_CHANNELS],
  immediateUrgencies: ['very_urgent'],
  immediateMatters: [],
};

export interface ReportFacts { channel: string; urgency: string; matterCode: string }

/** Must this report be verified on site before it is registered? */
export function needsVerification(p: VerificationPolicy, r: ReportFacts): boolean {
  if (!p.channels.includes(r.channel)) return false;
  if (p.immediateUrgencies.includes(r.urgency)) return false;
  return !p.immediateMatters.some((m) => m === r.matterCode || (m.length === 2 && r.matterCode.startsWith(m)));
}

/** @throws DomainError VALIDATION_FAILED naming the field (e.g. `channels.2`). */
export function parseVerificationPolicy(input: unknown): VerificationPolicy {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidAs('body', { key: 'case.object_with_channels_immediateurgencies_and' }, 'must be an object with channels, immediateUrgencies and immediateMatters');
  const o = input as Record<string, unknown>;
  const list = (key: string, ok: (v: string) => boolean, what: string): string[] => {
    const v = o[key];
    if (!Array.isArray(v)) throw invalidAs(key, { key: 'field.list_2' }, 'must be a list');
    const out: string[] = [];
    v.forEach((x, i) => {
      if (typeof x !== 'string' || !ok(x)) throw invalidAs(`${key}.${i}`, { key: 'field.must_be', params: { what: String(what) } }, `must be ${what}`);
      if (!out.includes(x)) out.push(x);
    });
    return out;
  };
  return {
    channels: list('channels', (c) => (CHANNELS as readonly string[]).includes(c), `one of ${CHANNELS.join(', ')}`),
    immediateUrgencies: list('immediateUrgencies', (u) => (URGENCIES as readonly string[]).includes(u), `one of ${URGENCIES.join(', ')}`),
    immediateMatters: list('immediateMatters', (m) => /^\d{2}$|^\d{5}$/.test(m), 'a matter code (5 digits) or class (2 digits)'),
  };
}
