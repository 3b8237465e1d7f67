import { AuditrailError, errorMessage } from '../../core/errors.js';
import { attributesOf } from './any-value.js';
import { decodeProtobuf } from './otlp-proto.js';
import type { Attributes, DecodedItems, InvalidItem, OtlpLogRecord, OtlpScope, OtlpSpan, OtlpSpanEvent } from './otlp-types.js';

export type OtlpEncoding = 'json' | 'protobuf';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * An ExportTraceServiceRequest (OTLP/JSON or protobuf) as spans. A body that does not decode, or
 * whose structure is not an export request, throws BODY_MALFORMED (400, not retried). A span
 * whose ids or times are unusable is listed in `invalid` (it counts as rejected) and the others
 * are kept. OTLP/JSON is read as the spec spells it (lowerCamelCase keys, hex ids, int64 as
 * strings or numbers); snake_case keys and base64 ids, which generic protobuf-JSON encoders
 * produce, are accepted too.
 */
export function decodeTraces(body: Buffer, encoding: OtlpEncoding): DecodedItems<OtlpSpan> {
  const request = decodeMessage(body, encoding, 'ExportTraceServiceRequest');
  const items: OtlpSpan[] = [];
  const invalid: InvalidItem[] = [];
  let index = 0;
  for (const rs of list(request, 'resourceSpans', 'resource_spans')) {
    const resource = attributesOf(field(field(rs, 'resource'), 'attributes'));
    for (const ss of list(rs, 'scopeSpans', 'scope_spans')) {
      const scope = scopeOf(field(ss, 'scope'));
      for (const raw of list(ss, 'spans')) {
        const at = index++;
        const span = toSpan(raw, at, resource, scope);
        if (typeof span === 'string') invalid.push({ index: at, reason: span });
        else items.push(span);
      }
    }
  }
  return { items, invalid, total: index };
}

/** An ExportLogsServiceRequest as log records; same rules as decodeTraces. */
export function decodeLogs(body: Buffer, encoding: OtlpEncoding): DecodedItems<OtlpLogRecord> {
  const request = decodeMessage(body, encoding, 'ExportLogsServiceRequest');
  const items: OtlpLogRecord[] = [];
  const invalid: InvalidItem[] = [];
  let index = 0;
  for (const rl of list(request, 'resourceLogs', 'resource_logs')) {
    const resource = attributesOf(field(field(rl, 'resource'), 'attributes'));
    for (const sl of list(rl, 'scopeLogs', 'scope_logs')) {
      const scope = scopeOf(field(sl, 'scope'));
      for (const raw of list(sl, 'logRecords', 'log_records')) {
        const at = index++;
        const record = toLogRecord(raw, at, resource, scope);
        if (typeof record === 'string') invalid.push({ index: at, reason: record });
        else items.push(record);
      }
    }
  }
  return { items, invalid, total: index };
}

