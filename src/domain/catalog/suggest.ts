/**
 * Matter suggestion from the reporter's words (issue 4: the intake form suggests the matter code from the text).
 * Pure: built from the catalogue, the citizens' words below and any extra keywords a city supplies (the hotline
 * knowledge base's articles carry a matter code and keywords), then asked per report.
 *
 * The text is cut into character bigrams by the knowledge-base search (`grams`: NFKC, traditional → simplified,
 * punctuation removed), so no Chinese tokenizer is needed. Each matter has phrases: its name (without the generic
 * "异常" of part-derived matters, with the variants of names like 道路遗撒（洒）), the words people use for it,
 * and generic damage words for part-derived matters (a broken asset). A phrase counts by how much of it the text
 * contains (squared, so a half-matched name weighs a quarter), times its weight; the matter's score is
 * 0.75 × its best phrase + 0.25 × the share of the text's bigrams its phrases explain. 0..1, best first.
 */
import { grams } from '../hotline/kb-search.ts';
import type { MatterClassDef } from './catalog.ts';

export type PhraseSource = 'name' | 'keyword' | 'extra' | 'generic';

/** How much a full match of each kind of phrase is worth. */
export const PHRASE_WEIGHTS: Readonly<Record<PhraseSource, number>> = { name: 1, keyword: 0.9, extra: 0.8, generic: 0.5 };

/**
 * What citizens and hotline seats say for a matter (口语), beyond its standard name. Data: a city extends it
 * through knowledge-base keywords (see `extra`), not by editing code. 06036's legacy name 乱堆物堆料 is from
 * matter-defaults.json.
 */
