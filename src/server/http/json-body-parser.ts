import type { FastifyInstance } from 'fastify';
import { AuditrailError, errorMessage } from '../../core/errors.js';
import { inspectValue, type ValueLimits } from '../ingest/inspect-value.js';

/**
 * The JSON parser of every route but ingestion (which has its own): plain JSON.parse, then the
 * same walk as ingestion refuses prototype keys and deep nesting with their own codes (fastify's
 * default parser reports them as generic invalid JSON).
 */
export function registerJsonBodyParser(app: FastifyInstance, limits: ValueLimits): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(new AuditrailError('BODY_MALFORMED', 'the body is empty'));
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return done(new AuditrailError('BODY_MALFORMED', `invalid JSON: ${errorMessage(err)}`));
    }
    try {
      inspectValue(value, limits, 'body');
    } catch (err) {
      return done(err as Error);
    }
    return done(null, value);
  });
}
