/**
 * The demo responsibility list (事项责任清单) and grid admission list (网格事项准入清单).
 *
 * Shape of the list (most specific rule wins, domain.md §6):
 *  - class rules at the district for each of the ten classes: the broad default, so a locally added code is
 *    never unroutable;
 *  - a code rule for every catalogue matter: event matters 06–10 from matter-defaults.json `typicalUnits`
 *    where given (first unit leads, the others assist), otherwise from the table below; part-derived matters
 *    01–05 (code = part code) to the part type's maintainer (owners.ts);
 *  - matters whose typical units include 街道 are street work: one rule per street, at the street region, led
 *    by that street's office or by its 城管中队 (the 城管执法局's squad posted in the street);
 *  - owner-based rules for parts (partOwnerUnitId): a class rule per owning utility / property company, plus
 *    code rules where a code's instances may have several owners (telecom operators, compounds).
 * No two rules share (matterCode | matterClass, regionId, partOwnerUnitId): `RuleList.add` throws on a tie.
 */
import type { AdmissionEntry, CatalogJson, DemoRule, MatterDefaultsJson } from './types.ts';
import { COMPOUND_PART_CODES, PART_CLASS_DEFAULT, partResponsibility } from './owners.ts';
import { PROPERTY_COMPANIES, type StreetUnits, U } from './units.ts';

/** a role resolved per street: the street office or the street's 城管中队 */
const STREET = 'STREET';
const SQUAD = 'SQUAD';

const EVENT_CLASS_DEFAULT: Record<string, string> = {
  '06': U.LHSR, // 市容环境 → 绿化市容局
  '07': U.CGZF, // 宣传广告 → 城管执法局
  '08': U.ZJW, // 施工管理 → 住建委
  '09': U.CGZF, // 街面秩序 → 城管执法局
  '10': U.GOV, // 其他事项 → 区人民政府 (兜底) until a specific rule exists
};

/** event matters without matter-defaults: [lead, ...assisting]; omitted codes use the class default */
const EVENT_TABLE: Record<string, string[]> = {
  '06002': [U.CGZF], '06004': [U.LHSR, STREET], '06005': [STREET, SQUAD], '06006': [U.CGZF], '06008': [U.CGZF],
  '06015': [U.SW], '06016': [U.JJDD], '06019': [U.CGZF], '06022': [U.CGZF, U.YLS], '06023': [U.SW], '06024': [U.SW],
  '06026': [U.STHJ, U.SW], '06032': [U.STHJ, U.HWS], '06033': [U.STHJ], '06038': [STREET], '06039': [U.CGZF, U.SZYH],
  '06041': [U.LHSR, STREET], '06043': [U.CGZF], '06046': [U.SW, U.CGZF], '06047': [U.YLS], '06048': [U.SZYH],
  '06049': [U.SZYH], '06050': [U.SZYH], '06052': [U.SZYH],
  '07002': [U.CGZF], '07004': [U.SCJG], '07007': [U.CGZF], '07008': [U.LHSR],
  '08006': [U.ZJW, U.CGZF], '08007': [U.ZJW], '08012': [U.CGZF, U.ZJW], '08013': [U.ZJW, U.YJ], '08014': [U.SZYH],
  '08016': [U.CGZF, U.ZJW],
  '09002': [STREET, U.SCJG], '09003': [U.MZ, U.GA], '09004': [U.SCJG, U.CGZF], '09008': [U.WL, U.GA],
  '09011': [U.JT, U.BIKE], '09013': [U.SCJG], '09014': [U.JJDD], '09015': [U.SCJG], '09016': [U.JT],
  '09017': [U.SZYH, U.CGZF], '09018': [U.JJDD], '09019': [U.CGZF], '09020': [U.SCJG, STREET], '09021': [U.CGZF],
  '09022': [U.CGZF],
  // the owner of the fallen line handles; 供电 leads because a fallen power line is the dangerous case
  '10002': [U.GD, U.DX, U.YD, U.LT, U.GDWL],
};

