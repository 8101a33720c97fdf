/**
 * String similarity for short Chinese names. Retrieval keys are character bigrams plus "skip bigrams" (the
 * characters i and i+2): a name with one wrong, missing or extra character still shares a key with the query
 * even when it has only three characters (紫薇苑 / 紫X苑 / 紫苑 all share 紫苑). Scoring is edit distance.
 */

/** Distinct retrieval keys of a string: adjacent and skip bigrams. */
export function gramKeys(s: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i + 1 < s.length; i++) {
    out.add(s[i] + s[i + 1]);
    if (i + 2 < s.length) out.add(s[i] + s[i + 2]);
  }
  return [...out];
}

export interface ApproxMatch {
  /** edit distance between the pattern and the best substring of the text */
  distance: number;
  /** that substring's span in the text */
  start: number;
  end: number;
}

const MAX_PATTERN = 48;
let prev = new Int32Array(256);
let cur = new Int32Array(256);
let prevStart = new Int32Array(256);
let curStart = new Int32Array(256);

function ensure(n: number): void {
  if (prev.length > n) return;
  const size = 2 * (n + 1);
  prev = new Int32Array(size); cur = new Int32Array(size); prevStart = new Int32Array(size); curStart = new Int32Array(size);
}

/**
 * Approximate substring match (Sellers): the substring of `text` closest to `pattern` in edit distance, with
 * the match's end at most `endAt` (and exactly there when `anchored`). Columns index the text, so the start of
 * the best substring is carried along. O(|pattern| · |text|); patterns are names, texts are short queries.
 */
export function approxSubstring(
  pattern: string, text: string, opts: { endAt?: number; anchored?: boolean; maxDistance?: number } = {},
): ApproxMatch {
  const m = Math.min(pattern.length, MAX_PATTERN);
  const n = Math.min(opts.endAt ?? text.length, text.length);
  ensure(n);
  // row i = pattern prefix of length i; column j = text prefix of length j; free start: row 0 is all zeros
  for (let j = 0; j <= n; j++) { prev[j] = 0; prevStart[j] = j; }
  for (let i = 1; i <= m; i++) {
    cur[0] = i; curStart[0] = 0;
    const pc = pattern.charCodeAt(i - 1);
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      let best = prev[j - 1] + (pc === text.charCodeAt(j - 1) ? 0 : 1);
      let start = prevStart[j - 1];
      if (prev[j] + 1 < best) { best = prev[j] + 1; start = prevStart[j]; } // pattern char missing in text
      if (cur[j - 1] + 1 < best) { best = cur[j - 1] + 1; start = curStart[j - 1]; } // extra char in text
      cur[j] = best; curStart[j] = start;
      if (best < rowMin) rowMin = best;
    }
    // every cell of a row is a lower bound for the rows below: past the limit, no match can come back
    if (opts.maxDistance !== undefined && rowMin > opts.maxDistance) return { distance: Infinity, start: 0, end: 0 };
    [prev, cur] = [cur, prev];
    [prevStart, curStart] = [curStart, prevStart];
  }
  if (opts.anchored) return { distance: prev[n] + (pattern.length - m), start: prevStart[n], end: n };
  let bestJ = n;
  for (let j = n - 1; j >= 0; j--) if (prev[j] < prev[bestJ] || (prev[j] === prev[bestJ] && j - prevStart[j] > bestJ - prevStart[bestJ])) bestJ = j;
  return { distance: prev[bestJ] + (pattern.length - m), start: prevStart[bestJ], end: bestJ };
}

/** Edits tolerated for a name of this length: one (wrong, missing or extra character), two from eight up. */
export const maxEdits = (length: number): number => (length >= 8 ? 2 : length >= 3 ? 1 : 0);

/** Score of a tolerant match with `distance` edits on a name of `length` characters (≈ 0.69–0.77 for one edit). */
export const fuzzyScore = (distance: number, length: number): number => 0.92 * (1 - distance / (length + 1));
