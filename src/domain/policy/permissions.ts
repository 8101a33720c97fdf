/**
 * Roles and permissions (architecture.md §3 rule 6: authorization declared once).
 *
 * A permission answers "may this kind of user touch this kind of thing at all". What a user may do to one
 * particular case (which action, in which state, for which unit or region) is decided by the case transition
 * table in `src/domain/case/transitions.ts`, which uses the roles below. Every role that appears there holds
 * 'case.transition' (a test checks it).
 */

/** Who people are in a city operations centre and in the handling units (domain.md §2 glossary). */
export type Role =
  | 'operator' // 受理员 / 坐席员: takes reports, hotline seats, callbacks
  | 'shift_leader' // 值班长: registers and closes cases
  | 'dispatcher' // 派遣员: sends cases to units, rules disputes, approves postponements and hangs
  | 'inspector' // 监督员 / 信息采集员: reports, verifies and checks on site
  | 'grid_member' // 网格员: patrols a grid, reports, may verify
  | 'unit_handler' // 处置单位经办人: handles the cases of their unit
  | 'unit_leader' // 处置单位负责人: leads a unit, second-level dispatch
  | 'centre_leader' // 城运中心领导: supervises, reads the analyses
  | 'admin'; // 系统管理员: configuration; may act on cases (still bound by separation of duties)

export const ROLES: readonly { role: Role; zh: string; en: string }[] = [
  { role: 'operator', zh: '受理员', en: 'Operator' },
  { role: 'shift_leader', zh: '值班长', en: 'Shift leader' },
  { role: 'dispatcher', zh: '派遣员', en: 'Dispatcher' },
  { role: 'inspector', zh: '监督员', en: 'Inspector' },
  { role: 'grid_member', zh: '网格员', en: 'Grid member' },
  { role: 'unit_handler', zh: '处置单位经办人', en: 'Unit handler' },
  { role: 'unit_leader', zh: '处置单位负责人', en: 'Unit leader' },
  { role: 'centre_leader', zh: '中心领导', en: 'Centre leader' },
  { role: 'admin', zh: '系统管理员', en: 'Administrator' },
];

export const ROLE_NAMES: readonly Role[] = ROLES.map((r) => r.role);

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLE_NAMES as readonly string[]).includes(value);

/** Every permission a route may declare. */
export type Permission =
  | 'case.read'
  | 'case.create'
  | 'case.transition'
  | 'region.manage'
  | 'grid.manage'
  | 'catalog.manage'
  | 'unit.manage'
  | 'user.manage'
  | 'rule.manage'
  | 'calendar.manage'
  | 'apikey.manage'
  | 'events.read'
  | 'attachment.create'
  | 'personal_data.read'
  | 'resource.report'
  | 'resource.read'
  | 'roster.edit'
  | 'assessment.read'
  | 'assessment.formula'
  | 'decide.read'
  | 'decide.lead'
  | 'export.approve'
  | 'device.read'
  | 'device.manage';

