/**
 * What the demo city's history is made of (issue 10 part 8): the matters and their seasons, the weather, the
 * recurring spots and the slow units. Numbers are plausible, not measured: they give every screen something true to
 * show — summer barbecue and noise, weekend garbage at the markets, drains that flood on every heavy rain, winter
 * street lights, a few units that are always late.
 */
import { Prng, hashString } from '../prng.ts';

export interface MatterModel {
  code: string;
  /** Share of ordinary (non-spot) cases. */
  share: number;
  /** Factor per calendar month (Jan … Dec). */
  months: readonly number[];
  /** Factor on Saturday and Sunday. */
  weekend: number;
  /** Extra factor per unit of rain intensity (0 none … 2 heavy). */
  rain: number;
  /** What reporters say. */
  says: readonly string[];
  channels?: Partial<Record<string, number>>;
}

const FLAT = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] as const;
const SUMMER = [0.7, 0.7, 0.85, 0.95, 1.1, 1.3, 1.45, 1.4, 1.15, 0.95, 0.8, 0.7] as const;

export const MATTERS: readonly MatterModel[] = [
  { code: '06010', share: 0.17, months: [1.1, 1.3, 1, 0.95, 1, 1.1, 1.15, 1.15, 1, 1, 0.95, 1.05], weekend: 1.35, rain: 0, says: ['路边垃圾堆积无人清理', '垃圾桶满溢', '小区门口垃圾成堆'] },
  { code: '06012', share: 0.08, months: FLAT, weekend: 1.1, rain: 0.3, says: ['路面污渍很多', '道路泥泞不洁', '人行道很脏'] },
  { code: '09009', share: 0.12, months: [1, 1.15, 1, 1, 1, 0.95, 0.9, 0.9, 1, 1.1, 1, 1.2], weekend: 0.8, rain: 0, says: ['机动车乱停放堵住消防通道', '车辆占用人行道停放', '路口乱停车'] },
  { code: '09010', share: 0.06, months: SUMMER, weekend: 0.9, rain: 0, says: ['共享单车乱停放', '电动车堵住出入口'] },
  { code: '09006', share: 0.08, months: [0.8, 1.4, 0.9, 0.95, 1.1, 1.3, 1.4, 1.4, 1.1, 1, 0.85, 0.9], weekend: 1.3, rain: -0.3, says: ['占道经营摆摊', '流动摊贩堵塞道路', '夜市摊位占道'] },
  { code: '06029', share: 0.04, months: [0.2, 0.2, 0.4, 0.8, 1.5, 2.5, 3.2, 3, 1.8, 0.8, 0.3, 0.2], weekend: 1.5, rain: -0.4, says: ['夜间露天烧烤油烟扰民', '烧烤摊烟雾很大'] },
  { code: '06028', share: 0.06, months: [0.7, 0.8, 0.8, 0.9, 1.1, 1.4, 1.6, 1.5, 1.1, 0.9, 0.7, 0.7], weekend: 1.2, rain: 0, says: ['夜间施工噪音扰民', '广场舞噪音太大', '商铺音响噪声扰民'] },
  { code: '07001', share: 0.07, months: FLAT, weekend: 0.9, rain: 0, says: ['非法小广告贴满墙', '电线杆上小广告'] },
  { code: '06036', share: 0.06, months: FLAT, weekend: 1, rain: 0, says: ['楼道里有人乱堆杂物', '路边乱堆杂物'] },
  { code: '01004', share: 0.02, months: [0.5, 0.6, 0.8, 1, 1.2, 1.8, 1.6, 1.5, 1.2, 0.8, 0.6, 0.5], weekend: 1, rain: 3.5, says: ['雨水箅子堵塞路面积水', '下雨后积水排不出去'] },
  { code: '01003', share: 0.02, months: FLAT, weekend: 1, rain: 1.5, says: ['雨水井盖松动', '雨水井盖缺失有危险'] },
  { code: '01037', share: 0.05, months: [1.4, 1.3, 1.1, 0.9, 0.8, 0.7, 0.7, 0.75, 0.9, 1.1, 1.3, 1.45], weekend: 1, rain: 0.2, says: ['路灯不亮', '连续三盏路灯不亮', '路灯白天常亮'] },
  { code: '04002', share: 0.03, months: [0.7, 0.7, 0.9, 1, 1, 1.2, 1.4, 1.6, 1.4, 0.9, 0.8, 0.7], weekend: 1, rain: 1.2, says: ['行道树倒伏', '树枝断裂挡路', '行道树遮挡信号灯'] },
  { code: '06001', share: 0.03, months: [0.7, 0.5, 1, 1.1, 1.2, 1.1, 1, 1, 1.1, 1.1, 1, 0.9], weekend: 0.8, rain: 0, says: ['违章搭建', '楼顶私搭乱建'] },
  { code: '06017', share: 0.03, months: [0.6, 0.6, 1, 1.3, 1.3, 1.2, 1.1, 1.1, 1, 1, 0.8, 0.7], weekend: 1.2, rain: 0, says: ['绿化带被毁', '绿地里垃圾很多'] },
  { code: '01001', share: 0.02, months: FLAT, weekend: 1, rain: 0.3, says: ['窨井盖缺失', '供水井盖破损'] },
];

