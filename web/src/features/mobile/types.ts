import type { CaseDto } from '../cases/model.ts';

/** The parts of the case API (CaseDto, shared with the case pages) the phone view reads. */
export type MobileCase = Pick<CaseDto,
  'id' | 'caseNo' | 'state' | 'stateLabel' | 'channel' | 'matter' | 'urgency' | 'description' | 'address' | 'location'
  | 'grid' | 'community' | 'street' | 'deadlines' | 'createdAt' | 'version' | 'allowedActions'>;

export interface HistoryEntry {
  id: number; action: string; toState: string; at: string; reason: string | null;
  actor: { id: string; name: string | null } | null; attachmentIds: string[];
}

export interface MatterItem { code: string; name: string; classCode: string; className: string }

/** The on-site actions the phone offers (whatever else the API allows is done at the desk). */
export const FIELD_ACTIONS = ['verify', 'check_pass', 'check_fail'] as const;

export const placeOf = (c: MobileCase): string =>
  c.address || [c.street?.name, c.community?.name, c.grid?.name].filter(Boolean).join(' · ') || '—';