function decodeMessage(body: Buffer, encoding: OtlpEncoding, name: 'ExportTraceServiceRequest' | 'ExportLogsServiceRequest'): unknown {
  if (encoding === 'protobuf') {
    try {
      return decodeProtobuf(name, body);
    } catch (err) {
      throw new AuditrailError('BODY_MALFORMED', `not a protobuf ${name}: ${errorMessage(err)}`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(body));
  } catch (err) {
    throw new AuditrailError('BODY_MALFORMED', `not an OTLP/JSON ${name}: ${errorMessage(err)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AuditrailError('BODY_MALFORMED', `an OTLP/JSON ${name} is a JSON object`);
  return value;
}

function field(v: unknown, camel: string, snake?: string): unknown {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  return Object.hasOwn(o, camel) ? o[camel] : snake !== undefined && Object.hasOwn(o, snake) ? o[snake] : undefined;
}

/** A repeated field: absent is empty; present but not a list is a malformed request. */
function list(v: unknown, camel: string, snake?: string): unknown[] {
  const x = field(v, camel, snake);
  if (x === undefined || x === null) return [];
  if (!Array.isArray(x)) throw new AuditrailError('BODY_MALFORMED', `"${camel}" must be a list`);
  return x;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function scopeOf(v: unknown): OtlpScope {
  return { name: str(field(v, 'name')), version: str(field(v, 'version')) };
}

function toSpan(raw: unknown, index: number, resource: Attributes, scope: OtlpScope): OtlpSpan | string {
  if (typeof raw !== 'object' || raw === null) return 'a span must be an object';
  const traceId = id(field(raw, 'traceId', 'trace_id'), 16);
  if (traceId === undefined) return 'traceId is not 16 non-zero bytes';
  const spanId = id(field(raw, 'spanId', 'span_id'), 8);
  if (spanId === undefined) return 'spanId is not 8 non-zero bytes';
  const parentRaw = field(raw, 'parentSpanId', 'parent_span_id');
  const parentSpanId = isEmptyId(parentRaw) ? undefined : id(parentRaw, 8);
  if (!isEmptyId(parentRaw) && parentSpanId === undefined) return 'parentSpanId is not 8 bytes';
  const startNs = nanos(field(raw, 'startTimeUnixNano', 'start_time_unix_nano'));
  const endNs = nanos(field(raw, 'endTimeUnixNano', 'end_time_unix_nano'));
  if (startNs === undefined || startNs === 0n) return 'startTimeUnixNano is missing or not a time';
  if (endNs === undefined || endNs < startNs) return 'endTimeUnixNano is missing or before the start';
  const status = field(raw, 'status');
  const kind = field(raw, 'kind');
  return {
    index,
    traceId,
    spanId,
    parentSpanId,
    name: str(field(raw, 'name')),
    kind: typeof kind === 'number' ? kind : 0,
    startNs,
    endNs,
    attributes: attributesOf(field(raw, 'attributes')),
    events: list(raw, 'events').map(toSpanEvent),
    status: { code: statusCode(field(status, 'code')), message: str(field(status, 'message')) },
    resource,
    scope,
  };
}

function toSpanEvent(raw: unknown): OtlpSpanEvent {
  return { name: str(field(raw, 'name')), timeNs: nanos(field(raw, 'timeUnixNano', 'time_unix_nano')) ?? 0n, attributes: attributesOf(field(raw, 'attributes')) };
}

function toLogRecord(raw: unknown, index: number, resource: Attributes, scope: OtlpScope): OtlpLogRecord | string {
  if (typeof raw !== 'object' || raw === null) return 'a log record must be an object';
  const traceRaw = field(raw, 'traceId', 'trace_id');
  const spanRaw = field(raw, 'spanId', 'span_id');
  const traceId = isEmptyId(traceRaw) ? undefined : id(traceRaw, 16);
  const spanId = isEmptyId(spanRaw) ? undefined : id(spanRaw, 8);
  if (!isEmptyId(traceRaw) && traceId === undefined) return 'traceId is not 16 bytes';
  if (!isEmptyId(spanRaw) && spanId === undefined) return 'spanId is not 8 bytes';
  const time = nanos(field(raw, 'timeUnixNano', 'time_unix_nano')) ?? 0n;
  const observed = nanos(field(raw, 'observedTimeUnixNano', 'observed_time_unix_nano')) ?? 0n;
  const timeNs = time !== 0n ? time : observed;
  if (timeNs === 0n) return 'the log record has neither timeUnixNano nor observedTimeUnixNano';
  const attributes = attributesOf(field(raw, 'attributes'));
  const named = str(field(raw, 'eventName', 'event_name'));
  const legacyName = attributes.get('event.name');
  const severity = field(raw, 'severityNumber', 'severity_number');
  const bodyRaw = field(raw, 'body');
  return {
    index,
    timeNs,
    eventName: named !== '' ? named : typeof legacyName === 'string' ? legacyName : '',
    severityNumber: typeof severity === 'number' ? severity : 0,
    body: bodyRaw === undefined ? undefined : anyValueOf(bodyRaw),
    attributes,
    traceId,
    spanId,
    resource,
    scope,
  };
}

function anyValueOf(raw: unknown) {
  return attributesOf([{ key: 'body', value: raw }]).get('body');
}

function isEmptyId(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (v instanceof Uint8Array && v.length === 0);
}

const HEX_RE = /^[0-9a-fA-F]+$/;

/** Hex (OTLP/JSON), base64 (protobuf-JSON) or raw bytes (protobuf) to lowercase hex; undefined when not `bytes` non-zero bytes. */
function id(v: unknown, bytes: number): string | undefined {
  let hex: string | undefined;
  if (v instanceof Uint8Array) hex = v.length === bytes ? Buffer.from(v).toString('hex') : undefined;
  else if (typeof v === 'string' && v.length === bytes * 2 && HEX_RE.test(v)) hex = v.toLowerCase();
  else if (typeof v === 'string') {
    const b = Buffer.from(v, 'base64');
    hex = b.length === bytes && b.toString('base64').replace(/=+$/, '') === v.replace(/=+$/, '') ? b.toString('hex') : undefined;
  }
  return hex === undefined || /^0+$/.test(hex) ? undefined : hex;
}

/** fixed64 nanoseconds: a decimal string or a number. */
function nanos(v: unknown): bigint | undefined {
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return BigInt(Math.trunc(v));
  return undefined;
}

function statusCode(v: unknown): number {
  if (typeof v === 'number') return v;
  // protobuf-JSON encoders may spell enums by name
  if (v === 'STATUS_CODE_OK') return 1;
  if (v === 'STATUS_CODE_ERROR') return 2;
  return 0;
}
