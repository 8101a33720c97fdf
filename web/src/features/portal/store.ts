/** Shapes of the portal API (from the generated schema) and the reports remembered on this device (number + tracking code, for rating later). */
import type { BodyOf, ResponseOf } from '../../app/api.ts';

/** A case as the public sees it (GET /api/v1/public/cases/{caseNo}). */
export type PublicCase = ResponseOf<'/api/v1/public/cases/{caseNo}', 'get'>;
/** A new report: the public case with its tracking code (POST /api/v1/public/reports, multipart). */
export type PublicReport = ResponseOf<'/api/v1/public/reports', 'post'>;
export type Rating = BodyOf<'/api/v1/public/cases/{caseNo}/rating', 'post'>['rating'];

const KEY = 'cityops.portal.reports';

export interface Remembered { caseNo: string; code: string; at: string }

export function rememberedReports(): Remembered[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as Remembered[]).filter((r) => typeof r?.caseNo === 'string' && typeof r?.code === 'string').slice(0, 20) : [];
  } catch { return []; }
}

export function remember(r: Remembered): void {
  try {
    localStorage.setItem(KEY, JSON.stringify([r, ...rememberedReports().filter((x) => x.caseNo !== r.caseNo)].slice(0, 20)));
  } catch { /* storage disabled: the citizen keeps the code themselves */ }
}

export const codeFor = (caseNo: string): string | undefined => rememberedReports().find((r) => r.caseNo === caseNo)?.code;
