/**
 * Patrol reports that could not be sent yet (待发送): kept in IndexedDB with their photos as Blobs, each with its own
 * Idempotency-Key chosen when the report was filed, and sent by one sender at a time — on filing, when the browser
 * comes back online ('online' event), and on a retry timer with back-off (2 s … 2 min). A report is deleted from
 * the store only after the server answered 201; a refusal (4xx other than 401/408/429) is kept, marked, for the
 * user to read and discard — it would be refused again.
 *
 * One sender per browser: a module-level flag, and navigator.locks across tabs, so a draft is never posted twice
 * concurrently.
 */
import { api, isApiError, type ApiError, type ResponseOf } from '../../app/api.ts';

/** A report's fields as the phone keeps them (sent as multipart form fields, which the OpenAPI document does not describe). */
export interface DraftFields {
  matterCode: string;
  description: string;
  lon: number;
  lat: number;
  selfFixed: boolean;
  result?: string;
}

export interface Draft {
  id: string;
  /** Sent as Idempotency-Key on every attempt. */
  key: string;
  createdAt: string;
  fields: DraftFields;
  /** Label for the list (matter name). */
  matterName?: string;
  photos: { name: string; type: string; blob: Blob }[];
  attempts: number;
  /** Set when the server refused it (not retried). */
  refused?: { code: string; message: string; field?: string };
  lastError?: string;
}

/** What POST /api/v1/patrol/reports answers: the case, with selfFixed (and selfFixError when self-fix was refused). */
export type SentReport = ResponseOf<'/api/v1/patrol/reports', 'post'>;

const DB = 'cityops-mobile';
const STORE = 'patrol-drafts';

// ---- storage ---------------------------------------------------------------------------------------------

let dbPromise: Promise<IDBDatabase> | undefined;
function openDb(): Promise<IDBDatabase> {
  dbPromise ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => { req.result.createObjectStore(STORE, { keyPath: 'id' }); };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB unavailable'));
  });
  dbPromise.catch(() => { dbPromise = undefined; });
  return dbPromise;
}

