import type { InteractionStatus } from '../../../core/index.js';
import { statusOfError } from '../shared/error-status.js';
import { parseArguments, type LlmCall, type LlmOutcome } from '../shared/llm-call.js';
import { chatUsage, responseOutcome } from './openai-outcome.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Folds streamed items into an outcome; `add` answers whether the item carried a token. */
export interface StreamAccumulator {
  add(item: unknown): boolean;
  outcome(): LlmOutcome;
  /** Set when the stream itself reported a failure (Responses `response.failed` / `error` events). */
  failure(): string | undefined;
}

/** Chat completion chunks: content deltas, tool call deltas by index, finish reason, usage chunk. */
export function chatAccumulator(): StreamAccumulator {
  let answer = '';
  let reasoning = '';
  const tools: { id?: string; name: string; args: string }[] = [];
  const o: LlmOutcome = {};
  return {
    add(chunk) {
      const c = obj(chunk) ?? {};
      o.responseModel ??= str(c.model);
      o.responseId ??= str(c.id);
      if (c.usage) o.usage = chatUsage(c.usage);
      let token = false;
      for (const raw of arr(c.choices)) {
        const choice = obj(raw) ?? {};
        if (choice.index !== undefined && choice.index !== 0) continue;
        const delta = obj(choice.delta) ?? {};
        const text = str(delta.content);
        if (text) {
          answer += text;
          token = true;
        }
        const thought = str(delta.reasoning_content) ?? str(delta.reasoning);
        if (thought) {
          reasoning += thought;
          token = true;
        }
        for (const t of arr(delta.tool_calls)) {
          const d = obj(t) ?? {};
          const index = typeof d.index === 'number' ? d.index : tools.length;
          const fn = obj(d.function) ?? {};
          const slot = (tools[index] ??= { name: '', args: '' });
          if (str(d.id)) slot.id = str(d.id);
          if (str(fn.name)) slot.name += str(fn.name);
          if (str(fn.arguments)) slot.args += str(fn.arguments);
          token = true;
        }
        if (str(choice.finish_reason)) o.finishReason = str(choice.finish_reason);
      }
      return token;
    },
    outcome: () => ({
      ...o,
      answer: answer === '' ? undefined : answer,
      thoughts: reasoning === '' ? [] : [reasoning],
      toolRequests: tools.filter(Boolean).map((t) => ({ id: t.id, name: t.name || 'unknown', input: parseArguments(t.args) })),
    }),
    failure: () => undefined,
  };
}

/** Responses API events: text and argument deltas are tokens; the final response object has everything. */
export function responsesAccumulator(): StreamAccumulator {
  let answer = '';
  let final: { outcome: LlmOutcome; status: InteractionStatus; error?: string } | undefined;
  let failed: string | undefined;
  return {
    add(event) {
      const e = obj(event) ?? {};
      switch (e.type) {
        case 'response.output_text.delta':
          answer += str(e.delta) ?? '';
          return true;
        case 'response.function_call_arguments.delta':
        case 'response.reasoning_summary_text.delta':
        case 'response.refusal.delta':
          return true;
        case 'response.completed':
        case 'response.incomplete':
        case 'response.failed':
          final = responseOutcome(e.response);
          if (final.status === 'error') failed = final.error;
          return false;
        case 'error':
          failed = str(e.message) ?? 'stream error';
          return false;
        default:
          return false;
      }
    },
    outcome: () => final?.outcome ?? { answer: answer === '' ? undefined : answer },
    failure: () => failed,
  };
}

interface StreamLike extends AsyncIterable<unknown> {
  controller: AbortController;
}

/**
 * A stream of the same class that yields the same items, recording the call when iteration ends:
 * success at the end, the error if one is thrown, cancelled when the caller breaks out or aborts.
 * Iteration, tee() and toReadableStream() are unchanged for the caller.
 */
export function wrapStream<S extends StreamLike>(stream: S, call: LlmCall, acc: StreamAccumulator): S {
  const Ctor = stream.constructor as new (iterator: () => AsyncIterator<unknown>, controller: AbortController) => S;
  const onAbort = (): void => call.finish(acc.outcome(), { status: 'cancelled', error: 'the caller aborted the stream' });
  stream.controller.signal.addEventListener('abort', onAbort, { once: true });
  async function* iterate(): AsyncGenerator<unknown> {
    let ended = false;
    try {
      for await (const item of stream) {
        if (acc.add(item)) call.firstToken();
        yield item;
      }
      ended = true;
    } catch (err) {
      ended = true;
      stream.controller.signal.removeEventListener('abort', onAbort);
      call.finish(acc.outcome(), { status: statusOfError(err), error: err });
      throw err;
    } finally {
      stream.controller.signal.removeEventListener('abort', onAbort);
      if (!ended || stream.controller.signal.aborted) onAbort();
      const failure = acc.failure();
      if (failure !== undefined) call.finish(acc.outcome(), { status: 'error', error: failure });
      else call.finish(acc.outcome());
    }
  }
  return new Ctor(() => iterate(), stream.controller);
}
