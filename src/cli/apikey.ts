import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.ts';
import { createContext, closeContext } from '../runtime/bootstrap.ts';
import { createApiKey } from '../commands/apikey-create.ts';

export async function apikeyCreateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: { name: { type: 'string' }, role: { type: 'string', multiple: true }, unit: { type: 'string', multiple: true }, region: { type: 'string', multiple: true } },
  });
  if (!values.name) {
    console.error('error: --name is required');
    return 2;
  }
  const ctx = await createContext(loadConfig());
  try {
    const k = await createApiKey(ctx, { name: values.name, roles: values.role, unitIds: values.unit, regionIds: values.region }, null);
    console.log(`API key "${k.name}" (${k.id}, roles ${k.roles.join(', ')}) — shown once, store it now:\n${k.key}`);
    return 0;
  } finally {
    await closeContext(ctx);
  }
}
