import type { IntakeChannel } from '../channel.ts';
import { hotlineRoutes } from './hotline.routes.ts';

/** 12345 hotline work orders and the knowledge base the seats answer from. */
export const hotlineChannel: IntakeChannel = { name: 'hotline', title: { zh: '12345 热线', en: '12345 hotline' }, routes: hotlineRoutes };
