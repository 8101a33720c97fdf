/** Shapes of the API answers and request bodies the intake form uses, from the generated schema (openapi/openapi.json). */
import { useEffect, useState } from 'react';
import type { BodyOf, ItemOf, ResponseOf, Schema } from '../../app/api.ts';

/** The parts of a matter the form uses: a catalogue entry (GET /api/v1/catalog/matters) or a suggestion. */
export type Matter = Pick<ItemOf<ResponseOf<'/api/v1/catalog/matters', 'get'>>, 'code' | 'name' | 'classCode' | 'className'>;
/** A matter suggested for a description (POST /api/v1/catalog/suggest). */
export type Suggestion = ItemOf<ResponseOf<'/api/v1/catalog/suggest', 'post'>>;
/** Emergency words found in the description: the level, the referrals (first first) and the words. */
export type Emergency = ResponseOf<'/api/v1/catalog/suggest', 'post'>['emergency'];

export type Located = ResponseOf<'/api/v1/locate', 'get'>;
export type GeocodeResult = ResponseOf<'/api/v1/geocode', 'get'>;
export type GeoCandidate = GeocodeResult['candidates'][number];

export type Explain = ResponseOf<'/api/v1/routing/explain', 'get'>;
export type Limit = Explain['limits']['handle'];
export type DupPreview = ResponseOf<'/api/v1/duplicates/preview', 'get'>;
export type KbArticle = Schema<'KbArticle'>;

/** The case POST /api/v1/cases answers (the whole case). */
export type CaseSummary = ResponseOf<'/api/v1/cases', 'post'>;
export type NewCase = BodyOf<'/api/v1/cases', 'post'>;
export type WorkOrder = BodyOf<'/api/v1/hotline/work-orders', 'post'>;
export type WorkOrderResult = ResponseOf<'/api/v1/hotline/work-orders', 'post'>;

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
