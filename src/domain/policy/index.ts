export {
  type Role,
  type Permission,
  ROLES,
  ROLE_NAMES,
  isRole,
  PERMISSIONS,
  PERMISSION_NAMES,
  ROLE_PERMISSIONS,
  hasPermission,
  permissionsOf,
} from './permissions.ts';
export { type Actor, isAdmin, belongsToUnit, coversRegion } from './scope.ts';
