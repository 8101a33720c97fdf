/**
 * Rendering a list of service requests from per-request fragments.
 *
 * A 1,000-request list is mostly the same requests from one poll to the next, and presenting + serialising each
 * request is most of a list's cost (the query is ~3.5 ms, the render ~8 ms on 1,000 items). So each request's
 * rendered fragment (JSON object or XML element) is kept, keyed by everything it is made of: the format, the case's
 * id and `updated_at` (every change to a case moves it), its master's id and `updated_at` for a duplicate, and the
 * reference data snapshot (matter and unit names; a new snapshot starts a new cache). The list itself is read
 * narrow (id, updated_at, master and the master's updated_at), whole rows only for the requests not rendered yet,
 * and the answer is the encoded fragments concatenated — byte for byte what rendering the whole document gives.
 */
import type { ReferenceData } from '../../runtime/reference-cache.ts';
import type { Open311CaseRow, Open311ListKey } from '../../storage/repositories/open311.repository.ts';
import { presentRequest } from './open311.presenter.ts';
import type { Cancellation } from './open311.status.ts';
import { ITEM_NAMES, XML_DECLARATION, toXmlElement } from './open311.xml.ts';
import type { Format } from './open311.format.ts';

/** Fragments kept per reference snapshot and format; about 0.5 KB each, so ~20 MB each at most. */
const MAX_FRAGMENTS = 40_000;

/** One request's rendering and the versions it was made from. */
interface Fragment { updatedAt: number; masterId: number | null; masterUpdatedAt: number | null; body: Buffer }

/**
 * Fragments by reference snapshot, format and UTC offset, then by case id. They are kept UTF-8 encoded: a list is
 * then a concatenation of buffers (a copy), where joining strings made one long string that had to be flattened
 * and encoded again on every response (~5 ms for 1,000 requests). Looked up by number, no key string built.
 */
const caches = new WeakMap<ReferenceData, Map<string, Map<number, Fragment>>>();

function fragmentsOf(ref: ReferenceData, format: Format, utcOffsetMinutes: number): Map<number, Fragment> {
  let byKind = caches.get(ref);
  if (!byKind) caches.set(ref, (byKind = new Map()));
  const kind = `${format}|${utcOffsetMinutes}`;
  let m = byKind.get(kind);
  if (!m) byKind.set(kind, (m = new Map()));
  return m;
}

/** Reads the list needs for the requests not rendered yet: whole rows by id, their masters, why cancelled. */
export interface RequestLoaders {
  rows(ids: number[]): Promise<Open311CaseRow[]>;
  masters(rows: Open311CaseRow[]): Promise<Map<number, Open311CaseRow>>;
  cancellations(caseIds: number[]): Promise<Map<number, Cancellation>>;
}

const FRAME = {
  json: { open: Buffer.from('['), sep: Buffer.from(','), close: Buffer.from(']') },
  xml: { open: Buffer.from(`${XML_DECLARATION}<service_requests>`), sep: Buffer.alloc(0), close: Buffer.from('</service_requests>') },
} as const;

/** The list document as UTF-8 parts: concatenated, byte for byte what rendering the whole document gives. */
export async function renderRequestList(
  format: Format, keys: Open311ListKey[], load: RequestLoaders, ref: ReferenceData, utcOffsetMinutes: number,
): Promise<Buffer[]> {
  const cache = fragmentsOf(ref, format, utcOffsetMinutes);
  const parts: (Buffer | undefined)[] = keys.map((k) => {
    const f = cache.get(k.id);
    return f && f.updatedAt === k.updated_at && f.masterId === k.master_case_id && f.masterUpdatedAt === k.master_updated_at ? f.body : undefined;
  });
  const missing = keys.filter((_, i) => parts[i] === undefined).map((k) => k.id);
  if (missing.length) {
    // Only the requests not rendered yet are read whole (a case changed since the list was read renders as it is now).
    const rows = new Map((await load.rows(missing)).map((r) => [r.id, r]));
    const masters = await load.masters([...rows.values()]);
    // A cancelled case (or a duplicate whose master was cancelled) says why in status_notes.
    const followed = (r: Open311CaseRow) => (r.master_case_id === null ? undefined : masters.get(r.master_case_id)) ?? r;
    const cancelledIds = [...new Set([...rows.values()].map(followed).filter((r) => r.state === 'CANCELLED').map((r) => r.id))];
    const cancellations = cancelledIds.length ? await load.cancellations(cancelledIds) : new Map<number, Cancellation>();
    const item = ITEM_NAMES.service_requests;
    keys.forEach((k, i) => {
      if (parts[i] !== undefined) return;
      const r = rows.get(k.id);
      if (!r) return; // deleted meanwhile (not expected: cases are never deleted)
      const master = r.master_case_id === null ? undefined : masters.get(r.master_case_id);
      const dto = presentRequest(r, ref, utcOffsetMinutes, { master, cancellation: cancellations.get(followed(r).id) ?? null });
      const body = Buffer.from(format === 'xml' ? toXmlElement(item, dto as never) : JSON.stringify(dto));
      if (cache.size >= MAX_FRAGMENTS) cache.clear();
      cache.set(r.id, { updatedAt: r.updated_at, masterId: r.master_case_id, masterUpdatedAt: master?.updated_at ?? null, body });
      parts[i] = body;
    });
  }
  const { open, sep, close } = FRAME[format];
  const out: Buffer[] = [open];
  for (const p of parts) {
    if (p === undefined) continue;
    if (out.length > 1 && sep.length) out.push(sep);
    out.push(p);
  }
  out.push(close);
  return out;
}
