/**
 * Reading a multipart report form with photos (patrol reports, citizens' portal reports): text fields into a map,
 * `photo` files streamed into attachments as they arrive. Each stored photo is pushed onto `stored` at once, so a
 * caller that refuses the report afterwards (or meets an error here) can remove them again. Photos beyond the
 * maximum are drained, not stored, and refused with the count; an unknown field or file is refused by name.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../runtime/context.ts';
import { DomainError, invalidAs } from '../domain/errors.ts';
import { assertNoNul } from '../http/middleware/input-guard.ts';
import { createAttachment, type StoredAttachment } from '../commands/attachment-create.ts';

export interface PhotoFormRules { textFields: readonly string[]; minPhotos: number; maxPhotos: number; actorId: string }

export async function readPhotoForm(
  ctx: AppContext, req: FastifyRequest, rules: PhotoFormRules, stored: StoredAttachment[],
): Promise<Map<string, string>> {
  const fields = new Map<string, string>();
  let photoCount = 0;
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'photo' || photoCount >= rules.maxPhotos) {
        for await (const _chunk of part.file); // drain, so the rest of the form can still be read
        if (part.fieldname !== 'photo') throw invalidAs(part.fieldname, { key: 'photo-form.unknown_file_field_send_photos' }, 'unknown file field (send photos as "photo")');
        photoCount++;
        continue;
      }
      photoCount++;
      try {
        stored.push(await createAttachment(ctx, { stream: part.file, filename: part.filename ?? 'photo', truncated: () => part.file.truncated }, rules.actorId));
      } catch (e) {
        if (e instanceof DomainError && e.field === 'file') {
          throw new DomainError(e.code, `photo ${photoCount}${e.message.replace(/^file/, '')}`, { field: 'photo', details: e.details });
        }
        throw e;
      }
    } else {
      if (!rules.textFields.includes(part.fieldname)) throw invalidAs(part.fieldname, { key: 'field.unknown' }, 'unknown field');
      if (fields.has(part.fieldname)) throw invalidAs(part.fieldname, { key: 'photo-form.given_more_than_once' }, 'given more than once');
      if (part.valueTruncated) throw invalidAs(part.fieldname, { key: 'photo-form.too_long' }, 'is too long');
      const value = String(part.value ?? '');
      assertNoNul(part.fieldname, value);
      fields.set(part.fieldname, value);
    }
  }
  if (photoCount < rules.minPhotos) throw invalidAs('photo', { key: 'photo-form.at_least_photo_required', params: { minPhotos: String(rules.minPhotos), value: String(rules.minPhotos > 1 ? 's are' : ' is') } }, `at least ${rules.minPhotos} photo${rules.minPhotos > 1 ? 's are' : ' is'} required`);
  if (photoCount > rules.maxPhotos) throw invalidAs('photo', { key: 'photo-form.at_most_photos_got', params: { maxPhotos: String(rules.maxPhotos), photoCount: String(photoCount) } }, `at most ${rules.maxPhotos} photos, got ${photoCount}`);
  return fields;
}
