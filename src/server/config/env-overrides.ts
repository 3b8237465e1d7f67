import { configLeaves, type LeafKind } from './config-leaves.js';
import { CONFIG_FILE_ENV, ENV_ALIASES, ENV_VARS } from './env-vars.js';

export interface EnvOverride {
  /** Dotted key path. */
  readonly path: string;
  readonly value: unknown;
  /** The variable it came from, for error messages. */
  readonly variable: string;
}

export interface EnvReading {
  readonly overrides: EnvOverride[];
  /** AUDITRAIL_* variables that name no key (likely typos). */
  readonly unknown: string[];
}

/** Variables the CLI reads that are not configuration keys. */
const CLI_VARIABLES = new Set([CONFIG_FILE_ENV, 'AUDITRAIL_URL', 'AUDITRAIL_API_KEY']);

/**
 * Reads configuration overrides from an environment map (the caller passes process.env: this is
 * the only place the server looks at it). Text is converted by the key's kind; text that does not
 * convert is passed through so that validation reports it against the variable.
 */
export function readEnvOverrides(env: Readonly<Record<string, string | undefined>>): EnvReading {
  const overrides: EnvOverride[] = [];
  for (const leaf of configLeaves()) {
    const names = [ENV_VARS[leaf.path], ENV_ALIASES[leaf.path]].filter((n): n is string => n !== undefined);
    const variable = names.find((n) => env[n] !== undefined);
    if (variable === undefined) continue;
    const text = env[variable]!;
    if (text === '' && leaf.kind !== 'string') continue;
    overrides.push({ path: leaf.path, value: convert(text, leaf.kind), variable });
  }
  const known = new Set([...Object.values(ENV_VARS), ...CLI_VARIABLES]);
  const unknown = Object.keys(env).filter((k) => k.startsWith('AUDITRAIL_') && !known.has(k));
  return { overrides, unknown };
}

function convert(text: string, kind: LeafKind): unknown {
  const t = text.trim();
  if (kind === 'number') return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : text;
  if (kind === 'boolean') {
    if (/^(true|1|yes|on)$/i.test(t)) return true;
    if (/^(false|0|no|off)$/i.test(t)) return false;
    return text;
  }
  return text;
}
