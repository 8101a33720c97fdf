/**
 * Types of the deterministic demo city (江海市滨江区, fictional, on real WGS84 coordinates).
 * The generator is pure: the caller reads the JSON resources and passes them in.
 */

/** GeoJSON polygon, [lon, lat] WGS84; rings closed; shells counter-clockwise (RFC 7946 §3.1.6). */
export type Polygon = { type: 'Polygon'; coordinates: number[][][] };

export type AreaClass = 'A' | 'B' | 'C';

export interface DemoRegion {
  id: string;
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'community';
  parentId: string | null;
  /** null for the city: the demo generates one district only. */
  geometry: Polygon | null;
  areaClass: AreaClass;
}

export interface DemoGrid {
  id: string;
  code: string;
  name: string;
  kind: 'unit';
  communityId: string;
  geometry: Polygon;
  areaM2: number;
  areaClass: AreaClass;
}

export type UnitKind =
  | 'centre'
  | 'government'
  | 'department'
  | 'street_office'
  | 'utility'
  | 'property_company'
  | 'sub_unit';

export interface DemoUnit {
  id: string;
  code: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
  /** the region it serves */
  regionId: string;
}

export interface DemoRule {
  id: string;
  matterCode?: string;
  matterClass?: string;
  regionId: string;
  partOwnerUnitId?: string;
  unitId: string;
  assistingUnitIds: string[];
  note?: string;
}

export type LimitUnit = 'natural_minutes' | 'natural_hours' | 'natural_days' | 'work_hours' | 'work_days';
export type Urgency = 'normal' | 'urgent' | 'very_urgent';

export interface TimeLimitAmount {
  amount: number;
  unit: LimitUnit;
}

export interface DemoTimeLimit {
  matterKind: 'matter' | 'part';
  matterCode: string;
  urgency: Urgency;
  /** null = every area class; an 'A' entry overrides it in core areas / main roads. */
  areaClass: AreaClass | null;
  limit: TimeLimitAmount;
  basis: string;
}

export interface HouseNumber {
  number: string;
  lon: number;
  lat: number;
}

export interface DemoPlace {
  kind: 'road' | 'compound' | 'landmark';
  name: string;
  communityId: string | null;
  geometry: { type: 'Point'; coordinates: number[] } | { type: 'LineString'; coordinates: number[][] } | { type: 'Polygon'; coordinates: number[][][] };
  houseNumbers?: HouseNumber[];
  /** Extension: a readable postal address, e.g. 滨江区望江路128号锦绣花园 (compounds and landmarks). */
  address?: string;
  /** Extension: the property company that manages a compound. */
  propertyUnitId?: string;
  /** Extension: what a landmark is (学校, 医院, 公园, 地铁站, 菜市场, 卫生服务中心). */
  category?: string;
}

export interface DemoPart {
  /** 17 digits: 6 administrative area + 2 class + 3 subclass + 6 sequence */
  id: string;
  partCode: string;
  name: string;
  lon: number;
  lat: number;
  gridId: string;
  ownerUnitId: string;
  maintainerUnitId: string;
  state: 'normal';
}

export interface DemoCityInfo {
  name: string;
  code: string;
  province: string;
  districtName: string;
  districtCode: string;
  /** [lon, lat] WGS84 of the district's origin */
  origin: [number, number];
  seed: number;
  note: string;
}

export interface AdmissionEntry {
  matterCode?: string;
  matterClass?: string;
}

export interface DemoCity {
  city: DemoCityInfo;
  regions: DemoRegion[];
  grids: DemoGrid[];
  units: DemoUnit[];
  /** regionId → unitId (兜底 unit) */
  fallbackUnits: Record<string, string>;
  rules: DemoRule[];
  admission: AdmissionEntry[];
  timeLimits: DemoTimeLimit[];
  places: DemoPlace[];
  parts: DemoPart[];
}

/** resources/catalog-gbt47678-5.json */
export interface CatalogJson {
  source?: string;
  matters: { code: string; name: string; class: string; className: string }[];
  parts: { code: string; name: string; class: string; className: string }[];
}

/** resources/matter-defaults.json */
export interface MatterDefaultsJson {
  about?: string;
  units?: string;
  matters: {
    codes: string[];
    kind: string;
    name: string;
    typicalUnits: string[];
    handlingLimit: string;
    basis: string;
  }[];
}

export interface GenerateDemoCityInput {
  catalog: CatalogJson;
  matterDefaults: MatterDefaultsJson;
  seed?: number;
}
