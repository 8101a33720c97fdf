/**
 * Which matters the portal offers (city data, settings row portal_matters — src/domain/catalog/portal-matters.ts):
 * GET /public/matters lists them for citizens (featured first, then by class and code); GET/PUT /portal-matters
 * read and replace the setting for those who keep the catalogue.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { portalMatterCodes } from '../../../domain/catalog/portal-matters.ts';
import { replacePortalMatters } from '../../../commands/portal-matters-replace.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';
import { PublicMattersDto } from './public.schema.ts';

const CodeOrClass = Type.String({ pattern: '^(\\d{2}|\\d{5})$', description: 'A matter code (5 digits) or class (2 digits)' });
const Setting = {
  include: Type.Array(CodeOrClass, { minItems: 1, maxItems: 1000, description: 'Matter codes or classes the portal offers' }),
  exclude: Type.Array(CodeOrClass, { maxItems: 1000, description: 'Codes or classes left out even when included' }),
  featured: Type.Array(Type.String({ pattern: '^\\d{5}$' }), { maxItems: 50, description: 'Matter codes listed first, in this order' }),
};
const SettingBody = Type.Object(Setting, { additionalProperties: false });
const SettingDto = Type.Object({
  ...Setting,
  offered: Type.Integer({ description: 'Matters of the catalogue the portal offers with this setting' }),
  problems: Type.Optional(Type.Array(Type.Object({ setting: Type.String(), message: Type.String() }, { additionalProperties: true }), {
    description: 'A stored value that could not be used (the defaults apply)',
  })),
});
const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

export async function portalMattersRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/public/matters', {
    config: { public: true },
    schema: { tags: ['portal'], summary: 'The matters a citizen can report on the portal (public; city data: GET /portal-matters)', response: { 200: PublicMattersDto } },
  }, async () => {
    const ref = ctx.ref.current();
    return {
      items: portalMatterCodes(ref.portalMatters, ref.matters.keys()).map(({ code, featured }) => {
        const m = ref.matters.get(code)!;
        return { code: m.code, name: m.name, className: m.className, classCode: m.classCode, featured };
      }),
    };
  });

  const view = () => {
    const ref = ctx.ref.current();
    const problems = ref.problems.filter((x) => x.setting === 'portal_matters');
    return { ...ref.portalMatters, offered: portalMatterCodes(ref.portalMatters, ref.matters.keys()).length, ...(problems.length ? { problems } : {}) };
  };

  app.get('/api/v1/portal-matters', {
    config: { permission: 'catalog.manage' },
    schema: { tags: ['admin'], summary: 'Which matters the citizen portal offers (the setting, with the number offered)', response: { 200: SettingDto, ...ERRORS } },
  }, async () => view());

  app.put('/api/v1/portal-matters', {
    config: { permission: 'catalog.manage' },
    schema: {
      tags: ['admin'], summary: 'Replace which matters the citizen portal offers (the whole setting)',
      description: 'Validated before anything is written (400 names the field, e.g. `include.0`). One transaction: the settings row, the reference version and a `portal_matters.replaced` event.',
      body: SettingBody, response: { 200: SettingDto, ...ERRORS },
    },
  }, async (req) => {
    await replacePortalMatters(ctx, req.body, principalOf(req).userId);
    return view();
  });
}
