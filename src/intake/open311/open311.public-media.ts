/**
 * Photos published in the update feed (servicerequestupdates): the evidence of a fix that a unit or an inspector
 * attached at a step (dispose, check_pass, self_fix), on cases whose content is public (PUBLIC_TEXT_CHANNELS).
 *
 * They are served without credentials at capability URLs, `/open311/v2/media/{attachmentId}/{signature}`, where the
 * signature is an HMAC of the attachment id under a key made once per installation (migration 011). Only the feed
 * hands the URLs out, so only photos it decided to publish can be fetched; every other attachment (a citizen's own
 * photo, a hotline case's, a verification photo that may show people) has no valid URL and answers 404 like an
 * unknown one. The case's channel is checked again when a photo is served.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../runtime/context.ts';
import type { Store } from '../../storage/store.ts';
import { notFound311 } from './open311.format.ts';
import { PUBLIC_TEXT_CHANNELS } from './open311.presenter.ts';

/** The steps whose photos show the fix (not the problem, which may show people or number plates). */
export const PUBLISHED_PHOTO_ACTIONS: ReadonlySet<string> = new Set(['dispose', 'check_pass', 'self_fix']);

const secrets = new WeakMap<Store, Promise<string>>();

function secretOf(store: Store): Promise<string> {
  let p = secrets.get(store);
  if (!p) {
    p = store.settings.read('open311_media_secret').then((v) => {
      if (typeof v !== 'string' || v.length < 32) throw new Error('open311_media_secret is missing (migration 011)');
      return v;
    });
    p.catch(() => secrets.delete(store));
    secrets.set(store, p);
  }
  return p;
}

const sign = (secret: string, attachmentId: string): string =>
  crypto.createHmac('sha256', secret).update(`open311-media:${attachmentId}`).digest('base64url').slice(0, 32);

/** A signer for one request: attachment id → its public URL under `baseUrl`. */
export async function mediaSigner(ctx: AppContext, baseUrl: string): Promise<(attachmentId: string) => string> {
  const secret = await secretOf(ctx.store);
  return (id) => `${baseUrl}/open311/v2/media/${encodeURIComponent(id)}/${sign(secret, id)}`;
}

/** GET /open311/v2/media/{id}/{signature}: the photo, or 404 for anything not published (no hint which). */
export async function sendPublicMedia(ctx: AppContext, reply: FastifyReply, id: string, signature: string): Promise<FastifyReply> {
  const gone = () => notFound311('No such media / 无此媒体文件');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id) || !/^[A-Za-z0-9_-]{32}$/.test(signature)) throw gone();
  const expected = Buffer.from(sign(await secretOf(ctx.store), id));
  if (!crypto.timingSafeEqual(expected, Buffer.from(signature))) throw gone();
  const a = await ctx.store.attachments.find(id);
  const c = a && a.case_id !== null ? await ctx.store.cases.findCase(Number(a.case_id)) : undefined;
  if (!a || !c || !PUBLIC_TEXT_CHANNELS.has(c.channel)) throw gone();
  const file = path.join(ctx.config.dataDir, a.path);
  if (!fs.existsSync(file)) throw gone();
  reply.header('content-type', a.mime).header('cache-control', 'public, max-age=86400').header('x-content-type-options', 'nosniff')
    // Published for other sites (FixMyStreet shows media_url in its pages): readable across origins.
    .header('cross-origin-resource-policy', 'cross-origin');
  return reply.send(fs.createReadStream(file) as never);
}