/** matter-defaults `typicalUnits` wording → unit id or per-street role; null = no single unit (e.g. 物业) */
export function mapTypicalUnit(name: string): string | null {
  const table: [RegExp, string][] = [
    [/街道/, STREET],
    [/权属/, 'OWNER'],
    [/运营企业/, U.BIKE],
    [/照明/, U.ZMS],
    [/排水/, U.PS],
    [/环卫/, U.HWS],
    [/市政/, U.SZYH],
    [/园林/, U.YLS],
    [/水务/, U.SW],
    [/生态环境/, U.STHJ],
    [/交管/, U.JJDD],
    [/公安/, U.GA],
    [/消防/, U.XF],
    [/住建/, U.ZJW],
    [/区政府/, U.GOV],
    [/城管|执法/, U.CGZF],
    [/通信/, U.DX],
    [/电力/, U.GD],
  ];
  for (const [re, id] of table) if (re.test(name)) return id;
  return null;
}

class RuleList {
  readonly rules: DemoRule[] = [];
  private keys = new Set<string>();
  add(r: Omit<DemoRule, 'id'>): void {
    const key = `${r.matterCode ?? ''}|${r.matterClass ?? ''}|${r.regionId}|${r.partOwnerUnitId ?? ''}`;
    if (this.keys.has(key)) throw new Error(`responsibility list tie: ${key}`);
    this.keys.add(key);
    const id = `RULE-${String(this.rules.length + 1).padStart(4, '0')}`;
    const rule: DemoRule = { id, ...r };
    for (const k of ['matterCode', 'matterClass', 'partOwnerUnitId', 'note'] as const) if (rule[k] === undefined) delete rule[k];
    this.rules.push(rule);
  }
}

export interface RuleContext {
  districtId: string;
  streets: StreetUnits[];
}

export function buildRules(catalog: CatalogJson, defaults: MatterDefaultsJson, ctx: RuleContext): DemoRule[] {
  const list = new RuleList();
  const district = ctx.districtId;
  const defaultsByCode = new Map<string, MatterDefaultsJson['matters'][number]>();
  for (const d of defaults.matters) for (const c of d.codes) defaultsByCode.set(c, d);

  // ---- class defaults ------------------------------------------------------------------------------------
  for (const cls of Object.keys(PART_CLASS_DEFAULT)) {
    list.add({ matterClass: cls, regionId: district, unitId: PART_CLASS_DEFAULT[cls], assistingUnitIds: [], note: '部件类默认 class default' });
  }
  for (const cls of Object.keys(EVENT_CLASS_DEFAULT)) {
    list.add({ matterClass: cls, regionId: district, unitId: EVENT_CLASS_DEFAULT[cls], assistingUnitIds: [], note: '事件类默认 class default' });
  }

  // ---- event matters 06–10 -------------------------------------------------------------------------------
  for (const m of catalog.matters) {
    const d = defaultsByCode.get(m.code);
    let units: string[];
    let note: string;
    if (d && !EVENT_TABLE[m.code]) {
      units = d.typicalUnits.map(mapTypicalUnit).filter((u): u is string => u !== null && u !== 'OWNER');
      note = `matter-defaults: ${d.typicalUnits.join('、')}`;
    } else if (EVENT_TABLE[m.code]) {
      units = EVENT_TABLE[m.code];
      note = d ? `demo table (matter-defaults: ${d.typicalUnits.join('、')})` : 'demo table';
    } else {
      units = [EVENT_CLASS_DEFAULT[m.class] ?? U.GOV];
      note = 'class default';
    }
    units = [...new Set(units)];
    if (units.length === 0) units = [EVENT_CLASS_DEFAULT[m.class] ?? U.GOV];
    addMatterRules(list, m.code, units, `${m.name}: ${note}`, ctx);
  }

  // ---- part-derived matters 01–05 ------------------------------------------------------------------------
  const ownerClasses = new Set<string>();
  for (const p of catalog.parts) {
    const r = partResponsibility(p.code, p.name);
    const d = defaultsByCode.get(p.code);
    let units = [r.maintainer, r.owner];
    let note = `${p.name}异常: ${r.classDefault ? 'class default' : 'maintainer of the part type'}`;
    if (d) {
      const mapped = d.typicalUnits.map(mapTypicalUnit).filter((u): u is string => u !== null && u !== STREET);
      // 权属单位 = the owner (owner rules below pick the actual owner of the instance)
      units = mapped.flatMap((u) => (u === 'OWNER' ? [r.maintainer] : [u]));
      note = `${p.name}异常: matter-defaults ${d.typicalUnits.join('、')}`;
    }
    units = [...new Set(units)];
    list.add({ matterCode: p.code, regionId: district, unitId: units[0], assistingUnitIds: units.slice(1), note });
    const owners = [...r.altOwners, ...(COMPOUND_PART_CODES.includes(p.code) ? PROPERTY_COMPANIES.map(([id]) => id) : [])];
    for (const o of owners) {
      if (o === units[0]) continue;
      list.add({ matterCode: p.code, regionId: district, partOwnerUnitId: o, unitId: o, assistingUnitIds: [], note: `${p.name}异常: 权属单位` });
    }
    for (const o of [r.owner, ...owners]) if (isOwnerRouted(o)) ownerClasses.add(`${p.class}|${o}`);
  }
  for (const key of [...ownerClasses].sort()) {
    const [cls, owner] = key.split('|');
    list.add({ matterClass: cls, regionId: district, partOwnerUnitId: owner, unitId: owner, assistingUnitIds: [], note: '按权属派单 owner-based' });
  }
  return list.rules;
}

