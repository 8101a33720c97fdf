/**
 * Levels of platform (issue 9 part 3): the escalation / refusal counts per platform, the city's level policy, and a
 * case's transfers and transfer targets. The actions themselves are case actions (POST /cases/{id}/escalate,
 * /assign-down, /accept-transfer, /refuse-transfer), registered with the transition table in case.routes.ts.
 */
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { invalidAs } from '../../../domain/errors.ts';
import { hasPermission } from '../../../domain/policy/permissions.ts';
import { coversRegion, isAdmin } from '../../../domain/policy/scope.ts';
import { LEVEL_LABELS, platformLevelOf, superiorPlatform, isPlatform, type LevelPolicy } from '../../../domain/levels/levels.ts';
import { foldTransferStats } from '../../../domain/levels/stats.ts';
import { replaceLevelPolicy } from '../../../commands/level-policy-replace.ts';
import { levelViewOf } from '../../../commands/level-view.ts';
import { regionPathOf } from '../../../commands/case-transition.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';
import { CASE_ERRORS, CaseParam, loadVisibleCase } from '../cases/case.load.ts';
import { LevelPolicyBody, LevelPolicyDto, StatsDto, StatsQuery, TransferTargetsDto, TransfersDto } from './level.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

export async function levelRoutes(app: App, ctx: AppContext): Promise<void> {
  const platformRef = (id: string) => {
    const d = ctx.ref.current();
    const level = platformLevelOf(d.regionTree, id);
    return { id, name: d.regions.get(id)?.name ?? id, level: level ?? 'unknown', levelLabel: level ? LEVEL_LABELS[level] : { zh: '未知', en: 'Unknown' } };
  };
  const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
  const instant = (v: string | undefined, field: string) => {
    if (v === undefined) return undefined;
    const ms = Date.parse(v);
    if (!Number.isFinite(ms)) throw invalidAs(field, { key: 'field.iso_8601_instant' }, 'must be an ISO 8601 instant');
    return ms;
  };

  app.get('/api/v1/levels/stats', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['levels'],
      summary: 'Escalations (上报), assignments down (下派) and refusals (退回/拒收) per platform and period: the "两层皮" made visible',
      description: 'Counts the transfers requested in [from, to) by the platform that sent them and the platform that received them. '
        + 'Centre staff see the platforms of the regions they cover (and below); administrators all.',
      querystring: StatsQuery,
      response: { 200: StatsDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const from = instant(req.query.from, 'from');
    const to = instant(req.query.to, 'to');
    if (from !== undefined && to !== undefined && to <= from) throw invalidAs('to', { key: 'field.after_from' }, 'must be after from');
    const tree = ctx.ref.current().regionTree;
    const rows = await ctx.store.levels.transferCounts({ from, to });
    const include = (id: string) => isAdmin(p) || (tree.has(id) && coversRegion(p, tree.pathOf(id) ?? [id]) && p.regionIds.length > 0);
    return {
      from: iso(from ?? null), to: iso(to ?? null),
      items: foldTransferStats(rows, include).map(({ regionId, ...counts }) => ({ platform: platformRef(regionId), ...counts })),
    };
  });

  const policyView = (withProblems: boolean) => {
    const d = ctx.ref.current();
    const problems = d.problems.filter((x) => x.setting === 'platform_levels').map((x) => ({ setting: x.setting, message: x.message }));
    return { ...d.levelPolicy, ...(withProblems && problems.length ? { problems } : {}) };
  };

  app.get('/api/v1/levels/policy', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['levels'],
      summary: 'Which level of platform handles a new case: the levels that run a centre, the default level, the rules by matter and urgency',
      response: { 200: LevelPolicyDto, ...ERRORS },
    },
  }, async (req) => policyView(hasPermission(principalOf(req).roles, 'rule.manage')));

  app.put('/api/v1/levels/policy', {
    config: { permission: 'rule.manage' },
    schema: {
      tags: ['levels'],
      summary: 'Replace the level policy (the whole of it); new cases use it at once, existing cases keep their platform',
      description: 'Validated before anything is written (400 names the field, e.g. `rules.2.level`). One transaction: the settings row, '
        + 'the reference version and a `levels.policy_replaced` event.',
      body: LevelPolicyBody,
      response: { 200: LevelPolicyDto, ...ERRORS },
    },
  }, async (req) => {
    await replaceLevelPolicy(ctx, req.body as LevelPolicy, principalOf(req).userId);
    return policyView(true);
  });

  app.get('/api/v1/cases/:id/transfers', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['levels'], summary: 'The case\'s escalations and assignments between platforms, with their outcome (one case, one history)',
      params: CaseParam, response: { 200: TransfersDto, ...CASE_ERRORS },
    },
  }, async (req) => {
    const row = await loadVisibleCase(ctx, principalOf(req), req.params.id);
    const regions = ctx.ref.current().regions;
    const ref = (id: string) => ({ id, name: regions.get(id)?.name ?? id });
    const items = await ctx.store.levels.transfersOf(Number(row.id));
    return {
      items: items.map((t) => ({
        id: Number(t.id), kind: t.kind, from: ref(t.from_region_id), to: ref(t.to_region_id), reason: t.reason,
        requestedBy: { id: t.requested_by, name: t.requested_by_name }, requestedAt: iso(t.requested_at)!, status: t.status,
        decidedBy: t.decided_at === null ? null : { id: t.decided_by, name: t.decided_by_name }, decidedAt: iso(t.decided_at),
        decisionReason: t.decision_reason,
      })),
    };
  });

  app.get('/api/v1/cases/:id/transfer-targets', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['levels'], summary: 'Where the case could go: its handling platform, the superior platform (上报) and the lower platforms (下派) whose area contains it',
      params: CaseParam, response: { 200: TransferTargetsDto, ...CASE_ERRORS },
    },
  }, async (req) => {
    const row = await loadVisibleCase(ctx, principalOf(req), req.params.id);
    const { regionTree: tree, levelPolicy: policy } = ctx.ref.current();
    const view = levelViewOf(row, ctx.ref);
    const platform = view.platformRegionId && tree.has(view.platformRegionId) ? view.platformRegionId : null;
    if (!platform) return { platform: null, escalateTo: null, assignDownTo: [] };
    const place = regionPathOf(row, ctx.ref);
    const below = (id: string) => id !== platform && (tree.pathOf(id) ?? []).includes(platform) && isPlatform(tree, policy, id);
    // A located case goes down to the platforms on its own path; one not located to any platform below.
    const candidates = place.length ? place : [...tree.ids()];
    const superior = superiorPlatform(tree, policy, platform);
    return {
      platform: platformRef(platform),
      escalateTo: superior ? platformRef(superior) : null,
      assignDownTo: candidates.filter(below).slice(0, 500).map(platformRef),
    };
  });
}
