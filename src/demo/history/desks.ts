/**
 * The demo history's desk records (issue 10 part 8 / part 4): the generated history carries exclusions and appeals
 * as case history rows (`exclusion_requested` → `_approved` / `_rejected`, `appeal_filed` → `appeal_accepted` /
 * `_rejected`, with a `demo-ex-…` / `demo-ap-…` id in their details). This turns each such id into the desk record the
 * desks list (state, who asked, who decided, when) and its timeline, so the appeals and exclusions desks are not
 * empty on a fresh demo: decided ones as decided, the recent ones still waiting (requested / open). Pure.
 */

/** A case history row of the demo history that belongs to a desk record, with its case's place. */
export interface DemoDeskEvent {
  historyId: number; caseId: number; caseNo: string; action: string; actorId: string | null; actorName: string | null; at: number;
  reason: string | null; details: Record<string, unknown>;
  unitId: string | null; districtId: string | null; streetId: string | null; communityId: string | null; closedAt: number | null;
}

export interface DemoExclusion {
  demoId: string; caseId: number; historyIds: number[];
  row: {
    case_id: number; case_no: string; unit_id: string | null; district_id: string | null; street_id: string | null; community_id: string | null;
    state: 'requested' | 'approved' | 'rejected'; reason: string; requested_by: string | null; requested_by_name: string | null; requested_at: number;
    decided_by: string | null; decided_by_name: string | null; decided_at: number | null; decision_note: string | null;
    revoked_by: null; revoked_by_name: null; revoked_at: null; revoke_reason: null;
  };
  timeline: { action: string; actorId: string | null; actorName: string | null; at: number; details: Record<string, unknown> }[];
}

export interface DemoAppeal {
  demoId: string; caseId: number; historyIds: number[];
  row: {
    case_id: number; case_no: string; unit_id: string; district_id: string | null; street_id: string | null; community_id: string | null;
    period: string; state: 'open' | 'accepted' | 'rejected'; reason: string; evidence: string; filed_by: string | null; filed_by_name: string | null;
    filed_at: number; deadline_at: number; decided_by: string | null; decided_by_name: string | null; decided_at: number | null; decision_reason: string | null;
  };
  timeline: { action: string; actorId: string | null; actorName: string | null; at: number; details: Record<string, unknown> }[];
}

export const DEMO_DESK_ACTIONS = ['exclusion_requested', 'exclusion_approved', 'exclusion_rejected', 'appeal_filed', 'appeal_accepted', 'appeal_rejected'] as const;

/**
 * Groups the rows by their demo id into records. `period(ms)` is the assessment month of an instant, `deadline(period)`
 * the appeal window's end (the desks' own rules); rows whose id is not a demo id (a live record) are left alone.
 */
export function demoDeskRecords(events: readonly DemoDeskEvent[], period: (ms: number) => string, deadline: (period: string) => number): { exclusions: DemoExclusion[]; appeals: DemoAppeal[] } {
  const exclusions = new Map<string, DemoExclusion>();
  const appeals = new Map<string, DemoAppeal>();
  const sorted = [...events].sort((a, b) => a.at - b.at || a.historyId - b.historyId);
  for (const e of sorted) {
    const exId = e.details.exclusionId;
    const apId = e.details.appealId;
    const reason = String(e.details.reason ?? e.reason ?? '—');
    if (typeof exId === 'string' && exId.startsWith('demo-ex-')) {
      if (e.action === 'exclusion_requested') {
        exclusions.set(exId, {
          demoId: exId, caseId: e.caseId, historyIds: [e.historyId],
          row: {
            case_id: e.caseId, case_no: e.caseNo, unit_id: e.unitId, district_id: e.districtId, street_id: e.streetId, community_id: e.communityId,
            state: 'requested', reason: e.reason ?? reason, requested_by: e.actorId, requested_by_name: e.actorName, requested_at: e.at,
            decided_by: null, decided_by_name: null, decided_at: null, decision_note: null, revoked_by: null, revoked_by_name: null, revoked_at: null, revoke_reason: null,
          },
          timeline: [{ action: 'requested', actorId: e.actorId, actorName: e.actorName, at: e.at, details: { reason: e.reason ?? reason } }],
        });
      } else {
        const x = exclusions.get(exId);
        if (!x || x.row.state !== 'requested') continue;
        const state = e.action === 'exclusion_approved' ? 'approved' : 'rejected';
        Object.assign(x.row, { state, decided_by: e.actorId, decided_by_name: e.actorName, decided_at: e.at, decision_note: reason });
        x.historyIds.push(e.historyId);
        x.timeline.push({ action: state, actorId: e.actorId, actorName: e.actorName, at: e.at, details: { reason, note: reason } });
      }
    } else if (typeof apId === 'string' && apId.startsWith('demo-ap-')) {
      const unitId = typeof e.details.unitId === 'string' ? e.details.unitId : e.unitId;
      if (!unitId) continue;
      if (e.action === 'appeal_filed') {
        const p = period(e.closedAt ?? e.at);
        appeals.set(apId, {
          demoId: apId, caseId: e.caseId, historyIds: [e.historyId],
          row: {
            case_id: e.caseId, case_no: e.caseNo, unit_id: unitId, district_id: e.districtId, street_id: e.streetId, community_id: e.communityId,
            period: p, state: 'open', reason: e.reason ?? reason, evidence: '[]', filed_by: e.actorId, filed_by_name: e.actorName, filed_at: e.at,
            deadline_at: deadline(p), decided_by: null, decided_by_name: null, decided_at: null, decision_reason: null,
          },
          timeline: [{ action: 'filed', actorId: e.actorId, actorName: e.actorName, at: e.at, details: { reason: e.reason ?? reason, unitId, evidence: [] } }],
        });
      } else {
        const x = appeals.get(apId);
        if (!x || x.row.state !== 'open') continue;
        const state = e.action === 'appeal_accepted' ? 'accepted' : 'rejected';
        Object.assign(x.row, { state, decided_by: e.actorId, decided_by_name: e.actorName, decided_at: e.at, decision_reason: reason });
        x.historyIds.push(e.historyId);
        x.timeline.push({ action: state, actorId: e.actorId, actorName: e.actorName, at: e.at, details: { reason } });
      }
    }
  }
  return { exclusions: [...exclusions.values()], appeals: [...appeals.values()] };
}
