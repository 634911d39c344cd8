import { describe, expect, it } from 'vitest';
import { AWS_REGIONS, regionProblem } from './regions.js';

describe('regionProblem', () => {
  it.each([
    ['us-est-1', '"us-est-1" is not an AWS region; did you mean "us-east-1"?'],
    ['eu-west-4', '"eu-west-4" is not an AWS region; did you mean "eu-west-1"?'],
    ['US-EAST-1', '"US-EAST-1" is not an AWS region; did you mean "us-east-1"?'],
    ['mars-north-1', '"mars-north-1" is not an AWS region (e.g. "us-east-1")'],
  ])('refuses %j: %s', (name, message) => {
    expect(regionProblem(name)).toBe(message);
  });

  it('accepts every region of every partition', () => {
    expect(AWS_REGIONS.map(regionProblem).filter((p) => p !== undefined)).toEqual([]);
  });
});
