import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { ErrorIssue } from '../../core/errors.js';

/** A parsed YAML configuration file that can tell on which line a key is. */
export interface YamlSource {
  readonly data: unknown;
  /** YAML syntax problems, each with its line. */
  readonly problems: ErrorIssue[];
  /** Line (1-based) of the key at `path`, or of its nearest ancestor present in the file. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

export interface YamlSourceOptions {
  /** Accept `<<: *anchor` merge keys (YAML 1.1), e.g. to share parts of one policy in another. */
  readonly merge?: boolean;
}

export function parseYamlSource(text: string, options: YamlSourceOptions = {}): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: options.merge ?? false });
  const problems: ErrorIssue[] = doc.errors.map((e) => ({
    path: '(yaml)',
    message: `line ${lineCounter.linePos(e.pos[0]).line}: ${e.message.split('\n')[0] ?? e.code}`,
  }));
  const data: unknown = problems.length === 0 ? doc.toJS() : undefined;
  return {
    data,
    problems,
    lineOf: (path) => {
      for (let n = path.length; n >= 0; n--) {
        const offset = keyOffset(doc, path.slice(0, n));
        if (offset !== undefined) return lineCounter.linePos(offset).line;
      }
      return undefined;
    },
  };
}

/** Offset of the key node of `path` (the value node for list items), if the file has it. */
function keyOffset(doc: Document, path: readonly (string | number)[]): number | undefined {
  if (path.length === 0) return doc.contents?.range?.[0];
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (!isMap(parent)) {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return node?.range?.[0];
  }
  for (const pair of parent.items) {
    if (!isPair(pair)) continue;
    const key = pair.key;
    if (isScalar(key) && String(key.value) === String(last)) return key.range?.[0];
  }
  return undefined;
}
