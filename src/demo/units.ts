/**
 * Handling units (处置单位) of the demo district. Ids are stable, readable handles ('U-CGZF', 'U-JD-001')
 * that rules, parts and fixtures can name. Street offices and their 城管中队 follow the street codes:
 * U-JD-001 / U-CGZF-001 for street 329902001, U-JD-101 for town 329902101.
 */
import type { DemoUnit, UnitKind } from './types.ts';
import type { Layout } from './layout.ts';
import { DISTRICT_NAME } from './names.ts';

export const U = {
  CENTRE: 'U-CENTRE',
  GOV: 'U-GOV',
  CGZF: 'U-CGZF',
  LHSR: 'U-LHSR',
  HWS: 'U-HWS',
  YLS: 'U-YLS',
  ZJW: 'U-ZJW',
  SZYH: 'U-SZYH',
  ZMS: 'U-ZMS',
  GA: 'U-GA',
  JJDD: 'U-JJDD',
  SCJG: 'U-SCJG',
  STHJ: 'U-STHJ',
  SW: 'U-SW',
  PS: 'U-PS',
  FG: 'U-FG',
  MZ: 'U-MZ',
  WL: 'U-WL',
  JT: 'U-JT',
  YJ: 'U-YJ',
  QX: 'U-QX',
  XF: 'U-XF',
  GD: 'U-GD',
  RQ: 'U-RQ',
  ZLS: 'U-ZLS',
  DX: 'U-DX',
  YD: 'U-YD',
  LT: 'U-LT',
  GDWL: 'U-GDWL',
  YZ: 'U-YZ',
  BUS: 'U-BUS',
  METRO: 'U-METRO',
  BIKE: 'U-BIKE',
} as const;

const D = DISTRICT_NAME;

/** [id, name, kind, parentId] of the district-wide units; all serve the district region */
const DISTRICT_UNITS: [string, string, UnitKind, string | null][] = [
  [U.CENTRE, `${D}城市运行管理中心`, 'centre', null],
  [U.GOV, `${D}人民政府`, 'government', null],
  [U.CGZF, `${D}城市管理行政执法局`, 'department', U.GOV],
  [U.LHSR, `${D}绿化和市容管理局`, 'department', U.GOV],
  [U.HWS, `${D}环境卫生管理所`, 'sub_unit', U.LHSR],
  [U.YLS, `${D}园林绿化管理所`, 'sub_unit', U.LHSR],
  [U.ZJW, `${D}住房和城乡建设委员会`, 'department', U.GOV],
  [U.SZYH, `${D}市政工程养护所`, 'sub_unit', U.ZJW],
  [U.ZMS, `${D}路灯照明管理所`, 'sub_unit', U.ZJW],
  [U.GA, `江海市公安局${D.replace('区', '')}分局`, 'department', U.GOV],
  [U.JJDD, `江海市公安局${D.replace('区', '')}分局交通警察大队`, 'sub_unit', U.GA],
  [U.SCJG, `${D}市场监督管理局`, 'department', U.GOV],
  [U.STHJ, `${D}生态环境局`, 'department', U.GOV],
  [U.SW, `${D}水务局`, 'department', U.GOV],
  [U.PS, `${D}排水管理所`, 'sub_unit', U.SW],
  [U.FG, `${D}房屋管理局`, 'department', U.GOV],
  [U.MZ, `${D}民政局`, 'department', U.GOV],
  [U.WL, `${D}文化体育和旅游局`, 'department', U.GOV],
  [U.JT, `${D}交通运输局`, 'department', U.GOV],
  [U.YJ, `${D}应急管理局`, 'department', U.GOV],
  // vertically managed (垂直管理): not under the district government
  [U.QX, `${D}气象局`, 'department', null],
  [U.XF, `${D}消防救援大队`, 'department', null],
  [U.GD, `国网江海供电公司${D.replace('区', '')}供电中心`, 'utility', null],
  [U.RQ, '江海市燃气集团有限公司', 'utility', null],
  [U.ZLS, '江海市自来水有限公司', 'utility', null],
  [U.DX, '中国电信江海分公司', 'utility', null],
  [U.YD, '中国移动江海分公司', 'utility', null],
  [U.LT, '中国联通江海分公司', 'utility', null],
  [U.GDWL, '江海广电网络有限公司', 'utility', null],
  [U.YZ, '中国邮政集团江海市分公司', 'utility', null],
  [U.BUS, '江海市公共交通集团有限公司', 'utility', null],
  [U.METRO, '江海地铁运营有限公司', 'utility', null],
  [U.BIKE, '江海市共享单车运营企业联合服务站', 'utility', null],
];

export const PROPERTY_COMPANIES: [string, string][] = [
  ['U-WY-01', '江海安居物业服务有限公司'],
  ['U-WY-02', '滨江城投物业管理有限公司'],
  ['U-WY-03', '锦程物业服务有限公司'],
  ['U-WY-04', '海悦物业管理有限公司'],
  ['U-WY-05', '恒信物业服务有限公司'],
  ['U-WY-06', '和家物业服务有限公司'],
];

export interface StreetUnits {
  streetId: string;
  officeId: string;
  squadId: string;
}

export function buildUnits(layout: Layout): { units: DemoUnit[]; streetUnits: StreetUnits[] } {
  const districtId = layout.district.id;
  const units: DemoUnit[] = DISTRICT_UNITS.map(([id, name, kind, parentId]) => ({
    id, code: id.slice(2), name, kind, parentId, regionId: districtId,
  }));
  for (const [id, name] of PROPERTY_COMPANIES) {
    units.push({ id, code: id.slice(2), name, kind: 'property_company', parentId: null, regionId: districtId });
  }
  const streetUnits: StreetUnits[] = [];
  for (const street of layout.streets) {
    const suffix = street.code.slice(-3);
    const town = street.name.endsWith('镇');
    const officeId = `U-JD-${suffix}`;
    const squadId = `U-CGZF-${suffix}`;
    // a town (镇) is governed by a town government, a 街道 by the district's agency, the 街道办事处
    units.push({
      id: officeId, code: `JD-${suffix}`, name: town ? `${street.name}人民政府` : `${street.name}办事处`,
      kind: 'street_office', parentId: U.GOV, regionId: street.id,
    });
    units.push({
      id: squadId, code: `CGZF-${suffix}`, name: `${D}城市管理行政执法局${street.name.replace(/(街道|镇)$/, '')}中队`,
      kind: 'sub_unit', parentId: U.CGZF, regionId: street.id,
    });
    streetUnits.push({ streetId: street.id, officeId, squadId });
  }
  return { units, streetUnits };
}
