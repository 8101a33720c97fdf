/**
 * Sending a fuzz request through Fastify's inject, and judging the answer:
 *  - no status >= 500 (and no request that hangs or makes inject throw);
 *  - every 4xx body is `{ error: { code: string, message: string } }` as JSON — Open311 routes instead answer
 *    GeoReport v2 errors: a JSON array of `{ code, description }`, or `<errors><error><code/><description/>` XML;
 *  - no unexpected error logged by the server behind a non-5xx answer (the Open311 handler turns unexpected
 *    errors into 400 "General service error" and logs them: that is a fault too).
 * Failures are collected (not thrown) and deduplicated by operation, status, kind and server-side message.
 */
import { createHook } from 'node:async_hooks';
import type { FuzzRequest } from './arbitraries.ts';

export interface LoggedError { level: string; message: string; stack?: string }

export interface Outcome {
  status: number;
  contentType: string;
  body: string;
  logged: LoggedError[];
  timedOut?: boolean;
  threw?: string;
  /** Intervals a streaming handler left running after the client disconnected (cleared by the test afterwards). */
  leaked?: { every: number; stack: string }[];
  ms: number;
}

interface Injectable {
  inject(opts: any): Promise<any>;
  log: any;
}

// --- server-side error capture -------------------------------------------------------------------------------
// Built without a logger, Fastify logs through `abstract-logging` — one shared object whose child() is itself —
// so wrapping its methods on `app.log` sees every `req.log.error({ err }, …)` of every route and plugin.
let current: LoggedError[] | null = null;
const patched = new WeakSet<object>();

function errorOf(args: unknown[]): { message: string; stack?: string } {
  const [a, b] = args as [any, any];
  const err = a instanceof Error ? a : a?.err instanceof Error ? a.err : a?.error instanceof Error ? a.error : undefined;
  if (err) return { message: `${err.name ?? 'Error'}${err.code ? ` [${err.code}]` : ''}: ${err.message}`, stack: err.stack };
  return { message: typeof a === 'string' ? a : typeof b === 'string' ? b : JSON.stringify(a)?.slice(0, 300) ?? String(a) };
}

export function captureServerLogs(app: Injectable): () => void {
  const log = app.log;
  if (patched.has(log)) return () => {};
  patched.add(log);
  const saved: Record<string, unknown> = {};
  for (const level of ['error', 'fatal', 'warn'] as const) {
    saved[level] = log[level];
    log[level] = (...args: unknown[]) => {
      if (current) current.push({ level, ...errorOf(args) });
    };
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) log[k] = v;
    patched.delete(log);
  };
}

// --- timers left behind by a stream ---------------------------------------------------------------------------
// While a streaming request is in flight, every timer created is recorded (with where it was created); an
// interval still running once the client has gone is a leak: reported, then cleared so the test process can exit.
let timers: Map<number, { t: any; stack: string }> | null = null;
const timerHook = createHook({
  init(id, type, _trigger, resource) { if (timers && type === 'Timeout') timers.set(id, { t: resource, stack: new Error().stack ?? '' }); },
  destroy(id) { timers?.delete(id); },
});
const liveIntervals = () => [...(timers?.values() ?? [])].filter(({ t }) => t._repeat && !t._destroyed);

