/**
 * Exports (issue 10 part 6; docs/issue-10/exports-and-demo.md):
 * - GET  /exports/cases             a filtered case list as CSV / XLSX, streamed now (within the city's limit);
 * - POST /exports                   a background export (any size up to the ceiling; above the limit a leader approves);
 * - GET  /exports, /exports/{id}    my exports with state and progress; leaders' approvals;
 * - POST /exports/{id}/approve|reject, GET /exports/{id}/file, GET /exports/{id}/history;
 * - GET/PUT /exports/policy         the city's limits (city data).
 * Every export sees what its requester sees (the list's own filter: the one visibility policy) and masks personal
 * data by the case presenter's rule; each leaves an audit row.
 */
import fs from 'node:fs';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { DomainError, notFound } from '../../../domain/errors.ts';
import { needsApproval } from '../../../domain/export/export.ts';
import { hasPermission } from '../../../domain/policy/permissions.ts';
import { requestExport } from '../../../commands/export-request.ts';
import { decideExport } from '../../../commands/export-decide.ts';
import { recordDirectExport, recordIncompleteExport } from '../../../commands/export-stream.ts';
import { replaceExportPolicy } from '../../../commands/export-policy-replace.ts';
import { exportFilename } from '../../../commands/export-request.ts';
import { auditExport } from '../../../commands/export-common.ts';
import { principalOf, type Principal } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';
import { streamTable, contentDisposition, MIME } from '../../export/index.ts';
import type { ExportRow } from '../../../storage/repositories/export.repository.ts';
import { CASE_COLUMNS, caseExportRows, countCaseExport } from './case-export.ts';
import {
  DecisionBody, DirectCaseExportQuery, ExportDto, ExportHistoryDto, ExportListDto, ExportListQuery, ExportParam, ExportPolicyBody,
  ExportPolicyDto, ExportRequestBody,
} from './export.schema.ts';
import { presentExport, presentExportHistory } from './export.presenter.ts';

