/**
 * Values that stand for a secret without being one: empty, masks (`***`, `xxxx`), template
 * references (`${DB_PASSWORD}`, `$TOKEN`, `{{ .Values.pw }}`, `<password>`, `%s`), null-ish words and
 * markers already written by a redactor. They are left as they are and not counted.
 */
const PLACEHOLDER =
  /^(?:|\*+|x{3,}|X{3,}|\.{3}|…|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\{\{[^}]*\}\}|<[^<>]*>|%s|%\([a-z_]+\)s|null|nil|none|None|undefined|true|false|\[REDACTED[^\]]*\]|\[REDACTION_FAILED\]|hmac:[0-9a-f]+)$/;

/** Placeholder words inside a value: `sk-xxxx…`, `xoxb-your-token-here`, `REPLACE_ME`, `sk-...`. */
const PLACEHOLDER_PART = /x{4,}|X{4,}|[-_]x{3}$|\.{3}|…|(?:^|[-_ ])your[-_ ]|[-_ ]here$|replace[-_ ]?me|placeholder|<[^<>]+>/i;

export function isPlaceholder(value: string): boolean {
  return value.length <= 64 && (PLACEHOLDER.test(value) || PLACEHOLDER_PART.test(value));
}
