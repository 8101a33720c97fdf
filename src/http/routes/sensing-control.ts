/** Issue 11's control plane: rules, alarms, cameras, vital signs (docs/issue-11/rules-alarms-video.md). */
import type { App } from '../app.ts';
import type { AppContext } from '../../runtime/context.ts';
import { ruleRoutes } from './rules/rule.routes.ts';
import { alarmRoutes } from './alarms/alarm.routes.ts';
import { cameraRoutes } from './cameras/camera.routes.ts';
import { vitalRoutes } from './vitals/vital.routes.ts';
import { scenarioRoutes } from './scenarios/scenario.routes.ts';

export async function sensingControlRoutes(app: App, ctx: AppContext): Promise<void> {
  await ruleRoutes(app, ctx);
  await alarmRoutes(app, ctx);
  await cameraRoutes(app, ctx);
  await vitalRoutes(app, ctx);
  await scenarioRoutes(app, ctx);
}
