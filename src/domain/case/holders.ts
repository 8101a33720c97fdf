/**
 * Who holds a case — its lead unit, or the grid member it was given to (domain.md §6) — and what follows from it:
 * whom a dispatch or ruling names, which approved postponements are the holder's, and the holder's fresh handling
 * clock. Used by outcomes.ts.
 */
import { DomainError, invalidAs } from '../errors.ts';
import { coversRegion, type Actor } from '../policy/scope.ts';
import type { TimeLimit } from '../deadline/deadline.types.ts';
import { commandActorsOf } from './allowed.ts';
import { idList, optionalText, requireText } from './inputs.ts';
import type { Ctx } from './outcomes.ts';
import type { CasePatch, CaseView, Effect } from './types.ts';

/** Who holds the case: its lead unit, or the grid member it was given to. */
export interface Holder { unitId: string | null; userId: string | null }
export const holderOf = (x: { assignedUnitId?: string | null; assignedUserId?: string | null }): Holder =>
  ({ unitId: x.assignedUnitId ?? null, userId: x.assignedUserId ?? null });
export const sameHolder = (a: Holder, b: Holder): boolean => a.unitId === b.unitId && a.userId === b.userId;

/**
 * The postponements approved for this holder (domain.md §5: "a postponement once approved stays with the case through
 * rework"). Another holder's are not its time: a case ruled to another unit starts on the base limit.
 */
export const extensionsFor = (cv: CaseView, h: Holder): TimeLimit[] =>
  (cv.approvedExtensions ?? []).filter((x) => sameHolder({ unitId: x.unitId, userId: x.userId }, h)).map((x) => x.extra);

/** A fresh handling clock for the holder: the base limit, extended by the postponements approved for it. */
export const startHandle = (cv: CaseView, h: Holder): Effect => {
  const extensions = extensionsFor(cv, h);
  return extensions.length ? { kind: 'start_clock', clock: 'handle', extensions } : { kind: 'start_clock', clock: 'handle' };
};

/** The dispatchers and rulers of the case with the actor added at the end (once). */
const withCommander = (cv: CaseView, actor: Actor): string[] => {
  const ids = commandActorsOf(cv);
  return ids.includes(actor.userId) ? ids : [...ids, actor.userId];
};

/**
 * The holder a dispatch or ruling names: a lead unit with its assisting units (联勤联动; the lead is not also an
 * assistant), or a grid member (网格员, domain.md §6) — only for a matter on the admission list, only one who covers
 * the case's place, and alone (no assisting units).
 */
export const dispatchTo = (c: Ctx, why: string): Omit<CasePatch, 'state'> => {
  const who = { subUnitId: null, dispatchedBy: c.actor.userId, dispatchedAt: c.now, commandActorIds: withCommander(c.cv, c.actor) };
  const gridMemberId = optionalText(c.input, 'gridMemberId');
  if (gridMemberId !== undefined) {
    if (c.input.unitId !== undefined && c.input.unitId !== null) throw invalidAs('gridMemberId', { key: 'case.send_either_unitid_or_gridmemberid' }, 'send either unitId or gridMemberId, not both');
    const gm = c.related.gridMember;
    if (!gm || gm.userId !== gridMemberId) throw invalidAs('gridMemberId', { key: 'case.unknown_user', params: { gridMemberId: String(gridMemberId) } }, `unknown user ${gridMemberId}`);
    if (!gm.active || !gm.roles.includes('grid_member')) throw invalidAs('gridMemberId', { key: 'case.user_not_active_grid_member', params: { gridMemberId: String(gridMemberId) } }, `user ${gridMemberId} is not an active grid member`);
    if (c.cv.admittedForGridMembers !== true) {
      throw new DomainError('FORBIDDEN', '本案事项不在网格事项准入清单内，不能派给网格员 / the matter is not on the grid-member admission list (网格事项准入清单): it cannot be given to a grid member', { key: 'admission.case_not_admitted', field: 'gridMemberId' });
    }
    if (!c.cv.regionPath?.length || !coversRegion({ userId: gm.userId, roles: gm.roles, unitIds: [], regionIds: gm.regionIds }, c.cv.regionPath)) {
      throw invalidAs('gridMemberId', { key: 'case.grid_member_does_not_cover', params: { gridMemberId: String(gridMemberId) } }, `grid member ${gridMemberId} does not cover the case's place`);
    }
    if (idList(c.input, 'assistingUnitIds').length) throw invalidAs('assistingUnitIds', { key: 'case.case_given_grid_member_has' }, 'a case given to a grid member has no assisting units');
    return { assignedUnitId: null, assignedUserId: gm.userId, assistingUnitIds: [], ...who };
  }
  const unitId = requireText(c.input, 'unitId', `${why} (or gridMemberId)`);
  const assistingUnitIds = idList(c.input, 'assistingUnitIds');
  if (assistingUnitIds.includes(unitId)) throw invalidAs('assistingUnitIds', { key: 'case.not_contain_lead_unit' }, 'must not contain the lead unit');
  return { assignedUnitId: unitId, assignedUserId: null, assistingUnitIds, ...who };
};

/** The history details naming the holder. */
export const holderDetails = (p: Omit<CasePatch, 'state'>): Record<string, unknown> =>
  p.assignedUserId ? { gridMemberId: p.assignedUserId } : { unitId: p.assignedUnitId };

/**
 * The verifier `request_verify` names (`verifierId`, issue 8): an active inspector or grid member whose regions cover
 * the case's place. Undefined when none is named (anyone in scope may verify, as before).
 */
export const verifierOf = (c: Ctx): string | undefined => {
  const verifierId = optionalText(c.input, 'verifierId');
  if (verifierId === undefined) return undefined;
  const v = c.related.verifier;
  if (!v || v.userId !== verifierId) throw invalidAs('verifierId', { key: 'case.unknown_user_2', params: { verifierId: String(verifierId) } }, `unknown user ${verifierId}`);
  if (!v.active || !v.roles.some((r) => r === 'inspector' || r === 'grid_member'))
    throw invalidAs('verifierId', { key: 'case.user_not_active_inspector_or', params: { verifierId: String(verifierId) } }, `user ${verifierId} is not an active inspector or grid member`);
  if (!v.roles.includes('inspector') && c.cv.admittedForGridMembers !== true)
    throw invalidAs('verifierId', { key: 'case.matter_not_on_grid_member', params: { verifierId: String(verifierId) } }, `the matter is not on the grid-member admission list (网格事项准入清单): grid member ${verifierId} may not verify it`);
  if (!c.cv.regionPath?.length || !coversRegion({ userId: v.userId, roles: v.roles, unitIds: [], regionIds: v.regionIds }, c.cv.regionPath))
    throw invalidAs('verifierId', { key: 'case.user_does_not_cover_case', params: { verifierId: String(verifierId) } }, `user ${verifierId} does not cover the case's place`);
  return verifierId;
};
