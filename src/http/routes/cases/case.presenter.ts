/**
 * Case presenter: whitelists fields, masks personal data unless the caller holds personal_data.read, and says
 * what the caller may do next (so the console does not copy the rules).
 */
import { allowedActions, stateLabel, type ApprovedExtension, type State } from '../../../domain/case/index.ts';
import { hasPermission } from '../../../domain/policy/permissions.ts';
import { runningDueAt } from '../../../domain/alerts/alerts.ts';
import type { ReferenceCache } from '../../../runtime/reference-cache.ts';
import { fromJson } from '../../../storage/codec.ts';
import type { CaseRow, HistoryRow } from '../../../storage/repositories/case.repository.ts';
import { caseViewOf } from '../../../commands/case-transition.ts';
import type { Principal } from '../../middleware/auth.ts';
import { presentLevels } from '../levels/level.presenter.ts';

export const maskPhone = (p: string | null): string | null =>
  p === null ? null : p.length >= 7 ? `${p.slice(0, 3)}****${p.slice(-4)}` : '****';
export const maskName = (n: string | null): string | null => (n === null ? null : n.length <= 1 ? '*' : `${[...n][0]}${'*'.repeat(Math.min([...n].length - 1, 3))}`);

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

/**
 * The reporter as this caller may see them: in full with personal_data.read, masked otherwise. The one rule for
 * the case response and every export of cases (src/http/routes/exports).
 */
export function presentReporter(row: Pick<CaseRow, 'reporter_name' | 'reporter_phone'>, p: Pick<Principal, 'roles'>) {
  const showPersonal = hasPermission(p.roles, 'personal_data.read');
  return {
    name: showPersonal ? row.reporter_name : maskName(row.reporter_name),
    phone: showPersonal ? row.reporter_phone : maskPhone(row.reporter_phone),
    masked: !showPersonal,
  };
}

export interface DuplicateOfView { id: number; caseNo: string; state: string }

/** `duplicateOf` (the master's number and state) is filled where the caller loaded it: create and the one-case read. */
export function presentCase(row: CaseRow, ref: ReferenceCache, p: Principal, extra: { duplicateOf?: DuplicateOfView | null } = {}) {
  const r = ref.current();
  const unit = (id: string | null) => (id ? { id, name: r.units.get(id)?.name ?? id } : null);
  const region = (id: string | null) => (id ? { id, name: r.regions.get(id)?.name ?? id } : null);
  const matter = r.matters.get(row.matter_code);
  const grid = row.grid_id ? r.grids.get(row.grid_id) : undefined;
  const view = caseViewOf(row, ref);
  return {
    id: Number(row.id),
    caseNo: row.case_no,
    state: row.state,
    stateLabel: stateLabel(row.state as State),
    channel: row.channel,
    matter: { code: row.matter_code, name: matter?.name ?? row.matter_code, classCode: matter?.classCode ?? row.matter_code.slice(0, 2) },
    urgency: row.urgency,
    description: row.description,
    address: row.address,
    location: row.lon === null || row.lat === null ? null : { lon: Number(row.lon), lat: Number(row.lat) },
    grid: grid ? { id: grid.id, code: grid.code, name: grid.name } : null,
    community: region(row.community_id),
    street: region(row.street_id),
    district: region(row.district_id),
    areaClass: row.area_class,
    partId: row.part_id,
    reporter: presentReporter(row, p),
    needsCallback: row.needs_callback === 1,
    routing: {
      unit: unit(row.routed_unit_id),
      outcome: row.routing_outcome,
      ruleId: row.rule_id,
      ruleVersion: row.rule_version,
      assistingUnits: fromJson<string[]>(row.routed_assisting_unit_ids, []).map((u) => unit(u)!),
    },
    assignedUnit: unit(row.assigned_unit_id),
    assignedGridMember: row.assigned_user_id ? { id: row.assigned_user_id, name: row.assigned_user_name ?? null } : null,
    verifier: row.verifier_user_id ? { id: row.verifier_user_id, name: row.verifier_user_name ?? null } : null,
    assistingUnits: fromJson<string[]>(row.assisting_unit_ids, []).map((u) => unit(u)!),
    subUnit: unit(row.sub_unit_id),
    admittedForGridMembers: view.admittedForGridMembers === true,
    disputeOwner: row.state === 'DISPUTED' && row.dispute_owner_region_id ? { region: region(row.dispute_owner_region_id)! } : null,
    pendingRequest: fromJson<Record<string, unknown> | null>(row.pending_request, null),
    counters: {
      returns: row.return_count, postponements: row.postpone_count, rework: row.rework_count, reopen: row.reopen_count,
      unsatisfied: row.unsatisfied_count, supervisions: row.supervision_count,
    },
    deadlines: {
      stage: row.stage,
      stageWarnAt: iso(row.stage_warn_at),
      stageDueAt: iso(row.stage_due_at),
      handleLimit: row.handle_limit_amount === null ? null : { amount: Number(row.handle_limit_amount), unit: row.handle_limit_unit },
      handleStartedAt: iso(row.handle_started_at),
      handleWarnAt: iso(row.handle_warn_at),
      handleDueAt: iso(row.handle_due_at),
      handlePausedAt: iso(row.handle_paused_at),
      extensions: fromJson<ApprovedExtension[]>(row.approved_extensions, []).map((x) => ({
        amount: x.extra.amount, unit: x.extra.unit, approvedAt: iso(x.approvedAt)!, unitId: x.unitId, gridMemberId: x.userId,
      })),
      suspendedAt: iso(row.suspended_at),
      feedbackDueAt: iso(row.feedback_due_at),
      feedbackLevel: row.feedback_due_at === null ? null : row.feedback_level ?? 'normal',
      dueAt: iso(runningDueAt({
        state: row.state, handleWarnAt: null, handleDueAt: row.handle_due_at === null ? null : Number(row.handle_due_at), stage: row.stage,
        stageWarnAt: null, stageDueAt: row.stage_due_at === null ? null : Number(row.stage_due_at),
        suspendedAt: row.suspended_at === null ? null : Number(row.suspended_at),
      })),
      alertLevel: row.alert_level,
      everOverdue: row.ever_overdue === 1,
    },
    closureType: row.closure_type,
    closedAt: iso(row.closed_at),
    externalId: row.external_id,
    attributes: fromJson<{ code: string; description: string; datatype: string; values: string[]; labels: string[] }[]>(row.attributes ?? null, [])
      .map((a) => ({ code: a.code, description: a.description, datatype: a.datatype, values: a.values, labels: a.labels })),
    masterCaseId: row.master_case_id === null || row.master_case_id === undefined ? null : Number(row.master_case_id),
    duplicateOf: extra.duplicateOf ? { id: extra.duplicateOf.id, caseNo: extra.duplicateOf.caseNo, state: extra.duplicateOf.state } : null,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    version: Number(row.version),
    allowedActions: allowedActions(view, p),
    ...presentLevels(row, ref),
  };
}

export function presentHistory(h: HistoryRow) {
  return {
    id: Number(h.id),
    action: h.action,
    fromState: h.from_state,
    toState: h.to_state,
    actor: h.actor_id ? { id: h.actor_id, name: h.actor_name } : null,
    at: iso(h.at)!,
    reason: h.reason,
    details: fromJson<Record<string, unknown>>(h.details, {}),
    attachmentIds: fromJson<string[]>(h.attachment_ids, []),
  };
}
