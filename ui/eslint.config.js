import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['scripts/**'], languageOptions: { globals: { process: 'readonly' } } },
  {
    // The console talks to Baton only through its public API.
    files: ['src/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['../../src/**', '../../../src/**', '**/packages/**'], message: 'The console uses only Baton\'s public API.' }] }] },
  },
);
