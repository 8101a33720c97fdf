/** GET/PUT /api/v1/verification-policy: which reports wait for an on-site verification before registration (city policy). */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { CHANNELS, URGENCIES } from '../../../domain/case/channels.ts';
import { hasPermission } from '../../../domain/policy/permissions.ts';
import { replaceVerificationPolicy } from '../../../commands/verification-policy-replace.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';

const Policy = {
  channels: Type.Array(Type.String({ maxLength: 32, description: `An intake channel: ${CHANNELS.join(', ')}` }), { maxItems: CHANNELS.length * 2, description: 'Channels whose reports are verified on site before registration' }),
  immediateUrgencies: Type.Array(Type.String({ maxLength: 32, description: `An urgency: ${URGENCIES.join(', ')}` }), { maxItems: 6, description: 'Urgencies registered and dispatched at once, verified by the check after handling' }),
  immediateMatters: Type.Array(Type.String({ pattern: '^(\\d{2}|\\d{5})$' }), { maxItems: 500, description: 'Matter codes (5 digits) or classes (2 digits) registered at once' }),
};
const PolicyBody = Type.Object(Policy, { additionalProperties: false });
const PolicyDto = Type.Object({
  ...Policy,
  problems: Type.Optional(Type.Array(Type.Object({ setting: Type.String(), message: Type.String() }, { additionalProperties: true }), {
    description: 'Only for those who may change it: a stored value that could not be used (the defaults apply)',
  })),
});
const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

export async function verificationPolicyRoutes(app: App, ctx: AppContext): Promise<void> {
  const view = (withProblems: boolean) => {
    const d = ctx.ref.current();
    const problems = d.problems.filter((x) => x.setting === 'verification_policy');
    return { ...d.verificationPolicy, ...(withProblems && problems.length ? { problems } : {}) };
  };
  app.get('/api/v1/verification-policy', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['reference'],
      summary: 'Which reports wait for an on-site verification (核实) before registration: by channel, except the urgencies and matters dispatched at once',
      response: { 200: PolicyDto, ...ERRORS },
    },
  }, async (req) => view(hasPermission(principalOf(req).roles, 'rule.manage')));

  app.put('/api/v1/verification-policy', {
    config: { permission: 'rule.manage' },
    schema: {
      tags: ['admin'],
      summary: 'Replace the verification policy (the whole of it); cases waiting in ACCEPTED follow it at once',
      description: 'Validated before anything is written (400 names the field, e.g. `channels.1` for an unknown channel). One transaction: the settings row, the reference version '
        + 'and a `verification_policy.replaced` event.',
      body: PolicyBody,
      response: { 200: PolicyDto, ...ERRORS },
    },
  }, async (req) => {
    await replaceVerificationPolicy(ctx, req.body, principalOf(req).userId);
    return view(true);
  });
}
