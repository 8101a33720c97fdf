/**
 * THE route table. A feature page is one line here: its path, its lazily loaded component, its title, and
 * who may open it (`permission`: any of the listed; omit for every signed-in user; `public: true` for no
 * sign-in). `nav: true` puts it in the top navigation for users who may open it (`navRoles` narrows that further).
 * Paths may have `:params`, read in the page with useParams().
 */
import { lazy, type ComponentType } from 'react';
import type { MessageKey, Msg } from './i18n.ts';
import type { Permission, Role } from './auth.tsx';
import { LoginPage } from './LoginPage.tsx';
import { HomePage } from './HomePage.tsx';

export interface RouteDef {
  path: string;
  page: ComponentType;
  title: MessageKey | Msg;
  permission?: Permission | readonly Permission[];
  public?: boolean;
  /** 'shell' (top bar + nav, default) or 'bare' (the page draws everything: login, big screen, portal). */
  layout?: 'shell' | 'bare';
  /** 'dark' for the big screen. */
  theme?: 'light' | 'dark';
  nav?: boolean;
  /** Show the nav item only to these roles (access is still decided by `permission`). */
  navRoles?: readonly Role[];
}

const ADMIN: readonly Permission[] = [
  'region.manage', 'grid.manage', 'catalog.manage', 'unit.manage', 'user.manage', 'rule.manage', 'calendar.manage', 'apikey.manage',
];

