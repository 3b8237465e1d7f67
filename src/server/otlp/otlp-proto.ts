/**
 * The OTLP wire schema the server decodes and answers with, as protobuf IDL: the messages of
 * opentelemetry-proto (https://github.com/open-telemetry/opentelemetry-proto, Apache License 2.0,
 * Copyright The OpenTelemetry Authors) that OTLP/HTTP trace and log export use, transcribed with
 * their field numbers and types (v1.x: collector/trace/v1, collector/logs/v1, trace/v1, logs/v1,
 * common/v1, resource/v1), plus google.rpc.Status for error answers (googleapis, Apache-2.0).
 * Packages are flattened into one; the wire format only depends on field numbers and types.
 * Fields auditrail does not read (links, dropped counts, entity refs, schema URLs) are left out:
 * protobuf decoders skip unknown fields, so requests that carry them decode the same.
 */
import protobuf from 'protobufjs';

const OTLP_PROTO = `
syntax = "proto3";
package otlp;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; }
message Resource { repeated KeyValue attributes = 1; }

message Status { string message = 2; int32 code = 3; }
message SpanEvent { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  repeated SpanEvent events = 11;
  Status status = 15;
  fixed32 flags = 16;
}
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }

message LogRecord {
  fixed64 time_unix_nano = 1;
  int32 severity_number = 2;
  string severity_text = 3;
  AnyValue body = 5;
  repeated KeyValue attributes = 6;
  fixed32 flags = 8;
  bytes trace_id = 9;
  bytes span_id = 10;
  fixed64 observed_time_unix_nano = 11;
  string event_name = 12;
}
message ScopeLogs { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; }
message ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; }
message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
message ExportLogsPartialSuccess { int64 rejected_log_records = 1; string error_message = 2; }
message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }

message RpcStatus { int32 code = 1; string message = 2; }
`;

const root = protobuf.parse(OTLP_PROTO, { keepCase: false }).root;

export type OtlpMessageName =
  | 'ExportTraceServiceRequest'
  | 'ExportTraceServiceResponse'
  | 'ExportLogsServiceRequest'
  | 'ExportLogsServiceResponse'
  | 'RpcStatus';

const types = new Map<OtlpMessageName, protobuf.Type>();
function type(name: OtlpMessageName): protobuf.Type {
  let t = types.get(name);
  if (!t) {
    t = root.lookupType(`otlp.${name}`);
    types.set(name, t);
  }
  return t;
}

/**
 * Protobuf bytes to a plain object with camelCase keys, as OTLP/JSON spells them: 64-bit integers
 * as decimal strings, enums as numbers, bytes as Uint8Array, unset fields absent. Throws on bytes
 * that are not a valid message.
 */
export function decodeProtobuf(name: OtlpMessageName, bytes: Uint8Array): Record<string, unknown> {
  const t = type(name);
  return t.toObject(t.decode(bytes), { longs: String, enums: Number, defaults: false, arrays: false });
}

/** A plain object (camelCase keys; int64 as number or string) to protobuf bytes. */
export function encodeProtobuf(name: OtlpMessageName, value: Record<string, unknown>): Uint8Array {
  const t = type(name);
  return t.encode(t.fromObject(value)).finish();
}
