import { parseJsonText, toMessage, type ChatMessage } from './chat-messages.js';
import { MESSAGE_EVENTS } from './genai-attributes.js';
import type { AttributeValue } from './otlp-types.js';

/**
 * One message of the older per-message events (semantic conventions v1.28 to v1.36), from the
 * event's body: gen_ai.system.message / gen_ai.user.message `{content}`, gen_ai.assistant.message
 * `{content, tool_calls: [{id, function: {name, arguments}}]}`, gen_ai.tool.message `{content, id}`,
 * gen_ai.choice `{index, finish_reason, message: {content, tool_calls}}`. A body that is plain text
 * is the message's content. Undefined for other event names or an empty body.
 */
export function messageFromEvent(eventName: string, body: AttributeValue | undefined): ChatMessage | undefined {
  const kind = MESSAGE_EVENTS.get(eventName);
  if (!kind) return undefined;
  const value = parseJsonText(body);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value === '' ? undefined : toMessage(kind.role === 'tool' ? { role: 'tool', content: value } : { content: value }, kind.role);
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  // the event name says the role; a tool message's call id is `id`; a choice wraps its message
  const message = kind.role === 'tool' ? toMessage({ ...o, role: 'tool', tool_call_id: o.tool_call_id ?? o.id }, 'tool') : toMessage(o, kind.role);
  return message.parts.length === 0 && message.finishReason === undefined ? undefined : message;
}
