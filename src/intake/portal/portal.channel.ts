import type { IntakeChannel } from '../channel.ts';
import { publicRoutes } from '../../http/routes/public/public.routes.ts';

/** The citizen portal (/portal, no sign-in): report with a map point and a photo, follow, rate (channel 'app'). */
export const portalChannel: IntakeChannel = { name: 'portal', title: { zh: '市民门户', en: 'Citizen portal' }, routes: publicRoutes };
