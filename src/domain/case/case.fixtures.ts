/**
 * Test fixtures for the case lifecycle (used by the *.test.ts files beside it; not by production code).
 * `applyDecision` plays the command layer: it writes the patch and applies clock effects with fixed limits.
 */
import type { Actor } from '../policy/scope.ts';
import type { Role } from '../policy/permissions.ts';
import type { CaseView, Decision } from './types.ts';

export const HOUR = 3_600_000;
export const T0 = Date.UTC(2026, 2, 2, 1, 0, 0); // a fixed instant; the domain never reads the clock

export const baseCase = (over: Partial<CaseView> = {}): CaseView => ({
  state: 'REPORTED',
  channel: 'hotline',
  trustedChannel: false,
  needsCallback: true,
  assignedUnitId: null,
  subUnitId: null,
  dispatchedBy: null,
  returnCount: 0,
  postponeCount: 0,
  pendingRequest: null,
  reworkCount: 0,
  reopenCount: 0,
  unsatisfiedCount: 0,
  everOverdue: false,
  handleDueAt: null,
  lastReturnedByUnitId: null,
  regionPath: ['d1', 's1', 'c1'],
  districtId: 'd1',
  streetId: 's1',
  ...over,
});

export const actor = (userId: string, roles: Role[], over: Partial<Actor> = {}): Actor => ({
  userId,
  roles,
  unitIds: [],
  regionIds: ['city'],
  ...over,
});

// The cast: centre staff cover district d1 (or a street / community in it); the default case lies in d1/s1/c1.
export const operator = actor('op1', ['operator'], { regionIds: ['d1'] });
export const shiftLeader = actor('sl1', ['shift_leader'], { regionIds: ['d1'] });
export const dispatcher = actor('disp1', ['dispatcher'], { regionIds: ['d1'] });
export const inspector = actor('insp1', ['inspector'], { regionIds: ['s1'] });
export const gridMember = actor('gm1', ['grid_member'], { regionIds: ['c1'] });
export const handler = actor('h1', ['unit_handler'], { unitIds: ['u-water'], regionIds: [] });
export const unitLeader = actor('l1', ['unit_leader'], { unitIds: ['u-water'], regionIds: [] });
export const otherHandler = actor('h2', ['unit_handler'], { unitIds: ['u-roads'], regionIds: [] });
export const subHandler = actor('h3', ['unit_handler'], { unitIds: ['u-water-team1'], regionIds: [] });
export const centreLeader = actor('cl1', ['centre_leader'], { regionIds: ['d1'] });
export const admin = actor('adm1', ['admin'], { regionIds: [] });

/** Handling limit used by the fake command layer when a 'handle' clock starts. */
export const HANDLE_LIMIT_MS = 4 * HOUR;

export const applyDecision = (cv: CaseView, d: Decision, now: number): CaseView => {
  const { state, closureType: _c, closedAt: _a, assistingUnitIds: _u, dispatchedAt: _d, ...rest } = d.patch;
  const next: CaseView = { ...cv, ...rest, state };
  for (const e of d.effects) {
    if (e.kind === 'start_clock' && e.clock === 'handle') {
      next.handleDueAt = now + HANDLE_LIMIT_MS + (e.extensions ?? []).reduce((t, x) => t + x.amount * HOUR, 0);
      next.handlePausedAt = null;
    }
    if (e.kind === 'extend_deadline' && next.handleDueAt !== null) next.handleDueAt += e.extra.amount * HOUR;
    if (e.kind === 'pause_clock') next.handlePausedAt = now;
    if (e.kind === 'resume_clock' && next.handlePausedAt !== null && next.handlePausedAt !== undefined && next.handleDueAt !== null) {
      next.handleDueAt += now - next.handlePausedAt;
      next.handlePausedAt = null;
    }
  }
  return next;
};

/** Catches a thrown DomainError (or fails). */
export const thrown = (fn: () => unknown): { code: string; field?: string; message: string; details?: Record<string, unknown> } => {
  try {
    fn();
  } catch (e) {
    return e as { code: string; field?: string; message: string; details?: Record<string, unknown> };
  }
  throw new Error('expected an error, none was thrown');
};
