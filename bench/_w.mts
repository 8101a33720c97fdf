import { openDatabase } from '/work/main/src/storage/db.ts';
import { sqliteCaseCreateStore } from '/work/main/src/storage/repositories/case-create.repository.ts';
const h = openDatabase({ dataDir: '/tmp/lead/sq10k' });
const store = sqliteCaseCreateStore(h);
const now = Date.now();
const row: any = { state: 'REPORTED', channel: 'hotline', trusted: 0, needs_callback: 1, matter_kind: 'matter', matter_code: '06010', urgency: 'normal', description: 'x', address: null, lon: 120.3, lat: 31.5, grid_id: 'g', community_id: 'c', street_id: 's', district_id: 'd', area_class: 'A', part_id: null, reporter_name: null, reporter_phone: '138', assigned_unit_id: null, assisting_unit_ids: '[]', sub_unit_id: null, routed_unit_id: 'U', routing_outcome: 'rule', rule_id: 'R1', rule_version: 1, dispatched_by: null, dispatched_at: null, last_returned_by_unit_id: null, pending_request: null, closure_type: null, closed_at: null, handle_limit_amount: 1, handle_limit_unit: 'work_days', handle_started_at: null, handle_warn_at: null, handle_due_at: null, stage: 'dispatch', stage_limit_unit: 'natural_minutes', stage_warn_at: now, stage_due_at: now, suspended_at: null, alert_level: 'normal', next_alert_at: now, ever_overdue: 0, return_count: 0, postpone_count: 0, rework_count: 0, reopen_count: 0, unsatisfied_count: 0, supervision_count: 0, idempotency_key: null, external_id: null, created_by: 'u', created_at: now, updated_at: now, version: 1 };
const payload = () => ({ row: { ...row }, caseNoPrefix: '20261126', attachmentIds: [], history: { action: 'report', toState: 'REPORTED', actorId: 'u', actorName: null, details: { a: 1 } }, outbox: { topic: 'case.created', unitIds: ['U'], regionIds: ['d', 's', 'c'], payload: { x: 1 }, at: now } });
for (let round = 0; round < 3; round++) {
  const t = performance.now();
  for (let b = 0; b < 300; b++) await Promise.all(Array.from({ length: 32 }, () => store.persist(payload() as any)));
  console.log(((performance.now() - t) / 9600 * 1000).toFixed(1), 'µs/case');
}
await h.close();
