import { describe, expect, it } from 'vitest';
import { BUG_CODE, errorCodeOf, errorInfoOf, isTransient } from './classify-error.js';
import { PortError } from './ports.js';

const portError = (code: string, transient: boolean) =>
  new PortError('CreateSnapshot', { code, message: 'm', transient });

describe('errorInfoOf', () => {
  it("keeps a port's code and message", () => {
    // Act
    const info = errorInfoOf(portError('InvalidSnapshot.InUse', false));

    // Assess
    expect(info).toEqual({
      code: 'InvalidSnapshot.InUse',
      message: 'CreateSnapshot failed: InvalidSnapshot.InUse: m',
    });
  });

  it('reports anything else as a bug, whatever its name or code says', () => {
    // Prepare
    const network = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', name: 'TimeoutError' });

    // Act
    const infos = [errorInfoOf(network), errorInfoOf('a string')];

    // Assess
    expect(infos).toEqual([
      { code: BUG_CODE, message: 'socket hang up' },
      { code: BUG_CODE, message: 'a string' },
    ]);
    expect(errorCodeOf(network)).toBe(BUG_CODE);
  });
});

describe('isTransient', () => {
  it("believes the port's verdict and nothing else", () => {
    // Prepare
    const cases: [unknown, boolean][] = [
      [portError('InternalError', true), true],
      [portError('InvalidVolume.NotFound', false), false],
      [Object.assign(new Error('reset'), { code: 'ECONNRESET' }), false],
    ];

    // Act
    const verdicts = cases.map(([error]) => isTransient(error));

    // Assess
    expect(verdicts).toEqual(cases.map(([, transient]) => transient));
  });
});
