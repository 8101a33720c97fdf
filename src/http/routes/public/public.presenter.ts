/**
 * What a citizen sees of a case (GET /public/cases/:caseNo): a whitelist — the public stage in plain Chinese (and
 * English), the matter's name, the street, the dates and the progress steps. Never the reporter, the description,
 * notes, reasons, people or units: those may hold personal data or internal remarks.
 */
import type { ReferenceData } from '../../../runtime/reference-cache.ts';
import type { CaseRow, HistoryRow } from '../../../storage/repositories/case.repository.ts';
import { maskPersonalText } from '../../../domain/privacy/mask-text.ts';

export type PublicStage = 'received' | 'accepted' | 'handling' | 'checking' | 'resolved' | 'not_accepted';

export const STAGE_LABELS: Readonly<Record<PublicStage, { zh: string; en: string }>> = {
  received: { zh: '已收到您的反映', en: 'Received' },
  accepted: { zh: '已受理，正在安排', en: 'Accepted' },
  handling: { zh: '正在处理', en: 'Being handled' },
  checking: { zh: '已处理，正在核查', en: 'Handled, being checked' },
  resolved: { zh: '已办结', en: 'Resolved' },
  not_accepted: { zh: '已关闭（不予受理）', en: 'Closed (not accepted)' },
};

const BY_STATE: Readonly<Record<string, PublicStage>> = {
  REPORTED: 'received', ACCEPTED: 'accepted', VERIFYING: 'accepted', REGISTERED: 'accepted',
  DISPATCHED: 'handling', IN_PROGRESS: 'handling', DISPUTED: 'handling', HUNG: 'handling',
  DISPOSED: 'checking', CHECKING: 'checking', CLOSED_PENDING_CALLBACK: 'resolved', ARCHIVED: 'resolved', CANCELLED: 'not_accepted',
};

export const publicStageOf = (state: string): PublicStage => BY_STATE[state] ?? 'accepted';
/** Closed for the citizen: resolved or not accepted (a rating is then possible). */
export const isPublicClosed = (stage: PublicStage): boolean => stage === 'resolved' || stage === 'not_accepted';

const iso = (ms: number | string | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

/** One step per change of public stage, oldest first (internal back-and-forth inside a stage is not shown). */
export function publicSteps(history: HistoryRow[]): { stage: PublicStage; label: { zh: string; en: string }; at: string }[] {
  const steps: { stage: PublicStage; label: { zh: string; en: string }; at: string }[] = [];
  for (const h of history) {
    const stage = publicStageOf(h.to_state);
    if (steps.length && steps[steps.length - 1].stage === stage) continue;
    steps.push({ stage, label: STAGE_LABELS[stage], at: iso(h.at)! });
  }
  return steps;
}

const RESULT_ACTIONS = new Set(['dispose', 'self_fix']);

/**
 * The written result and its photos, once the case is resolved for the citizen: the last disposal (or self-fix)
 * before closing — the one the check passed. Earlier disposals that failed the check are never shown; nor is a
 * result while the check is still open. The text is masked (phones, ID numbers, plates).
 */
export function publicResult(history: HistoryRow[], stage: PublicStage): { text: string; at: string; photoIds: string[] } | null {
  if (stage !== 'resolved') return null;
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i];
    if (!RESULT_ACTIONS.has(h.action)) continue;
    let details: { result?: unknown } = {};
    let ids: unknown = [];
    try { details = JSON.parse(h.details) as { result?: unknown }; } catch { /* no text */ }
    try { ids = JSON.parse(h.attachment_ids); } catch { /* no photos */ }
    const text = typeof details.result === 'string' ? maskPersonalText(details.result.trim()) : '';
    return { text, at: iso(h.at)!, photoIds: Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [] };
  }
  return null;
}

export interface PublicCaseInput {
  row: CaseRow;
  /** The master case when this report was linked as a duplicate: its progress is the report's progress. */
  master?: CaseRow;
  history: HistoryRow[];
  rating: { rating: string; at: number } | null;
  portalReport: boolean;
  /** The result's photos that are images (attachments rows), in the disposal's order. */
  resultPhotos?: { id: string }[];
}

export function presentPublicCase(ref: ReferenceData, i: PublicCaseInput) {
  const followed = i.master ?? i.row;
  const stage = publicStageOf(followed.state);
  const closed = isPublicClosed(stage);
  const matter = ref.matters.get(i.row.matter_code);
  const street = followed.street_id ? ref.regions.get(followed.street_id) : undefined;
  const district = followed.district_id ? ref.regions.get(followed.district_id) : undefined;
  const steps = publicSteps(i.history);
  const result = publicResult(i.history, stage);
  if (i.master) {
    steps.unshift({ stage: 'received', label: STAGE_LABELS.received, at: iso(i.row.created_at)! });
  }
  return {
    caseNo: i.row.case_no,
    status: closed ? 'closed' as const : 'open' as const,
    stage,
    stageLabel: STAGE_LABELS[stage],
    matter: { code: i.row.matter_code, name: matter?.name ?? i.row.matter_code },
    street: street ? street.name : null,
    district: district ? district.name : null,
    createdAt: iso(i.row.created_at)!,
    updatedAt: iso(Math.max(Number(i.row.updated_at), Number(followed.updated_at)))!,
    closedAt: closed ? iso(followed.closed_at ?? followed.updated_at) : null,
    mergedWithOthers: !!i.master,
    steps,
    rating: i.rating ? { value: i.rating.rating, at: iso(i.rating.at)! } : null,
    ratable: i.portalReport && closed && !i.rating,
    result: result ? {
      text: result.text, at: result.at,
      photos: (i.resultPhotos ?? []).map((p) => ({ id: p.id, url: `/api/v1/public/cases/${encodeURIComponent(i.row.case_no)}/photos/${encodeURIComponent(p.id)}` })),
    } : null,
  };
}
