/**
 * The OpenAI HTTP API's payloads, as the real API sends them: chat completions (JSON and SSE
 * chunks), Responses (JSON and its SSE event stream), errors. Used by the fake server.
 */

export interface FakeToolCall {
  id: string;
  name: string;
  /** The JSON text of the arguments, as the model writes it. */
  arguments: string;
}

export interface FakeUsage {
  input: number;
  output: number;
  cached?: number;
  reasoning?: number;
}

/** One model turn: text and/or tool calls. */
export interface FakeTurn {
  model?: string;
  content?: string;
  toolCalls?: FakeToolCall[];
  /** Default: 'tool_calls' when there are tool calls, else 'stop'. */
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  usage?: FakeUsage;
  /** Responses API reasoning summary. */
  reasoning?: string;
  /** Text pieces of the streamed answer (default: the content in 3 parts). */
  pieces?: string[];
}

const CREATED = 1_767_225_600;

const split = (text: string, parts = 3): string[] => {
  if (text === '') return [];
  const size = Math.max(1, Math.ceil(text.length / parts));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
};

const finishOf = (t: FakeTurn): string => t.finishReason ?? (t.toolCalls?.length ? 'tool_calls' : 'stop');

const chatUsage = (u: FakeUsage) => ({
  prompt_tokens: u.input,
  completion_tokens: u.output,
  total_tokens: u.input + u.output,
  prompt_tokens_details: { cached_tokens: u.cached ?? 0 },
  completion_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
});

export function chatCompletion(t: FakeTurn, requestModel: string): unknown {
  return {
    id: 'chatcmpl-fake-1',
    object: 'chat.completion',
    created: CREATED,
    model: t.model ?? requestModel,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: t.content ?? null,
          refusal: null,
          ...(t.toolCalls?.length ? { tool_calls: t.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) } : {}),
        },
        logprobs: null,
        finish_reason: finishOf(t),
      },
    ],
    ...(t.usage ? { usage: chatUsage(t.usage) } : {}),
  };
}

/** The chunks of a streamed chat completion; usage in a last chunk with no choices when asked for. */
export function chatChunks(t: FakeTurn, requestModel: string, includeUsage: boolean): unknown[] {
  const base = { id: 'chatcmpl-fake-1', object: 'chat.completion.chunk', created: CREATED, model: t.model ?? requestModel };
  const choice = (delta: unknown, finish: string | null = null) => ({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const out: unknown[] = [choice({ role: 'assistant', content: '', refusal: null })];
  for (const piece of t.pieces ?? split(t.content ?? '')) out.push(choice({ content: piece }));
  (t.toolCalls ?? []).forEach((c, index) => {
    out.push(choice({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }));
    for (const piece of split(c.arguments, 2)) out.push(choice({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  out.push(choice({}, finishOf(t)));
  if (includeUsage && t.usage) out.push({ ...base, choices: [], usage: chatUsage(t.usage) });
  return out;
}

function responseOutput(t: FakeTurn): unknown[] {
  const out: unknown[] = [];
  if (t.reasoning !== undefined) out.push({ type: 'reasoning', id: 'rs_fake_1', summary: [{ type: 'summary_text', text: t.reasoning }] });
  for (const c of t.toolCalls ?? []) out.push({ type: 'function_call', id: `fc_${c.id}`, call_id: c.id, name: c.name, arguments: c.arguments, status: 'completed' });
  if (t.content !== undefined) {
    out.push({ type: 'message', id: 'msg_fake_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: t.content, annotations: [] }] });
  }
  return out;
}

export function responseObject(t: FakeTurn, requestModel: string, status: 'in_progress' | 'completed' | 'incomplete' = 'completed'): Record<string, unknown> {
  const done = status !== 'in_progress';
  return {
    id: 'resp_fake_1',
    object: 'response',
    created_at: CREATED,
    status,
    model: t.model ?? requestModel,
    output: done ? responseOutput(t) : [],
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    error: null,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage:
      done && t.usage
        ? {
            input_tokens: t.usage.input,
            input_tokens_details: { cached_tokens: t.usage.cached ?? 0 },
            output_tokens: t.usage.output,
            output_tokens_details: { reasoning_tokens: t.usage.reasoning ?? 0 },
            total_tokens: t.usage.input + t.usage.output,
          }
        : null,
  };
}

/** The Responses SSE events: created, items added, deltas, items done, completed. */
export function responseEvents(t: FakeTurn, requestModel: string): { event: string; data: Record<string, unknown> }[] {
  const events: { event: string; data: Record<string, unknown> }[] = [];
  const push = (type: string, fields: Record<string, unknown>) => events.push({ event: type, data: { type, sequence_number: events.length, ...fields } });
  push('response.created', { response: responseObject(t, requestModel, 'in_progress') });
  const output = responseOutput(t) as Record<string, unknown>[];
  output.forEach((item, output_index) => {
    push('response.output_item.added', { output_index, item: { ...item, ...(item.type === 'message' ? { content: [] } : {}), ...(item.type === 'function_call' ? { arguments: '' } : {}) } });
    if (item.type === 'message') {
      for (const delta of t.pieces ?? split(t.content ?? '')) push('response.output_text.delta', { item_id: item.id, output_index, content_index: 0, delta, logprobs: [] });
      push('response.output_text.done', { item_id: item.id, output_index, content_index: 0, text: t.content, logprobs: [] });
    }
    if (item.type === 'function_call') {
      for (const delta of split(item.arguments as string, 2)) push('response.function_call_arguments.delta', { item_id: item.id, output_index, delta });
      push('response.function_call_arguments.done', { item_id: item.id, output_index, arguments: item.arguments });
    }
    push('response.output_item.done', { output_index, item });
  });
  push('response.completed', { response: responseObject(t, requestModel, finishOf(t) === 'length' ? 'incomplete' : 'completed') });
  return events;
}

/** An error body as the API sends it. */
export function errorBody(status: number, message: string): unknown {
  const type = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message, type, param: null, code: type } };
}
