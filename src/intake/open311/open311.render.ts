/**
 * Rendering a list of service requests from per-request fragments.
 *
 * A 1,000-request list is mostly the same requests from one poll to the next, and presenting + serialising each
 * request is most of a list's cost (the query is ~3.5 ms, the render ~8 ms on 1,000 items). So each request's
 * rendered fragment (JSON object or XML element) is kept, keyed by everything it is made of: the format, the case's
 * id and `updated_at` (every change to a case moves it), its master's id and `updated_at` for a duplicate, and the
 * reference data snapshot (matter and unit names; a new snapshot starts a new cache). The list itself is read
 * narrow (id, updated_at, master), whole rows only for the requests not rendered yet, and the answer is the fragments
 * joined — byte for byte what rendering the whole document gives.
 */
import type { ReferenceData } from '../../runtime/reference-cache.ts';
import type { Open311CaseRow, Open311ListKey } from '../../storage/repositories/open311.repository.ts';
import { presentRequest } from './open311.presenter.ts';
import type { Cancellation } from './open311.status.ts';
import { ITEM_NAMES, XML_DECLARATION, toXmlElement } from './open311.xml.ts';
import type { Format } from './open311.format.ts';

/** Fragments kept per reference snapshot; about 0.5 KB each, so ~20 MB at most. */
const MAX_FRAGMENTS = 40_000;
const caches = new WeakMap<ReferenceData, Map<string, string>>();

/** Reads the list needs: whole rows by id, and why cancelled cases were cancelled (status_notes says it). */
export interface RequestLoaders {
  rows(ids: number[]): Promise<Open311CaseRow[]>;
  cancellations(caseIds: number[]): Promise<Map<number, Cancellation>>;
}

export async function renderRequestList(
  format: Format, keys: Open311ListKey[], load: RequestLoaders,
  masters: Map<number, Open311CaseRow>, ref: ReferenceData, utcOffsetMinutes: number,
): Promise<string> {
  let cache = caches.get(ref);
  if (!cache) caches.set(ref, (cache = new Map()));
  const keyOf = (k: { id: number; updated_at: number; master_case_id: number | null }) => {
    const master = k.master_case_id === null ? undefined : masters.get(k.master_case_id);
    return `${format}|${k.id}|${k.updated_at}|${master ? `${master.id}:${master.updated_at}` : ''}|${utcOffsetMinutes}`;
  };
  const parts: (string | undefined)[] = keys.map((k) => cache!.get(keyOf(k)));
  const missing = keys.filter((_, i) => parts[i] === undefined).map((k) => k.id);
  if (missing.length) {
    // Only the requests not rendered yet are read whole (a case changed since the list was read renders as it is now).
    const rows = new Map((await load.rows(missing)).map((r) => [r.id, r]));
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
      const frag = format === 'xml' ? toXmlElement(item, dto as never) : JSON.stringify(dto);
      if (cache!.size >= MAX_FRAGMENTS) cache!.clear();
      cache!.set(keyOf(r), frag);
      parts[i] = frag;
    });
  }
  const done = parts.filter((x): x is string => x !== undefined);
  return format === 'xml'
    ? `${XML_DECLARATION}<service_requests>${done.join('')}</service_requests>`
    : `[${done.join(',')}]`;
}
