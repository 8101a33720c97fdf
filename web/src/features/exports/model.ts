/** Export types (named by their routes, generated from the OpenAPI document) and small helpers. */
import type { BodyOf, ResponseOf } from '../../app/api.ts';
import type { Msg } from '../../app/i18n.ts';

export type ExportDto = ResponseOf<'/api/v1/exports/{id}', 'get'>;
export type ExportFilter = BodyOf<'/api/v1/exports', 'post'>['filter'];
export type ExportFormat = BodyOf<'/api/v1/exports', 'post'>['format'];

/** States after which nothing changes by itself (no need to keep polling). */
export const SETTLED: readonly string[] = ['requested', 'rejected', 'ready', 'failed', 'expired'];

export const FORMATS: { value: ExportFormat; label: Msg }[] = [
  { value: 'xlsx', label: { zh: 'Excel（XLSX）', en: 'Excel (XLSX)' } },
  { value: 'csv', label: { zh: 'CSV（Excel 可直接打开）', en: 'CSV (opens in Excel)' } },
];

export const percent = (x: ExportDto) => Math.round(x.progress * 100);
export const sizeText = (bytes: number | null) => (bytes === null ? '' : bytes > 1 << 20 ? `${(bytes / 2 ** 20).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);
