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
  it('finds the next cron time (UTC, minute resolution)', () => {
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

  it('refuses bad expressions, naming the field', () => {
    expect(() => parseCron('* * *')).toThrow(/five fields/);
    expect(() => parseCron('61 * * * *')).toThrow(/minute field "61"/);
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
