/**
 * Every server message reaches the console in the user's language (docs/issue-8/language.md). A static scan of the
 * server's sources: each message key the server can send exists in the console's catalogue in Chinese and English,
 * each `invalidAs(…)` gives every placeholder its templates use, and no error of src/domain is made without a key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { MESSAGES } from '../src/app/messages.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

interface Use { file: string; line: number; key: string; prefix: boolean; params: string[] | null }

const parse = (file: string) => ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
const lineOf = (sf: ts.SourceFile, n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
const where = (u: { file: string; line: number }) => `${path.relative(ROOT, u.file)}:${u.line}`;
const calleeName = (n: ts.CallExpression | ts.NewExpression) => (ts.isIdentifier(n.expression) ? n.expression.text : '');

/** The `key` of an object literal: a string, a template's head (a prefix), or undefined when there is none. */
function keyOf(obj: ts.ObjectLiteralExpression): { key: string; prefix: boolean } | 'dynamic' | undefined {
  for (const p of obj.properties) {
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === 'key') return 'dynamic';
    if (!ts.isPropertyAssignment(p) || p.name.getText() !== 'key') continue;
    const v = p.initializer;
    if (ts.isStringLiteral(v) || ts.isNoSubstitutionTemplateLiteral(v)) return { key: v.text, prefix: false };
    if (ts.isTemplateExpression(v)) return { key: v.head.text, prefix: true };
    return 'dynamic';
  }
  return undefined;
}

function paramsOf(obj: ts.ObjectLiteralExpression): string[] | null {
  const p = obj.properties.find((x) => ts.isPropertyAssignment(x) && x.name.getText() === 'params');
  if (!p) return [];
  if (!ts.isPropertyAssignment(p) || !ts.isObjectLiteralExpression(p.initializer)) return null;
  const names: string[] = [];
  for (const x of p.initializer.properties) {
    if (ts.isSpreadAssignment(x)) return null;
    if (x.name) names.push(x.name.getText());
  }
  return names;
}

/** Keys given to the message-making calls of the server (invalidAs, DomainError, and the helpers taking a key first). */
function keyUses(): { uses: Use[]; unkeyed: string[] } {
  const uses: Use[] = [];
  const unkeyed: string[] = [];
  for (const file of sources(path.join(ROOT, 'src'))) {
    const sf = parse(file);
    const inDomain = file.includes(`${path.sep}src${path.sep}domain${path.sep}`);
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && calleeName(n) === 'invalidAs') {
        const ref = n.arguments[1];
        if (ref && ts.isObjectLiteralExpression(ref)) {
          const k = keyOf(ref);
          if (k && k !== 'dynamic') uses.push({ file, line: lineOf(sf, n), ...k, params: paramsOf(ref) });
          else if (!k) unkeyed.push(where({ file, line: lineOf(sf, n) }));
        }
      }
      if (ts.isCallExpression(n) && ['forbidden', 'notOnDuty'].includes(calleeName(n))) {
        const a = n.arguments[0];
        if (a && ts.isStringLiteral(a)) uses.push({ file, line: lineOf(sf, n), key: a.text, prefix: false, params: null });
      }
      if (ts.isNewExpression(n) && calleeName(n) === 'DomainError') {
        const opts = n.arguments?.[2];
        const k = opts && ts.isObjectLiteralExpression(opts) ? keyOf(opts) : undefined;
        if (k && k !== 'dynamic') uses.push({ file, line: lineOf(sf, n), ...k, params: null });
        // errors.ts builds the keyed helpers (invalidAs, refield, notFound) from their arguments.
        if (!k && inDomain && !file.endsWith(`${path.sep}errors.ts`)) unkeyed.push(where({ file, line: lineOf(sf, n) }));
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { uses, unkeyed };
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

test('every message key the server sends is in the catalogue, in Chinese and in English', () => {
  const { uses } = keyUses();
  assert.ok(uses.length > 400, `found only ${uses.length} keyed messages: the scan is broken`);
  const missing = uses.filter((u) => (u.prefix ? !Object.keys(MESSAGES).some((k) => k.startsWith(u.key)) : !MESSAGES[u.key]));
  assert.deepEqual(missing.map((u) => `${where(u)} ${u.key}`), []);
  for (const [key, m] of Object.entries(MESSAGES)) {
    assert.ok(m.zh.trim() && m.en.trim(), `${key} lacks a text`);
    assert.ok(/[\u4e00-\u9fff]/.test(m.zh) || /^\{\w+\}$/.test(m.zh), `${key}: the zh text is not Chinese: ${m.zh}`);
    assert.ok(!/[\u4e00-\u9fff]/.test(m.en.replace(/网格事项准入清单/g, '')), `${key}: the en text is Chinese: ${m.en}`);
  }
});

test('an invalidAs gives every placeholder its templates use', () => {
  const bad: string[] = [];
  for (const u of keyUses().uses) {
    const m = MESSAGES[u.key];
    if (!m || u.params === null || u.prefix) continue;
    const given = new Set(['field', ...u.params]);
    for (const p of new Set([...placeholders(m.zh), ...placeholders(m.en)])) if (!given.has(p)) bad.push(`${where(u)} ${u.key} lacks {${p}}`);
  }
  assert.deepEqual(bad, []);
});

test('no error of src/domain is made without a key, and no unkeyed invalid() is left in src', () => {
  const { unkeyed } = keyUses();
  assert.deepEqual(unkeyed, []);
  const errors = fs.readFileSync(path.join(ROOT, 'src/domain/errors.ts'), 'utf8');
  assert.doesNotMatch(errors, /export const invalid\b/, 'the unkeyed invalid() helper is back');
});

test('the scan sees a call site without a key (the test can fail)', () => {
  const dir = fs.mkdtempSync(path.join(ROOT, 'src/domain/.scan-'));
  try {
    fs.writeFileSync(path.join(dir, 'x.ts'), "import { DomainError } from '../errors.ts';\nexport const e = () => new DomainError('CONFLICT', 'no key');\n");
    assert.match(keyUses().unkeyed.join('\n'), /\.scan-.*x\.ts:2/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
