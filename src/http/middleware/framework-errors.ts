/**
 * Errors Fastify's router raises before any route is found (a malformed `%` escape in the path, a path parameter
 * beyond the length limit, a failing route constraint) in our shape — `{"error":{code,message}}`, or Open311's
 * error document under /open311/ — and without echoing the path back (a 414 used to repeat the whole of it).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { formatOfUrl, sendErrors } from '../../intake/open311/open311.format.ts';

const MESSAGES: Record<string, { status: number; message: string }> = {
  FST_ERR_BAD_URL: { status: 400, message: 'path: is not a valid URL (a malformed %-escape)' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, message: 'path: a path segment is longer than allowed' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, message: 'request: does not meet the route\'s constraints' },
};

export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const known = MESSAGES[err.code] ?? { status: 400, message: 'request: could not be routed' };
  const url = req.raw.url ?? '';
  if (url.startsWith('/open311/')) {
    sendErrors(reply, formatOfUrl(url), known.status === 414 ? 400 : known.status, [known.message]);
    return;
  }
  reply.status(known.status).send({ error: { code: 'VALIDATION_FAILED', message: known.message, field: 'path' } });
}
