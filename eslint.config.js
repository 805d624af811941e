// The floors of the house are lint rules, so `npm run lint` fails when a layer reaches upward:
// crypto/ imports nothing of ours, common/ imports only crypto/, server/ never imports app/,
// app/ takes only types from server/, and no module is part of an import cycle.
// Not type-checked on purpose: tsc already runs in `npm test`, and this stays fast.
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'
import { importX } from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import reactHooks from 'eslint-plugin-react-hooks'

const SOURCE = ['**/*.{ts,tsx,js,mjs,cjs}']
/** A zone: files under `target` may not import anything that resolves under one of the `from` folders. */
const zone = (target, from, message) => ({ target: `./${target}/**`, from: from.map((f) => (f === '.' ? './*.{ts,js}' : `./${f}/**`)), message })

export default defineConfig(
  { ignores: ['build/', 'public/build/', 'data/', '.cache/', 'tests/.artifacts/', 'node_modules/'] },
  { files: SOURCE, ...js.configs.recommended },
  ...tseslint.configs.recommended,
  {
    files: SOURCE,
    plugins: { 'import-x': importX },
    settings: {
      // Without these, import-x reads only .js files when it follows imports, and sees no cycle.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${import.meta.dirname}/tsconfig.json` })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-useless-path-segments': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            zone('crypto', ['app', 'server', 'common', 'tests', '.'], 'crypto/ is the ground floor: it imports only libsodium and itself.'),
            zone('common', ['app', 'server', 'tests', '.'], 'common/ is pure and shared: it imports only crypto/ and itself.'),
            zone('server', ['app'], 'server/ never imports app/: routes reach the server through context.services.'),
          ],
        },
      ],
      // Candour strips control characters from hostile text on purpose: those regexes are the point.
      'no-control-regex': 'off',
      // Remix's AppLoadContext is widened by declaration merging, which needs an interface.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      // `_name` marks a parameter kept for its position; a rest sibling drops a field on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The floors below app/ and server/ carry no I/O: only these packages, the rest is relative.
    files: ['crypto/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\.|libsodium-wrappers(-sumo)?$|zod(/mini)?$)', message: 'crypto/ imports only libsodium, zod and its own files.' }] },
      ],
    },
  },
  {
    files: ['common/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\.|#crypto$|zod(/mini)?$)', message: 'common/ is pure: only zod, crypto/ (#crypto) and its own files (./).' }] },
      ],
    },
  },
  {
    // Code in app/ reaches live server code only through context.services; a value import would
    // bundle a second copy of that module into the Remix build. Types are erased, so they may come.
    // Only paths of ours count (relative or aliased), so react-dom/server stays allowed.
    files: ['app/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^[.~#](.*/)?server(/|$)',
              allowTypeImports: true,
              message: 'app/ takes only types from server/ (import type); values come from common/ or context.services.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['app/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // Tests reach every floor on purpose (a lying server, a raw client, internals under test).
    files: ['tests/**'],
    rules: {
      'import-x/no-restricted-paths': 'off',
      'import-x/no-cycle': 'off',
      // Tests read raw JSON answers and poke at shapes the types forbid.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
)
