// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Dependency direction (docs/architecture.md): core <- sdk; core <- storage <- server <- cli; core <- redaction <- sdk, server; core <- integrity <- storage, server, cli; core <- encryption <- storage, server. */
/** @param {string[]} files @param {string[]} forbidden @param {string} why */
const layer = (files, forbidden, why) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      // relative imports only: a package path such as @modelcontextprotocol/sdk/server is not a layer
      { patterns: forbidden.map((dir) => ({ regex: `^\\.{1,2}/(.*/)?${dir}(/|$)`, message: why })) },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'dashboard/dist/**', 'bench/results/**', 'bench/.data/**', '.tmp/**', '.auditrail/**', '.auditrail-cluster/**', 'screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'No `export *`: name what a module exports.' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**', 'bench/**', 'examples/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  layer(['src/core/**'], ['sdk', 'storage', 'server', 'cli', 'dashboard', 'redaction', 'integrity', 'encryption'], 'core depends on nothing else in auditrail.'),
  layer(['src/sdk/**'], ['storage', 'server', 'cli', 'dashboard', 'encryption', 'integrity'], 'the sdk depends only on core and redaction (storages are injected).'),
  layer(['src/storage/**'], ['sdk', 'server', 'cli', 'dashboard', 'redaction'], 'storage depends only on core, integrity and encryption.'),
  layer(['src/redaction/**'], ['sdk', 'storage', 'server', 'cli', 'dashboard', 'encryption'], 'redaction depends only on core (the sdk and the server call it).'),
  layer(['src/integrity/**'], ['sdk', 'storage', 'server', 'cli', 'dashboard', 'redaction', 'encryption'], 'integrity depends only on core (storage, the server and the cli call it).'),
  layer(['src/encryption/**'], ['sdk', 'storage', 'server', 'cli', 'dashboard', 'redaction', 'integrity'], 'encryption depends only on core (storage and the server call it).'),
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  layer(['src/server/**'], ['cli', 'dashboard'], 'the server never imports the cli or the dashboard (it serves its built files).'),
);