/** The channels ordinary cases come through (12345 first; patrols next). */
export const CHANNELS: readonly [string, number][] = [['hotline', 0.45], ['patrol', 0.3], ['app', 0.1], ['open311', 0.05], ['iot', 0.05], ['department', 0.05]];

/** Weekday factor of ordinary cases, Sunday = 0 (people call most on Monday, least on Sunday). */
export const WEEKDAY = [0.82, 1.12, 1.05, 1.02, 1.02, 1, 0.86] as const;

/** Rain intensity of a day: 0 dry, 1 rain, 2 heavy rain (梅雨 in June–July, typhoons in August–September). */
export function rainOf(seed: number, ymd: string, month: number): number {
  const r = new Prng(hashString(`rain-${seed}-${ymd}`));
  const wet = [0.25, 0.3, 0.35, 0.4, 0.4, 0.55, 0.5, 0.45, 0.35, 0.25, 0.25, 0.2][month];
  if (r.next() >= wet) return 0;
  const heavy = [0.03, 0.03, 0.05, 0.1, 0.15, 0.3, 0.3, 0.35, 0.25, 0.08, 0.03, 0.02][month];
  return r.next() < heavy ? 2 : 1;
}

/** A recurring spot: the same place, the same matter, again and again (C's recurrence detector finds them). */
export interface Spot {
  kind: 'market' | 'drain' | 'barbecue' | 'school';
  name: string;
  matterCode: string;
  lon: number;
  lat: number;
  gridIndex: number;
}

/** Units that are systematically slower (deterministic: ~1 in 7 by their id), named in the docs as "late units". */
export const isSlowUnit = (unitId: string): boolean => hashString(`slow-${unitId}`) % 7 === 0;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红兰建国文辉鹏宇浩然欣怡子涵梓轩佳琪晨阳雨萱';

export function personName(r: Prng): string {
  return `${SURNAMES[r.int(0, SURNAMES.length - 1)]}${GIVEN[r.int(0, GIVEN.length - 1)]}${r.next() < 0.6 ? GIVEN[r.int(0, GIVEN.length - 1)] : ''}`;
}

export const phoneOf = (r: Prng): string => `1${r.pick(['3', '5', '7', '8', '9'])}${String(r.int(0, 999_999_999)).padStart(9, '0')}`;

/** Synthetic staff who act in the history (not accounts): operators, dispatchers, inspectors, shift leaders. */
export interface Person { id: string; name: string }
export function staff(seed: number): Record<'operator' | 'dispatcher' | 'inspector' | 'shift_leader' | 'centre', Person[]> {
  const r = new Prng(hashString(`staff-${seed}`));
  const make = (prefix: string, title: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `hist-${prefix}-${i + 1}`, name: `${title}·${personName(r)}` }));
  return {
    operator: make('op', '受理员', 8), dispatcher: make('disp', '派遣员', 4), inspector: make('insp', '监督员', 14),
    shift_leader: make('shift', '值班长', 3), centre: make('lead', '中心', 2),
  };
}
