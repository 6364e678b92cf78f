// When a schedule fires next. Interval schedules keep their cadence; cron schedules follow one or
// more five-field expressions (UTC, minute resolution) joined by " | ", which is also how daily
// `at` times are stored ("30 9 * * * | 0 18 * * *").

interface CronFields {
  minute: Set<number>;
  hour: Set<number>;
  dayOfMonth: Set<number>;
  month: Set<number>;
  dayOfWeek: Set<number>;
  anyDayOfMonth: boolean;
  anyDayOfWeek: boolean;
}

const RANGES: [string, number, number][] = [
  ['minute', 0, 59],
  ['hour', 0, 23],
  ['day of month', 1, 31],
  ['month', 1, 12],
  ['day of week', 0, 7],
];

function parseField(text: string, [name, lo, hi]: [string, number, number]): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) throw new Error(`cron ${name} field "${text}" is not understood`);
    const [, all, a, b, stepText] = match;
    const from = all === '*' ? lo : Number(a);
    const to = all === '*' ? hi : b !== undefined ? Number(b) : stepText ? hi : from;
    const step = stepText ? Number(stepText) : 1;
    if (from < lo || to > hi || from > to || step < 1)
      throw new Error(`cron ${name} field "${text}" is outside ${lo}-${hi}`);
    for (let v = from; v <= to; v += step) out.add(name === 'day of week' && v === 7 ? 0 : v);
  }
  return out;
}

export function parseCron(expression: string): CronFields[] {
  const parts = expression.split('|').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === ''))
    throw new Error('a cron expression is empty');
  return parts.map((part) => {
    const fields = part.split(/\s+/);
    if (fields.length !== 5)
      throw new Error(
        `cron "${part}" needs five fields (minute hour day-of-month month day-of-week)`,
      );
    const [minute, hour, dayOfMonth, month, dayOfWeek] = fields.map((f, i) =>
      parseField(f, RANGES[i]!),
    );
    return {
      minute: minute!,
      hour: hour!,
      dayOfMonth: dayOfMonth!,
      month: month!,
      dayOfWeek: dayOfWeek!,
      anyDayOfMonth: fields[2] === '*',
      anyDayOfWeek: fields[4] === '*',
    };
  });
}

function dayMatches(f: CronFields, t: Date): boolean {
  const dom = f.dayOfMonth.has(t.getUTCDate());
  const dow = f.dayOfWeek.has(t.getUTCDay());
  if (f.anyDayOfMonth && f.anyDayOfWeek) return true;
  if (f.anyDayOfMonth) return dow;
  if (f.anyDayOfWeek) return dom;
  return dom || dow; // cron's rule: either restricted day field may match
}

function nextForFields(f: CronFields, after: Date): Date | undefined {
  const t = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
  const limit = after.getTime() + 5 * 366 * 24 * 3600_000;
  while (t.getTime() <= limit) {
    if (!f.month.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(f, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!f.hour.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
    } else if (!f.minute.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
    } else return t;
  }
  return undefined;
}

/** The first time strictly after `after` at which `expression` fires; throws if it never does. */
export function nextCronTime(expression: string, after: Date): Date {
  const times = parseCron(expression)
    .map((f) => nextForFields(f, after))
    .filter((t): t is Date => t !== undefined);
  if (times.length === 0) throw new Error(`cron "${expression}" never fires`);
  return new Date(Math.min(...times.map((t) => t.getTime())));
}

/** Daily UTC times ("09:30") as a cron union. */
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
