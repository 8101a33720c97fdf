import type { IntakeChannel } from '../channel.ts';
import { open311Routes } from './open311.routes.ts';

/** Open311 GeoReport v2 (citizens' apps, FixMyStreet and other clients): see README.md here. */
export const open311Channel: IntakeChannel = { name: 'open311', title: { zh: 'Open311 市民上报', en: 'Open311 GeoReport v2' }, routes: open311Routes };
