/**
 * Rendering a list of service requests from per-request fragments.
 *
 * A 1,000-request list is mostly the same requests from one poll to the next, and presenting + serialising each
 * request is most of a list's cost (the query is ~3.5 ms, the render ~8 ms on 1,000 items). So each request's
 * rendered fragment (JSON object or XML element) is kept, keyed by everything it is made of: the format, the case's
 * id and `updated_at` (every change to a case moves it), its master's id and `updated_at` for a duplicate, and the
 * reference data snapshot (matter and unit names; a new snapshot starts a new cache). A list is then the fragments
 * joined — byte for byte what rendering the whole document gives.
 */
import type { ReferenceData } from '../../core/reference.ts';
import type { Open311CaseRow } from '../../storage/repositories/open311.repository.ts';
import { presentRequest } from './open311.presenter.ts';
import { ITEM_NAMES, XML_DECLARATION, toXmlElement } from './open311.xml.ts';
import type { Format } from './open311.format.ts';

/** Fragments kept per reference snapshot; about 0.5 KB each, so ~20 MB at most. */
const MAX_FRAGMENTS = 40_000;
const caches = new WeakMap<ReferenceData, Map<string, string>>();

export function renderRequestList(
  format: Format, rows: Open311CaseRow[], masters: Map<number, Open311CaseRow>, ref: ReferenceData, utcOffsetMinutes: number,
): string {
  let cache = caches.get(ref);
  if (!cache) caches.set(ref, (cache = new Map()));
  const item = ITEM_NAMES.service_requests;
  const parts: string[] = [];
  for (const r of rows) {
    const master = r.master_case_id === null ? undefined : masters.get(r.master_case_id);
    const key = `${format}|${r.id}|${r.updated_at}|${master ? `${master.id}:${master.updated_at}` : ''}|${utcOffsetMinutes}`;
    let frag = cache.get(key);
    if (frag === undefined) {
      const dto = presentRequest(r, ref, utcOffsetMinutes, master);
      frag = format === 'xml' ? toXmlElement(item, dto as never) : JSON.stringify(dto);
      if (cache.size >= MAX_FRAGMENTS) cache.clear();
      cache.set(key, frag);
    }
    parts.push(frag);
  }
  return format === 'xml'
    ? `${XML_DECLARATION}<service_requests>${parts.join('')}</service_requests>`
    : `[${parts.join(',')}]`;
}
