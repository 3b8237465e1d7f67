import type { AuditEvent } from '../api/types.js';
import { EventRow } from './event-row.js';

export function EventTable({ events }: { events: readonly AuditEvent[] }) {
  return (
    <div className="table-wrap">
      <table className="table table-events" data-testid="events-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Event</th>
            <th>Action</th>
            <th>Who</th>
            <th>Why / error</th>
            <th className="num">Duration</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <EventRow key={e.eventId} event={e} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