export const ROUTES: readonly RouteDef[] = [
  { path: '/', page: HomePage, title: 'nav.home' },
  { path: '/login', page: LoginPage, title: 'login.title', public: true, layout: 'bare' },
  { path: '/intake', page: lazy(() => import('../features/intake/IntakePage.tsx')), title: 'nav.intake', permission: 'case.create', nav: true },
  { path: '/cases', page: lazy(() => import('../features/cases/CaseListPage.tsx')), title: 'nav.cases', permission: 'case.read', nav: true },
  { path: '/cases/:id', page: lazy(() => import('../features/cases/CaseDetailPage.tsx')), title: 'nav.cases', permission: 'case.read' },
  { path: '/cases/:id/print', page: lazy(() => import('../features/cases/WorkOrderPrint.tsx')), title: { zh: '派遣单', en: 'Work order' }, permission: 'case.read', layout: 'bare' },
  { path: '/m', page: lazy(() => import('../features/mobile/MobilePage.tsx')), title: 'nav.mobile', permission: 'case.create', nav: true, navRoles: ['inspector', 'grid_member', 'admin'] },
  { path: '/bigscreen', page: lazy(() => import('../features/bigscreen/BigScreenPage.tsx')), title: 'nav.bigscreen', permission: 'events.read', layout: 'bare', theme: 'dark', nav: true,
    navRoles: ['centre_leader', 'shift_leader', 'dispatcher', 'admin'] },
  { path: '/levels', page: lazy(() => import('../features/levels/LevelsPage.tsx')), title: { zh: '层级平台', en: 'Platforms' }, permission: 'case.read', nav: true,
    navRoles: ['shift_leader', 'dispatcher', 'centre_leader', 'admin'] },
  { path: '/summons', page: lazy(() => import('../features/summons/SummonsListPage.tsx')), title: { zh: '吹哨报到', en: 'Summons' }, permission: 'case.read', nav: true },
  // The assessment desks (issue 10): callbacks for seats, appeals and exclusions, supervision.
  { path: '/callbacks', page: lazy(() => import('../features/callbacks/CallbackQueuePage.tsx')), title: { zh: '回访', en: 'Callbacks' }, permission: 'case.read', nav: true,
    navRoles: ['operator', 'shift_leader', 'admin'] },
  { path: '/appeals', page: lazy(() => import('../features/appeals/AppealsDeskPage.tsx')), title: { zh: '申诉与无理诉求', en: 'Appeals' }, permission: 'case.read', nav: true,
    navRoles: ['shift_leader', 'centre_leader', 'unit_leader', 'admin'] },
  { path: '/supervision', page: lazy(() => import('../features/supervision/SupervisionDeskPage.tsx')), title: { zh: '督办', en: 'Supervision' }, permission: 'case.read', nav: true,
    navRoles: ['shift_leader', 'centre_leader', 'unit_leader', 'unit_handler', 'admin'] },
  { path: '/decide', page: lazy(() => import('../features/decide/DecidePage.tsx')), title: { zh: '研判分析', en: 'Analysis' }, permission: 'decide.read', nav: true,
    navRoles: ['centre_leader', 'shift_leader', 'unit_leader', 'admin'] },
  { path: '/admin', page: lazy(() => import('../features/admin/AdminPage.tsx')), title: 'nav.admin', permission: ADMIN, nav: true },
  { path: '/handovers', page: lazy(() => import('../features/notify/HandoverPage.tsx')), title: { zh: '交接班', en: 'Handover' }, permission: 'events.read', nav: true, navRoles: ['shift_leader', 'centre_leader', 'admin'] },
  { path: '/incidents', page: lazy(() => import('../features/notify/IncidentPage.tsx')), title: { zh: '重大事件', en: 'Incidents' }, permission: 'events.read', nav: true, navRoles: ['dispatcher', 'shift_leader', 'centre_leader', 'admin'] },
  { path: '/resources', page: lazy(() => import('../features/resources/ResourcesPage.tsx')), title: { zh: '力量分布', en: 'Field resources' }, permission: 'resource.read', nav: true,
    navRoles: ['centre_leader', 'shift_leader', 'dispatcher', 'unit_leader', 'admin'] },
  { path: '/rosters', page: lazy(() => import('../features/resources/RosterPage.tsx')), title: { zh: '值班表', en: 'Rosters' }, permission: 'resource.read' },
  { path: '/assessment', page: lazy(() => import('../features/assessment/AssessmentPage.tsx')), title: { zh: '考核评价', en: 'Assessment' }, permission: 'assessment.read', nav: true,
    navRoles: ['centre_leader', 'shift_leader', 'admin'] },
  { path: '/assessment/unit', page: lazy(() => import('../features/assessment/UnitDashboardPage.tsx')), title: { zh: '本单位考核', en: 'My unit\'s assessment' }, permission: 'assessment.read', nav: true,
    navRoles: ['unit_leader'] },
  { path: '/assessment/formulas', page: lazy(() => import('../features/assessment/FormulaEditorPage.tsx')), title: { zh: '计分公式', en: 'Score formula' }, permission: 'assessment.formula', nav: true,
    navRoles: ['centre_leader', 'admin'] },
  { path: '/assessment/report', page: lazy(() => import('../features/assessment/ReportPrintPage.tsx')), title: { zh: '考核月报', en: 'Monthly report' }, permission: 'assessment.read', layout: 'bare' },
  { path: '/alarms', page: lazy(() => import('../features/alarms/AlarmsPage.tsx')), title: { zh: '感知告警', en: 'Alarms' }, permission: 'case.read', nav: true,
    navRoles: ['operator', 'shift_leader', 'dispatcher', 'centre_leader', 'admin'] }, // issue 11
  { path: '/rules', page: lazy(() => import('../features/rules/RulesPage.tsx')), title: { zh: '感知规则', en: 'Sensing rules' }, permission: 'rule.manage', nav: true }, // issue 11
  { path: '/devices', page: lazy(() => import('../features/devices/DevicesPage.tsx')), title: { zh: '设备管理', en: 'Devices' }, permission: 'device.read', nav: true,
    navRoles: ['operator', 'shift_leader', 'dispatcher', 'centre_leader', 'unit_leader', 'admin'] }, // issue 11
  { path: '/devices/types', page: lazy(() => import('../features/devices/DeviceTypesPage.tsx')), title: { zh: '设备类型', en: 'Device types' }, permission: 'device.read' },
  { path: '/devices/:id', page: lazy(() => import('../features/devices/DevicePage.tsx')), title: { zh: '设备', en: 'Device' }, permission: 'device.read' },
  { path: '/scenarios', page: lazy(() => import('../features/scenarios/ScenariosPage.tsx')), title: { zh: '场景', en: 'Scenarios' }, permission: 'case.read', nav: true,
    navRoles: ['operator', 'shift_leader', 'dispatcher', 'centre_leader', 'admin'] }, // issue 11 part 6
  // Exports (issue 10 part 6): my exports with progress, and leaders' approvals.
  { path: '/exports', page: lazy(() => import('../features/exports/ExportsPage.tsx')), title: { zh: '数据导出', en: 'Exports' }, permission: 'case.read', nav: true,
    navRoles: ['centre_leader', 'shift_leader', 'dispatcher', 'unit_leader', 'operator', 'admin'] },
  { path: '/portal', page: lazy(() => import('../features/portal/PortalPage.tsx')), title: 'nav.portal', public: true, layout: 'bare' },
];

/**
 * Where each role starts after signing in (the first of the user's roles in this order wins).
 * The page must also be allowed by the route's permission.
 */
export const START_PAGES: readonly [Role, string][] = [
  ['admin', '/admin'],
  ['operator', '/intake'],
  ['shift_leader', '/cases'],
  ['dispatcher', '/cases'],
  ['unit_leader', '/cases'],
  ['unit_handler', '/cases'],
  ['inspector', '/m'],
  ['grid_member', '/m'],
  ['centre_leader', '/bigscreen'],
];
