/**
 * Summons (吹哨报到, "the street blows the whistle, departments report"): a street office calls departments to a
 * problem it cannot solve alone; each named department must report (报到) within the limit, on site or online; the
 * street closes the summons with an outcome and rates each department's response. See docs/issue-9/summons.md.
 */

/** 日常哨 routine · 攻坚哨 tackling (a hard, long-standing problem) · 应急哨 emergency. */
export const SUMMONS_KINDS = ['routine', 'tackling', 'emergency'] as const;
export type SummonsKind = (typeof SUMMONS_KINDS)[number];

/** How the meeting is held, and how a department reports: 现场 on site (GPS check-in) or 线上 online. */
export const MEETING_MODES = ['on_site', 'online'] as const;
export type MeetingMode = (typeof MEETING_MODES)[number];

/** How the street closes a summons: solved on the spot, handed to the centre's dispatch, escalated to the district. */
export const SUMMONS_OUTCOMES = ['resolved', 'dispatched', 'escalated'] as const;
export type SummonsOutcome = (typeof SUMMONS_OUTCOMES)[number];

export type SummonsState = 'open' | 'closed';
/** A summoned department: waiting to report, reported (on time or late), or absent (never reported before closing). */
export type DepartmentState = 'summoned' | 'reported' | 'absent';

export const KIND_LABELS: Readonly<Record<SummonsKind, { zh: string; en: string }>> = {
  routine: { zh: '日常哨', en: 'Routine' },
  tackling: { zh: '攻坚哨', en: 'Tackling' },
  emergency: { zh: '应急哨', en: 'Emergency' },
};

export interface GeoPoint { lon: number; lat: number }

/** A summons as the rules see it. */
export interface SummonsView {
  state: SummonsState;
  streetId: string;
  /** The region ancestry of the case's place, root first (for the coordinators who cover it). */
  regionPath: readonly string[];
  /** The street-level unit that blew the whistle; null when a coordinator did. */
  issuerUnitId: string | null;
  place: GeoPoint | null;
}

export interface DepartmentView {
  unitId: string;
  state: DepartmentState;
  dueAt: number;
  rating: number | null;
}