export const MATTER_KEYWORDS: Readonly<Record<string, readonly string[]>> = {
  '06001': ['违建', '违章建筑', '违章搭建', '乱搭乱建', '私搭', '搭棚', '加盖'],
  '06002': ['无证装修', '店面装修'],
  '06003': ['接坡', '搭坡'],
  '06004': ['外墙脏', '外墙污损', '外立面', '墙面污损'],
  '06005': ['阳台脏乱', '屋顶杂物'],
  '06006': ['挂彩旗', '彩旗'],
  '06007': ['晾衣服', '晾晒', '晒被子', '晾挂'],
  '06008': ['私拉电线', '乱拉电线', '私拉乱接', '飞线'],
  '06009': ['空调外机', '空调室外机'],
  '06010': ['垃圾', '垃圾堆积', '垃圾成堆', '乱扔垃圾', '乱倒垃圾', '生活垃圾', '垃圾没人清'],
  '06011': ['渣土', '建筑垃圾', '装修垃圾'],
  '06012': ['路面脏', '马路脏', '道路脏', '路面不干净', '路面油污'],
  '06013': ['路面破损', '路面坑洼', '坑洼', '坑槽', '路面塌陷', '路面有坑', '大坑', '坑洞', '路坏了'],
  '06014': ['遗撒', '撒漏', '洒落'],
  '06016': ['标线不清', '标线模糊', '斑马线'],
  '06017': ['绿地垃圾', '草坪垃圾', '绿化带垃圾'],
  '06018': ['树枝', '枯枝', '修剪的树枝'],
  '06020': ['焚烧', '烧垃圾', '烧树叶'],
  '06021': ['虫害', '害虫'],
  '06022': ['砍树', '伐树', '砍伐'],
  '06024': ['非法捕捞', '电鱼'],
  '06025': ['水面垃圾', '河面垃圾', '漂浮物', '水面漂浮'],
  '06026': ['河水发黑', '河水发臭', '河道发臭', '黑臭水体'],
  '06027': ['油烟', '油烟扰民'],
  '06028': ['噪音', '噪声', '太吵', '扰民', '广场舞'],
  '06029': ['烧烤', '烤串', '撸串'],
  '06030': ['排污水', '污水横流', '乱倒污水', '乱排污水'],
  '06033': ['医疗废物', '医疗垃圾', '针头', '输液瓶'],
  '06034': ['僵尸车', '废弃汽车', '废弃车'],
  '06035': ['旧家具', '旧沙发', '废弃床垫', '大件垃圾'],
  '06036': ['乱堆物料', '堆物堆料', '乱堆乱放', '杂物堆放', '堆放杂物', '乱堆'],
  '06037': ['死猫', '死狗', '死老鼠', '死鸟'],
  '06038': ['养鸡', '养鸭', '养猪', '家禽'],
  '06039': ['开道口', '破绿开口'],
  '06040': ['地锁', '车位锁', '阻车桩', '石墩'],
  '06041': ['垃圾分类', '混投', '没分类'],
  '06042': ['垃圾桶满', '垃圾箱满', '满溢', '垃圾溢出', '垃圾站'],
  '06043': ['遮阳棚', '雨棚破损'],
  '06045': ['毁绿', '占绿', '毁坏绿化', '踩踏草坪'],
  '06048': ['挡土墙', '边坡'],
  '06049': ['台阶'],
  '06050': ['路缘石', '路牙', '马路牙子'],
  '06051': ['盲道'],
  '06052': ['无障碍坡道', '轮椅坡道'],
  '07001': ['小广告', '牛皮癣', '乱贴', '乱涂乱画', '涂鸦', '办证广告'],
  '07002': ['发传单', '散发传单', '派发传单'],
  '07003': ['广告牌', '户外广告'],
  '07004': ['错别字'],
  '07006': ['招牌', '店招', '牌匾'],
  '07007': ['横幅', '标语'],
  '08001': ['施工噪音', '夜间施工', '工地噪音', '半夜施工'],
  '08002': ['占道施工'],
  '08003': ['挖路', '掘路', '开挖路面'],
  '08004': ['扬尘', '灰尘大', '尘土飞扬'],
  '08005': ['建筑废料', '施工垃圾'],
  '08006': ['施工材料', '建材堆放', '砂石'],
  '08007': ['围挡'],
  '08011': ['渣土车', '泥头车'],
  '08012': ['带泥上路', '车轮带泥'],
  '09001': ['游商', '流动摊贩', '小商贩', '摊贩'],
  '09002': ['夜市', '早市'],
  '09003': ['乞讨', '流浪汉'],
  '09004': ['收废品', '废品收购'],
  '09005': ['出店经营', '店外摆放', '超门窗经营'],
  '09006': ['摆摊', '摆地摊', '占道', '马路市场'],
  '09008': ['盗版书', '非法出版物'],
  '09009': ['乱停车', '违停', '违章停车', '汽车乱停', '车辆乱停'],
  '09010': ['电动车乱停', '自行车乱停', '电瓶车乱停'],
  '09011': ['共享单车', '单车乱停'],
  '09012': ['消防通道'],
  '09015': ['无证餐饮', '黑作坊'],
  '09016': ['私设停车场', '乱收停车费'],
  '09020': ['菜市场'],
  '09021': ['洗车'],
  '09022': ['促销'],
  '10001': ['积雪', '结冰', '路面结冰', '路滑'],
  '10002': ['电线掉落', '线缆脱落', '电线垂落', '电线掉下来', '网线掉落'],
  // part-derived matters (01–05): the asset as people name it
  '01004': ['雨水箅子', '下水道堵', '排水口堵', '箅子'],
  '01013': ['消防栓', '消火栓'],
  '01028': ['电箱'],
  '01030': ['电线杆', '电杆'],
  '01037': ['路灯', '路灯不亮', '灯不亮', '路灯闪', '灯杆'],
  '01046': ['健身器材', '健身器械'],
  '01076': ['电梯'],
  '02004': ['公交站', '公交站台', '站牌'],
  '02006': ['天桥'],
  '02010': ['交通标志', '指示牌'],
  '02012': ['路牌'],
  '02014': ['红绿灯', '信号灯', '红绿灯不亮', '红绿灯坏了'],
  '02017': ['护栏', '隔离栏'],
  '02038': ['门牌', '楼号牌'],
  '03001': ['公厕', '厕所'],
  '03005': ['垃圾桶坏', '垃圾箱坏', '垃圾桶破'],
  '04001': ['古树'],
  '04002': ['行道树', '树倒了', '树枝断', '大树倾斜', '树木倒伏'],
  '04007': ['座椅', '长椅'],
  '04011': ['树池'],
  '04013': ['草坪', '绿化带'],
};

/** A broken asset: said of any part (部件), so they lift part-derived matters a little. */
export const PART_DAMAGE_WORDS: readonly string[] = ['坏了', '损坏', '破损', '缺失', '丢失', '丢了', '被盗', '松动', '倾斜', '故障', '塌陷'];

/** Words too common in requests to say anything about the matter (kept out of extra keywords). */
const STOP_WORDS = new Set(['投诉', '举报', '反映', '问题', '查询', '时间', '通知', '流程', '许可', '咨询', '建议', '处理', '报修']);

export interface MatterSuggestion {
  code: string;
  name: string;
  classCode: string;
  className: string;
  /** 0..1: how well the matter's phrases match the text (best phrase 75 %, share of the text explained 25 %). */
  score: number;
  /** Phrases of the matter found whole in the text, best first. */
  matched: string[];
}

