/**
 * auditrail/sdk/otlp: export auditrail records to an OpenTelemetry collector as OTLP/JSON spans
 * (GenAI conventions + auditrail.* attributes). See docs/otlp.md.
 */
export { createOtlpExporter } from './otlp-exporter.js';
export type { OtlpExporterOptions } from './otlp-exporter-options.js';
export { toOtlpTracesRequest } from './traces-request.js';
