import { describe, expect, it } from 'vitest';
import { readLambdaEnv } from './env.js';

const BASE = { EBS_SNAPPER_TABLE: 't', EBS_SNAPPER_QUEUE_URL: 'https://sqs/q' };

describe('readLambdaEnv: EBS_SNAPPER_METRICS', () => {
  it('unset or empty: no mode (the worker publishes per target)', () => {
    // Prepare / Act
    const unset = readLambdaEnv(BASE);
    const empty = readLambdaEnv({ ...BASE, EBS_SNAPPER_METRICS: '' });

    // Assess
    expect(unset.metrics).toBeUndefined();
    expect(empty.metrics).toBeUndefined();
  });

  it('takes "target" and "deployment"', () => {
    // Prepare / Act
    const target = readLambdaEnv({ ...BASE, EBS_SNAPPER_METRICS: 'target' });
    const deployment = readLambdaEnv({ ...BASE, EBS_SNAPPER_METRICS: 'deployment' });

    // Assess
    expect(target.metrics).toBe('target');
    expect(deployment.metrics).toBe('deployment');
  });

  it('refuses any other value, naming the variable and what it takes', () => {
    // Prepare
    const env = { ...BASE, EBS_SNAPPER_METRICS: 'Deployment' };

    // Act / Assess
    expect(() => readLambdaEnv(env)).toThrow(
      'EBS_SNAPPER_METRICS is "Deployment": it must be target or deployment',
    );
  });
});