/** utilities and property companies handle their own assets wherever they are */
function isOwnerRouted(unitId: string): boolean {
  return [U.GD, U.RQ, U.ZLS, U.DX, U.YD, U.LT, U.GDWL, U.YZ, U.BUS, U.METRO, U.BIKE].includes(unitId as never) || unitId.startsWith('U-WY-');
}

function addMatterRules(list: RuleList, code: string, units: string[], note: string, ctx: RuleContext): void {
  const perStreet = units.includes(STREET) || units.includes(SQUAD);
  if (!perStreet) {
    list.add({ matterCode: code, regionId: ctx.districtId, unitId: units[0], assistingUnitIds: units.slice(1), note });
    return;
  }
  for (const s of ctx.streets) {
    // 城管 in street work is the street's squad; 街道 is the street office
    const resolved = [...new Set(units.map((u) => (u === STREET ? s.officeId : u === SQUAD || u === U.CGZF ? s.squadId : u)))];
    list.add({ matterCode: code, regionId: s.streetId, unitId: resolved[0], assistingUnitIds: resolved.slice(1), note: `${note} (属地 street work)` });
  }
}

/**
 * Matters a grid member may be assigned (网格事项准入): the street-face classes 06 市容环境 and 09 街面秩序 as a
 * whole (a city narrows them), small-advertising and site-hoarding codes that a patrol can check and often fix,
 * snow on pavements, and street furniture a grid member inspects (litter bins, bike parking, clothes-recycling
 * bins). Utilities' assets (manhole covers etc.) are not admitted: a grid member reports them, the owner handles.
 */
export function buildAdmission(): AdmissionEntry[] {
  return [
    { matterClass: '06' },
    { matterClass: '09' },
    { matterCode: '07001' },
    { matterCode: '07002' },
    { matterCode: '07008' },
    { matterCode: '08007' },
    { matterCode: '08015' },
    { matterCode: '10001' },
    { matterCode: '03005' },
    { matterCode: '02025' },
    { matterCode: '01059' },
  ];
}
