/**
 * Extension "media upload" (docs/open311.md §1.13: Bloomington, Helsinki; the Python client `three` sends
 * `files={'media': …}`): POST requests.{format} as multipart/form-data, the usual arguments as fields and one
 * photo in the file field `media`. The photo becomes an attachment of the new case, seen by operators and units;
 * it is not republished as `media_url` (citizens' photos may show faces and number plates).
 *
 * Fields must come before the file (client libraries send them so): the api_key is checked and the request
 * validated before a byte of the photo is stored, so a refused request stores nothing. (Only a failure found
 * inside createCase itself — an invalid phone number — can leave an unlinked photo behind, like an upload
 * that is never cited.)
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../runtime/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { createAttachment, discardUnattached } from '../../commands/attachment-create.ts';
import { createCase, type CreateCaseInput } from '../../commands/case-create.ts';
import { badRequest } from './open311.format.ts';
import { assertNoNul } from '../../http/middleware/input-guard.ts';
import { authenticateApiKey, readForm, requestInputFromForm, serviceNotice } from './open311.post.ts';
import { attributeSetsOf } from './open311.attributes.ts';

interface Part {
  type: 'field' | 'file';
  fieldname: string;
  value?: unknown;
  filename?: string;
  file?: NodeJS.ReadableStream & { truncated?: boolean; resume(): unknown };
}

/** createCase records Idempotency-Keys per client under this scope (src/commands/case-create.ts). */
const idempotencyScope = (userId: string): string => `case.create:${userId}`;

export async function postMultipartServiceRequest(ctx: AppContext, req: FastifyRequest, idempotencyKey: string | undefined) {
  // Repeated fields (several media_url, a multivaluelist's attribute[code]) keep every value, as in a urlencoded form.
  const fields: Record<string, string | string[]> = Object.create(null);
  let prepared: { actor: Awaited<ReturnType<typeof authenticateApiKey>>; input: CreateCaseInput } | undefined;
  let replayOf: number | undefined;
  const attachmentIds: string[] = [];

  const prepare = async () => {
    const form = readForm(fields);
    const actor = await authenticateApiKey(ctx, form);
    const input = requestInputFromForm(ctx, form, idempotencyKey, await attributeSetsOf(ctx));
    // Everything createCase would refuse about the place, before the photo is stored (a request located by its
    // address_string is geocoded by createCase; a refusal then removes the photo again).
    if (input.location) {
      const { lon, lat } = input.location;
      if (Math.abs(lat) > 90 || Math.abs(lon) > 180) throw badRequest('lat/long are outside WGS84 ranges');
      if (!ctx.ref.locate(lon, lat)) throw new DomainError('OUT_OF_GRID', 'location outside every grid', { field: 'location' });
    }
    if (idempotencyKey) {
      const prior = await ctx.store.cases.findIdempotent(idempotencyScope(actor.userId), idempotencyKey);
      if (prior) replayOf = Number(prior.result_id);
    }
    return { actor, input };
  };

  for await (const raw of req.parts()) {
    const part = raw as unknown as Part;
    if (part.type === 'field') {
      if (typeof part.value === 'string') {
        assertNoNul(part.fieldname, part.value);
        const prev = fields[part.fieldname];
        fields[part.fieldname] = prev === undefined ? part.value : [...(Array.isArray(prev) ? prev : [prev]), part.value];
      }
      continue;
    }
    if (part.fieldname !== 'media' || attachmentIds.length > 0 || prepared) {
      part.file?.resume();
      throw badRequest('Send at most one file, in the field "media" / 仅可上传一个文件（字段 media）');
    }
    try {
      prepared = await prepare();
    } catch (err) {
      part.file?.resume();
      throw err;
    }
    if (replayOf !== undefined) { part.file?.resume(); continue; } // a retry: the first request's photo is kept
    const file = part.file!;
    const a = await createAttachment(ctx, { stream: file as never, filename: part.filename ?? 'media', truncated: () => file.truncated === true }, prepared.actor.userId);
    attachmentIds.push(a.id);
  }
  if (!prepared) prepared = await prepare();

  if (replayOf !== undefined) {
    // A retry with the same Idempotency-Key returns the first result (the photo cannot be compared byte for byte).
    const row = await ctx.store.cases.findCase(replayOf);
    if (row) return { created: false, item: { service_request_id: row.case_no, service_notice: serviceNotice(ctx, row) } };
  }
  let r;
  try {
    r = await createCase(ctx, { ...prepared.input, attachmentIds }, prepared.actor);
  } catch (err) {
    await discardUnattached(ctx, { ids: attachmentIds }).catch(() => undefined); // the hourly cleanup takes what is left
    throw err;
  }
  return { created: r.created, item: { service_request_id: r.row.case_no, service_notice: serviceNotice(ctx, r.row) } };
}
