import { describe, expect, it } from 'vitest';
import { MetricName, sourceWeightMetric } from './metric-names.js';

describe('MetricName', () => {
  it('takes the fixed names and one source_weight:<source> name per pool source', () => {
    expect(MetricName.parse('loss')).toBe('loss');
    expect(MetricName.parse(sourceWeightMetric('web crawl'))).toBe('source_weight:web crawl');
  });

  it('refuses any other name, an empty source and one longer than a source name may be', () => {
    for (const bad of [
      'losses',
      'source_weight',
      'source_weight:',
      `source_weight:${'x'.repeat(201)}`,
    ])
      expect(MetricName.safeParse(bad).success, bad).toBe(false);
  });
});
