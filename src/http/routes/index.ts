import type { App } from '../app.ts';
import type { AppContext } from '../../runtime/context.ts';
import { metaRoutes } from './meta/meta.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { caseRoutes } from './cases/case.routes.ts';
import { duplicateRoutes } from './cases/duplicate.routes.ts';
import { assistRoutes } from './joint/assist.routes.ts';
import { attachmentRoutes } from './attachments/attachment.routes.ts';
import { eventRoutes } from './events/event.routes.ts';
import { referenceRoutes } from './reference/reference.routes.ts';
import { adminRoutes } from './admin/admin.routes.ts';
import { geocodeRoutes } from './geocode/geocode.routes.ts';
import { statsRoutes } from './stats/stats.routes.ts';
import { levelRoutes } from './levels/level.routes.ts';
import { summonsRoutes } from './summons/summons.routes.ts';
import { resourceRoutes } from './resources/resource.routes.ts';
import { rosterRoutes } from './resources/roster.routes.ts';
import { registerIntakeRoutes } from '../../intake/index.ts';
import { alertingRoutes } from './alerting/index.ts';
import { callbackRoutes } from './callbacks/callback.routes.ts';
import { caseDeskRoutes } from './callbacks/case-desks.routes.ts';
import { exclusionRoutes } from './exclusions/exclusion.routes.ts';
import { appealRoutes } from './appeals/appeal.routes.ts';
import { supervisionRoutes } from './supervision/supervision.routes.ts';
import { assessmentRoutes } from './assessment/assessment.routes.ts';
import { decideRoutes } from './decide/decide.routes.ts';
import { decideRecordRoutes } from './decide/decide-records.routes.ts';
import { sensingControlRoutes } from './sensing-control.ts';
import { exportRoutes } from './exports/export.routes.ts';
import { deviceRoutes } from './devices/device.routes.ts';

export async function registerRoutes(app: App, ctx: AppContext): Promise<void> {
  await metaRoutes(app, ctx);
  await authRoutes(app, ctx);
  await caseRoutes(app, ctx);
  await duplicateRoutes(app, ctx);
  await assistRoutes(app, ctx);
  await attachmentRoutes(app, ctx);
  await eventRoutes(app, ctx);
  await referenceRoutes(app, ctx);
  await adminRoutes(app, ctx);
  await geocodeRoutes(app, ctx);
  await statsRoutes(app, ctx);
  await levelRoutes(app, ctx);
  await summonsRoutes(app, ctx);
  await alertingRoutes(app, ctx);
  await resourceRoutes(app, ctx);
  await rosterRoutes(app, ctx);
  // The assessment desks (issue 10 part 4): callbacks, exclusions, appeals, supervision.
  await callbackRoutes(app, ctx);
  await caseDeskRoutes(app, ctx);
  await exclusionRoutes(app, ctx);
  await appealRoutes(app, ctx);
  await supervisionRoutes(app, ctx);
  await assessmentRoutes(app, ctx);
  await decideRoutes(app, ctx); // issue 10 part 5
  await decideRecordRoutes(app, ctx);
  await sensingControlRoutes(app, ctx); // issue 11: rules, alarms, cameras, vital signs
  await exportRoutes(app, ctx); // issue 10 part 6
  await deviceRoutes(app, ctx);
  // Every intake channel's HTTP edge (src/intake/index.ts).
  await registerIntakeRoutes(app, ctx);
}
