/**
 * The in-process schedule of issue 9's alerting: the notification fan-out (which also raises emergency alerts) and
 * the emergency escalation, every `intervalMs`. Never overlaps itself; both steps are safe to run twice and on
 * several nodes (see notify-fanout.job.ts and commands/emergency-raise.ts); a failure is logged and retried next tick.
 */
import type { AppContext } from '../runtime/context.ts';
import { escalateDueEmergencies } from '../commands/emergency-raise.ts';
import { runNotifyFanout } from './notify-fanout.job.ts';

export async function runAlerting(ctx: AppContext): Promise<void> {
  const f = await runNotifyFanout(ctx);
  if (f.alertsRaised > 0) ctx.log.info(f, `emergency: ${f.alertsRaised} alert(s) raised`);
  const e = await escalateDueEmergencies(ctx);
  if (e.escalated + e.exhausted > 0) ctx.log.info(e, `emergency: ${e.escalated} alert(s) escalated, ${e.exhausted} unanswered at the top`);
}

export function scheduleAlerting(ctx: AppContext, intervalMs: number): NodeJS.Timeout {
  let running = false;
  return setInterval(() => {
    if (running) return;
    running = true;
    runAlerting(ctx).catch((err) => ctx.log.error(err, 'notifications / emergency escalation failed')).finally(() => { running = false; });
  }, intervalMs);
}
