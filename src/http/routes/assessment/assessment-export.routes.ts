/**
 * The assessment table as a download (issue 10 part 6): every row of a slice for a period — name, rank (when the city
 * shows rankings), score, the row's own previous month, and every indicator — through the one streaming table writer
 * (src/http/export), with the same scope as the table (the one visibility policy: rows come from indicatorTable).
 * Person rows carry only the person's display name (their own row, or every row for city-wide staff) — the same as
 * the table. A slice has at most as many rows as units, regions or grids; more than the city's `approvalAboveRows` →
 * 409 EXPORT_NEEDS_APPROVAL as for case lists. Each download leaves an audit row (`streamed`, kind `assessment`).
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';
import { INDICATORS } from '../../../domain/assessment/index.ts';
import { needsApproval } from '../../../domain/export/export.ts';
import { indicatorTable } from '../../../commands/assessment-query.ts';
import { recordDirectExport, recordIncompleteExport } from '../../../commands/export-stream.ts';
import { streamTable, MIME, type TableColumn } from '../../export/index.ts';

const StrEnum = <const T extends readonly string[]>(values: T, description: string) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });
export const AssessmentExportQuery = Type.Object({
  format: StrEnum(['csv', 'xlsx'], 'csv (UTF-8 with BOM, opens in Excel) or xlsx'),
  lang: Type.Optional(StrEnum(['zh', 'en'], 'Header language (default zh)')),
  dim: Type.Optional(Type.String({ description: 'The slice (as GET /assessment/indicators; default unit)' })),
  within: Type.Optional(Type.String()),
  period: Type.Optional(Type.String()), value: Type.Optional(Type.String()), from: Type.Optional(Type.String()), to: Type.Optional(Type.String()),
}, { additionalProperties: false });

const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 10_000) / 100);

export async function assessmentExportRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/assessment/export', {
    config: { permission: 'assessment.read' },
    schema: {
      tags: ['assessment'], summary: 'Download the assessment table of a slice and period as CSV or XLSX (streamed)',
      description: 'The rows of GET /assessment/indicators with the same scope: name, rank (only when the city shows rankings), score, the score of '
        + 'the row\'s own previous month (month periods), and every indicator (rates in %, durations in minutes). Errors as the table\'s (400 naming '
        + 'dim, period, value…). Each download leaves an audit row.',
      querystring: AssessmentExportQuery, produces: [MIME.csv, MIME.xlsx],
      response: { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const { format, lang = 'zh', ...q } = req.query;
    const table = await indicatorTable(ctx, p, q);
    const limit = ctx.ref.current().exportPolicy.approvalAboveRows;
    if (table.rows.length > limit) throw needsApproval(limit);
    const columns: TableColumn[] = [
      { key: 'key', zh: '编码', en: 'Key', width: 16 }, { key: 'name', zh: '名称', en: 'Name', width: 24 },
      ...(table.ranking ? [{ key: 'rank', zh: '名次', en: 'Rank', width: 6 }] : []),
      { key: 'score', zh: '得分', en: 'Score', width: 8 },
      ...(table.previousMonth ? [{ key: 'previousScore', zh: `上月得分（${table.previousMonth}）`, en: `Score ${table.previousMonth}`, width: 12 }] : []),
      ...INDICATORS.map((d) => ({ key: d.id, zh: d.kind === 'rate' ? `${d.name.zh}(%)` : d.kind === 'duration' ? `${d.name.zh}(分钟)` : d.name.zh, en: d.kind === 'rate' ? `${d.name.en} (%)` : d.kind === 'duration' ? `${d.name.en} (min)` : d.name.en })),
    ];
    const filter = { ...q, lang };
    const actor = { userId: p.userId, name: p.name };
    await recordDirectExport(ctx, { kind: 'assessment', format, filter, rows: table.rows.length, actor });
    async function* rows() {
      for (const r of table.rows) {
        const out: Record<string, unknown> = { key: r.key, name: r.name, score: r.score.noData ? null : r.score.value, rank: r.rank ?? null, previousScore: r.previousScore ?? null };
        for (const d of INDICATORS) out[d.id] = d.kind === 'rate' ? pct(r.indicators[d.id]) : r.indicators[d.id] ?? null;
        yield out;
      }
    }
    const label = table.period.label.replace(/[^0-9A-Za-z-]/g, '');
    return streamTable(reply, {
      format, lang, filename: `${lang === 'en' ? 'assessment' : '考核'}-${table.dim}-${label}.${format}`, sheet: lang === 'en' ? 'Assessment' : '考核',
      columns, rows: rows(),
      onEnd: (r) => {
        if (!r.complete) void recordIncompleteExport(ctx, { kind: 'assessment', format, filter, rows: r.rows, actor }).catch((err: unknown) => ctx.log.error(err, 'export audit failed'));
      },
    });
  });
}
