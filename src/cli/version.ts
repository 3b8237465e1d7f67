import { readFileSync } from 'node:fs';

/** The package version (src/cli and dist/cli are both two levels below package.json). */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
