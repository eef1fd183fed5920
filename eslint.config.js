import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Layers: core is pure TypeScript (runs in Node, workers and the CLI); UI talks to the worker only
// through the store. These rules make the architecture a lint error rather than a convention.
const coreBanned = {
  paths: [
    { name: 'react', message: 'src/core is pure TypeScript: no React.' },
    { name: 'react-dom', message: 'src/core is pure TypeScript: no React.' },
    { name: 'zustand', message: 'src/core must not depend on UI state.' },
    { name: 'recharts', message: 'src/core must not depend on charts.' },
    { name: 'comlink', message: 'src/core must not know about workers.' },
  ],
  patterns: [{ group: ['**/ui/**', '**/state/**', '**/workers/**'], message: 'src/core may not import app layers.' }],
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'public', 'training', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', coreBanned],
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'src/core has no DOM.' },
        { name: 'document', message: 'src/core has no DOM.' },
        { name: 'localStorage', message: 'src/core has no DOM.' },
      ],
    },
  },
  {
    // Workers are thin adapters over core: nothing of the page may leak into them.
    files: ['src/workers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'react', message: 'Workers have no UI.' },
            { name: 'zustand', message: 'Workers do not hold UI state.' },
          ],
          patterns: [
            { group: ['**/ui/**', '**/state/**', '**/cli/**'], message: 'src/workers may import only src/core (and each other).' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/workers/**'], message: 'UI components reach the worker through the store.' }],
        },
      ],
    },
  },
);