interface Phrase { text: string; weight: number; grams: string[] }
interface Entry { def: MatterClassDef; phrases: Phrase[]; all: Set<string> }

/** Name variants: 道路遗撒（洒） → 道路遗撒, 道路遗洒; 垃圾站（箱）满溢 → 垃圾站满溢, 垃圾箱满溢; the part name without 异常. */
export function nameVariants(name: string): string[] {
  const base = name.replace(/异常$/, '');
  const out = new Set<string>();
  const m = /^(.*?)[（(]([^）)]+)[）)](.*)$/.exec(base);
  if (m) {
    const [, before, inner, after] = m;
    out.add(before + after);
    for (const alt of inner.split(/[、,，]/).filter(Boolean)) {
      out.add(before.slice(0, Math.max(0, before.length - alt.length)) + alt + after);
    }
  } else {
    out.add(base);
  }
  // 私设地锁、阻车桩 → each listed thing alone too (short ones like 树叶 or 废水 say too little on their own)
  for (const v of [...out]) for (const part of v.split(/[、,，]/)) if (part !== v && [...part].length >= 3) out.add(part);
  return [...out];
}

export interface SuggesterInput {
  matters: Iterable<MatterClassDef>;
  /** More words per matter code, e.g. the hotline knowledge base's keywords; unknown codes are ignored. */
  extra?: ReadonlyMap<string, readonly string[]>;
  keywords?: Readonly<Record<string, readonly string[]>>;
}

export class MatterSuggester {
  private readonly entries: Entry[] = [];

  constructor(input: SuggesterInput) {
    const keywords = input.keywords ?? MATTER_KEYWORDS;
    for (const def of input.matters) {
      if (def.kind !== 'matter') continue;
      const phrases = new Map<string, Phrase>();
      const add = (text: string, source: PhraseSource) => {
        const g = [...grams(text)];
        const key = g.join('|');
        if (g.length === 0 || [...text].length < 2) return;
        const weight = PHRASE_WEIGHTS[source];
        const had = phrases.get(key);
        if (!had || had.weight < weight) phrases.set(key, { text, weight, grams: g });
      };
      for (const v of nameVariants(def.name)) add(v, 'name');
      for (const k of keywords[def.code] ?? []) add(k, 'keyword');
      for (const k of input.extra?.get(def.code) ?? []) if (!STOP_WORDS.has(k)) add(k, 'extra');
      // Part-derived matters (classes 01–05 mirror the part classes): every 井盖 is a 井盖, and a part can break.
      if (/^0[1-5]/.test(def.classCode)) {
        if (/井盖$/.test(def.name.replace(/异常$/, ''))) add('井盖', 'keyword');
        for (const w of PART_DAMAGE_WORDS) add(w, 'generic');
      }
      const list = [...phrases.values()];
      this.entries.push({ def, phrases: list, all: new Set(list.flatMap((p) => p.grams)) });
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /** The best `limit` matters for the text, score > 0 only; ties by code. Empty text or no overlap → []. */
  suggest(text: string, limit = 5): MatterSuggestion[] {
    const q = grams(text);
    if (q.size === 0) return [];
    const hits: MatterSuggestion[] = [];
    for (const e of this.entries) {
      let best = 0;
      const whole: { text: string; weight: number }[] = [];
      for (const p of e.phrases) {
        let n = 0;
        for (const g of p.grams) if (q.has(g)) n++;
        if (n === 0) continue;
        const cover = n / p.grams.length;
        best = Math.max(best, p.weight * cover * cover);
        if (n === p.grams.length) whole.push(p);
      }
      if (best === 0) continue;
      let explained = 0;
      for (const g of q) if (e.all.has(g)) explained++;
      const score = Math.round((0.75 * best + 0.25 * (explained / q.size)) * 1000) / 1000;
      whole.sort((a, b) => b.weight - a.weight || [...b.text].length - [...a.text].length);
      hits.push({
        code: e.def.code, name: e.def.name, classCode: e.def.classCode, className: e.def.className, score,
        matched: [...new Set(whole.map((p) => p.text))].slice(0, 5),
      });
    }
    return hits.sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)).slice(0, limit);
  }
}

/** Splits free keyword text (knowledge-base style: spaces, commas, 、) into words of two characters or more. */
export function splitKeywords(text: string): string[] {
  return text.split(/[\s,，、;；/]+/).map((w) => w.trim()).filter((w) => [...w].length >= 2);
}
