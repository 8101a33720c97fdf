/**
 * Chinese numerals in addresses: 一百二十八 → 128, 一百零八 → 108, 十五 → 15, digit by digit 一二八 → 128,
 * and the financial forms (壹贰叁 … 拾佰仟) that appear on older door plates.
 */

const DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 三: 3, 叁: 3, 四: 4, 肆: 4, 五: 5, 伍: 5,
  六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const UNITS: Readonly<Record<string, number>> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000, 万: 10000 };

/** Every character that may be part of a Chinese numeral (for building regular expressions). */
export const NUMERAL_CHARS = Object.keys(DIGITS).join('') + Object.keys(UNITS).join('');

/** The value of a Chinese numeral, or null when the text is not one. */
export function chineseToNumber(text: string): number | null {
  if (text.length === 0) return null;
  let positional = false;
  for (const ch of text) {
    if (UNITS[ch] !== undefined) positional = true;
    else if (DIGITS[ch] === undefined) return null;
  }
  if (!positional) {
    // 一二八号: read digit by digit, as people do for long numbers
    let n = 0;
    for (const ch of text) n = n * 10 + DIGITS[ch];
    return n;
  }
  let total = 0;
  let section = 0;
  let digit = -1; // -1: no digit pending (a bare 十 means 一十)
  for (const ch of text) {
    const d = DIGITS[ch];
    if (d !== undefined) {
      digit = d;
      continue;
    }
    const unit = UNITS[ch];
    if (unit === 10000) {
      total += (section + Math.max(digit, 0)) * 10000;
      section = 0;
    } else {
      section += (digit === -1 ? 1 : digit) * unit;
    }
    digit = -1;
  }
  return total + section + Math.max(digit, 0);
}
