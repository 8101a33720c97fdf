/** Accounts and machine keys. Password hashes and key hashes never leave the server; a new key is shown once. */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { createUser } from '../../../commands/user-create.ts';
import { updateUser } from '../../../commands/user-update.ts';
import { createApiKey } from '../../../commands/apikey-create.ts';
import { revokeApiKey } from '../../../commands/apikey-revoke.ts';
import { type ApiKeyRecord, type UserRecord } from '../../../storage/repositories/auth.repository.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse, IdParam } from '../common.schema.ts';
import { ApiKeyBody, ApiKeyDto, UserBody, UserDto } from './admin.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const iso = (ms: number) => new Date(ms).toISOString();

/** Whitelist: never the password hash. */
const presentUser = (u: UserRecord) => ({
  id: u.id, username: u.username, displayName: u.displayName, roles: u.roles, unitIds: u.unitIds, regionIds: u.regionIds,
  active: u.active, createdAt: iso(u.createdAt),
});

/** Whitelist: never the key hash. */
const presentKey = (k: ApiKeyRecord) => ({
  id: k.id, name: k.name, prefix: k.prefix, roles: k.roles, unitIds: k.unitIds, regionIds: k.regionIds, createdBy: k.createdBy,
  createdAt: iso(k.createdAt), revokedAt: k.revokedAt === null ? null : iso(k.revokedAt), active: k.revokedAt === null,
});

export async function accessRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/users', {
    config: { permission: 'user.manage' },
    schema: { tags: ['admin'], summary: 'User accounts', response: { 200: Type.Object({ items: Type.Array(UserDto) }), ...ERRORS } },
  }, async () => ({ items: (await ctx.store.auth.listUsers()).map(presentUser) }));

  app.post('/api/v1/users', {
    config: { permission: 'user.manage' },
    schema: { tags: ['admin'], summary: 'Create a user account', body: UserBody, response: { 201: UserDto, ...ERRORS } },
  }, async (req, reply) => reply.status(201).send(presentUser(await createUser(ctx, req.body, principalOf(req).userId))));

  app.patch('/api/v1/users/:id', {
    config: { permission: 'user.manage' },
    schema: {
      tags: ['admin'],
      summary: 'Change an account: deactivate/reactivate, reset the password, roles or scope (deactivation and a new password end its sessions)',
      params: IdParam,
      body: Type.Object({
        active: Type.Optional(Type.Boolean({ description: 'false deactivates the account and ends its sessions' })),
        password: Type.Optional(Type.String({ minLength: 8, maxLength: 256, description: 'New password (ends the sessions)' })),
        roles: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { minItems: 1, maxItems: 9, description: 'Replace the roles' })),
        unitIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50, description: 'Replace the units' })),
        regionIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50, description: 'Replace the regions' })),
        displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Display name' })),
      }, { additionalProperties: false, minProperties: 1, description: 'At least one change' }),
      response: { 200: UserDto, ...ERRORS },
    },
  }, async (req) => presentUser(await updateUser(ctx, req.params.id, req.body, principalOf(req).userId)));

  app.get('/api/v1/apikeys', {
    config: { permission: 'apikey.manage' },
    schema: { tags: ['admin'], summary: 'API keys for department systems (the secret is never shown again)', response: { 200: Type.Object({ items: Type.Array(ApiKeyDto) }), ...ERRORS } },
  }, async () => ({ items: (await ctx.store.auth.listApiKeys()).map(presentKey) }));

  app.post('/api/v1/apikeys', {
    config: { permission: 'apikey.manage' },
    schema: {
      tags: ['admin'], summary: 'Create an API key; the response carries the key ONCE (send it as Authorization: Bearer <key>)',
      body: ApiKeyBody,
      response: { 201: Type.Object({ ...ApiKeyDto.properties, key: Type.String({ description: 'The secret; store it now, it is not kept in clear' }) }), ...ERRORS },
    },
  }, async (req, reply) => {
    const k = await createApiKey(ctx, req.body, principalOf(req).userId);
    return reply.status(201).send({ ...presentKey(k), key: k.key });
  });

  app.post('/api/v1/apikeys/:id/revoke', {
    config: { permission: 'apikey.manage' },
    schema: { tags: ['admin'], summary: 'Revoke an API key: it stops authenticating at once (revoking twice changes nothing)', params: IdParam, response: { 200: ApiKeyDto, ...ERRORS } },
  }, async (req) => presentKey(await revokeApiKey(ctx, req.params.id, principalOf(req).userId)));
}