const TAGS = ['exports'];
const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export async function exportRoutes(app: App, ctx: AppContext): Promise<void> {
  /** The requester, a leader who may approve, or an administrator may look at an export; to others it does not exist. */
  const loadExport = async (p: Principal, id: string): Promise<ExportRow> => {
    const x = await ctx.store.exports.findExport(Number(id));
    if (!x || (x.requested_by !== p.userId && !hasPermission(p.roles, 'export.approve'))) throw notFound('export', id);
    return x;
  };

  app.get('/api/v1/exports/cases', {
    config: { permission: 'case.read' },
    schema: {
      tags: TAGS,
      summary: 'Download a filtered case list as CSV or XLSX now (streamed; within the city\'s approval limit)',
      description: 'The same filters as GET /api/v1/cases, the same visibility, personal data masked as the case response masks it for the caller. '
        + 'Read from storage in keyset-paged chunks and streamed with constant memory. More matches than the city\'s `approvalAboveRows` '
        + '(GET /exports/policy) → 409 EXPORT_NEEDS_APPROVAL (field `filter`): request a background export (POST /exports) instead. '
        + 'Each download leaves an audit row.',
      querystring: DirectCaseExportQuery,
      produces: [MIME.csv, MIME.xlsx],
      response: { ...ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const { format, lang, ...filter } = req.query;
    const limit = ctx.ref.current().exportPolicy.approvalAboveRows;
    const count = await countCaseExport(ctx, p, filter, limit);
    if (count.capped) throw needsApproval(limit);
    const actor = { userId: p.userId, name: p.name };
    await recordDirectExport(ctx, { kind: 'cases', format, filter: { ...filter, ...(lang ? { lang } : {}) }, rows: count.total, actor });
    return streamTable(reply, {
      format, lang, filename: exportFilename('cases', format, ctx.clock.now(), ctx.config.utcOffsetMinutes), sheet: '案件', columns: CASE_COLUMNS,
      rows: caseExportRows(ctx, p, filter, { max: limit, lang }),
      onEnd: (r) => {
        if (!r.complete) void recordIncompleteExport(ctx, { kind: 'cases', format, filter, rows: r.rows, actor }).catch((err: unknown) => ctx.log.error(err, 'export audit failed'));
      },
    });
  });

  app.post('/api/v1/exports', {
    config: { permission: 'case.read' },
    schema: {
      tags: TAGS,
      summary: 'Request a background export of a filtered case list: approved at once within the limit, otherwise a leader decides',
      description: 'The filter is counted for the caller now. Up to `approvalAboveRows` the export is approved at once and generated in the '
        + 'background (a file under the data directory, progress in GET /exports/{id}); above it the request needs a `reason` and waits for a '
        + 'leader (export.approve), who may not be the requester; above `maxRows` → 409 LIMIT_EXCEEDED (field `filter`). The file is kept for '
        + '`keepHours` and only its requester may download it.',
      body: ExportRequestBody,
      response: { 201: ExportDto, ...ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const { maxRows } = ctx.ref.current().exportPolicy;
    const count = await countCaseExport(ctx, p, req.body.filter, maxRows);
    const id = await requestExport(ctx, { ...req.body, total: count.capped ? maxRows + 1 : count.total }, p);
    return reply.status(201).send(presentExport((await ctx.store.exports.findExport(id))!, p));
  });

  app.get('/api/v1/exports', {
    config: { permission: 'case.read' },
    schema: {
      tags: TAGS, summary: 'My exports (newest first), or for leaders the requests waiting for approval (scope=approvals) or all exports (scope=all)',
      querystring: ExportListQuery, response: { 200: ExportListDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const scope = req.query.scope ?? 'mine';
    const limit = req.query.limit ?? 50;
    if (scope !== 'mine' && !hasPermission(p.roles, 'export.approve')) {
      throw new DomainError('FORBIDDEN', `scope: ${scope} is for leaders who approve exports (export.approve)`, { field: 'scope' });
    }
    const page = { beforeId: req.query.beforeId, limit };
    const rows = scope === 'mine' ? await ctx.store.exports.listMine(p.userId, page)
      : await ctx.store.exports.listByState(scope === 'approvals' ? ['requested'] : ['requested', 'approved', 'rejected', 'generating', 'ready', 'failed', 'expired'], page);
    return { items: rows.map((x) => presentExport(x, p)), nextBeforeId: rows.length === limit ? Number(rows[rows.length - 1].id) : null };
  });

  app.get('/api/v1/exports/policy', {
    config: { permission: 'case.read' },
    schema: {
      tags: TAGS, summary: 'The city\'s export limits in force', description: 'Callers who may change them (rule.manage) also get `problems`.',
      response: { 200: ExportPolicyDto, ...ERRORS },
    },
  }, async (req) => policyView(hasPermission(principalOf(req).roles, 'rule.manage')));

  const policyView = (withProblems: boolean) => {
    const d = ctx.ref.current();
    const problems = d.problems.filter((x) => x.setting === 'export_policy');
    return { ...d.exportPolicy, ...(withProblems && problems.length ? { problems } : {}) };
  };

  app.put('/api/v1/exports/policy', {
    config: { permission: 'rule.manage' },
    schema: {
      tags: TAGS, summary: 'Replace the export limits (approval threshold, ceiling, keep time)',
      description: 'Validated before anything is written (400 names the field; maxRows may not be below approvalAboveRows).',
      body: ExportPolicyBody, response: { 200: ExportPolicyDto, ...ERRORS },
    },
  }, async (req) => {
    await replaceExportPolicy(ctx, req.body, principalOf(req).userId);
    return policyView(true);
  });

  app.get('/api/v1/exports/:id', {
    config: { permission: 'case.read' },
    schema: { tags: TAGS, summary: 'One export: state, progress (rows written / total), decision, file', params: ExportParam, response: { 200: ExportDto, ...ERRORS } },
  }, async (req) => presentExport(await loadExport(principalOf(req), req.params.id), principalOf(req)));

  app.get('/api/v1/exports/:id/history', {
    config: { permission: 'case.read' },
    schema: { tags: TAGS, summary: 'The export\'s audit: requested, decided, generated, downloaded, expired', params: ExportParam, response: { 200: ExportHistoryDto, ...ERRORS } },
  }, async (req) => {
    const x = await loadExport(principalOf(req), req.params.id);
    return { items: (await ctx.store.exports.historyOf(Number(x.id))).map(presentExportHistory) };
  });

  for (const decision of ['approve', 'reject'] as const) {
    app.post(`/api/v1/exports/:id/${decision}`, {
      config: { permission: 'export.approve' },
      schema: {
        tags: TAGS, summary: decision === 'approve' ? 'Approve a waiting export (not one\'s own): it is generated in the background' : 'Reject a waiting export (not one\'s own)',
        params: ExportParam, body: DecisionBody, response: { 200: ExportDto, ...ERRORS },
      },
    }, async (req) => {
      const p = principalOf(req);
      const x = await loadExport(p, req.params.id);
      await decideExport(ctx, Number(x.id), decision, req.body.note, p);
      return presentExport((await ctx.store.exports.findExport(Number(x.id)))!, p);
    });
  }

  app.get('/api/v1/exports/:id/file', {
    config: { permission: 'case.read' },
    schema: {
      tags: TAGS, summary: 'Download a ready export (its requester only); each download is audited', params: ExportParam,
      produces: [MIME.csv, MIME.xlsx], response: { ...ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const x = await ctx.store.exports.findExport(Number(req.params.id));
    // The file holds what its requester may see: nobody else downloads it (leaders see the record, not the data).
    if (!x || x.requested_by !== p.userId) throw notFound('export', req.params.id);
    if (x.state !== 'ready' || !x.file_path || !fs.existsSync(x.file_path)) {
      throw new DomainError('INVALID_TRANSITION', `the export is ${x.state}; only a ready export can be downloaded`, { details: { state: x.state } });
    }
    await ctx.store.transaction((tx) => auditExport(tx, {
      exportId: Number(x.id), action: 'downloaded', actor: { userId: p.userId, name: p.name }, at: ctx.clock.now(), kind: x.kind, format: x.format,
      filter: x.filter, rows: Number(x.rows_written),
    }));
    reply.header('content-type', x.format === 'xlsx' ? MIME.xlsx : MIME.csv);
    reply.header('content-disposition', contentDisposition(x.filename));
    reply.header('content-length', String(fs.statSync(x.file_path).size));
    reply.header('cache-control', 'no-store');
    return reply.send(fs.createReadStream(x.file_path) as never);
  });
}
