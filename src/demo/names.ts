/**
 * Name pools for the demo city. All names are generic Chinese place-name words; the city 江海市 and its
 * district 滨江区 are fictional, and any likeness of a street or compound name to a real one is incidental.
 */
import type { Prng } from './prng.ts';

export const CITY_NAME = '江海市';
export const DISTRICT_NAME = '滨江区';
export const DISTRICT_SHORT = '滨江';

/** 街道 (urban streets): "<word>街道" */
export const STREET_WORDS = ['望江', '滨湖', '新桥', '东港', '江湾', '金城', '观澜', '凤翔', '清河', '文昌', '梅岭', '临江'];
/** 镇 (outskirt towns): "<word>镇" */
export const TOWN_WORDS = ['龙泾', '北渚', '芦湾', '柳塘', '桃渡', '杏埠', '白鹭', '石塘'];

export const COMMUNITY_WORDS = [
  '锦绣', '春江', '翠竹', '金桥', '安康', '和平', '幸福', '长青', '明珠', '荷花', '桂苑', '紫金', '朝阳', '康宁',
  '新华', '兴隆', '友谊', '青枫', '清风', '瑞景', '丽都', '湖滨', '枫林', '华庭', '东升', '北苑', '南湖', '西园',
  '永安', '景秀', '花溪', '云锦', '银杏', '天合', '泰和', '万福', '星河', '秀水', '绿洲', '怡景', '恒泰', '馨园',
  '百合', '春晖', '嘉禾', '阳光', '澄湖', '玉兰', '望湖', '惠民', '乐居', '崇文', '尚德', '育才', '龙湾', '双桥',
  '槐荫', '香樟', '广福', '聚贤', '仁和', '三里桥', '五福', '金沙', '映月', '静宁', '宁和', '鸿运',
];

export const VILLAGE_WORDS = [
  '陈家', '王庄', '李巷', '张泾', '顾桥', '周塘', '沈渎', '钱湾', '高墩', '蒋桥', '吴家', '朱巷', '徐庄', '孙泾',
  '马鞍', '东桥', '西塘', '南庄', '姚家', '许巷', '邵庄', '华渡', '秦塘', '殷桥', '薛家', '严巷', '陆庄', '潘泾',
  '戴墅', '葛埭', '倪家', '汤巷', '任庄', '芦墩', '荡西', '泾南', '河埒', '竹园', '杨木桥', '三泾',
];

/** 东西向 roads: "<word>路" */
export const EW_ROAD_WORDS = [
  '望江', '人民', '解放', '建设', '长江', '金城', '滨江', '江海', '春晖', '新华', '振兴', '环湖', '学府', '锦溪',
  '梧桐', '青年', '光明', '团结', '沿河', '富民',
];
/** 南北向 roads: "<word>街" or, for the main ones, "<word>大道" */
export const NS_MAIN_ROAD_WORDS = ['中山', '滨江', '江海', '世纪', '科创'];
export const NS_ROAD_WORDS = [
  '文化', '兴业', '健康', '和平', '育英', '花园', '公园', '通江', '府前', '园林', '永丰', '丰乐', '广济', '迎春',
  '清源', '同心', '书院', '仓前', '庆丰', '福寿',
];

export const COMPOUND_PREFIXES = [
  '锦绣', '翠湖', '金色', '香樟', '紫薇', '海棠', '御景', '碧水', '江南', '书香', '玉兰', '怡和', '华府', '东方',
  '春江', '湖畔', '蓝湾', '晴川', '盛世', '天域', '云栖', '水岸', '枫丹', '银河', '阳光', '丽景', '凤凰', '梧桐',
  '悦澜', '澜庭', '星悦', '嘉园', '滨江', '望江', '金桥', '长青', '明月', '清风', '翡翠', '琴湖', '锦华', '馨苑',
  '和园', '观澜', '名仕', '君悦', '泰禾', '万福', '康桥', '百合', '湖光', '荷塘', '春晓', '桃源', '兰亭', '芳草',
  '翠园', '绿荫', '雅居', '东湖', '南苑', '北辰', '长乐', '安澜', '华新', '富康', '福临', '瑞丰', '鼎盛', '逸景',
  '星光', '香榭', '紫荆', '青竹', '雍景', '汇景', '润泽', '和美', '静湖', '江畔', '云景', '新月',
];
export const COMPOUND_SUFFIXES = ['花园', '苑', '小区', '公寓', '家园', '新村', '名邸', '华庭', '雅苑', '府'];

/** shuffled copy, then taken in order: unique names without replacement */
export class NamePool {
  private items: string[];
  private pos = 0;
  constructor(rng: Prng, items: readonly string[]) {
    this.items = rng.shuffle(items);
  }
  take(): string {
    if (this.pos >= this.items.length) throw new Error('NamePool exhausted');
    return this.items[this.pos++];
  }
  takeWhere(ok: (s: string) => boolean): string {
    const s = this.tryTakeWhere(ok);
    if (s === undefined) throw new Error('NamePool: no name fits');
    return s;
  }
  tryTakeWhere(ok: (s: string) => boolean): string | undefined {
    for (let i = this.pos; i < this.items.length; i++) {
      if (ok(this.items[i])) {
        const s = this.items[i];
        this.items.splice(i, 1);
        this.items.splice(this.pos, 0, s);
        this.pos++;
        return s;
      }
    }
    return undefined;
  }
}

/** 1 → 一 … 99 → 九十九 (for 第X中学 etc.) */
export function chineseNumber(n: number): string {
  const d = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  if (n < 10) return d[n];
  if (n < 20) return '十' + (n % 10 ? d[n % 10] : '');
  return d[Math.floor(n / 10)] + '十' + (n % 10 ? d[n % 10] : '');
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
