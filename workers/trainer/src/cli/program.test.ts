import { describe, expect, it } from 'vitest';
import { withDefaultCommand } from './program.js';

describe('withDefaultCommand', () => {
  const argv = (...rest: string[]) => ['node', 'curio-train', ...rest];

  it('sends options given without a command to train', () => {
    expect(withDefaultCommand(argv('--spec', 'a.json', '--out', 'o'))).toEqual(
      argv('train', '--spec', 'a.json', '--out', 'o'),
    );
  });

  it('leaves commands, help and an empty command line alone', () => {
    for (const args of [['export', '--out', 'x'], ['--help'], ['-h'], [], ['exprot']])
      expect(withDefaultCommand(argv(...args))).toEqual(argv(...args));
  });
});
