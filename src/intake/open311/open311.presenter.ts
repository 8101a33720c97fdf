/**
 * The public projection of a case as a GeoReport v2 service request (docs/open311.md §1.7):
 * the fine lifecycle (受理/立案/派遣/处置/核查/结案, 挂账, 返工…) becomes open/closed with the fine state in
 * `status_notes` (§1.11 item 2; the mapping and why: open311.status.ts); `updated_datetime` of a closed request is
 * its close time (§1.11 item 4). Whitelist only: reporter names, phones and e-mails are never part of it.
 */
import type { ReferenceData } from '../../runtime/reference-cache.ts';
import type { Open311CaseRow } from '../../storage/repositories/open311.repository.ts';
import { formatDatetime } from './open311.format.ts';
import { coreStatusOf, statusNotesOf, type Cancellation } from './open311.status.ts';

/**
 * Channels whose free text was written to be seen: citizens' own reports (Open311, the app) and the city's own
 * observations (patrol, sensors, video). Hotline, petition, department, media and other reports are listed
 * too (status, place, service, agency), but their description is withheld: a 12345 complaint or a 举报 may
 * name people or carry details the caller told the operator in confidence.
 */
export const PUBLIC_TEXT_CHANNELS: ReadonlySet<string> = new Set(['open311', 'app', 'patrol', 'iot', 'video']);

/** At most this many `media_url` per report (FixMyStreet sends one per photo). */
export const MAX_MEDIA_URLS = 10;

/** How POSTed `media_url`s travel inside the case description (one line at the end, visible to operators). */
const MEDIA_PREFIX = '\n\n媒体链接 / media_url: ';
const MEDIA_SUFFIX_RE = /\n\n媒体链接 \/ media_url: (https?:\/\/\S+(?: https?:\/\/\S+)*)$/;

export const withMediaUrls = (description: string, urls: readonly string[]): string =>
  urls.length ? `${description}${MEDIA_PREFIX}${urls.join(' ')}` : description;

export function splitMediaUrls(description: string): { text: string; mediaUrls: string[] } {
  const m = MEDIA_SUFFIX_RE.exec(description);
  return m ? { text: description.slice(0, m.index), mediaUrls: m[1].split(' ') } : { text: description, mediaUrls: [] };
}

/**
 * Several media URLs: `media_url` is the first (the spec's one string), and the extension `media_urls` lists them
 * all. In XML they are repeated `<media_url>` elements (open311.xml.ts), which is how FixMyStreet reads several.
 */
export function mediaFields(urls: readonly string[]): { media_url?: string; media_urls?: string[] } {
  if (urls.length === 0) return {};
  return urls.length === 1 ? { media_url: urls[0] } : { media_url: urls[0], media_urls: [...urls] };
}

/** Fields with no value are left out (not null), in JSON as in XML: the spec's "may not be returned". */
export interface ServiceRequestDto {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string;
  service_name: string;
  service_code: string;
  description?: string;
  agency_responsible?: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime?: string;
  address?: string;
  lat?: number;
  long?: number;
  media_url?: string;
  media_urls?: string[];
}

/** A linked duplicate's notes: the master's, in each language after its own sentence. */
function mergedNotes(masterNo: string, notes: string): string {
  const cut = notes.indexOf(' / ');
  const [zh, en] = cut < 0 ? [notes, notes] : [notes.slice(0, cut), notes.slice(cut + 3)];
  return `已并入同一问题的诉求 ${masterNo} 一并处理：${zh} / merged into request ${masterNo}, handled together: ${en}`;
}

/** What a request's status depends on besides its row: its master (a linked duplicate) and why it was cancelled. */
export interface RequestContext {
  master?: Open311CaseRow;
  /** The cancellation of the case whose progress is shown (the master's for a linked duplicate). */
  cancellation?: Cancellation | null;
}

/**
 * A report linked to a master case as its duplicate is told the master's progress (issue 3 §5): status, notes,
 * agency and expected time come from the master, and the notes name it; its own id, text, place and photos stay.
 */
export function presentRequest(row: Open311CaseRow, ref: ReferenceData, utcOffsetMinutes: number, rc: RequestContext = {}): ServiceRequestDto {
  const own = row;
  const master = rc.master;
  if (master) row = { ...row, state: master.state, closure_type: master.closure_type, assigned_unit_id: master.assigned_unit_id, routed_unit_id: master.routed_unit_id,
    updated_at: Math.max(row.updated_at, master.updated_at), closed_at: master.closed_at, handle_due_at: master.handle_due_at, stage_due_at: master.stage_due_at };
  const status = coreStatusOf(row.state);
  const open = status === 'open';
  const notes = statusNotesOf({ state: row.state, closureType: row.closure_type, cancellation: rc.cancellation });
  // Assigned in the order of the spec's field table (the XML elements follow it).
  const dto = {
    service_request_id: own.case_no,
    status,
    status_notes: master ? mergedNotes(master.case_no, notes) : notes,
    service_name: ref.matters.get(row.matter_code)?.name ?? row.matter_code,
    service_code: row.matter_code,
  } as ServiceRequestDto;
  const showText = PUBLIC_TEXT_CHANNELS.has(row.channel);
  const { text, mediaUrls } = showText ? splitMediaUrls(row.description) : { text: null, mediaUrls: [] };
  if (text !== null) dto.description = text;
  const unitId = row.assigned_unit_id ?? row.routed_unit_id;
  const agency = unitId ? ref.units.get(unitId)?.name : undefined;
  if (agency) dto.agency_responsible = agency;
  dto.requested_datetime = formatDatetime(row.created_at, utcOffsetMinutes);
  dto.updated_datetime = formatDatetime(!open && row.closed_at !== null ? row.closed_at : row.updated_at, utcOffsetMinutes);
  const expected = open ? (row.handle_due_at ?? row.stage_due_at) : null;
  if (expected !== null) dto.expected_datetime = formatDatetime(expected, utcOffsetMinutes);
  if (row.address) dto.address = row.address;
  if (row.lat !== null && row.lon !== null) { dto.lat = row.lat; dto.long = row.lon; }
  Object.assign(dto, mediaFields(mediaUrls));
  return dto;
}
