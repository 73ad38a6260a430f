// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

// Every Node built-in, bare and with the node: prefix (util, events … included): the core runs in browsers.
const NODE_BUILTINS = [...new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))];

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'out/**', '.vscode-test/**', 'test-output/**', 'bin/**', '**/*.mjs', '**/*.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The core runs in Node, in the browser bundle and in the CLI: it must never depend on VS Code
    // or on Node built-ins.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'src/core must not import vscode: put editor code in src/host.' },
          ...NODE_BUILTINS.map((name) => ({ name, message: 'src/core must run in the browser: no Node built-ins.' })),
        ],
        patterns: [{ group: ['node:*'], message: 'src/core must run in the browser: no Node built-ins.' }],
      }],
    },
  },
  {
    // Small rooms: a newcomer reads a function on one screen and a file in one sitting. Generated
    // tables aside; where a hot loop keeps a longer shape on purpose, a one-line disable says why.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.generated.ts'],
    rules: {
      'max-lines': ['error', { max: 500 }],
      'max-lines-per-function': ['error', { max: 80 }],
    },
  },
  {
    // One typed Configuration (src/host/config.ts) reads every marginalia.* setting; features get it injected.
    files: ['src/**/*.ts'],
    ignores: ['src/host/config.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "MemberExpression[property.name='getConfiguration']",
        message: 'Read settings through the typed Configuration (src/host/config.ts), injected into the feature.',
      }, {
        selector: "MemberExpression[property.name='onDidChangeConfiguration']",
        message: 'Follow settings through the Configuration\'s onDidChange: it fires after its values are read again.',
      }],
    },
  },
);
