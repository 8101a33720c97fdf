/**
 * The security headers of every response, computed once and set in one call per request (a per-request helmet
 * middleware chain cost ~20 µs a request, 3–4 % of a case creation's CPU). A route may override one (Open311's
 * published photos say `Cross-Origin-Resource-Policy: cross-origin`).
 */
import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy. Everything comes from this server (no CDN, no internet at run time): the console's
 * scripts, MapLibre's worker (a same-origin module, blob: for what it spawns), the live stream and the API
 * (connect-src). Inline style attributes stay allowed (React, MapLibre and Swagger UI set element styles; the
 * landing page has a <style>); inline scripts do not. Nobody may frame us (clickjacking).
 */
export const CONTENT_SECURITY_POLICY: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'child-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

export function securityHeaders(opts: { https: boolean }): Readonly<Record<string, string>> {
  return {
    'content-security-policy': Object.entries(CONTENT_SECURITY_POLICY).map(([k, v]) => `${k} ${v.join(' ')}`).join('; '),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'cross-origin-resource-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'x-dns-prefetch-control': 'off',
    'x-permitted-cross-domain-policies': 'none',
    // Browsers ignore HSTS over plain HTTP; behind HTTPS (COOKIE_SECURE=1) it keeps them on HTTPS.
    ...(opts.https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** Sets the headers on every response: routes, the 404 handler, errors (computed once, by the caller). */
export function registerSecurityHeaders(app: FastifyInstance, headers: Readonly<Record<string, string>>): void {
  app.addHook('onRequest', async (_req, reply) => { reply.headers(headers); });
}
