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
import { priorCase, submit, type Submission } from '../contract.ts';
import { badRequest } from './open311.format.ts';
import { assertNoNul } from '../../http/middleware/input-guard.ts';
import { authenticateApiKey, readForm, submissionFromForm, serviceNotice } from './open311.post.ts';
import { attributeSetsOf } from './open311.attributes.ts';

interface Part {
  type: 'field' | 'file';
  fieldname: string;
  value?: unknown;
  filename?: string;
  file?: NodeJS.ReadableStream & { truncated?: boolean; resume(): unknown };
}

export async function postMultipartServiceRequest(ctx: AppContext, req: FastifyRequest, idempotencyKey: string | undefined) {
  // Repeated fields (several media_url, a multivaluelist's attribute[code]) keep every value, as in a urlencoded form.
  const fields: Record<string, string | string[]> = Object.create(null);
  let prepared: { actor: Awaited<ReturnType<typeof authenticateApiKey>>; submission: Submission } | undefined;
  let replay = false;
  const attachmentIds: string[] = [];

  const prepare = async () => {
    const form = readForm(fields);
    const actor = await authenticateApiKey(ctx, form);
    const submission = submissionFromForm(ctx, form, idempotencyKey, await attributeSetsOf(ctx));
    const input = submission.report;
    // Everything createCase would refuse about the place, before the photo is stored (a request located by its
    // address_string is geocoded by createCase; a refusal then removes the photo again).
    if (input.location) {
      const { lon, lat } = input.location;
      if (Math.abs(lat) > 90 || Math.abs(lon) > 180) throw badRequest('lat/long are outside WGS84 ranges');
      if (!ctx.ref.locate(lon, lat)) throw new DomainError('OUT_OF_GRID', 'location outside every grid', { field: 'location', key: 'location.outside_grid', params: { lon, lat } });
    }
    // A retry of a request that made its case: the photo is not stored again (the content is compared by submit).
    replay = (await priorCase(ctx, submission.channel, actor, submission.key)) !== undefined;
    return { actor, submission };
  };

  try {
    await readParts();
  } catch (err) {
    await discardUnattached(ctx, { ids: attachmentIds }).catch(() => undefined);
    throw err;
  }
  async function readParts() {
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
      if (replay) { part.file?.resume(); continue; } // a retry: the first request's photo is kept
      const file = part.file!;
      const a = await createAttachment(ctx, { stream: file as never, filename: part.filename ?? 'media', truncated: () => file.truncated === true }, prepared.actor.userId);
      attachmentIds.push(a.id);
    }
  }
  if (!prepared) prepared = await prepare();

  let r;
  try {
    // A retry sends no photo id: the attempt's photo was not stored, and ids are not content (contract.ts).
    r = await submit(ctx, { ...prepared.submission, report: { ...prepared.submission.report, attachmentIds: replay ? [] : attachmentIds } }, prepared.actor);
  } catch (err) {
    await discardUnattached(ctx, { ids: attachmentIds }).catch(() => undefined); // the hourly cleanup takes what is left
    throw err;
  }
  return { created: r.created, item: { service_request_id: r.row.case_no, service_notice: serviceNotice(ctx, r.row) } };
}
