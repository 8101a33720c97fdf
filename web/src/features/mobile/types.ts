/** The parts of the case API the phone view reads (src/http/routes/cases/case.schema.ts CaseDto). */
export interface MobileCase {
  id: number;
  caseNo: string;
  state: string;
  stateLabel: { zh: string; en: string };
  channel: string;
  matter: { code: string; name: string; classCode: string };
  urgency: string;
  description: string;
  address: string | null;
  location: { lon: number; lat: number } | null;
  grid: { id: string; code: string; name: string } | null;
  community: { id: string; name: string } | null;
  street: { id: string; name: string } | null;
  deadlines: { stage: string | null; stageDueAt: string | null; dueAt: string | null; alertLevel: string };
  createdAt: string;
  version: number;
  allowedActions: string[];
}

export interface HistoryEntry {
  id: number; action: string; toState: string; at: string; reason: string | null;
  actor: { id: string; name: string | null } | null; attachmentIds: string[];
}

export interface MatterItem { code: string; name: string; classCode: string; className: string }

/** The on-site actions the phone offers (whatever else the API allows is done at the desk). */
export const FIELD_ACTIONS = ['verify', 'check_pass', 'check_fail'] as const;

export const placeOf = (c: MobileCase): string =>
  c.address || [c.street?.name, c.community?.name, c.grid?.name].filter(Boolean).join(' · ') || '—';
