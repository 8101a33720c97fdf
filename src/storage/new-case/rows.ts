/**
 * The row builder both writers share: a plan, its number and id → the rows to insert. History rows and events are
 * made by their one factory each (historyRow, caseEvent), so a new case is recorded exactly like every later step.
 */
import { DomainError } from '../../domain/errors.ts';
import { historyRow } from '../repositories/history.repository.ts';
import { caseEvent, outboxRow } from '../repositories/outbox.repository.ts';
import type { NewCasePlan } from './plan.ts';

export const caseNoOf = (prefix: string, seq: number): string => `${prefix}${String(seq).padStart(6, '0')}`;

export function idempotencyConflict(): DomainError {
  return new DomainError('CONFLICT', 'Idempotency-Key was already used with different content', { field: 'Idempotency-Key' });
}

export const historyRowOf = (p: NewCasePlan, id: number) => historyRow({
  caseId: id, action: p.history.action, fromState: null, toState: p.history.toState, actorId: p.history.actorId,
  actorName: p.history.actorName, at: p.row.created_at, details: p.history.details, attachmentIds: p.attachmentIds,
});

export const outboxRowOf = (p: NewCasePlan, id: number, caseNo: string) => outboxRow(caseEvent(
  p.event.topic,
  {
    id, district_id: p.row.district_id ?? null, street_id: p.row.street_id ?? null, community_id: p.row.community_id ?? null,
    assigned_unit_id: p.row.assigned_unit_id ?? null, sub_unit_id: p.row.sub_unit_id ?? null, assisting_unit_ids: p.row.assisting_unit_ids ?? null,
  },
  { ...p.event.payload, id, caseNo },
  p.row.created_at,
));

export const idempotencyRowOf = (p: NewCasePlan, id: number) => p.idempotency
  ? { scope: p.idempotency.scope, key: p.idempotency.key, request_hash: p.idempotency.requestHash, result_id: String(id), created_at: p.row.created_at }
  : undefined;
