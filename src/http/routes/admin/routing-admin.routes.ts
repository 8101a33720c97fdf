/**
 * Changing the responsibility list and the admission list. A list is saved whole, as a new version, only when it
 * has no errors (ties, unknown ids, bad rules); gaps are warnings. Validation alone saves nothing.
 */
import { Type, type Static } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { ResponsibilityRule } from '../../../domain/routing/index.ts';
import { saveRules, validateAgainstReference } from '../../../commands/rules-save.ts';
import { replaceAdmission } from '../../../commands/admission-replace.ts';
import { isUniqueViolation } from '../../../storage/codec.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';
import { AdmissionEntrySchema, ListReportDto } from '../reference/routing.schema.ts';
import { AdmissionBody, SaveRulesBody } from './admin.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse };
const RULES_BODY_LIMIT = 20 * 1024 * 1024; // Shenzhen's list has 4,177 items; leave room for larger cities.

const toRules = (rules: Static<typeof SaveRulesBody>['rules']): ResponsibilityRule[] =>
  rules.map((r) => ({ ...r, assistingUnitIds: r.assistingUnitIds ?? [] }));

export async function routingAdminRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post('/api/v1/rules', {
    config: { permission: 'rule.manage' },
    bodyLimit: RULES_BODY_LIMIT,
    schema: {
      tags: ['admin'],
      summary: 'Save a new version of the responsibility list (the whole list); refused with the report when it has errors',
      description: 'Errors (TIE, BAD_RULE, UNKNOWN_*, NO_FALLBACK) → 400 with `details.report`, nothing saved. Warnings (GAP) do not block.',
      body: SaveRulesBody,
      response: { 201: Type.Object({ version: Type.Integer({ description: 'The new version, active at once' }), report: ListReportDto }), ...ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    try {
      const r = await saveRules(ctx, toRules(req.body.rules), p.userId, req.body.note ?? null);
      return reply.status(201).send(r);
    } catch (err) {
      // Two lists saved at the same instant compete for the same version number: the later one is refused.
      if (isUniqueViolation(err)) throw new DomainError('CONFLICT', 'rules: another list was saved at the same time; reload and retry', { field: 'rules' });
      throw err;
    }
  });

  app.post('/api/v1/rules/validate', {
    config: { permission: 'rule.manage' },
    bodyLimit: RULES_BODY_LIMIT,
    schema: {
      tags: ['admin'], summary: 'Validate a list against the current regions, units and catalogue; nothing is saved',
      body: SaveRulesBody,
      response: { 200: Type.Object({ report: ListReportDto }), ...ERRORS },
    },
  }, async (req) => ({ report: validateAgainstReference(ctx, toRules(req.body.rules)) }));

  app.put('/api/v1/admission', {
    config: { permission: 'rule.manage' },
    schema: {
      tags: ['admin'], summary: 'Replace the grid-member admission list (网格事项准入清单)',
      body: AdmissionBody,
      response: { 200: Type.Object({ entries: Type.Array(AdmissionEntrySchema) }), ...ERRORS },
    },
  }, async (req) => replaceAdmission(ctx, req.body.entries, principalOf(req).userId));
}
