/**
 * What the level actions do once allowed (outcomes.ts spreads these in). The state never changes; the patch moves the
 * handling platform or the pending transfer. A dispute open when the case changes platform moves with it: the
 * receiving platform's coordinators rule it (the sender's no longer do, unless they cover it from above).
 */
import { invalidAs } from '../errors.ts';
import { optionalText, requireText } from './inputs.ts';
import type { LevelAction, PendingTransfer } from './level-types.ts';
import type { Ctx, Outcome } from './outcomes.ts';

const pendingOf = (c: Ctx): PendingTransfer => {
  const t = c.cv.pendingTransfer;
  if (!t) throw new Error('no pending transfer'); // unreachable: the table's guard ran
  return t;
};

const transferDetails = (t: Pick<PendingTransfer, 'kind' | 'fromRegionId' | 'toRegionId'>) =>
  ({ transferKind: t.kind, fromRegionId: t.fromRegionId, toRegionId: t.toRegionId });

export const LEVEL_OUTCOMES: { readonly [A in LevelAction]: (c: Ctx) => Outcome } = {
  escalate: (c) => {
    const reason = requireText(c.input, 'reason', 'to escalate (why this platform cannot solve it)');
    const t: PendingTransfer = {
      kind: 'escalate', fromRegionId: c.cv.platformRegionId!, toRegionId: c.cv.superiorPlatformId!, reason,
      requestedBy: c.actor.userId, requestedAt: c.now,
    };
    return { to: c.cv.state, patch: { pendingTransfer: t }, reason, details: transferDetails(t) };
  },

  assign_down: (c) => {
    const toRegionId = requireText(c.input, 'toRegionId', 'to assign down');
    const reason = requireText(c.input, 'reason', 'to assign down (the instruction to the lower platform)');
    const target = c.related.transferTarget;
    const from = c.cv.platformRegionId!;
    if (!target || target.regionId !== toRegionId || !target.known) throw invalidAs('toRegionId', { key: 'case.unknown_region', params: { toRegionId: String(toRegionId) } }, `unknown region "${toRegionId}"`);
    if (!target.platform) {
      throw invalidAs('toRegionId', { key: 'case.region_runs_no_platform_assign', params: { toRegionId: String(toRegionId), level: String(target.level) } }, `region ${toRegionId} (${target.level}) runs no platform: assign to a district or street platform`);
    }
    if (toRegionId === from || !target.path.includes(from)) {
      throw invalidAs('toRegionId', { key: 'case.region_not_below_this_platform', params: { toRegionId: String(toRegionId), from: String(from) } }, `region ${toRegionId} is not below this platform (${from}): a platform assigns only into its own subtree`);
    }
    const place = c.cv.regionPath ?? [];
    if (place.length > 0 && !place.includes(toRegionId)) {
      throw invalidAs('toRegionId', { key: 'case.case_s_place_not_in', params: { toRegionId: String(toRegionId) } }, `the case's place is not in region ${toRegionId}: assign it to the platform whose area contains it`);
    }
    const t: PendingTransfer = { kind: 'assign_down', fromRegionId: from, toRegionId, reason, requestedBy: c.actor.userId, requestedAt: c.now };
    return { to: c.cv.state, patch: { pendingTransfer: t }, reason, details: transferDetails(t) };
  },

  accept_transfer: (c) => {
    const t = pendingOf(c);
    const note = optionalText(c.input, 'note');
    return {
      to: c.cv.state,
      patch: {
        platformRegionId: t.toRegionId, pendingTransfer: null,
        ...(c.cv.state === 'DISPUTED' && c.cv.disputeOwner ? { disputeOwner: { regionId: t.toRegionId } } : {}),
      },
      details: { ...transferDetails(t), transferId: t.id, requestedBy: t.requestedBy, ...(note ? { note } : {}) },
    };
  },

  refuse_transfer: (c) => {
    const t = pendingOf(c);
    const reason = requireText(c.input, 'reason', 'to refuse (退回 needs a reason: it is recorded and counted)');
    return {
      to: c.cv.state, patch: { pendingTransfer: null }, reason,
      details: { ...transferDetails(t), transferId: t.id, requestedBy: t.requestedBy },
    };
  },
};
