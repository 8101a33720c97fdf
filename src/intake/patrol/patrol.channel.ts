import type { IntakeChannel } from '../channel.ts';
import { patrolRoutes } from './patrol.routes.ts';

/** Patrol reports from inspectors and grid members on their phones: see README.md here. */
export const patrolChannel: IntakeChannel = { name: 'patrol', title: { zh: '巡查上报', en: 'Patrol reports' }, routes: patrolRoutes };
