/**
 * THE intake contract (architecture.md §3 rule 16): every channel — HTTP or not — turns what it received into one
 * `Submission` and hands it to `submit`. `toCaseInput` is the one translation into the case pipeline's input
 * (createCase: locate → route → deadlines → duplicate check → case + history + outbox in one transaction), and
 * `idempotencyOf` is the one idempotency mechanism: the channel's own key (an Idempotency-Key header, a department's
 * external id, a message id, a file's hash …), scoped to the channel and the sender, with a fingerprint of the
 * content. A repeat with the same content answers the first case; the same key with other content is a CONFLICT
 * naming the key's field; two first attempts at once give one case (the store's writer sees to it).
 */
import crypto from 'node:crypto';
import type { Actor } from '../domain/policy/scope.ts';
import type { Channel, Urgency } from '../domain/case/channels.ts';
import type { CoordSystem } from '../domain/grid/index.ts';
import { DomainError } from '../domain/errors.ts';
import type { AppContext } from '../runtime/context.ts';
import { createCase, type CreateCaseInput, type CreateCaseResult } from '../commands/case-create.ts';
import type { RelatedRow } from '../storage/new-case/plan.ts';
import type { AttributeAnswer } from '../domain/catalog/attributes.ts';
import type { CaseRow } from '../storage/repositories/case.repository.ts';

/** One report, in the platform's terms, as any channel hands it over. */
export interface ChannelReport {
  matterCode: string;
  urgency?: Urgency;
  description: string;
  location?: { lon: number; lat: number; coordSystem?: CoordSystem };
  address?: string;
  partId?: string;
  reporter?: { name?: string; phone?: string };
  needsCallback?: boolean;
  /** The sending system's own id for the report. */
  externalId?: string;
  /** Photos already stored (POST /attachments, a multipart form, a snapshot fetched by a consumer). */
  attachmentIds?: string[];
  /** The 12345 feedback deadline, for a case filed from a hotline call. */
  feedbackDueAt?: number;
  /** Rows of the channel's own that must commit with the case (the 12345 call, the portal's report). */
  related?: RelatedRow[];
  /** Answers to the matter's extra questions, checked against its definition (Open311 `attribute[code]`). */
  attributes?: AttributeAnswer[];
  /** The seat confirms that words that sound like a threat to life are not an emergency (hotline). */
  emergencyConfirmed?: boolean;
}

export interface Submission {
  channel: Channel;
  report: ChannelReport;
  /** The channel's idempotency key for this report, if it has one. */
  key?: string;
  /** The request field that carried the key, named in a conflict (default `Idempotency-Key`). */
  keyField?: string;
  /**
   * What identifies the content beyond the report's fields: e.g. the photos' SHA-256 (uploads get new ids on every
   * attempt, so a resend carries the same photos under other ids).
   */
  fingerprint?: unknown;
}

export interface Idempotency { scope: string; key: string; requestHash: string }

/** The one idempotency record of a submission: scoped to the channel and the sender; undefined without a key. */
export function idempotencyOf(s: Submission, actor: Pick<Actor, 'userId'>): Idempotency | undefined {
  if (!s.key) return undefined;
  const { attachmentIds, related, feedbackDueAt, ...content } = s.report;
  // Attachment ids, related rows and computed deadlines differ between attempts of one request: they are not content.
  void attachmentIds; void related; void feedbackDueAt;
  return idempotencyFor(s.channel, actor, s.key, { content, fingerprint: s.fingerprint ?? null });
}

/**
 * The same record for a channel request that may end without a case (a 12345 call answered on the line): the key in
 * the channel's scope, and a hash of what identifies the request's content.
 */
export function idempotencyFor(channel: Channel, actor: Pick<Actor, 'userId'>, key: string, content: unknown): Idempotency {
  const requestHash = crypto.createHash('sha256').update(JSON.stringify(canonical({ channel, content }))).digest('hex');
  return { scope: scopeOf(channel, actor), key, requestHash };
}

const scopeOf = (channel: string, actor: Pick<Actor, 'userId'>) => `intake:${channel}:${actor.userId}`;

/** The conflict every channel answers when a key comes back with other content. */
export function keyConflict(field = 'Idempotency-Key', key?: string): DomainError {
  return new DomainError('CONFLICT', field === 'Idempotency-Key' ? 'Idempotency-Key was already used with different content' : `${field}: "${key}" was already used for a report with different content`, { field });
}

/** The case pipeline's input for a submission. */
export function toCaseInput(s: Submission, actor: Pick<Actor, 'userId'>): CreateCaseInput {
  return { ...s.report, channel: s.channel, idempotency: idempotencyOf(s, actor) };
}

/** Submits a report through the one pipeline. A conflict on the key names the field the key came in. */
export async function submit(ctx: AppContext, s: Submission, actor: Actor & { name?: string }): Promise<CreateCaseResult> {
  try {
    return await createCase(ctx, toCaseInput(s, actor), actor);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'CONFLICT' && err.field === 'Idempotency-Key' && s.keyField && s.keyField !== 'Idempotency-Key') {
      throw keyConflict(s.keyField, s.key);
    }
    throw err;
  }
}

/**
 * The case an earlier submission with this key made, if any — for channels that must know before they do costly
 * work (e.g. storing a resent report's photos again). The content is compared later, by `submit`.
 */
export async function priorCase(ctx: AppContext, channel: Channel, actor: Pick<Actor, 'userId'>, key: string | undefined): Promise<CaseRow | undefined> {
  if (!key) return undefined;
  const prior = await ctx.store.cases.findIdempotent(scopeOf(channel, actor), key);
  return prior ? ctx.store.cases.findCase(Number(prior.result_id)) : undefined;
}

/** Key order must not change the request hash: a resend with the fields in another order is the same content. */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]).filter(([, x]) => x !== undefined));
  return v;
}
