import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { consoleRoutes } from './console.ts';

export async function metaRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/healthz', {
    config: { public: true },
    schema: {
      tags: ['meta'],
      summary: 'Liveness and database check',
      response: {
        200: Type.Object({ status: Type.Literal('ok'), database: Type.String(), time: Type.String() }),
      },
    },
  }, async () => {
    await ctx.store.settings.referenceVersion();
    return { status: 'ok' as const, database: ctx.store.dialect, time: new Date(ctx.clock.now()).toISOString() };
  });

  app.get('/api/v1/openapi.json', {
    config: { public: true },
    schema: { hide: true },
  }, async () => app.swagger());

  // `/`: the web console when it is built (web/dist), else the landing page; plus its SPA fallback and config.
  await consoleRoutes(app, ctx);
}
