/**
 * The channels, in one list: the server registers every channel's routes and starts every configured consumer from
 * here. To add a channel, see README.md in this folder.
 */
import type { App } from '../http/app.ts';
import type { AppContext } from '../runtime/context.ts';
import type { IntakeChannel, RunningConsumer } from './channel.ts';
import { open311Channel } from './open311/open311.channel.ts';
import { hotlineChannel } from './hotline/hotline.channel.ts';
import { patrolChannel } from './patrol/patrol.channel.ts';
import { departmentChannel } from './department/department.channel.ts';
import { portalChannel } from './portal/portal.channel.ts';
import { fileDropChannel } from './file-drop/file-drop.channel.ts';
import { videoChannel } from './video/video.channel.ts';
import { mqttChannel } from './mqtt/mqtt.channel.ts';
import { sensorHttpChannel } from './sensor-http/sensor-http.channel.ts';
import { ngsiLdChannel } from './ngsi-ld/ngsi-ld.channel.ts';

export const INTAKE_CHANNELS: readonly IntakeChannel[] = [
  open311Channel, hotlineChannel, patrolChannel, departmentChannel, portalChannel, fileDropChannel,
  mqttChannel, sensorHttpChannel, ngsiLdChannel, videoChannel, // issue 11
];

export async function registerIntakeRoutes(app: App, ctx: AppContext): Promise<void> {
  for (const c of INTAKE_CHANNELS) if (c.routes) await c.routes(app, ctx);
}

/** Starts every configured consumer; the answer stops them all (in reverse order). */
export async function startIntakeConsumers(ctx: AppContext): Promise<{ running: string[]; stop(): Promise<void> }> {
  const started: { name: string; consumer: RunningConsumer }[] = [];
  for (const c of INTAKE_CHANNELS) {
    if (!c.start) continue;
    const consumer = await c.start(ctx);
    if (consumer) started.push({ name: c.name, consumer });
  }
  return {
    running: started.map((s) => `${s.name}: ${s.consumer.describe}`),
    stop: async () => {
      for (const s of started.reverse()) await s.consumer.stop();
    },
  };
}