export const PERMISSIONS: readonly { permission: Permission; zh: string; en: string }[] = [
  { permission: 'case.read', zh: '查看案件', en: 'Read cases' },
  { permission: 'case.create', zh: '上报案件', en: 'Report cases' },
  { permission: 'case.transition', zh: '办理案件', en: 'Act on cases' },
  { permission: 'region.manage', zh: '管理行政区划', en: 'Manage regions' },
  { permission: 'grid.manage', zh: '管理网格', en: 'Manage grids' },
  { permission: 'catalog.manage', zh: '管理事部件目录', en: 'Manage the matter and part catalogue' },
  { permission: 'unit.manage', zh: '管理处置单位', en: 'Manage units' },
  { permission: 'user.manage', zh: '管理用户', en: 'Manage users' },
  { permission: 'rule.manage', zh: '管理事项责任清单', en: 'Manage the responsibility list' },
  { permission: 'calendar.manage', zh: '管理工作日历', en: 'Manage the work calendar' },
  { permission: 'apikey.manage', zh: '管理接口密钥', en: 'Manage API keys' },
  { permission: 'events.read', zh: '订阅实时事件', en: 'Read the live event stream' },
  { permission: 'attachment.create', zh: '上传附件', en: 'Upload attachments' },
  { permission: 'personal_data.read', zh: '查看个人信息（不脱敏）', en: 'Read unmasked personal data' },
  // Field resources (issue 9 §4, docs/issue-9/field-resources.md).
  { permission: 'resource.report', zh: '上岗并上报位置', en: 'Go on duty and report positions' },
  { permission: 'resource.read', zh: '查看力量位置与值班表', en: 'See field resources and rosters' },
  { permission: 'roster.edit', zh: '编排值班表', en: 'Manage rosters' },
  // Assessment (issue 10, docs/issue-10/assessment.md): numbers in the caller's scope. Adopting a score formula is the
  // centre leadership's decision (not system configuration, hence not a .manage permission).
  { permission: 'assessment.read', zh: '查看考核', en: 'Read the assessment' },
  { permission: 'assessment.formula', zh: '采用考核计分公式', en: 'Adopt score formulas' },
  // Decision support (issue 10 part 5, docs/issue-10/decision-support.md).
  { permission: 'decide.read', zh: '查看热点、高频问题与研判', en: 'See hotspots, recurring problems and trends' },
  { permission: 'decide.lead', zh: '采纳、交办每月一题与未诉先办', en: 'Adopt and assign monthly topics and proactive tasks' },
  // Exports (issue 10 part 6, docs/issue-10/exports-and-demo.md).
  { permission: 'export.approve', zh: '审批大批量导出', en: 'Approve large exports' },
  // City sensing (issue 11, docs/issue-11/ingestion.md): which devices one sees follows the case visibility policy.
  { permission: 'device.read', zh: '查看感知设备与读数', en: 'See sensing devices and readings' },
  { permission: 'device.manage', zh: '管理感知设备', en: 'Manage sensing devices' },
];

export const PERMISSION_NAMES: readonly Permission[] = PERMISSIONS.map((p) => p.permission);

const CASE_WORK: readonly Permission[] = ['case.read', 'case.transition', 'attachment.create', 'device.read'];

/**
 * Role → permissions. Personal data of reporters (phone, name) is unmasked only for the people who must talk
 * to them: operators (callbacks), shift leaders, and admins (architecture.md §3 rule 9). Units see masked data.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  operator: [...CASE_WORK, 'case.create', 'events.read', 'personal_data.read', 'resource.read'],
  shift_leader: [...CASE_WORK, 'case.create', 'events.read', 'personal_data.read', 'resource.read', 'roster.edit', 'assessment.read', 'decide.read'],
  dispatcher: [...CASE_WORK, 'events.read', 'resource.read'],
  // The phone view's live list (issue 8): the stream is filtered by the one visibility policy, like everyone's.
  inspector: [...CASE_WORK, 'case.create', 'events.read', 'resource.report'],
  grid_member: [...CASE_WORK, 'case.create', 'events.read', 'resource.report'],
  unit_handler: [...CASE_WORK, 'events.read', 'resource.report'],
  unit_leader: [...CASE_WORK, 'events.read', 'resource.read', 'roster.edit', 'assessment.read', 'decide.read'],
  centre_leader: [...CASE_WORK, 'events.read', 'resource.read', 'roster.edit', 'assessment.read', 'assessment.formula', 'decide.read', 'decide.lead', 'export.approve'],
  admin: PERMISSION_NAMES,
};

/** True when any of the roles grants the permission. Unknown role strings grant nothing. */
export const hasPermission = (roles: readonly Role[], permission: Permission): boolean =>
  roles.some((role) => isRole(role) && ROLE_PERMISSIONS[role].includes(permission));

/** The union of the permissions of the roles, in PERMISSIONS order (for presenting "what can I do"). */
export const permissionsOf = (roles: readonly Role[]): Permission[] =>
  PERMISSION_NAMES.filter((p) => hasPermission(roles, p));