async function leftRunning(graceMs: number): Promise<{ every: number; stack: string }[]> {
  const until = Date.now() + graceMs;
  while (Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
  const leaked = liveIntervals();
  for (const { t } of leaked) clearInterval(t);
  return leaked.map(({ t, stack }) => ({ every: t._repeat as number, stack }));
}

// --- sending ----------------------------------------------------------------------------------------------------
let xff = 0;
/** Sends one request. The client address changes every time so the per-address rate limits do not mask faults. */
export async function send(app: Injectable, req: FuzzRequest, timeoutMs = 10_000): Promise<Outcome> {
  const logged: LoggedError[] = [];
  current = logged;
  const t0 = Date.now();
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
  if (req.streaming) { timers = new Map(); timerHook.enable(); }
  try {
    const n = ++xff;
    const headers = { 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, ...req.headers };
    const res = await Promise.race([
      app.inject({ method: req.method, url: req.url, headers, payload: req.payload, payloadAsStream: true, signal: ac.signal }),
      timeout,
    ]);
    if (res === 'timeout') {
      ac.abort();
      return { status: 0, contentType: '', body: '', logged, timedOut: true, ms: Date.now() - t0 };
    }
    const contentType = String(res.headers['content-type'] ?? '');
    const chunks: Buffer[] = [];
    const stream = res.stream();
    stream.on('error', () => {});
    if (contentType.startsWith('text/event-stream')) {
      // A live stream never ends: its status and first chunk are the answer; then the client goes away.
      const first = await Promise.race([new Promise<Buffer>((resolve) => stream.once('data', resolve)), timeout]);
      if (first !== 'timeout') chunks.push(Buffer.from(first));
      ac.abort();
      const leaked = req.streaming ? await leftRunning(75) : [];
      return { status: res.statusCode, contentType, body: Buffer.concat(chunks).toString('utf8'), logged, ms: Date.now() - t0, ...(leaked.length ? { leaked } : {}) };
    }
    const done = (async () => { for await (const c of stream) chunks.push(Buffer.from(c)); return 'done' as const; })();
    if ((await Promise.race([done, timeout])) === 'timeout') {
      ac.abort();
      return { status: res.statusCode, contentType, body: Buffer.concat(chunks).toString('utf8'), logged, timedOut: true, ms: Date.now() - t0 };
    }
    return { status: res.statusCode, contentType, body: Buffer.concat(chunks).toString('utf8'), logged, ms: Date.now() - t0 };
  } catch (e) {
    return { status: 0, contentType: '', body: '', logged, threw: e instanceof Error ? `${e.name}: ${e.message}` : String(e), ms: Date.now() - t0 };
  } finally {
    clearTimeout(timer);
    if (req.streaming) { timerHook.disable(); timers = null; }
    // Errors logged just after the answer (onResponse hooks) still belong to this request.
    await new Promise((resolve) => setImmediate(resolve));
    current = null;
  }
}

// --- judging ------------------------------------------------------------------------------------------------------
export type FailureKind = '5xx' | 'error-shape' | 'open311-error-shape' | 'logged-error' | 'timeout' | 'inject-threw' | 'leak';

/** routerLevel: Fastify refused the URL before any route matched (bad escapes, over-long parameters): one fault for every path. */
export interface Verdict { kind: FailureKind; signature: string; routerLevel?: boolean }

const ROUTER_ERRORS = /code=(FST_ERR_BAD_URL|FST_ERR_MAX_PARAM_LENGTH|FST_ERR_ASYNC_CONSTRAINT)\b/;

const parse = (s: string): any => { try { return JSON.parse(s); } catch { return undefined; } };

/** A message with its variable parts (quoted values, numbers) blanked, so one fault is one line. */
export function normalize(m: string): string {
  return m.replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '"…"').replace(/\b0x[0-9a-f]+\b/gi, '0x…').replace(/\d+(\.\d+)?/g, 'N').replace(/\s+/g, ' ').trim().slice(0, 160);
}

function describeBody(contentType: string, body: string): string {
  const ct = contentType.split(';')[0] || 'no content-type';
  const j = parse(body);
  if (j === undefined) return `${ct}, not JSON: ${JSON.stringify(body.slice(0, 60))}`;
  if (Array.isArray(j)) return `${ct}, JSON array`;
  if (j && typeof j === 'object') {
    const extra = typeof j.code === 'string' ? ` code=${j.code}` : '';
    return `${ct}, {${Object.keys(j).sort().join(',')}}${extra}`;
  }
  return `${ct}, JSON ${typeof j}`;
}

const OPEN311_XML = /^<\?xml version="1\.0" encoding="utf-8"\?><errors>(<error><code>\d{3}<\/code><description>[^<]*<\/description><\/error>)+<\/errors>\s*$/;

