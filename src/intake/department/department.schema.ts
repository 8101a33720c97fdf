import { Type, type TSchema } from 'typebox';
import { CreateCaseBody } from '../../http/routes/cases/case.schema.ts';
import { WEBHOOK_TOPICS } from './webhook.policy.ts';
import type { DeliveryRow, SubscriptionRow } from '../../storage/repositories/webhook.repository.ts';
import { fromJson } from '../../storage/codec.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const { channel: _channel, externalId: _externalId, ...caseFields } = CreateCaseBody.properties;

/** POST /api/v1/cases without `channel` (always "department") and with the sender's own id required. */
export const PushCaseBody = Type.Object({
  ...caseFields,
  externalId: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', description: 'The sending system\'s own id for this incident (required): a resend with it returns the same case' }),
}, { additionalProperties: false });

export const ExternalIdParam = Type.Object({ externalId: Type.String({ minLength: 1, maxLength: 100, description: 'The sender\'s own id' }) });

const Topic = Type.Union(WEBHOOK_TOPICS.map((t) => Type.Literal(t)), { description: 'An outbox topic' });

export const CreateWebhookBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100, description: 'Who receives it (the department system)' }),
  url: Type.String({ minLength: 1, maxLength: 2000, description: 'http:// or https:// endpoint that receives POSTed events' }),
  topics: Type.Optional(Type.Array(Topic, { minItems: 1, maxItems: WEBHOOK_TOPICS.length, description: 'Topics to receive; default the four case topics (case.created, case.transitioned, case.deadline_warning, case.deadline_overdue)' })),
  unitIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100, description: 'Only events concerning these units (routed, assigned, sub-unit); default all' })),
}, { additionalProperties: false });

export const WebhookDto = Type.Object({
  id: Type.String(), name: Type.String(), url: Type.String(), topics: Type.Array(Type.String()),
  unitIds: Nullable(Type.Array(Type.String())), active: Type.Boolean(), createdBy: Nullable(Type.String()), createdAt: Type.String(),
  cursor: Type.Integer({ description: 'Last outbox event id fanned out to this subscription' }),
});

export const WebhookWithLogDto = Type.Object({
  ...WebhookDto.properties,
  deliveries: Type.Object({
    pending: Type.Integer(), delivered: Type.Integer(), failed: Type.Integer(), dead: Type.Integer(),
    lastFailure: Nullable(Type.Object({
      eventId: Type.Integer(), topic: Type.String(), status: Type.String(), attempts: Type.Integer(), lastStatusCode: Nullable(Type.Integer()),
      lastError: Nullable(Type.String()), createdAt: Type.String(),
    }, { description: 'The newest delivery whose last attempt failed (an error or a non-2xx answer), or one given up' })),
  }, { description: 'The delivery log in numbers' }),
});

export const CreatedWebhookDto = Type.Object({
  ...WebhookDto.properties,
  secret: Type.String({ description: 'HMAC-SHA256 signing secret: shown only in this response' }),
});

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'dead'] as const;

export const DeliveryQuery = Type.Object({
  status: Type.Optional(Type.Union(DELIVERY_STATUSES.map((s) => Type.Literal(s)), { description: 'Filter by status' })),
  beforeId: Type.Optional(Type.Integer({ minimum: 1, description: 'Deliveries with id below this (next page)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'Page size' })),
}, { additionalProperties: false });

export const DeliveryDto = Type.Object({
  id: Type.Integer(), eventId: Type.Integer({ description: 'Outbox event id (the `id` of the body sent)' }), topic: Type.String(),
  status: Type.String({ description: 'pending | delivered | failed (subscription deactivated) | dead (gave up after 8 attempts)' }),
  attempts: Type.Integer(), nextAttemptAt: Nullable(Type.String()), lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()), createdAt: Type.String(), deliveredAt: Nullable(Type.String()),
});

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

/** Whitelist: the secret is never presented after creation. */
export function presentWebhook(r: SubscriptionRow) {
  return {
    id: r.id, name: r.name, url: r.url, topics: fromJson<string[]>(r.topics, []), unitIds: fromJson<string[] | null>(r.unit_ids, null),
    active: Number(r.active) === 1, createdBy: r.created_by, createdAt: iso(r.created_at)!, cursor: Number(r.cursor),
  };
}

export function presentDelivery(d: DeliveryRow) {
  return {
    id: Number(d.id), eventId: Number(d.outbox_id), topic: d.topic, status: d.status, attempts: Number(d.attempts),
    nextAttemptAt: iso(d.next_attempt_at), lastStatusCode: d.last_status_code === null ? null : Number(d.last_status_code),
    lastError: d.last_error, createdAt: iso(d.created_at)!, deliveredAt: iso(d.delivered_at),
  };
}
