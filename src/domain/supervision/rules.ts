/**
 * Supervision notices (督办单): a record with its own level, tier, deadline and answer, issued through the case's
 * `supervise` action (which the transition table already allows: operators may only urge, 督办 and 领导督办 are for
 * leaders). Pure.
 *
 * - Level: 催办 urge (a reminder; shown, not scored) / 督办 supervise / 领导督办 leader.
 * - Tier: who supervises — unit (the unit's own leadership) → district → city. A notice starts at `unit`.
 * - The unit (its handlers and leaders) answers before the notice's deadline (`replyHours` of its level).
 * - The raise job lifts the tier by one, never past `city`, when (a) the notice is past its deadline unanswered, or
 *   (b) it was answered but the case went overdue again afterwards (a deadline set after the answer has passed). Each
 *   raise gives the unit a fresh deadline; a raise is claimed with a conditional update, so it never fires twice.
 */
import { DomainError, invalidAs } from '../errors.ts';
import type { Actor } from '../policy/scope.ts';
import { isAdmin } from '../policy/scope.ts';
import { SUPERVISION_LEVELS, type DeskSettings, type NoticeLevel } from '../callback/settings.ts';

export const TIERS = ['unit', 'district', 'city'] as const;
export type Tier = (typeof TIERS)[number];
export type NoticeState = 'open' | 'answered';

export const LEVEL_ZH: Record<NoticeLevel, string> = { urge: '催办', supervise: '督办', leader: '领导督办' };
export const TIER_ZH: Record<Tier, string> = { unit: '单位', district: '区级', city: '市级' };

export const nextTier = (t: Tier): Tier | null => (t === 'unit' ? 'district' : t === 'district' ? 'city' : null);

export function parseLevel(v: unknown): NoticeLevel {
  if (typeof v !== 'string' || !(SUPERVISION_LEVELS as readonly string[]).includes(v)) throw invalidAs('level', { key: 'field.one_of', params: { allowed: SUPERVISION_LEVELS.join(', ') } }, `must be one of ${SUPERVISION_LEVELS.join(', ')}`);
  return v as NoticeLevel;
}

export const noticeDueAt = (now: number, level: NoticeLevel, s: DeskSettings): number => now + s.supervision.replyHours[level] * 3_600_000;

export interface NoticeView {
  state: NoticeState;
  tier: Tier;
  unitId: string | null;
  dueAt: number;
  answeredAt: number | null;
}

export function checkAnswer(actor: Actor, n: NoticeView, answer: unknown): string {
  if (typeof answer !== 'string' || answer.trim() === '') throw invalidAs('answer', { key: 'supervision.required_what_unit_has_done' }, 'required: what the unit has done and will do');
  if (answer.length > 2000) throw invalidAs('answer', { key: 'field.at_most_2000_characters' }, 'at most 2000 characters');
  const unitStaff = actor.roles.includes('unit_handler') || actor.roles.includes('unit_leader');
  if (!isAdmin(actor) && !(unitStaff && n.unitId !== null && actor.unitIds.includes(n.unitId))) {
    throw new DomainError('FORBIDDEN', '只有被督办单位可以答复 / only the supervised unit answers a notice', { field: 'noticeId', key: 'supervision.only_supervised_unit' });
  }
  if (n.state !== 'open') throw new DomainError('CONFLICT', '该督办单已答复 / the notice has been answered already', { field: 'noticeId', key: 'supervision.already_answered' });
  return answer.trim();
}

/** What the case looks like to the raise job. */
export interface CaseClock { open: boolean; overdue: boolean; handleDueAt: number | null }

/** Why the notice's tier should go up now, or null. */
export function raiseReason(n: NoticeView, c: CaseClock, now: number): 'unanswered' | 'overdue_again' | null {
  if (nextTier(n.tier) === null || !c.open) return null;
  if (n.state === 'open' && n.dueAt <= now) return 'unanswered';
  if (n.state === 'answered' && c.overdue && c.handleDueAt !== null && n.answeredAt !== null && c.handleDueAt > n.answeredAt && c.handleDueAt <= now) {
    return 'overdue_again';
  }
  return null;
}
