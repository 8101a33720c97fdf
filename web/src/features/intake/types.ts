/** Shapes of the API answers the intake form reads (see openapi/openapi.json). */
import { useEffect, useState } from 'react';

export interface Ref { id: string; name: string }
export interface Matter { code: string; name: string; classCode: string; className: string }
export interface Suggestion extends Matter { score: number; matched: string[] }

export interface Located {
  outcome: 'inside' | 'outside';
  point: { lon: number; lat: number };
  grid?: { id: string; code: string; name: string };
  community?: Ref;
  street?: Ref | null;
  district?: Ref | null;
  areaClass?: string | null;
}

export interface GeoCandidate {
  kind: string; name: string; address: string | null; lon: number; lat: number; score: number; method: string;
  location: { grid: { id: string; code: string; name: string }; community: Ref; street: Ref | null; district: Ref | null } | null;
}
export interface GeocodeResult { query: string; outcome: 'exact' | 'ambiguous' | 'approximate' | 'none'; candidates: GeoCandidate[] }

export interface Limit { amount: number; unit: string }
export interface Explain {
  decision: { outcome: string; unit: Ref; assistingUnits: Ref[]; ruleId: string | null; ruleVersion: number; fallbackRegion: Ref | null };
  summary: string;
  limits: { handle: Limit; dispatch: Limit };
}

export interface DupPreview {
  policy: { enabled: boolean; radiusMeters: number; windowHours: number; match: string };
  items: { id: number; caseNo: string; state: string; stateLabel: { zh: string; en: string }; matter: { code: string; name: string }; distanceMeters: number; createdAt: string; address: string | null }[];
  master: { id: number; caseNo: string; distanceMeters: number } | null;
  hidden: number;
}

export interface KbArticle { id: number; title: string; body: string; matterCode: string | null; score?: number }

export interface CaseSummary {
  id: number; caseNo: string; state: string; stateLabel: { zh: string; en: string };
  matter: { code: string; name: string };
  routing: { unit: Ref | null; ruleId: string | null; ruleVersion: number | null };
  duplicateOf: { id: number; caseNo: string; state: string } | null;
}

export interface WorkOrderResult {
  outcome: 'answered' | 'refused' | 'case' | 'linked';
  call: { id: number; outcomeZh: string; referralZh: string | null; feedbackDueAt: string | null };
  case?: CaseSummary;
  article?: KbArticle;
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

const UNIT_ZH: Record<string, string> = { natural_minutes: '分钟', natural_hours: '小时', natural_days: '天', work_hours: '工作小时', work_days: '个工作日' };
const UNIT_EN: Record<string, string> = { natural_minutes: 'min', natural_hours: 'h', natural_days: 'd', work_hours: 'working h', work_days: 'working days' };
export const limitText = (l: Limit, locale: string): string =>
  locale === 'en' ? `${l.amount} ${UNIT_EN[l.unit] ?? l.unit}` : `${l.amount}${UNIT_ZH[l.unit] ?? l.unit}`;
