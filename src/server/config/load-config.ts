import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { AuditrailError, errorMessage, type ErrorIssue } from '../../core/errors.js';
import { ConfigSchema, type AuditrailConfig, type ParsedConfig, type StorageType } from './config-schema.js';
import { readEnvOverrides, type EnvOverride } from './env-overrides.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

export interface LoadConfigOptions {
  /** Path of the YAML file; omitted = defaults and environment only. */
  readonly file?: string;
  /** The environment (the CLI passes process.env); omitted = none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** What `storage.type: auto` means when no database is configured. */
  readonly embeddedStorage?: StorageType;
}

export interface LoadedConfig {
  readonly config: AuditrailConfig;
  /** Non-fatal findings, e.g. AUDITRAIL_* variables that name no key. */
  readonly warnings: readonly string[];
}

/**
 * Reads, merges (defaults < file < environment), validates and freezes the configuration.
 * Throws AUDITRAIL_ERR_CONFIG_INVALID listing every problem with its key and line (or variable).
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const file = options.file;
  let source: YamlSource | undefined;
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw invalid(file, [{ path: '(file)', message: `cannot read ${file}: ${errorMessage(err)}` }]);
    }
    source = parseYamlSource(text);
    if (source.problems.length > 0) throw invalid(file, source.problems);
  }
  const fromFile = source?.data ?? {};
  if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) {
    throw invalid(file, [{ path: '(root)', message: 'line 1: the file must be a mapping of keys (e.g. "server:\\n  port: 7070")' }]);
  }
  const env = readEnvOverrides(options.env ?? {});
  const merged = structuredClone(fromFile) as Record<string, unknown>;
  const origin = new Map<string, EnvOverride>();
  for (const o of env.overrides) {
    setPath(merged, o.path.split('.'), o.value);
    origin.set(o.path, o);
  }
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) throw invalid(file, toIssues(parsed.error, source, origin));
  const explicitDatabase = hasKeys((fromFile as { audit?: { database?: unknown } }).audit?.database) || env.overrides.some((o) => o.path.startsWith('audit.database.'));
  const config = deepFreeze(resolve(parsed.data, explicitDatabase, options.embeddedStorage ?? 'file'));
  return { config, warnings: env.unknown.map((v) => `${v} is not a configuration variable (see docs/configuration.md); ignored`) };
}

function resolve(c: ParsedConfig, explicitDatabase: boolean, embedded: StorageType): AuditrailConfig {
  const type: StorageType = c.storage.type !== 'auto' ? c.storage.type : explicitDatabase ? 'postgres' : embedded;
  return { ...c, storage: { ...c.storage, type } };
}

function toIssues(error: z.ZodError, source: YamlSource | undefined, origin: Map<string, EnvOverride>): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...base, k]) : [base];
    for (const path of keys) {
      const dotted = path.join('.') || '(root)';
      const message = issue.code === 'unrecognized_keys' ? 'unknown key (see docs/configuration.md for the keys)' : issue.message;
      issues.push({ path: dotted, message: `${where(path, source, origin)}${message}` });
    }
  }
  return issues;
}

function where(path: readonly (string | number)[], source: YamlSource | undefined, origin: Map<string, EnvOverride>): string {
  const fromEnv = origin.get(path.join('.'));
  if (fromEnv) return `from ${fromEnv.variable}: `;
  const line = source?.lineOf(path);
  return line === undefined ? '' : `line ${line}: `;
}

function invalid(file: string | undefined, issues: ErrorIssue[]): AuditrailError {
  const list = issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n');
  const what = file === undefined ? 'configuration' : file;
  return new AuditrailError('CONFIG_INVALID', `${what}: ${issues.length} problem(s)\n${list}`, { issues });
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function hasKeys(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.keys(v).length > 0;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
