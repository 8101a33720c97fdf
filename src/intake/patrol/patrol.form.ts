/**
 * The patrol report form (multipart/form-data, issue 3 §2): text fields checked one by one, each error naming
 * its field. Photos are streamed to storage by the route; this module only validates what was collected.
 */
import { invalidAs } from '../../domain/errors.ts';
import { URGENCIES, type Urgency } from '../../domain/case/channels.ts';
import type { CoordSystem } from '../../domain/grid/index.ts';

export const MAX_PHOTOS = 6;
export const TEXT_FIELDS = ['matterCode', 'lon', 'lat', 'coordSystem', 'description', 'partId', 'urgency', 'selfFixed', 'result'] as const;
const COORD_SYSTEMS: readonly CoordSystem[] = ['wgs84', 'gcj02', 'bd09'];

export interface PatrolReport {
  matterCode: string;
  lon: number;
  lat: number;
  coordSystem: CoordSystem;
  description: string;
  partId?: string;
  urgency?: Urgency;
  selfFixed: boolean;
  result?: string;
}

const text = (fields: Map<string, string>, name: string, max: number, required: boolean): string | undefined => {
  const v = fields.get(name)?.trim();
  if (v === undefined || v === '') {
    if (required) throw invalidAs(name, { key: 'field.required' }, 'is required');
    return undefined;
  }
  if ([...v].length > max) throw invalidAs(name, { key: 'catalog.at_most_characters', params: { max: String(max) } }, `must be at most ${max} characters`);
  return v;
};

const coordinate = (fields: Map<string, string>, name: 'lon' | 'lat', limit: number): number => {
  const raw = text(fields, name, 40, true)!;
  const n = Number(raw);
  if (!/^[-+]?\d+(\.\d+)?$/.test(raw) || !Number.isFinite(n)) throw invalidAs(name, { key: 'patrol.decimal_number_got', params: { raw: String(raw) } }, `must be a decimal number, got "${raw}"`);
  if (n < -limit || n > limit) throw invalidAs(name, { key: 'patrol.between_and_got', params: { limit: String(limit), n: String(n) } }, `must be between -${limit} and ${limit}, got ${n}`);
  return n;
};

/** Validates the text fields of a patrol report (photos are counted separately by the caller). */
export function parsePatrolFields(fields: Map<string, string>): PatrolReport {
  const matterCode = text(fields, 'matterCode', 16, true)!;
  if (!/^\d{5}$/.test(matterCode)) throw invalidAs('matterCode', { key: 'patrol.5_digit_matter_code_got', params: { matterCode: String(matterCode) } }, `must be a 5-digit matter code, got "${matterCode}"`);
  const lon = coordinate(fields, 'lon', 180);
  const lat = coordinate(fields, 'lat', 90);
  const cs = text(fields, 'coordSystem', 10, false) ?? 'wgs84';
  if (!(COORD_SYSTEMS as readonly string[]).includes(cs)) throw invalidAs('coordSystem', { key: 'field.one_of', params: { allowed: COORD_SYSTEMS.join(', ') } }, `must be one of ${COORD_SYSTEMS.join(', ')}`);
  const description = text(fields, 'description', 4000, true)!;
  const partId = text(fields, 'partId', 64, false);
  const urgency = text(fields, 'urgency', 20, false);
  if (urgency !== undefined && !(URGENCIES as readonly string[]).includes(urgency)) {
    throw invalidAs('urgency', { key: 'field.one_of', params: { allowed: URGENCIES.join(', ') } }, `must be one of ${URGENCIES.join(', ')}`);
  }
  const sf = text(fields, 'selfFixed', 5, false) ?? 'false';
  if (sf !== 'true' && sf !== 'false') throw invalidAs('selfFixed', { key: 'patrol.true_or_false' }, 'must be "true" or "false"');
  const selfFixed = sf === 'true';
  const result = text(fields, 'result', 2000, selfFixed);
  if (!selfFixed && result !== undefined) throw invalidAs('result', { key: 'patrol.only_with_selffixed_true' }, 'only with selfFixed=true');
  return {
    matterCode, lon, lat, coordSystem: cs as CoordSystem, description, selfFixed,
    ...(partId ? { partId } : {}), ...(urgency ? { urgency: urgency as Urgency } : {}), ...(result ? { result } : {}),
  };
}
