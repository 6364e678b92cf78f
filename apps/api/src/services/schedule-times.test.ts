import { describe, expect, it } from 'vitest';
import {
  atTimesToCron,
  cronToAtTimes,
  nextCronTime,
  nextIntervalTime,
  parseCron,
} from './schedule-times.js';

const t = (iso: string) => new Date(iso);

describe('schedule times', () => {
  it('finds the next cron time (UTC by default, minute resolution)', () => {
    expect(nextCronTime('*/15 * * * *', t('2026-03-01T10:07:30Z'))).toEqual(
      t('2026-03-01T10:15:00Z'),
    );
    expect(nextCronTime('0 9 * * 1', t('2026-03-01T10:00:00Z'))).toEqual(t('2026-03-02T09:00:00Z')); // a Monday
    expect(nextCronTime('30 2 1 * *', t('2026-01-31T12:00:00Z'))).toEqual(
      t('2026-02-01T02:30:00Z'),
    );
    expect(nextCronTime('0 0 29 2 *', t('2026-03-01T00:00:00Z'))).toEqual(
      t('2028-02-29T00:00:00Z'),
    );
    expect(nextCronTime('0 12 * * *', t('2026-03-01T12:00:00Z'))).toEqual(
      t('2026-03-02T12:00:00Z'),
    ); // strictly after
  });

  it('daily times are a union of crons, both ways', () => {
    const cron = atTimesToCron(['18:00', '09:30']);
    expect(cron).toBe('30 9 * * * | 0 18 * * *');
    expect(cronToAtTimes(cron)).toEqual(['09:30', '18:00']);
    expect(cronToAtTimes('*/5 * * * *')).toBeNull();
    expect(nextCronTime(cron, t('2026-03-01T10:00:00Z'))).toEqual(t('2026-03-01T18:00:00Z'));
  });

  it('reads names, ranges, steps, lists and macros', () => {
    const sunday = t('2026-03-01T10:00:00Z');
    expect(nextCronTime('0 9 * * MON-FRI', sunday)).toEqual(t('2026-03-02T09:00:00Z'));
    expect(nextCronTime('0 9 * * SAT,SUN', sunday)).toEqual(t('2026-03-07T09:00:00Z'));
    expect(nextCronTime('0 0 1 JAN *', sunday)).toEqual(t('2027-01-01T00:00:00Z'));
    expect(nextCronTime('0 0 1 jun-aug *', sunday)).toEqual(t('2026-06-01T00:00:00Z'));
    expect(nextCronTime('10-50/20 * * * *', sunday)).toEqual(t('2026-03-01T10:10:00Z'));
    expect(nextCronTime('0 */6 * * *', sunday)).toEqual(t('2026-03-01T12:00:00Z'));
    expect(nextCronTime('@daily', sunday)).toEqual(t('2026-03-02T00:00:00Z'));
    expect(nextCronTime('@hourly', sunday)).toEqual(t('2026-03-01T11:00:00Z'));
    expect(nextCronTime('@weekly', sunday)).toEqual(t('2026-03-08T00:00:00Z'));
    expect(nextCronTime('@monthly', sunday)).toEqual(t('2026-04-01T00:00:00Z'));
    expect(nextCronTime('@yearly', sunday)).toEqual(t('2027-01-01T00:00:00Z'));
    expect(nextCronTime('0 0 L * *', sunday)).toEqual(t('2026-03-31T00:00:00Z')); // last day
  });

  it("fires in the schedule's time zone", () => {
    // 09:00 in Paris is 08:00 UTC in winter and 07:00 UTC in summer.
    expect(nextCronTime('0 9 * * *', t('2026-03-01T10:00:00Z'), 'Europe/Paris')).toEqual(
      t('2026-03-02T08:00:00Z'),
    );
    expect(nextCronTime('0 9 * * *', t('2026-07-01T10:00:00Z'), 'Europe/Paris')).toEqual(
      t('2026-07-02T07:00:00Z'),
    );
    expect(() => parseCron('@daily', 'Mars/Base')).toThrow(/"Mars\/Base" is not an IANA time zone/);
  });

  it('refuses bad expressions, naming the expression and the field', () => {
    expect(() => parseCron('* * *')).toThrow(/cron "\* \* \*" needs five fields/);
    expect(() => parseCron('* * * * * *')).toThrow(/five fields/);
    expect(() => parseCron('61 * * * *')).toThrow(/cron "61 \* \* \* \*": .*minute/);
    expect(() => parseCron('0 9 * * FUNDAY')).toThrow(/cron "0 9 \* \* FUNDAY"/);
    expect(() => parseCron('@fortnightly')).toThrow(/cron "@fortnightly"/);
    expect(() => parseCron('0 9 * * * |')).toThrow(/empty/);
    expect(() => nextCronTime('0 0 31 2 *', t('2026-01-01T00:00:00Z'))).toThrow(/never fires/);
  });

  it('interval schedules keep their cadence and skip what was missed', () => {
    const prev = t('2026-03-01T10:00:00Z');
    expect(nextIntervalTime(prev, 600, t('2026-03-01T10:00:00Z'))).toEqual(
      t('2026-03-01T10:10:00Z'),
    );
    expect(nextIntervalTime(prev, 600, t('2026-03-01T10:35:00Z'))).toEqual(
      t('2026-03-01T10:40:00Z'),
    );
  });
});
