import type { App } from '../app.ts';
import type { AppContext } from '../../runtime/context.ts';
import { metaRoutes } from './meta/meta.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { caseRoutes } from './cases/case.routes.ts';
import { duplicateRoutes } from './cases/duplicate.routes.ts';
import { attachmentRoutes } from './attachments/attachment.routes.ts';
import { eventRoutes } from './events/event.routes.ts';
import { referenceRoutes } from './reference/reference.routes.ts';
import { adminRoutes } from './admin/admin.routes.ts';
import { geocodeRoutes } from './geocode/geocode.routes.ts';
import { statsRoutes } from './stats/stats.routes.ts';
import { open311Routes } from '../../intake/open311/open311.routes.ts';
import { departmentRoutes } from '../../intake/department/department.routes.ts';
import { hotlineRoutes } from '../../intake/hotline/hotline.routes.ts';
import { patrolRoutes } from '../../intake/patrol/patrol.routes.ts';
import { publicRoutes } from './public/public.routes.ts';

export async function registerRoutes(app: App, ctx: AppContext): Promise<void> {
  await metaRoutes(app, ctx);
  await authRoutes(app, ctx);
  await caseRoutes(app, ctx);
  await duplicateRoutes(app, ctx);
  await attachmentRoutes(app, ctx);
  await eventRoutes(app, ctx);
  await referenceRoutes(app, ctx);
  await adminRoutes(app, ctx);
  await geocodeRoutes(app, ctx);
  await statsRoutes(app, ctx);
  await open311Routes(app, ctx);
  await departmentRoutes(app, ctx);
  await hotlineRoutes(app, ctx);
  await patrolRoutes(app, ctx);
  await publicRoutes(app, ctx);
}
