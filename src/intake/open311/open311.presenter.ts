/**
 * The public projection of a case as a GeoReport v2 service request (docs/open311.md §1.7):
 * the fine lifecycle (受理/立案/派遣/处置/核查/结案, 挂账, 返工…) becomes open/closed with the fine state in
 * `status_notes` (§1.11 item 2); `updated_datetime` of a closed request is its close time (§1.11 item 4).
 * Whitelist only: reporter names, phones and e-mails are never part of it.
 */
import { STATES, isOpen, type State } from '../../domain/case/states.ts';
import type { ReferenceData } from '../../runtime/reference-cache.ts';
import type { Open311CaseRow } from '../../storage/repositories/open311.repository.ts';
import { formatDatetime } from './open311.format.ts';

/**
 * Channels whose free text was written to be seen: citizens' own reports (Open311, the app) and the city's own
 * observations (patrol, sensors, video). Hotline, petition, department, media and other reports are listed
 * too (status, place, service, agency), but their description is withheld: a 12345 complaint or a 举报 may
 * name people or carry details the caller told the operator in confidence.
 */
export const PUBLIC_TEXT_CHANNELS: ReadonlySet<string> = new Set(['open311', 'app', 'patrol', 'iot', 'video']);

/** How a POSTed `media_url` travels inside the case description (one line at the end, visible to operators). */
const MEDIA_PREFIX = '\n\n媒体链接 / media_url: ';
const MEDIA_SUFFIX_RE = /\n\n媒体链接 \/ media_url: (https?:\/\/\S+)$/;

export const withMediaUrl = (description: string, url: string | undefined): string =>
  url ? `${description}${MEDIA_PREFIX}${url}` : description;

export function splitMediaUrl(description: string): { text: string; mediaUrl: string | null } {
  const m = MEDIA_SUFFIX_RE.exec(description);
  return m ? { text: description.slice(0, m.index), mediaUrl: m[1] } : { text: description, mediaUrl: null };
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
}

const NOTES = new Map(STATES.map((s) => [s.state as string, `${s.zh} / ${s.en}`]));

/**
 * A report linked to a master case as its duplicate is told the master's progress (issue 3 §5): status, notes,
 * agency and expected time come from the master, and the notes name it; its own id, text, place and photos stay.
 */
export function presentRequest(row: Open311CaseRow, ref: ReferenceData, utcOffsetMinutes: number, master?: Open311CaseRow): ServiceRequestDto {
  const own = row;
  if (master) row = { ...row, state: master.state, assigned_unit_id: master.assigned_unit_id, routed_unit_id: master.routed_unit_id,
    updated_at: Math.max(row.updated_at, master.updated_at), closed_at: master.closed_at, handle_due_at: master.handle_due_at, stage_due_at: master.stage_due_at };
  const open = isOpen(row.state as State);
  const notes = NOTES.get(row.state) ?? row.state;
  // Assigned in the order of the spec's field table (the XML elements follow it).
  const dto = {
    service_request_id: own.case_no,
    status: open ? 'open' : 'closed',
    status_notes: master ? `已并入同一问题的诉求 ${master.case_no} 一并处理：${notes} / merged into request ${master.case_no}, handled together: ${notes}` : notes,
    service_name: ref.matters.get(row.matter_code)?.name ?? row.matter_code,
    service_code: row.matter_code,
  } as ServiceRequestDto;
  const showText = PUBLIC_TEXT_CHANNELS.has(row.channel);
  const { text, mediaUrl } = showText ? splitMediaUrl(row.description) : { text: null, mediaUrl: null };
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
  if (mediaUrl) dto.media_url = mediaUrl;
  return dto;
}
