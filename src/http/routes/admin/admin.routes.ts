/** The admin API (write side of the reference data, accounts and keys). Reads are in ../reference. */
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { routingAdminRoutes } from './routing-admin.routes.ts';
import { referenceAdminRoutes } from './reference-admin.routes.ts';
import { accessRoutes } from './access.routes.ts';

export async function adminRoutes(app: App, ctx: AppContext): Promise<void> {
  await routingAdminRoutes(app, ctx);
  await referenceAdminRoutes(app, ctx);
  await accessRoutes(app, ctx);
}
