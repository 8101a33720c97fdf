/**
 * The summons as the API shows it: whitelisted fields, names from the reference cache, what the caller may do next.
 * A check-in's raw position is not shown (it is a person's whereabouts): only its distance from the meeting place.
 */
import { fromJson } from '../../../storage/codec.ts';
import type { Actor } from '../../../domain/policy/scope.ts';
import { mayCommand } from '../../../domain/summons/rules.ts';
import type { ReferenceCache } from '../../../runtime/reference-cache.ts';
import type { SummonsHistoryRow, SummonsRow, SummonsSummaryRow, SummonsUnitRow } from '../../../storage/repositories/summons.repository.ts';
import { summonsViewOf } from '../../../commands/summons-common.ts';

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());
const person = (id: string | null, name: string | null) => (id ? { id, name: name ?? id } : null);

export function presentSummons(
  s: SummonsRow, units: readonly SummonsUnitRow[], ref: ReferenceCache, actor: Actor, now: number,
  opts: { history?: readonly SummonsHistoryRow[]; caseVisible: boolean },
) {
  const history = opts.history;
  const d = ref.current();
  const unitRef = (id: string) => ({ id, name: d.units.get(id)?.name ?? id });
  const open = s.state === 'open';
  const commands = mayCommand(actor, summonsViewOf(s, ref));
  const reportableUnitIds = open ? units.filter((u) => u.state === 'summoned' && actor.unitIds.includes(u.unit_id)).map((u) => u.unit_id) : [];
  const ratableUnitIds = commands ? units.filter((u) => u.state !== 'summoned' && u.rating === null).map((u) => u.unit_id) : [];
  const allowedActions = [
    ...(reportableUnitIds.length ? ['report'] : []), ...(open && commands ? ['close'] : []), ...(ratableUnitIds.length ? ['rate'] : []),
  ];
  return {
    id: Number(s.id), caseId: Number(s.case_id), caseNo: s.case_no, caseVisible: opts.caseVisible, kind: s.kind, state: s.state, reason: s.reason, mode: s.mode,
    place: { address: s.place_address, lon: s.place_lon === null ? null : Number(s.place_lon), lat: s.place_lat === null ? null : Number(s.place_lat) },
    street: { id: s.street_id, name: d.regions.get(s.street_id)?.name ?? s.street_id },
    issuerUnit: s.issuer_unit_id ? unitRef(s.issuer_unit_id) : null,
    issuedBy: person(s.issued_by, s.issued_by_name),
    issuedAt: iso(s.issued_at)!, reportLimitMinutes: Number(s.report_limit_minutes), dueAt: iso(s.due_at)!,
    outcome: s.outcome, outcomeNote: s.outcome_note, closedBy: person(s.closed_by, s.closed_by_name), closedAt: iso(s.closed_at),
    departments: units.map((u) => ({
      unit: unitRef(u.unit_id), state: u.state, dueAt: iso(u.due_at)!,
      overdue: u.state === 'absent' || (u.state === 'summoned' && (u.overdue_at !== null || now > Number(u.due_at))),
      reportedAt: iso(u.reported_at), reportedBy: person(u.reported_by, u.reported_by_name), reportMode: u.report_mode,
      distanceMeters: u.report_distance_m === null ? null : Number(u.report_distance_m), late: Number(u.late) === 1, note: u.report_note,
      rating: u.rating === null ? null : Number(u.rating), ratingComment: u.rating_comment, ratedAt: iso(u.rated_at),
    })),
    allowedActions, reportableUnitIds, ratableUnitIds, checkInRadiusMeters: Math.round(d.summons.checkInRadiusMeters),
    ...(history ? { history: history.map(presentSummonsHistory) } : {}),
  };
}

export function presentSummonsHistory(h: SummonsHistoryRow) {
  return {
    id: Number(h.id), action: h.action, unitId: h.unit_id, actor: person(h.actor_id, h.actor_name), actorName: h.actor_name,
    at: iso(h.at)!, details: fromJson<Record<string, unknown>>(h.details, {}),
  };
}

export function presentSummary(rows: readonly SummonsSummaryRow[], ref: ReferenceCache) {
  const units = ref.current().units;
  return rows.map((r) => ({
    unit: { id: r.unit_id, name: units.get(r.unit_id)?.name ?? r.unit_id },
    received: r.received, reportedOnTime: r.reported - r.late, reportedLate: r.late, absent: r.absent, waiting: r.waiting, rated: r.rated,
    averageRating: r.rated ? Math.round((r.rating_sum / r.rated) * 100) / 100 : null,
  }));
}
