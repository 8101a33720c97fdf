// Lint and format (architecture.md §3 rule 18): the house rules a machine can check are checked by a machine.
// `npm run lint` (part of `npm run build`, so of CI); `npm run lint -- --fix` applies the formatting rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import stylistic from '@stylistic/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';

/** The query builder and the database drivers: only src/storage may import them (rule 15). */
const DATABASE_MODULES = {
  paths: [
    { name: 'kysely', message: 'SQL lives only in src/storage: call a repository through ctx.store (architecture.md §3 rule 15).' },
    { name: 'pg', message: 'SQL lives only in src/storage.' },
    { name: 'better-sqlite3', message: 'SQL lives only in src/storage.' },
  ],
  patterns: [
    { group: ['**/storage/db.ts', '**/storage/db'], message: 'The database handle is not reachable outside src/storage: use ctx.store.' },
    { group: ['**/storage/migrate.ts', '**/storage/migrations/**'], message: 'Migrations run through store.migrate().' },
  ],
};

/** The domain is pure (rule 3): no clock, no environment, no I/O layers. */
const DOMAIN_SYNTAX = [
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'The domain never reads the clock: take the time as an argument.' },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'The domain never reads the clock: new Date(ms) with the time passed in.' },
  { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'The domain never reads the environment: configuration comes in as an argument.' },
];
const DOMAIN_IMPORTS = {
  patterns: [
    { group: ['**/storage/**', '**/http/**', '**/intake/**', '**/jobs/**', '**/cli/**', '**/runtime/**', '**/commands/**'], message: 'src/domain imports nothing from the layers above it (rule 3).' },
    { group: ['node:fs', 'node:fs/*', 'fs', 'node:net', 'node:http', 'node:child_process'], message: 'The domain does no I/O (rule 3).' },
  ],
};

const style = {
  '@stylistic/indent': ['error', 2, { SwitchCase: 1, ignoredNodes: ['TemplateLiteral *', 'ConditionalExpression *', 'TSUnionType'], offsetTernaryExpressions: true }],
  '@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: 'always' }],
  '@stylistic/semi': ['error', 'always'],
  // Generics keep their trailing comma: `<T,>` is how a TSX file tells a generic arrow function from a tag.
  '@stylistic/comma-dangle': ['error', { arrays: 'always-multiline', objects: 'always-multiline', imports: 'always-multiline', exports: 'always-multiline', functions: 'always-multiline', enums: 'always-multiline', tuples: 'always-multiline', generics: 'ignore' }],
  '@stylistic/eol-last': ['error', 'always'],
  '@stylistic/no-trailing-spaces': 'error',
  '@stylistic/no-multiple-empty-lines': ['error', { max: 2, maxEOF: 0 }],
  '@stylistic/max-len': ['error', { code: 200, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreComments: false }],
  '@stylistic/arrow-parens': ['error', 'always'],
  '@stylistic/keyword-spacing': 'error',
  '@stylistic/space-infix-ops': 'error',
  '@stylistic/brace-style': ['error', '1tbs', { allowSingleLine: true }],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'web/dist/**', 'data/**', 'bench/data/**', 'bench/results/**', 'web/src/api/schema.d.ts', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@stylistic': stylistic },
    rules: {
      ...style,
      // Every promise is awaited, returned, or explicitly detached with `void` (rule: no floating promises).
      '@typescript-eslint/no-floating-promises': ['error', {
        // node:test's test/describe/hooks return promises the runner itself awaits.
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'before', 'after', 'beforeEach', 'afterEach', 'suite'] }],
      }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      'prefer-const': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/storage/**'],
    rules: { 'no-restricted-imports': ['error', DATABASE_MODULES] },
  },
  {
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...DOMAIN_SYNTAX],
      'no-restricted-imports': ['error', DOMAIN_IMPORTS],
    },
  },
  {
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    // The classic rules of hooks; the React Compiler's stricter rules are not adopted (no compiler in the build).
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // Tests may make throwaway values and assert on `any` bodies.
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The XML writer must find the control characters XML 1.0 cannot carry (and the input guard the NUL): matching
    // them is the point, so the rule that flags control characters in patterns is off for these files only.
    files: ['src/intake/open311/open311.xml.ts', 'src/http/middleware/input-guard.ts'],
    rules: { 'no-control-regex': 'off' },
  },
);
