import type { IntakeChannel } from '../channel.ts';
import { departmentRoutes } from './department.routes.ts';

/** Department systems: pushed incidents (idempotent by their own id) and signed webhooks back: see README.md here. */
export const departmentChannel: IntakeChannel = { name: 'department', title: { zh: '部门系统推送', en: 'Department systems' }, routes: departmentRoutes };
