/** Presenters of decision support: whitelisted fields, names from the reference data, ISO times. No personal data is kept in these records. */
import type { ReferenceData } from '../../../runtime/reference-cache.ts';
import { dayIso, monthIso } from '../../../domain/hotspot/period.ts';
import { proactiveActions, topicActions, type DecisionActor, type ProactiveState, type TopicState } from '../../../domain/recurrence/lifecycle.ts';
import type { RecurringProblemRow } from '../../../storage/repositories/recurrence.repository.ts';
import type { DecisionHistoryRow, ProactiveRow, TopicRow } from '../../../storage/repositories/topic.repository.ts';
import { fromJsonText } from './decide.json.ts';
import { problemTitle } from '../../../commands/topic-propose.ts';

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();
const num = (v: number | string | null) => (v === null ? null : Number(v));
const matterOf = (ref: ReferenceData, code: string) => ({ code, name: ref.matters.get(code)?.name ?? code });
const regionRef = (ref: ReferenceData, id: string | null) => (id && ref.regions.get(id) ? { id, name: ref.regions.get(id)!.name } : null);

export function presentProblem(p: RecurringProblemRow, ref: ReferenceData) {
  return {
    id: Number(p.id), matter: matterOf(ref, p.matter_code),
    place: {
      lon: num(p.lon), lat: num(p.lat), address: p.address, partId: p.part_id,
      grid: p.grid_id ? { id: p.grid_id, name: ref.grids.get(p.grid_id)?.name ?? p.grid_id } : null, street: regionRef(ref, p.street_id),
    },
    caseCount: Number(p.case_count), firstAt: iso(p.first_at), lastAt: iso(p.last_at), title: problemTitle(p, ref),
  };
}

export function presentHistory(rows: DecisionHistoryRow[]) {
  return rows.map((h) => ({ action: h.action, fromState: h.from_state, toState: h.to_state, actorName: h.actor_name, at: iso(h.at), details: fromJsonText(h.details) }));
}

export function presentTopic(t: TopicRow, ref: ReferenceData, who: DecisionActor, history?: DecisionHistoryRow[]) {
  return {
    id: Number(t.id), month: monthIso(Number(t.month)), title: t.title, matter: matterOf(ref, t.matter_code), monthCount: Number(t.month_count), rank: Number(t.rank),
    state: t.state as TopicState, unit: t.unit_id ? { id: t.unit_id, name: ref.units.get(t.unit_id)?.name ?? t.unit_id } : null, note: t.note,
    problemId: Number(t.problem_id), street: regionRef(ref, t.street_id), version: Number(t.version), allowedActions: topicActions(t.state, t.unit_id, who),
    ...(history ? { history: presentHistory(history) } : {}),
  };
}

export function presentProactive(t: ProactiveRow, ref: ReferenceData, who: DecisionActor, problem: RecurringProblemRow | undefined, history?: DecisionHistoryRow[]) {
  const pattern = fromJsonText(t.pattern) as { kind?: string; value?: number; matches?: number; total?: number };
  return {
    id: Number(t.id), problemId: Number(t.problem_id), title: problem ? problemTitle(problem, ref) : (ref.matters.get(t.matter_code)?.name ?? t.matter_code),
    matter: matterOf(ref, t.matter_code),
    pattern: { kind: String(pattern.kind ?? ''), value: Number(pattern.value ?? 0), matches: Number(pattern.matches ?? 0), total: Number(pattern.total ?? 0) },
    dueDate: dayIso(Number(t.due_day)), explain: t.explain_zh, state: t.state as ProactiveState, caseId: num(t.case_id), note: t.note, street: regionRef(ref, t.street_id),
    version: Number(t.version), allowedActions: proactiveActions(t.state, who), ...(history ? { history: presentHistory(history) } : {}),
  };
}