export function judge(req: FuzzRequest, o: Outcome): Verdict[] {
  const out: Verdict[] = [];
  const errs = o.logged.filter((l) => l.level === 'error' || l.level === 'fatal');
  const serverSays = errs.length ? normalize(errs[0].message) : '';
  if (o.threw) return [{ kind: 'inject-threw', signature: normalize(o.threw) }];
  if (o.timedOut) return [{ kind: 'timeout', signature: `no complete answer within the time limit (status ${o.status || 'none'})` }];
  if (o.status >= 500) {
    out.push({ kind: '5xx', signature: serverSays || `(nothing logged) ${describeBody(o.contentType, o.body)}` });
    return out;
  }
  if (errs.length) out.push({ kind: 'logged-error', signature: serverSays });
  if (o.leaked?.length) {
    const where = sourceFrame(o.leaked[0].stack.split('\n').filter((l) => !l.includes('/test/fuzz/')).join('\n'));
    out.push({ kind: 'leak', signature: `setInterval(…, ${o.leaked[0].every}) still running after the client disconnected${where ? ` (created at ${where})` : ''}` });
  }
  if (o.status >= 400) {
    if (req.open311) {
      const ct = o.contentType;
      let ok = false;
      if (ct.startsWith('application/json')) {
        const j = parse(o.body);
        ok = Array.isArray(j) && j.length > 0 && j.every((e) => e && typeof e.code === 'number' && typeof e.description === 'string');
      } else if (ct.startsWith('text/xml')) {
        ok = OPEN311_XML.test(o.body);
      }
      if (!ok) out.push({ kind: 'open311-error-shape', signature: describeBody(o.contentType, o.body) });
    } else {
      const j = parse(o.body);
      const ok = o.contentType.startsWith('application/json') && j && typeof j === 'object' && j.error && typeof j.error === 'object'
        && typeof j.error.code === 'string' && typeof j.error.message === 'string';
      if (!ok) out.push({ kind: 'error-shape', signature: describeBody(o.contentType, o.body) });
    }
  }
  return out.map((v) => (ROUTER_ERRORS.test(v.signature) ? { ...v, routerLevel: true } : v));
}

// --- collecting and reporting -------------------------------------------------------------------------------------
export interface FailureRecord {
  method: string;
  template: string;
  status: number;
  kind: FailureKind;
  signature: string;
  count: number;
  example: FuzzRequest;
  outcome: Outcome;
}

const payloadSize = (r: FuzzRequest) => (r.payload === undefined ? 0 : typeof r.payload === 'string' ? r.payload.length : r.payload.length);
const reproSize = (r: FuzzRequest) => r.url.length + payloadSize(r) + r.notes.join('').length;

/** The first frame in our own source (src/…) of a logged stack, e.g. `src/intake/photo-form.ts:21`. */
export function sourceFrame(stack: string | undefined): string {
  if (!stack) return '';
  for (const line of stack.split('\n').slice(1)) {
    const m = /\/(src\/[^:)]+:\d+)/.exec(line);
    if (m && !line.includes('node_modules')) return m[1];
  }
  const first = stack.split('\n').slice(1).find((l) => l.includes('node_modules/'));
  const m = first && /node_modules\/((?:@[^/]+\/)?[^/]+)\/([^:)]+:\d+)/.exec(first);
  return m ? `${m[1]}/${m[2]}` : '';
}

export class FailureLog {
  readonly records = new Map<string, FailureRecord>();
  requests = 0;
  readonly statuses = new Map<number, number>();

  note(req: FuzzRequest, o: Outcome): void {
    this.requests++;
    this.statuses.set(o.status, (this.statuses.get(o.status) ?? 0) + 1);
    for (const v of judge(req, o)) {
      const method = v.routerLevel ? '*' : req.method;
      const template = v.routerLevel ? `(router: any path${req.open311 ? ' under /open311' : ''})` : req.template;
      const key = `${method} ${template}|${o.status}|${v.kind}|${v.signature}`;
      const prev = this.records.get(key);
      if (!prev) this.records.set(key, { method, template, status: o.status, kind: v.kind, signature: v.signature, count: 1, example: req, outcome: o });
      else {
        prev.count++;
        if (reproSize(req) < reproSize(prev.example)) { prev.example = req; prev.outcome = o; }
      }
    }
  }

  get size(): number { return this.records.size; }

  sorted(): FailureRecord[] {
    return [...this.records.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.template.localeCompare(b.template) || a.method.localeCompare(b.method) || a.status - b.status);
  }

