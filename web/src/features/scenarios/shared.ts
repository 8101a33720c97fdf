/** Pieces shared by the scenario console (issue 11 part 6): API types and labels. */
import type { ItemOf, ResponseOf } from '../../app/api.ts';
import type { Msg } from '../../app/i18n.ts';

export type Scenario = ItemOf<ResponseOf<'/api/v1/scenarios', 'get'>>;
export type ShopSign = ItemOf<ResponseOf<'/api/v1/shop-signs', 'get'>>;
export type VitalSettings = ResponseOf<'/api/v1/vitals/settings', 'get'>;
export type CrowdArea = NonNullable<ResponseOf<'/api/v1/vitals', 'get'>['indicators'][number]['areas']>[number];
export type Tier = CrowdArea['tier'];

export const TIER_LABELS: Record<Tier, Msg> = {
  none: { zh: '正常', en: 'Normal' }, yellow: { zh: '黄', en: 'Yellow' }, orange: { zh: '橙', en: 'Orange' }, red: { zh: '红', en: 'Red' },
};
export const WIND_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export type WindLevel = typeof WIND_LEVELS[number];
export const WIND_LABELS: Record<WindLevel, Msg> = {
  blue: { zh: '蓝色', en: 'Blue' }, yellow: { zh: '黄色', en: 'Yellow' }, orange: { zh: '橙色', en: 'Orange' }, red: { zh: '红色', en: 'Red' },
};
export const URGENCY_LABELS: Record<string, Msg> = {
  normal: { zh: '一般', en: 'Normal' }, urgent: { zh: '紧急', en: 'Urgent' }, very_urgent: { zh: '特急', en: 'Very urgent' },
};

/** A server field name ('openAlarms.alert', 'body.lon') without the 'body.' prefix some routes add. */
export const fieldOf = (f: string | undefined): string | undefined => f?.replace(/^body\./, '');

export const fmtTime = (iso: string | null | undefined, locale: string): string =>
  iso ? new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'short', timeStyle: 'short' }) : '—';
export const fmtDate = (iso: string | null | undefined, locale: string): string =>
  iso ? new Date(iso).toLocaleDateString(locale === 'en' ? 'en-GB' : 'zh-CN') : '—';
