/**
 * Scope of the level actions (allowed.ts asks here for sides 'platform' and 'transfer_receiver'). A platform's
 * coordinators are the centre staff whose regions include the platform's region itself: a district dispatcher covers
 * (and may see) the district's street cases, but is the coordinator of the district platform, not of its streets.
 */
import { coversRegion, type Actor } from '../policy/scope.ts';
import type { CaseView } from './types.ts';

export function levelScope(side: 'platform' | 'transfer_receiver', cv: CaseView, actor: Actor): boolean {
  if (side === 'transfer_receiver' && cv.pendingTransfer) return actor.regionIds.includes(cv.pendingTransfer.toRegionId);
  if (side === 'platform' && cv.platformRegionId) return actor.regionIds.includes(cv.platformRegionId);
  // No platform (a store without regions) or nothing pending: scoped like the centre; the guard then says why not.
  return coversRegion(actor, cv.regionPath);
}

export const LEVEL_SCOPE_MESSAGES = {
  platform: '您不是本案处理平台的协调人员（派遣员、值班长） / only the coordinators of the case\'s handling platform may do this',
  transfer_receiver: '本案的上报或下派不是发给您的平台 / the pending escalation or assignment is addressed to another platform',
} as const;

/** A level action refused for scope names the field 'platform' (the actor acts from the wrong platform). */
export const levelScopeField = (side: string): { field?: string } =>
  side === 'platform' || side === 'transfer_receiver' ? { field: 'platform' } : {};
