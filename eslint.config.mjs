import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'packages/*/dist/', 'node_modules/', 'coverage/', 'data/', 'bench-results/', 'ui/', 'ui-artifacts/', '**/*.js', '!eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  { files: ['test/**/*.ts', 'scripts/**'], rules: { 'no-console': 'off' } },
  // The rooms of DESIGN.md, kept by the linter rather than by review.
  {
    files: ['src/engine/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['@nestjs/*', 'typeorm', 'pg', 'kafkajs', 'amqplib', '@electric-sql/*', 'node:*'], message: 'Engine decisions are pure functions: no framework, database, broker or I/O in src/engine/core.' },
        { regex: '^\\.\\./(?!\\.\\./common/)', message: 'src/engine/core imports only itself and src/common.' },
      ] }],
    },
  },
  {
    files: ['packages/worker/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['@nestjs/*', 'typeorm'], message: 'The worker SDK never imports Nest or the engine\'s database layer.' },
        { group: ['**/src/**', '../../../**'], message: 'The worker SDK imports nothing of the engine: it is published on its own.' },
      ] }],
    },
  },
);
