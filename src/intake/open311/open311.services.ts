/**
 * Discovery, the service list and service definitions, all derived from the matter catalogue (事部件目录,
 * GB/T 47678.5): a service is a matter class; its code is the 5-digit matter code (always a string — codes such
 * as "01001" are not JSON numbers, docs/open311.md §1.11).
 */
import type { MatterClassDef } from '../../domain/catalog/catalog.ts';
import type { ReferenceData } from '../../runtime/reference-cache.ts';
import { presentAttribute, type AttributeSets } from './open311.attributes.ts';

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
      // With its trailing slash: clients append `services.xml` etc. to the path as it stands (FixMyStreet does).
      url: `${baseUrl}/open311/v2/`,
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

export function presentService(m: MatterClassDef, hasAttributes: boolean): ServiceDto {
  return {
    service_code: m.code,
    service_name: m.name,
    description: m.registrationCondition ? `${m.name}。立案条件：${m.registrationCondition}` : m.name,
    // true when the matter asks extra questions: the client then reads GET services/{code} and sends attribute[code].
    metadata: hasAttributes,
    type: 'realtime',
    keywords: keywordsOf(m),
    group: m.className,
  };
}

/**
 * Services in code order; cached per reference snapshot and attribute sets (the catalogue and its questions change
 * rarely and bump the reference version; clients ask often).
 */
let cache: { matters: ReferenceData['matters']; sets: AttributeSets; list: ServiceDto[] } | undefined;
export function serviceList(ref: ReferenceData, sets: AttributeSets): ServiceDto[] {
  if (cache && cache.matters === ref.matters && cache.sets === sets) return cache.list;
  const list = [...ref.matters.values()].filter((m) => m.kind === 'matter')
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)).map((m) => presentService(m, sets.has(m.code)));
  cache = { matters: ref.matters, sets, list };
  return list;
}

/** GET services/{code}: the definition with its attributes in display order. Undefined for an unknown code. */
export function serviceDefinition(ref: ReferenceData, sets: AttributeSets, code: string) {
  const m = ref.matters.get(code);
  if (!m || m.kind !== 'matter') return undefined;
  return { service_code: m.code, attributes: (sets.get(m.code) ?? []).map(presentAttribute) };
}
