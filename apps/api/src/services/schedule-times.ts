// When a schedule fires next. Interval schedules keep their cadence; cron schedules follow one or
// more five-field expressions joined by " | " (also how daily `at` times are stored:
// "30 9 * * * | 0 18 * * *"), read by croner in the schedule's IANA time zone (default UTC):
// names (MON-FRI, JAN), ranges, steps, lists, L and # and the macros @yearly, @monthly, @weekly,
// @daily, @hourly.
import { Cron } from 'croner';

/** Croner's errors start "CronPattern: "; ours say which expression it was. */
function parsePart(part: string, timezone: string): Cron {
  try {
    return new Cron(part, { timezone, mode: '5-part', paused: true });
  } catch (error) {
    const reason = (error as Error).message.replace(/^CronPattern:\s*/, '');
    throw new Error(`cron "${part}": ${reason}`);
  }
}

/** Throws an error naming the zone when `timezone` is not an IANA time zone. */
export function checkTimeZone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw new Error(`"${timezone}" is not an IANA time zone (e.g. UTC, Europe/Paris)`);
  }
}

/** The parsed parts of a cron union; throws an error naming the bad part. */
export function parseCron(expression: string, timezone = 'UTC'): Cron[] {
  checkTimeZone(timezone);
  const parts = expression.split('|').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new Error('a cron expression is empty');
  return parts.map((part) => {
    const fields = part.split(/\s+/);
    if (!part.startsWith('@') && fields.length !== 5)
      throw new Error(
        `cron "${part}" needs five fields (minute hour day-of-month month day-of-week) or a macro such as @daily`,
      );
    return parsePart(part, timezone);
  });
}

/** The first time strictly after `after` at which `expression` fires; throws if it never does. */
export function nextCronTime(expression: string, after: Date, timezone = 'UTC'): Date {
  const times = parseCron(expression, timezone)
    .map((cron) => cron.nextRun(after))
    .filter((t): t is Date => t !== null);
  if (times.length === 0) throw new Error(`cron "${expression}" never fires`);
  return new Date(Math.min(...times.map((t) => t.getTime())));
}

/** Daily times ("09:30") as a cron union. */
export function atTimesToCron(times: readonly string[]): string {
  return [...new Set(times)]
    .sort()
    .map((hhmm) => {
      const [h, m] = hhmm.split(':').map(Number);
      return `${m} ${h} * * *`;
    })
    .join(' | ');
}

/** The daily times a cron union stands for, when it is only daily times; else null. */
export function cronToAtTimes(expression: string): string[] | null {
  const times: string[] = [];
  for (const part of expression.split('|').map((p) => p.trim())) {
    const match = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(part);
    if (!match) return null;
    times.push(`${match[2]!.padStart(2, '0')}:${match[1]!.padStart(2, '0')}`);
  }
  return times;
}

/** Next fire of an interval schedule: the first `previous + k·interval` after `now`. */
export function nextIntervalTime(previous: Date, intervalSeconds: number, now: Date): Date {
  const step = intervalSeconds * 1000;
  const behind = Math.max(0, now.getTime() - previous.getTime());
  return new Date(previous.getTime() + (Math.floor(behind / step) + 1) * step);
}
