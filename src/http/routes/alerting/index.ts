/** Issue 9 parts 5–7: notifications, emergencies that ring, shift handover. */
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { notificationRoutes } from './notification.routes.ts';
import { emergencyRoutes } from './emergency.routes.ts';
import { handoverRoutes } from './handover.routes.ts';
import { incidentRoutes } from './incident.routes.ts';

export async function alertingRoutes(app: App, ctx: AppContext): Promise<void> {
  await notificationRoutes(app, ctx);
  await emergencyRoutes(app, ctx);
  await handoverRoutes(app, ctx);
  await incidentRoutes(app, ctx);
}
