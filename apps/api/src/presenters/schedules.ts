// Rows → API shapes for schedules and their firings.
import type { Schedule, ScheduleFiring } from '@curio/contracts';
import type { Schedule as ScheduleRow, ScheduleFiring as FiringRow } from '@curio/db/schema';
import { cronToAtTimes } from '../services/schedule-times.js';
import { iso } from './time.js';

export function presentSchedule(s: ScheduleRow): Schedule {
  const at = s.cron ? cronToAtTimes(s.cron) : null;
  return {
    id: s.id,
    experimentId: s.experimentId,
    kind: s.kind,
    everyMinutes: s.intervalSeconds === null ? null : s.intervalSeconds / 60,
    at,
    cron: s.cron,
    timezone: s.timezone,
    enabled: s.enabled,
    run: s.runOptions,
    nextRunAt: iso(s.nextRunAt),
    lastRunAt: iso(s.lastRunAt),
    lastRunId: s.lastRunId,
    createdAt: iso(s.createdAt),
  };
}

export function presentFiring(f: FiringRow): ScheduleFiring {
  return {
    id: f.id,
    scheduleId: f.scheduleId,
    dueAt: iso(f.dueAt),
    outcome: f.outcome,
    runId: f.runId,
    message: f.message,
    firedAt: iso(f.firedAt),
  };
}
