import { describe, expect, it } from 'vitest';
import { tickLabels } from './ticks.js';

describe('tick labels', () => {
  it('tells close ticks apart', () => {
    expect(tickLabels([0.2165, 0.217, 0.2175], 0.0005)).toEqual(['0.2165', '0.2170', '0.2175']);
    expect(tickLabels([0, 2.5, 5], 2.5)).toEqual(['0.0', '2.5', '5.0']);
    expect(tickLabels([0, 10, 20], 10)).toEqual(['0', '10', '20']);
  });

  it('writes tiny values with an exponent', () => {
    expect(tickLabels([0.0002, 0.0004, 0.0006], 0.0002)).toEqual(['2e-4', '4e-4', '6e-4']);
    expect(tickLabels([0, 0.00025, 0.0005], 0.00025)).toEqual(['0', '2.5e-4', '5.0e-4']);
  });
});
