/**
 * Discovery, the service list and service definitions, all derived from the matter catalogue (事部件目录,
 * GB/T 47678.5): a service is a matter class; its code is the 5-digit matter code (always a string — codes such
 * as "01001" are not JSON numbers, docs/open311.md §1.11).
 */
import type { MatterClassDef } from '../../domain/catalog/catalog.ts';
import type { ReferenceData } from '../../runtime/reference-cache.ts';

export const GEOREPORT_V2 = 'http://wiki.open311.org/GeoReport_v2';

/**
 * When this document last changed: the release of the Open311 edge (the SeeClickFix validator wants it in the
 * past). The service list itself follows the catalogue, which has its own reference version.
 */
export const DISCOVERY_CHANGESET = '2026-11-20T00:00:00+08:00';

export interface ServiceDto {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

export function discoveryDocument(baseUrl: string) {
  return {
    changeset: DISCOVERY_CHANGESET,
    contact: '城市运行管理服务平台运维组 / CityOps operators of this city: see the API documentation at ' + `${baseUrl}/docs`,
    key_service: '接口密钥由平台管理员签发（cityops apikey create --name <应用名>）/ api_key is issued by the platform administrator (`cityops apikey create`)',
    endpoints: [{
      specification: GEOREPORT_V2,
      url: `${baseUrl}/open311/v2`,
      changeset: DISCOVERY_CHANGESET,
      type: 'production',
      formats: ['text/xml', 'application/json'],
    }],
  };
}

function keywordsOf(m: MatterClassDef): string {
  // Words a client may search for: the name, its class, and the name without the generic "异常" suffix.
  const words = [m.name, m.name.replace(/异常$/, ''), m.className.replace(/（部件）$/, '')];
  return [...new Set(words.filter((w) => w.length > 0))].join(',');
}

export function presentService(m: MatterClassDef): ServiceDto {
  return {
    service_code: m.code,
    service_name: m.name,
    description: m.registrationCondition ? `${m.name}。立案条件：${m.registrationCondition}` : m.name,
    // No matter asks extra questions yet, so no client needs GET services/{code} (metadata=false).
    metadata: false,
    type: 'realtime',
    keywords: keywordsOf(m),
    group: m.className,
  };
}

/** Services in code order; cached per reference version (the catalogue changes rarely, clients ask often). */
let cache: { version: number; matters: ReferenceData['matters']; list: ServiceDto[] } | undefined;
export function serviceList(ref: ReferenceData): ServiceDto[] {
  if (cache && cache.version === ref.version && cache.matters === ref.matters) return cache.list;
  const list = [...ref.matters.values()].filter((m) => m.kind === 'matter')
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)).map(presentService);
  cache = { version: ref.version, matters: ref.matters, list };
  return list;
}

/** GET services/{code}: the definition (no attributes yet). Undefined for an unknown code. */
export function serviceDefinition(ref: ReferenceData, code: string): { service_code: string; attributes: never[] } | undefined {
  const m = ref.matters.get(code);
  return m && m.kind === 'matter' ? { service_code: m.code, attributes: [] } : undefined;
}
