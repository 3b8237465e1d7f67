// Copies the non-TypeScript files the built server reads at run time into dist/ (tsc emits only .js).
import { cpSync } from 'node:fs';

cpSync('src/storage/sql/migrations', 'dist/storage/sql/migrations', { recursive: true });
