/** Shapes of the portal API and the reports remembered on this device (number + tracking code, for rating later). */
export interface PublicCase {
  caseNo: string;
  status: 'open' | 'closed';
  stage: string;
  stageLabel: { zh: string; en: string };
  matter: { code: string; name: string };
  street: string | null;
  district: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedWithOthers: boolean;
  steps: { stage: string; label: { zh: string; en: string }; at: string }[];
  rating: { value: string; at: string } | null;
  ratable: boolean;
}
export interface PublicReport extends PublicCase { trackingCode: string; duplicate: boolean }

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
