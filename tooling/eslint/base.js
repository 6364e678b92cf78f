// One lint config for every workspace. process.env is read only in env.ts / config.ts files.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/build/**', '**/node_modules/**', 'drizzle/migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read the environment only in env.ts.' },
      ],
    },
  },
  {
    files: ['**/env.ts', '**/*.test.ts', '**/bench/**', '**/test/**', '**/vitest.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
