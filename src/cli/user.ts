import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.ts';
import { createContext, closeContext } from '../runtime/bootstrap.ts';
import { createUser } from '../commands/user-create.ts';

export async function userCreateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: {
      username: { type: 'string' }, password: { type: 'string' }, role: { type: 'string', multiple: true },
      unit: { type: 'string', multiple: true }, region: { type: 'string', multiple: true }, name: { type: 'string' },
    },
  });
  if (!values.username || !values.password || !values.role?.length) {
    console.error('error: --username, --password and --role are required');
    return 2;
  }
  const ctx = await createContext(loadConfig());
  try {
    const u = await createUser(ctx, {
      username: values.username, password: values.password, roles: values.role, unitIds: values.unit ?? [],
      regionIds: values.region ?? [], displayName: values.name,
    }, null);
    console.log(`user ${u.username} created (${u.id}) with roles ${u.roles.join(', ')}`);
    return 0;
  } finally {
    await closeContext(ctx);
  }
}
