/** The reference API (read side): places, units, catalogue, routing, calendar. Admin writes are in ../admin. */
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { geoRoutes } from './geo.routes.ts';
import { catalogRoutes } from './catalog.routes.ts';
import { routingRoutes } from './routing.routes.ts';
import { calendarRoutes } from './calendar.routes.ts';
import { verificationPolicyRoutes } from './verification-policy.routes.ts';

export async function referenceRoutes(app: App, ctx: AppContext): Promise<void> {
  await geoRoutes(app, ctx);
  await catalogRoutes(app, ctx);
  await routingRoutes(app, ctx);
  await calendarRoutes(app, ctx);
  await verificationPolicyRoutes(app, ctx);
}
