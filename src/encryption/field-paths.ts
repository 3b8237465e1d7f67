import type { RecordKind } from '../core/record.js';

/**
 * Every field that can be encrypted, by its option name. `[]` marks a field of each child of a
 * list (a thought, a tool call). Value fields become an envelope string; object fields
 * (actionParams, metadata) become `{"$encrypted": "<envelope>"}` so that they stay objects.
 */
export const ENCRYPTABLE_FIELDS = [
  'question',
  'finalAnswer',
  'errorMessage',
  'thoughts[].content',
  'toolCalls[].input',
  'toolCalls[].observation',
  'toolCalls[].errorMessage',
  'actionParams',
  'reason',
  'metadata',
] as const;
export type EncryptableField = (typeof ENCRYPTABLE_FIELDS)[number];

/** The free text an agent produces: what it was asked, thought, sent to tools, got back, answered. */
export const DEFAULT_ENCRYPTED_FIELDS: readonly EncryptableField[] = Object.freeze([
  'question',
  'finalAnswer',
  'thoughts[].content',
  'toolCalls[].input',
  'toolCalls[].observation',
]);

/** Fields full-text search reads: encrypting either makes search unavailable. */
export const SEARCHED_FIELDS: readonly EncryptableField[] = Object.freeze(['question', 'finalAnswer']);

export interface FieldSpec {
  readonly field: EncryptableField;
  readonly kinds: readonly RecordKind[];
  /** The child list the field lives in, or undefined for a field of the record itself. */
  readonly list?: 'thoughts' | 'toolCalls';
  /** The member name (in the record, or in each child). */
  readonly key: string;
  /** An object field: its envelope is wrapped as `{"$encrypted": …}`. */
  readonly object: boolean;
}

const BOTH: readonly RecordKind[] = ['interaction', 'event'];

export const FIELD_SPECS: readonly FieldSpec[] = Object.freeze([
  { field: 'question', kinds: ['interaction'], key: 'question', object: false },
  { field: 'finalAnswer', kinds: ['interaction'], key: 'finalAnswer', object: false },
  { field: 'errorMessage', kinds: BOTH, key: 'errorMessage', object: false },
  { field: 'thoughts[].content', kinds: ['interaction'], list: 'thoughts', key: 'content', object: false },
  { field: 'toolCalls[].input', kinds: ['interaction'], list: 'toolCalls', key: 'input', object: false },
  { field: 'toolCalls[].observation', kinds: ['interaction'], list: 'toolCalls', key: 'observation', object: false },
  { field: 'toolCalls[].errorMessage', kinds: ['interaction'], list: 'toolCalls', key: 'errorMessage', object: false },
  { field: 'actionParams', kinds: ['event'], key: 'actionParams', object: true },
  { field: 'reason', kinds: ['event'], key: 'reason', object: false },
  { field: 'metadata', kinds: BOTH, key: 'metadata', object: true },
] satisfies FieldSpec[]);

/** The specs of one kind, split into the record's own fields and each child list's fields. */
export interface KindSelection {
  readonly top: readonly FieldSpec[];
  readonly thoughts: readonly FieldSpec[];
  readonly toolCalls: readonly FieldSpec[];
}

/** Which fields to encrypt, per record kind. Made once by selectFields() and reused. */
export interface FieldSelection {
  readonly fields: readonly EncryptableField[];
  readonly interaction: KindSelection;
  readonly event: KindSelection;
}

/** Compiles a list of field names (validated by the options schema) into a selection. */
export function selectFields(fields: readonly EncryptableField[] = DEFAULT_ENCRYPTED_FIELDS): FieldSelection {
  const chosen = new Set(fields);
  const pick = (kind: RecordKind): KindSelection => {
    const specs = FIELD_SPECS.filter((s) => chosen.has(s.field) && s.kinds.includes(kind));
    return Object.freeze({
      top: specs.filter((s) => s.list === undefined),
      thoughts: specs.filter((s) => s.list === 'thoughts'),
      toolCalls: specs.filter((s) => s.list === 'toolCalls'),
    });
  };
  return Object.freeze({ fields: Object.freeze([...chosen]), interaction: pick('interaction'), event: pick('event') });
}

/** Every encryptable field: decryption looks at all of them, whatever is configured now. */
export const ALL_FIELDS: FieldSelection = selectFields(ENCRYPTABLE_FIELDS);
