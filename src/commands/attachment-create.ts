/**
 * Stores an uploaded photo under DATA_DIR/attachments/YYYY/MM/<id>.<ext>: streamed to a temporary file with a
 * size cap, type decided by magic bytes, renamed into place, then recorded. A refused upload leaves nothing behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { DomainError } from '../domain/errors.ts';
import { sniffImage, EXTENSION } from '../domain/attachment.ts';
import { newId } from '../security/tokens.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export interface StoredAttachment { id: string; filename: string; mime: string; size: number; sha256: string; createdAt: number }

export async function createAttachment(
  ctx: AppContext,
  file: { stream: Readable; filename: string; truncated: () => boolean },
  actorId: string,
): Promise<StoredAttachment> {
  const id = newId('att');
  const now = ctx.clock.now();
  const d = new Date(now);
  const rel = path.join('attachments', String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'));
  const dir = path.join(ctx.config.dataDir, rel);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${id}.part`);
  const hash = crypto.createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16 - head.length)]);
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(file.stream, meter, fs.createWriteStream(tmp));
    if (file.truncated()) {
      throw new DomainError('PAYLOAD_TOO_LARGE', `file: larger than ${ctx.config.maxAttachmentBytes / 1024 / 1024} MB`, { field: 'file' });
    }
    if (size === 0) throw new DomainError('VALIDATION_FAILED', 'file: is empty', { field: 'file' });
    const mime = sniffImage(head);
    if (!mime) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'file: not an image (JPEG, PNG, WebP, GIF or HEIC accepted)', { field: 'file' });
    }
    const name = `${id}.${EXTENSION[mime]}`;
    fs.renameSync(tmp, path.join(dir, name));
    const rec = {
      id, case_id: null, filename: file.filename.slice(0, 200), mime, size, sha256: hash.digest('hex'),
      path: path.join(rel, name), created_by: actorId, created_at: now,
    };
    await ctx.store.transaction(async (tx) => {
      await tx.attachments.insert(rec);
      await tx.outbox.append(configEvent('attachment.created', { id, mime, size }, now));
    });
    return { id, filename: rec.filename, mime, size, sha256: rec.sha256, createdAt: now };
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Removes uploads that never became part of a case: the photos of a refused report (the patrol channel stores them
 * while it reads the form, before it knows whether the report is accepted), or, from the cleanup job, uploads left
 * unattached longer than a grace period. Only rows still without a case are removed; their files go with them.
 * Returns how many were removed.
 */
export async function discardUnattached(ctx: AppContext, q: { ids: string[] } | { olderThan: number; limit?: number }): Promise<number> {
  const rows = await ctx.store.attachments.findUnattached(q);
  if (!rows.length) return 0;
  const n = await ctx.store.attachments.deleteUnattached(rows.map((x) => x.id));
  for (const x of rows) fs.rmSync(path.join(ctx.config.dataDir, x.path), { force: true });
  return n;
}
