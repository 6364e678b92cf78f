// The run's event log, newest first, filtered by type and text.
import type { RunEvent } from '@curio/contracts';
import { useState } from 'react';
import { formatTime } from '../../ui/format.js';
import { Field } from '../../ui/parts.js';

const SHOWN = 300;

export function EventLog({ events }: { events: readonly RunEvent[] }) {
  const [type, setType] = useState('');
  const [text, setText] = useState('');
  const types = [...new Set(events.map((e) => e.type))].sort();
  const needle = text.trim().toLowerCase();
  const shown = events
    .filter(
      (e) => (!type || e.type === type) && (!needle || describe(e).toLowerCase().includes(needle)),
    )
    .slice(-SHOWN)
    .reverse();
  return (
    <section id="events" aria-labelledby="events-h" className="card">
      <h2 id="events-h">Events</h2>
      <div className="filters">
        <Field label="Event type">
          {(id) => (
            <select id={id} value={type} onChange={(e) => setType(e.target.value)}>
              <option value="">all</option>
              {types.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Filter events">
          {(id) => (
            <input id={id} type="search" value={text} onChange={(e) => setText(e.target.value)} />
          )}
        </Field>
      </div>
      <ol className="event-log" aria-label="Events, newest first">
        {shown.map((e) => (
          <li key={e.seq}>
            <time dateTime={e.at}>{formatTime(e.at)}</time> <span className="badge">{e.type}</span>{' '}
            {describe(e)}
          </li>
        ))}
      </ol>
    </section>
  );
}

function describe(e: RunEvent): string {
  if (e.message) return e.message;
  if (e.toStatus) return `${e.fromStatus ?? '—'} → ${e.toStatus}`;
  return e.data ? JSON.stringify(e.data).slice(0, 200) : '';
}