  /** One line per (operation, status, kind, server message), then one minimal example each. */
  table(title: string): string {
    const rows = this.sorted();
    const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
    const lines = [`${title}: ${rows.length} distinct failure(s) in ${this.requests} requests`, ''];
    const w = Math.min(60, Math.max(...rows.map((r) => r.template.length), 13));
    lines.push(`${'#'.padStart(3)}  ${'METHOD'.padEnd(6)}  ${'PATH TEMPLATE'.padEnd(w)}  STATUS  ${'KIND'.padEnd(19)}  ${'N'.padStart(4)}  SERVER / BODY`);
    rows.forEach((r, i) => {
      lines.push(`${String(i + 1).padStart(3)}  ${r.method.padEnd(6)}  ${cut(r.template, w).padEnd(w)}  ${String(r.status || '-').padEnd(6)}  ${r.kind.padEnd(19)}  ${String(r.count).padStart(4)}  ${cut(r.signature, 110)}`);
    });
    lines.push('', 'Minimal examples (smallest request seen for each line):');
    rows.forEach((r, i) => lines.push(...describeExample(i + 1, r)));
    return lines.join('\n');
  }

  /** The same failures grouped by fault (kind + server message) across operations, with where each one threw: what to fix. */
  faults(): string {
    const by = new Map<string, FailureRecord[]>();
    for (const r of this.records.values()) {
      const k = `${r.kind} | ${r.status || '-'} | ${r.signature}`;
      by.set(k, [...(by.get(k) ?? []), r]);
    }
    const lines = [`${by.size} distinct fault signature(s):`];
    for (const [k, rs] of [...by.entries()].sort((a, b) => b[1].length - a[1].length)) {
      lines.push(`  • ${k}`);
      for (const r of rs) {
        const frame = sourceFrame(r.outcome.logged[0]?.stack ?? r.outcome.leaked?.[0]?.stack);
        lines.push(`      ${r.method} ${r.template}${frame ? `  @ ${frame}` : ''}`);
      }
    }
    return lines.join('\n');
  }

  toJSON() {
    return this.sorted().map((r) => ({
      method: r.method, template: r.template, status: r.status, kind: r.kind, signature: r.signature, count: r.count,
      example: {
        method: r.example.method, url: r.example.url, headers: r.example.headers, principal: r.example.principal, notes: r.example.notes,
        payloadBase64: r.example.payload === undefined ? undefined : Buffer.from(r.example.payload).toString('base64'),
        payloadText: r.example.payload === undefined ? undefined : Buffer.from(r.example.payload).toString('utf8').slice(0, 2000),
      },
      response: { status: r.outcome.status, contentType: r.outcome.contentType, body: r.outcome.body.slice(0, 1000) },
      server: r.outcome.logged.map((l) => ({ level: l.level, message: l.message, stack: l.stack?.split('\n').slice(0, 12).join('\n') })),
      leaked: r.outcome.leaked?.map((l) => ({ every: l.every, stack: l.stack.split('\n').slice(0, 12).join('\n') })),
    }));
  }
}

export function describeExample(n: number, r: FailureRecord): string[] {
  const e = r.example;
  const show = (s: string, max: number) => {
    const j = JSON.stringify(s);
    return j.length > max ? `${j.slice(0, max)}…" (${s.length} chars)` : j;
  };
  const hdrs = Object.entries(e.headers).filter(([k]) => k !== 'cookie' && k !== 'authorization' && k !== 'x-csrf-token').map(([k, v]) => `${k}: ${show(v, 80)}`);
  const out = [`#${n} ${e.method} ${show(e.url, 160)}  as ${e.principal}${e.notes.length ? `  [${e.notes.join('; ')}]` : ''}`];
  if (hdrs.length) out.push(`     headers: ${hdrs.join(', ')}`);
  if (e.payload !== undefined) out.push(`     body: ${show(Buffer.from(e.payload).toString('utf8'), 220)}`);
  out.push(`     → ${r.outcome.status || '-'} ${r.outcome.contentType.split(';')[0]} ${show(r.outcome.body, 160)}`);
  if (r.outcome.leaked?.length) out.push(`     leaked: ${r.outcome.leaked.length} interval(s), every ${r.outcome.leaked[0].every} ms`);
  for (const l of r.outcome.logged.slice(0, 2)) out.push(`     server ${l.level}: ${l.message.slice(0, 200)}${sourceFrame(l.stack) ? `  @ ${sourceFrame(l.stack)}` : ''}`);
  return out;
}
