/**
 * The case's side of the levels of platform (src/domain/levels): its handling platform and the transfer waiting for
 * the receiving platform (one at a time). Kept apart from types.ts so that the lifecycle's shared files change by a
 * line each.
 */
import type { TransferTargetFacts } from '../levels/levels.ts';

export type TransferKind = 'escalate' | 'assign_down';

/** A transfer between platforms waiting for the receiver: 上报 (escalate) or 下派 (assign_down). */
export interface PendingTransfer {
  /** The transfer's record (case_transfers.id); absent while it is being decided (before it is written). */
  id?: number;
  kind: TransferKind;
  fromRegionId: string;
  toRegionId: string;
  reason: string;
  requestedBy: string;
  /** The sender's display name when it was sent (shown without a user lookup). */
  requestedByName?: string | null;
  requestedAt: number;
}

/** What `decide` reads about the levels of a case (all absent on a case view built without them: no platform). */
export interface CaseLevelView {
  /** The handling platform: the region whose centre coordinates the case now. */
  platformRegionId?: string | null;
  platformLevel?: 'city' | 'district' | 'street' | null;
  /** Where an escalation goes: the nearest platform above; null at the top. */
  superiorPlatformId?: string | null;
  /** Whether a platform exists below the handling platform (a street platform has none). */
  hasLowerPlatform?: boolean;
  pendingTransfer?: PendingTransfer | null;
}

/** The level columns a decision writes. */
export interface CaseLevelPatch {
  platformRegionId?: string | null;
  pendingTransfer?: PendingTransfer | null;
}

export interface LevelRelated {
  /** The region a superior assigns the case down to, as the command looked it up. */
  transferTarget?: TransferTargetFacts;
}

export interface LevelActionInputs {
  /** 上报: to the superior platform, with why the platform cannot solve it. */
  escalate: { reason: string };
  /** 下派: to a platform in the actor's subtree (a district or street region), with the instruction. */
  assign_down: { toRegionId: string; reason: string };
  accept_transfer: { note?: string };
  /** 退回 / 拒收: the reason is required and recorded (counted per platform). */
  refuse_transfer: { reason: string };
}

export const LEVEL_ACTIONS = ['escalate', 'assign_down', 'accept_transfer', 'refuse_transfer'] as const;
export type LevelAction = (typeof LEVEL_ACTIONS)[number];
export const isLevelAction = (a: unknown): a is LevelAction => typeof a === 'string' && (LEVEL_ACTIONS as readonly string[]).includes(a);
