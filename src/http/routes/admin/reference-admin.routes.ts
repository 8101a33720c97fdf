/**
 * Changing reference data: grids (GeoJSON import), the work calendar, the matter catalogue and its time limits,
 * and units. Each change is one command (one transaction + outbox row) and is live on return.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { DomainError } from '../../../domain/errors.ts';
import { importGrids } from '../../../commands/grids-import.ts';
import { importCalendar } from '../../../commands/calendar-import.ts';
import { replaceTimeLimits } from '../../../commands/time-limits-replace.ts';
import { createMatter } from '../../../commands/matter-create.ts';
import { createUnit } from '../../../commands/unit-create.ts';
import { isUniqueViolation } from '../../../storage/codec.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';
import { MatterDto, UnitDto } from '../reference/reference.schema.ts';
import { presentMatter, presentUnit } from '../reference/reference.presenter.ts';
import {
  CalendarImportBody, GridImportBody, GridImportQuery, GridImportReportDto, LimitsBody, MatterBody, UnitBody,
} from './admin.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse };

export async function referenceAdminRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post('/api/v1/grids/import', {
    config: { permission: 'grid.manage' },
    bodyLimit: 50 * 1024 * 1024, // a district's grids with detailed boundaries run to tens of MB
    schema: {
      tags: ['admin'],
      summary: 'Import grid polygons (GeoJSON FeatureCollection): all or nothing, upserted by grid id',
      description: 'Any invalid feature → 400 INVALID_GEOMETRY with `details.report.problems` naming every feature and coordinate path; nothing is written.',
      querystring: GridImportQuery,
      body: GridImportBody,
      response: { 200: GridImportReportDto, 201: GridImportReportDto, ...ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const { kind, dryRun, coordSystem } = req.query;
    try {
      const report = await importGrids(ctx, req.body, { kind, dryRun: dryRun ?? false, coordSystem, actorId: p.userId });
      return reply.status(report.dryRun ? 200 : 201).send(report);
    } catch (err) {
      // A new grid id whose code another grid already has (codes are unique).
      if (isUniqueViolation(err)) throw new DomainError('CONFLICT', 'file: a grid code in the file is already used by another grid', { field: 'file' });
      throw err;
    }
  });

  app.post('/api/v1/calendar/import', {
    config: { permission: 'calendar.manage' },
    schema: {
      tags: ['admin'],
      summary: "Import one year's holiday arrangement (国务院办公厅节假日安排); it replaces that year's holidays and make-up workdays",
      body: CalendarImportBody,
      response: { 201: Type.Object({ year: Type.Integer(), holidays: Type.Integer(), makeUpWorkdays: Type.Integer() }), ...ERRORS },
    },
  }, async (req, reply) => reply.status(201).send(await importCalendar(ctx, req.body, principalOf(req).userId)));

  app.put('/api/v1/catalog/matters/:code/limits', {
    config: { permission: 'catalog.manage' },
    schema: {
      tags: ['admin'], summary: 'Replace the time-limit rows of one matter (处置时限 / 环节时限); new cases use them at once',
      params: Type.Object({ code: Type.String({ pattern: '^\\d{5}$', description: '5-digit matter code' }) }),
      body: LimitsBody,
      response: { 200: Type.Object({ matterCode: Type.String(), rows: Type.Integer({ description: 'Rows now configured' }) }), ...ERRORS },
    },
  }, async (req) => {
    const limits = req.body.limits.map((l) => ({ ...l, areaClass: l.areaClass ?? null, basis: l.basis ?? null }));
    return replaceTimeLimits(ctx, req.params.code, limits, principalOf(req).userId);
  });

  app.post('/api/v1/catalog/matters', {
    config: { permission: 'catalog.manage' },
    schema: {
      tags: ['admin'], summary: "Add a local matter type (a city's own code next to GB/T 47678.5)",
      body: MatterBody,
      response: { 201: MatterDto, ...ERRORS },
    },
  }, async (req, reply) => reply.status(201).send(presentMatter(await createMatter(ctx, req.body, principalOf(req).userId))));

  app.post('/api/v1/units', {
    config: { permission: 'unit.manage' },
    schema: {
      tags: ['admin'], summary: 'Create a handling unit (处置单位)',
      body: UnitBody,
      response: { 201: UnitDto, ...ERRORS },
    },
  }, async (req, reply) => reply.status(201).send(presentUnit(await createUnit(ctx, req.body, principalOf(req).userId))));
}
