/**
 * Who owns and who maintains each part type (部件权属/养护单位) in the demo district. Part-derived matters
 * (classes 01–05, "<part>异常") go to the maintainer by default and, where several owners are possible
 * (three telecom operators; property companies inside compounds), to the part's actual owner.
 *
 * Keyword rules over the catalogue name, most specific first; a part no rule names falls back to its class's
 * default unit (01/02 市政养护所, 03 环卫所, 04 园林所, 05 区人民政府 as 兜底).
 */
import { U } from './units.ts';

export interface PartResponsibility {
  owner: string;
  maintainer: string;
  /** other possible owners of instances of this part type (owner-based routing) */
  altOwners: string[];
  /** the owner came from the class default, not from a named rule */
  classDefault: boolean;
}

export const PART_CLASS_DEFAULT: Record<string, string> = {
  '01': U.SZYH,
  '02': U.SZYH,
  '03': U.HWS,
  '04': U.YLS,
  '05': U.GOV,
};

const TELECOM = [U.DX, U.YD, U.LT];

/** parts found inside residential compounds: owned there by the compound's property company */
export const COMPOUND_PART_CODES = ['01018', '01054', '01058', '01075', '03004'];

const KEYWORDS: [RegExp, string][] = [
  [/公交/, U.BUS],
  [/轨道交通/, U.METRO],
  [/路灯|地灯|景观灯|综合杆/, U.ZMS],
  [/信号灯|交通信号|交通岗亭|交通标志|限高架|道路信息显示屏/, U.JJDD],
  [/公安|监控电子眼|治安岗亭|紧急报警|门（楼号）牌/, U.GA],
  [/园林井盖/, U.YLS],
  [/电视/, U.GDWL],
  [/通信|电话亭|网络井盖/, U.DX],
  [/燃气|输油/, U.RQ],
  [/电力|电缆|高压线|变压器|充电桩/, U.GD],
  [/环保监测|污水口监测|污水监测|噪声显示/, U.STHJ],
  [/气象/, U.QX],
  [/供水|水井|水鹤|水塔|中水/, U.ZLS],
  [/污水|雨水|化粪池井盖|排水|沟槽盖板/, U.PS],
  [/消防/, U.XF],
  [/防汛|水域|跨河管道|栈桥|港监/, U.SW],
  [/停车|车库|出租车|非机动车停放|存车支架/, U.JT],
  [/自行车租赁/, U.BIKE],
  [/路名牌|地名牌|救助站|旧衣物/, U.MZ],
  [/文物|景区|健身/, U.WL],
  [/应急避难|加油/, U.YJ],
  [/电梯/, U.SCJG],
  [/户外广告|牌匾|宣传栏|报刊亭|信息亭|售货亭|公示牌|自动售货机/, U.LHSR],
  [/公房/, U.FG],
  [/邮筒|快递柜/, U.YZ],
];

const cache = new Map<string, PartResponsibility>();

export function partResponsibility(code: string, name: string): PartResponsibility {
  const key = code + name;
  let r = cache.get(key);
  if (!r) cache.set(key, (r = computeResponsibility(code, name)));
  return r;
}

function computeResponsibility(code: string, name: string): PartResponsibility {
  const cls = code.slice(0, 2);
  let owner: string | undefined;
  for (const [re, unit] of KEYWORDS) {
    if (re.test(name)) {
      owner = unit;
      break;
    }
  }
  const classDefault = owner === undefined;
  owner ??= PART_CLASS_DEFAULT[cls] ?? U.GOV;
  // 市政消火栓: the fire brigade owns the duty, the water company maintains the hydrant (common local rule)
  const maintainer = code === '01013' ? U.ZLS : owner;
  const altOwners: string[] = [];
  if (TELECOM.includes(owner as (typeof TELECOM)[number])) altOwners.push(...TELECOM.filter((u) => u !== owner));
  return { owner, maintainer, altOwners, classDefault };
}
