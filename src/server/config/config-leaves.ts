import type { z } from 'zod';
import { ConfigSchema } from './config-schema.js';

/** The scalar kind of a leaf key: decides how its environment variable's text is read. */
export type LeafKind = 'string' | 'number' | 'boolean';

export interface ConfigLeaf {
  /** Dotted YAML path, e.g. `audit.async.queue_size`. */
  readonly path: string;
  readonly kind: LeafKind;
  /** The default as written in YAML (before transforms, e.g. "1h"). */
  readonly defaultValue: unknown;
  readonly description: string;
  readonly choices?: readonly string[];
}

interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly defaultValue?: unknown;
  readonly in?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly entries?: Record<string, string>;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Every leaf key of the configuration schema, in schema order. */
export function configLeaves(): ConfigLeaf[] {
  const out: ConfigLeaf[] = [];
  walk(ConfigSchema, [], out);
  return out;
}

function walk(schema: z.ZodType, path: string[], out: ConfigLeaf[]): void {
  const objectSchema = unwrap(schema);
  const shape = (objectSchema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (defOf(objectSchema).type === 'object' && shape) {
    for (const [key, child] of Object.entries(shape)) walk(child, [...path, key], out);
    return;
  }
  const d = defOf(schema);
  const leaf = unwrap(schema);
  const ld = defOf(leaf);
  out.push({
    path: path.join('.'),
    kind: kindOf(leaf),
    defaultValue: d.defaultValue,
    description: schema.description ?? '',
    ...(ld.type === 'enum' && ld.entries ? { choices: Object.values(ld.entries) } : {}),
  });
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const d = defOf(s);
    if ((d.type === 'default' || d.type === 'prefault' || d.type === 'optional') && d.innerType) s = d.innerType;
    else return s;
  }
}

function kindOf(leaf: z.ZodType): LeafKind {
  const d = defOf(leaf);
  if (d.type === 'number') return 'number';
  if (d.type === 'boolean') return 'boolean';
  // a duration (pipe of number|string) is read as text and parsed by the schema
  return 'string';
}