async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | undefined): Promise<T | undefined> {
  const db = await openDb();
  return new Promise<T | undefined>((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const r = fn(t.objectStore(STORE));
    t.oncomplete = () => resolve(r?.result);
    t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
    t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export async function listDrafts(): Promise<Draft[]> {
  const all = (await tx<Draft[]>('readonly', (s) => s.getAll() as IDBRequest<Draft[]>)) ?? [];
  return all.sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
}
const putDraft = (d: Draft) => tx('readwrite', (s) => s.put(d));
export const deleteDraft = async (id: string) => { await tx('readwrite', (s) => s.delete(id)); await changed(); };

// ---- change notification ----------------------------------------------------------------------------------

type Listener = (drafts: Draft[]) => void;
const listeners = new Set<Listener>();
let last: Draft[] = [];
async function changed(): Promise<void> {
  try { last = await listDrafts(); } catch { /* keep the last list */ }
  listeners.forEach((l) => l(last));
}
export function subscribeDrafts(l: Listener): () => void {
  listeners.add(l);
  l(last);
  void changed();
  return () => { listeners.delete(l); };
}

// ---- sending ---------------------------------------------------------------------------------------------

/** Sends one draft (multipart, with its Idempotency-Key). */
function post(d: Draft): Promise<SentReport> {
  const fd = new FormData();
  fd.set('matterCode', d.fields.matterCode);
  fd.set('description', d.fields.description);
  fd.set('lon', d.fields.lon.toFixed(6));
  fd.set('lat', d.fields.lat.toFixed(6));
  if (d.fields.selfFixed) { fd.set('selfFixed', 'true'); fd.set('result', d.fields.result ?? ''); }
  for (const p of d.photos) fd.append('photo', new File([p.blob], p.name, { type: p.type }));
  return api.upload('/api/v1/patrol/reports', fd, { idempotencyKey: d.key });
}

/** Worth trying again later: no connection, a server hiccup, a timeout or rate limit, or the session expired. */
const transient = (e: unknown) => !isApiError(e) || e.status === 0 || e.status >= 500 || [401, 408, 429].includes(e.status);

let running: Promise<void> | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let backoff = 2_000;
const sentListeners = new Set<(d: Draft, r: SentReport) => void>();
export function onDraftSent(l: (d: Draft, r: SentReport) => void): () => void {
  sentListeners.add(l);
  return () => { sentListeners.delete(l); };
}

async function sendAll(): Promise<void> {
  let failedTransient = false;
  for (const d of await listDrafts()) {
    if (d.refused) continue;
    try {
      const r = await post(d);
      await tx('readwrite', (s) => s.delete(d.id));
      sentListeners.forEach((l) => l(d, r));
    } catch (e) {
      if (transient(e)) {
        await putDraft({ ...d, attempts: d.attempts + 1, lastError: isApiError(e) ? e.code : String(e) });
        failedTransient = true;
        break; // the connection is down: the others would fail too
      }
      const err = e as ApiError;
      await putDraft({ ...d, attempts: d.attempts + 1, refused: { code: err.code, message: err.message, field: err.field } });
    }
    await changed();
  }
  await changed();
  clearTimeout(retryTimer);
  if (failedTransient) {
    retryTimer = setTimeout(() => void flushDrafts(), backoff);
    backoff = Math.min(backoff * 2, 120_000);
  } else backoff = 2_000;
}

/** Sends every pending draft, oldest first; concurrent calls share one run. */
export function flushDrafts(): Promise<void> {
  if (running) return running;
  const run: Promise<void> = withLock(sendAll)
    .catch((e: unknown) => { console.warn('drafts:', e); })
    .finally(() => { if (running === run) running = undefined; });
  running = run;
  return run;
}

/** Runs `fn` holding the browser-wide drafts lock (all tabs), or directly where Web Locks are missing. */
function withLock(fn: () => Promise<void>): Promise<void> {
  const locks = (navigator as unknown as { locks?: { request: (name: string, cb: () => Promise<void>) => Promise<unknown> } }).locks;
  return locks ? (locks.request('cityops-patrol-drafts', fn) as Promise<void>) : fn();
}

/**
 * Files a report: stored first (so closing the page cannot lose it), then sent at once.
 * Resolves `sent` with the server's answer, or `draft` when it stays queued; throws the ApiError of a refusal
 * (the draft is then removed: the form shows the error and keeps what was typed).
 */
export async function fileReport(fields: DraftFields, photos: File[], key: string, matterName?: string):
Promise<{ status: 'sent'; report: SentReport | null } | { status: 'draft'; draft: Draft }> {
  const d: Draft = {
    id: key, key, createdAt: new Date().toISOString(), fields, matterName, attempts: 0,
    photos: photos.map((f) => ({ name: f.name || 'photo.jpg', type: f.type || 'image/jpeg', blob: f })),
  };
  let stored = true;
  try { await putDraft(d); } catch { stored = false; }
  await changed();
  // Wait for a run already going (it may be sending older drafts), then send this one ourselves.
  if (running) await running;
  try {
    const report = await (stored ? sendOne(d) : post(d));
    // null: the background sender sent it first (its answer went to onDraftSent listeners)
    return { status: 'sent', report: report === GONE ? null : report };
  } catch (e) {
    if (transient(e) && stored) {
      await putDraft({ ...d, attempts: 1, lastError: isApiError(e) ? e.code : String(e) });
      await changed();
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => void flushDrafts(), backoff);
      return { status: 'draft', draft: d };
    }
    if (stored) await deleteDraft(d.id);
    throw e;
  }
}

const GONE = Symbol('gone');
/** Sends one stored draft under the sender's lock and deletes it on success; GONE when another run already sent it. */
async function sendOne(d: Draft): Promise<SentReport | typeof GONE> {
  let out: SentReport | typeof GONE | undefined;
  let err: unknown;
  const run = async () => {
    const still = (await listDrafts()).find((x) => x.id === d.id);
    if (!still) { out = GONE; return; }
    try {
      out = await post(d);
      await tx('readwrite', (s) => s.delete(d.id));
      await changed();
    } catch (e) { err = e; }
  };
  const mine: Promise<void> = withLock(run).finally(() => { if (running === mine) running = undefined; });
  running = mine;
  await mine;
  if (out) return out;
  throw err;
}

let started = false;
/** Starts the background sender once per page: on 'online', and now for whatever is left from before. */
export function startDraftSender(): void {
  if (started || typeof window === 'undefined') return;
  started = true;
  window.addEventListener('online', () => { backoff = 2_000; void flushDrafts(); });
  void flushDrafts();
}
