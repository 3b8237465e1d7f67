/**
 * A child process instrumented like any OpenTelemetry app, configured by nothing but the standard
 * environment: OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS and
 * OTEL_EXPORTER_OTLP_PROTOCOL (http/json or http/protobuf picks the exporter package, as the
 * Node SDK does). Runs the fake agent in both dialects and a Vercel AI SDK call, exports through
 * a BatchSpanProcessor and BatchLogRecordProcessor, then sends every exported span a second time
 * (a retry after a lost answer) and prints the trace ids as JSON.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { runCurrentDialect, runOlderDialect, runVercelAiSdk } from './instrumented-agent.js';

type ExportResult = Parameters<Parameters<SpanExporter['export']>[1]>[0];

/** Remembers what it exported, so the run can send it all again. */
class RecordingExporter implements SpanExporter {
  readonly sent: ReadableSpan[] = [];
  readonly results: number[] = [];
  constructor(readonly inner: SpanExporter) {}
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.sent.push(...spans);
    this.inner.export(spans, (r) => {
      this.results.push(r.code);
      done(r);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const resource = resourceFromAttributes({ 'service.name': 'fake-ops-agent' });
const protocol = process.env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
const exporter = new RecordingExporter(protocol === 'http/json' ? new JsonTraceExporter() : new ProtoTraceExporter());
// one export at forceFlush: a timer firing mid-run (on a loaded machine) would split a trace
// across requests, which the mapping handles but these field-by-field assertions do not expect
const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 600_000 })] });
const loggerProvider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter(), scheduledDelayMillis: 600_000 })] });
const tracer = tracerProvider.getTracer('fake-ops-agent', '1.0.0');
trace.setGlobalTracerProvider(tracerProvider);

const current = await runCurrentDialect(tracer, `conv-${protocol}`);
const older = await runOlderDialect(tracer, loggerProvider.getLogger('fake-ops-agent'));
const vercel = await runVercelAiSdk(tracer);
await tracerProvider.forceFlush();
await loggerProvider.forceFlush();

const again = await new Promise<ExportResult>((resolve) => exporter.inner.export([...exporter.sent], resolve));
await tracerProvider.shutdown();
await loggerProvider.shutdown();
process.stdout.write(
  JSON.stringify({ current, older, vercel, spans: exporter.sent.length, results: exporter.results, resent: again.error === undefined ? 'success' : String(again.error) }),
);
