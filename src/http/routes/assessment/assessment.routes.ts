/**
 * The assessment API (issue 10 part A, docs/issue-10/assessment.md): indicators with their definitions, scores by
 * the formula in force, formula versions and what-if, drill-down to the cases behind a number, and a unit's live
 * month. Thin handlers: schema → command (scope and rules) → answer. Numbers come from counters, never the case table.
 */
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';
import { DIMENSIONS, INDICATORS, formulaFor } from '../../../domain/assessment/index.ts';
import { drillDown, formulaDto, indicatorTable, liveMonth, previewFormula, trend } from '../../../commands/assessment-query.ts';
import { adoptFormula, cityMonth } from '../../../commands/assessment-formula-adopt.ts';
import { assessmentExportRoutes } from './assessment-export.routes.ts';
import { coordinationTable } from '../../../commands/assessment-coordination.ts';
import { replaceAssessmentSettings } from '../../../commands/assessment-settings-replace.ts';
import { hasPermission } from '../../../domain/policy/permissions.ts';
import {
  AssessmentSettingsBody, AssessmentSettingsDto, DefinitionsDto, DrillDto, DrillQuery, FormulaBody, FormulaDto, FormulasDto, IndicatorQuery, LiveDto, LiveQuery, PreviewBody, PreviewDto, TableDto,
  TrendDto, TrendQuery, CoordinationDto, CoordinationQuery,
} from './assessment.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const TAGS = ['assessment'];
const SCOPE = 'Rows follow the one visibility policy: city-wide staff see every row; a region\'s centre staff see it and what lies below; '
  + 'everyone sees the units they work for; people see their own row. City-wide slices (city, matter class, channel, urgency) need city-wide scope.';

export async function assessmentRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/assessment/definitions', {
    config: { permission: 'assessment.read' },
    schema: { tags: TAGS, summary: 'Every indicator\'s definition: formula, numerator and denominator (zh + en)', response: { 200: DefinitionsDto, ...ERRORS } },
  }, async () => ({ definitions: INDICATORS as never, dimensions: [...DIMENSIONS] }));

  app.get('/api/v1/assessment/indicators', {
    config: { permission: 'assessment.read' },
    schema: {
      tags: TAGS, summary: 'Indicators and scores of every row of a slice for a period',
      description: `Sums of the counters over the period's days (a case counts in the day it was reported), every indicator with its definition, and the score by the formula in force in the period's last month. ${SCOPE}`,
      querystring: IndicatorQuery, response: { 200: TableDto, ...ERRORS },
    },
  }, async (req) => indicatorTable(ctx, principalOf(req), req.query) as never);

  app.get('/api/v1/assessment/coordination', {
    config: { permission: 'assessment.read' },
    schema: {
      tags: TAGS, summary: 'Coordination indicators of a period: each unit\'s assisting tasks (联勤联动) and answers to summons (吹哨报到); each street or district platform\'s transfers received and refused',
      description: `Counted from the tasks, summoned departments and transfers issued in the period, each value with its definition. ${SCOPE}`,
      querystring: CoordinationQuery, response: { 200: CoordinationDto, ...ERRORS },
    },
  }, async (req) => coordinationTable(ctx, principalOf(req), req.query));

  app.get('/api/v1/assessment/trend', {
    config: { permission: 'assessment.read' },
    schema: {
      tags: TAGS, summary: 'One row\'s own past months: indicators and the score by each month\'s formula',
      description: SCOPE, querystring: TrendQuery, response: { 200: TrendDto, ...ERRORS },
    },
  }, async (req) => trend(ctx, principalOf(req), req.query) as never);

  app.get('/api/v1/assessment/cases', {
    config: { permission: 'assessment.read' },
    schema: {
      tags: TAGS, summary: 'Drill-down: exactly the cases behind one number, with why each counted',
      description: `A rate drills into its numerator; ask for the denominator's counter (e.g. to_handle) for the rest. ${SCOPE}`,
      querystring: DrillQuery, response: { 200: DrillDto, ...ERRORS },
    },
  }, async (req) => drillDown(ctx, principalOf(req), req.query));

  app.get('/api/v1/assessment/live', {
    config: { permission: 'assessment.read' },
    schema: {
      tags: TAGS, summary: 'A unit\'s live month and the open cases that will hurt it next (overdue, due within 24 h, returned, in rework)',
      description: SCOPE, querystring: LiveQuery, response: { 200: LiveDto, ...ERRORS },
    },
  }, async (req) => liveMonth(ctx, principalOf(req), req.query) as never);

  app.get('/api/v1/assessment/formulas', {
    config: { permission: 'assessment.read' },
    schema: { tags: TAGS, summary: 'The score formula in force this month and every adopted version (each with the month it takes effect from)', response: { 200: FormulasDto, ...ERRORS } },
  }, async () => {
    const versions = await ctx.store.assessment.listFormulas();
    const month = cityMonth(ctx.clock.now(), ctx.config.utcOffsetMinutes);
    return { current: formulaDto(formulaFor(month, versions)), versions: versions.map(formulaDto), currentMonth: month };
  });

  app.post('/api/v1/assessment/formulas', {
    config: { permission: 'assessment.formula' },
    schema: {
      tags: TAGS, summary: 'Adopt a formula version from a month on (the current month or later; past months keep theirs)',
      description: 'Weights must add up to 100; indicators must be rates from /assessment/definitions. Errors name the field (terms[i].indicator, terms[i].weight, terms, effectiveFrom).',
      body: FormulaBody, response: { 201: FormulaDto, ...ERRORS },
    },
  }, async (req, reply) => {
    const v = await adoptFormula(ctx, principalOf(req), req.body);
    reply.code(201);
    return formulaDto(v);
  });

  app.post('/api/v1/assessment/formulas/preview', {
    config: { permission: 'assessment.read' },
    schema: {
      tags: TAGS, summary: 'What if: score past months with a proposed formula, beside the score they had (nothing is saved)',
      description: SCOPE, body: PreviewBody, response: { 200: PreviewDto, ...ERRORS },
    },
  }, async (req) => previewFormula(ctx, principalOf(req), req.body));

  await assessmentExportRoutes(app, ctx);

  const settingsView = (withProblems: boolean) => {
    const d = ctx.ref.current();
    const problems = d.problems.filter((x) => x.setting === 'assessment_settings');
    return { ...d.assessment, ...(withProblems && problems.length ? { problems } : {}) };
  };
  app.get('/api/v1/assessment/settings', {
    config: { permission: 'assessment.read' },
    schema: {
      tags: TAGS, summary: 'The city\'s assessment settings (whether units are ranked against each other)',
      description: 'Callers who may change them (assessment.formula) also get `problems` when the stored value is bad (the defaults apply).',
      response: { 200: AssessmentSettingsDto, ...ERRORS },
    },
  }, async (req) => settingsView(hasPermission(principalOf(req).roles, 'assessment.formula')));

  app.put('/api/v1/assessment/settings', {
    config: { permission: 'assessment.formula' },
    schema: {
      tags: TAGS, summary: 'Replace the assessment settings (show rankings on or off)',
      description: 'Off by default: the national rule prefers comparing a unit with its own past months to public rankings.',
      body: AssessmentSettingsBody, response: { 200: AssessmentSettingsDto, ...ERRORS },
    },
  }, async (req) => {
    await replaceAssessmentSettings(ctx, req.body, principalOf(req).userId);
    return settingsView(true);
  });
}
