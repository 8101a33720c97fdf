/**
 * POST servicerequestupdates.{format} — mySociety's extension (docs/open311.md §1.13): a citizen's update about a
 * report, sent by a client (FixMyStreet's PostServiceRequestUpdates). Arguments as Open311.pm sends them:
 * api_key, service_request_id, update_id (the client's own id), status (upper case: OPEN, CLOSED, or with extended
 * statuses FIXED, REOPEN, IN_PROGRESS, …), updated_datetime, description, media_url (repeated for several photos),
 * and the commenter's first_name, last_name, email, phone — accepted and not stored (personal data; the report's
 * own reporter is on the case already).
 *
 * What it does to the case: src/commands/citizen-update-record.ts. The answer is the id of the recorded update,
 * which is the id the update feed lists it under; a retry with the same update_id answers the same id.
 */
import { sha256 } from '../../security/tokens.ts';
import type { AppContext } from '../../runtime/context.ts';
import { recordCitizenUpdate, type CitizenSignal } from '../../commands/citizen-update-record.ts';
import { badRequest, notFound311, parseW3cDatetime } from './open311.format.ts';
import { authenticateApiKey, MAX_DESCRIPTION_CHARS, readForm } from './open311.post.ts';
import { MAX_MEDIA_URLS } from './open311.presenter.ts';
import { coreStatusOf } from './open311.status.ts';

/** The statuses mySociety's extension defines for POSTed updates (status_extended_upper), and CANCELLED (Open311.pm). */
export const UPDATE_STATUSES = [
  'OPEN', 'CLOSED', 'FIXED', 'IN_PROGRESS', 'ACTION_SCHEDULED', 'INVESTIGATING', 'DUPLICATE', 'NOT_COUNCILS_RESPONSIBILITY',
  'NO_FURTHER_ACTION', 'INTERNAL_REFERRAL', 'REOPEN', 'FOR_TRIAGE', 'CANCELLED',
] as const;

const MAX_UPDATE_ID = 100;
const MAX_URL_CHARS = 2000;
const charCount = (s: string): number => [...s].length;

/**
 * What the client's status says, given how the request reads to clients now (open or closed): FIXED and CLOSED
 * on an open request say "it is fixed"; REOPEN, and OPEN on a closed request (FixMyStreet sends OPEN when its user
 * reopens a fixed report), say "it is still there". On a closed request, CLOSED is a plain comment (FixMyStreet
 * sends the report's own state with every comment); so is every other status.
 */
export function signalOf(status: string, requestStatus: 'open' | 'closed'): CitizenSignal {
  if ((status === 'FIXED' || status === 'CLOSED') && requestStatus === 'open') return 'fixed';
  if (status === 'REOPEN' || (status === 'OPEN' && requestStatus === 'closed')) return 'not_fixed';
  return null;
}

export async function postServiceRequestUpdate(ctx: AppContext, body: unknown): Promise<{ update_id: string }> {
  const form = readForm(body);
  const actor = await authenticateApiKey(ctx, form);
  const requestId = form.get('service_request_id');
  if (!requestId) throw badRequest('service_request_id is required / 缺少 service_request_id');
  const row = /^\d{8,24}$/.test(requestId) ? await ctx.store.open311.findOpen311Case(requestId) : undefined;
  if (!row) throw notFound311(`service_request_id "${requestId.slice(0, 40)}" not found / 未找到该诉求`);
  const updateId = form.get('update_id');
  if (!updateId) throw badRequest('update_id is required (your own id of the update) / 缺少 update_id');
  if (charCount(updateId) > MAX_UPDATE_ID) throw badRequest(`update_id is longer than ${MAX_UPDATE_ID} characters`);
  const rawStatus = form.get('status');
  if (!rawStatus) throw badRequest(`status is required: one of ${UPDATE_STATUSES.join(', ')} / 缺少 status`);
  const status = rawStatus.toUpperCase();
  if (!(UPDATE_STATUSES as readonly string[]).includes(status)) {
    throw badRequest(`status must be one of ${UPDATE_STATUSES.join(', ')}; got "${rawStatus.slice(0, 40)}"`);
  }
  const when = form.get('updated_datetime');
  if (!when) throw badRequest('updated_datetime is required (W3C datetime) / 缺少 updated_datetime');
  const clientAt = parseW3cDatetime(when, ctx.config.utcOffsetMinutes);
  if (clientAt === null) throw badRequest(`updated_datetime must be a W3C datetime with a time zone; got "${when.slice(0, 40)}"`);
  const text = form.get('description') ?? '';
  if (charCount(text) > MAX_DESCRIPTION_CHARS) throw badRequest(`description is longer than ${MAX_DESCRIPTION_CHARS} characters / 描述超过 ${MAX_DESCRIPTION_CHARS} 字`);
  const mediaUrls = [...new Set(form.all.get('media_url') ?? [])];
  if (mediaUrls.length > MAX_MEDIA_URLS) throw badRequest(`media_url may be given at most ${MAX_MEDIA_URLS} times`);
  if (mediaUrls.some((u) => u.length > MAX_URL_CHARS || !/^https?:\/\/\S+$/i.test(u) || !URL.canParse(u))) {
    throw badRequest('media_url must be an http(s) URL / media_url 须为 http(s) 链接');
  }
  // How the request reads to the client now: a linked duplicate shows its master's progress.
  const master = row.master_case_id === null ? undefined : (await ctx.store.open311.findOpen311Masters([row])).get(row.master_case_id);
  const signal = signalOf(status, coreStatusOf((master ?? row).state));
  const r = await recordCitizenUpdate(ctx, {
    caseId: row.id,
    idempotency: { scope: `open311.update:${actor.userId}`, key: updateId, requestHash: sha256(`servicerequestupdate:${row.case_no}`) },
    details: { clientUpdateId: updateId, clientStatus: status, text, mediaUrls, clientUpdatedAt: new Date(clientAt).toISOString() },
    signal,
  }, actor);
  return { update_id: String(r.updateId) };
}
