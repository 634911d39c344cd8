/** The handlers' environment (SPEC §10); `AWS_ENDPOINT_URL` and `AWS_REGION` are read by the SDK itself. */

import { METRICS_ENV, METRICS_MODES, type MetricsMode, metricsModeOf } from '../app/serverless/metrics.js';
import { DEFAULT_CONFIG_NAME } from '../app/serverless/stored-config.js';
import { EbsSnapperError } from '../core/errors.js';

export interface LambdaEnv {
  /** `EBS_SNAPPER_TABLE`: configs, leases, run records. */
  readonly table: string;
  /** `EBS_SNAPPER_QUEUE_URL`: the work queue. */
  readonly queueUrl: string;
  /**
   * `EBS_SNAPPER_SOLO_QUEUE_URL` (worker, optional): where a target with work found in a batch
   * goes, to be worked on alone; unset, the worker works on such targets itself, one after another.
   */
  readonly soloQueueUrl?: string;
  /** `EBS_SNAPPER_CONFIG_NAME`, default `default`. */
  readonly configName: string;
  /** `EBS_SNAPPER_TOPIC_ARN`: failures always go here too. */
  readonly topicArn?: string;
  /** `EBS_SNAPPER_MEMBER_ROLE_NAME`: the role assumed in other accounts; unset = own account only. */
  readonly memberRoleName?: string;
  /**
   * `EBS_SNAPPER_FEATURES`: what the worker's role allows — `*` (every feature, also when unset) or
   * the features of the config it was deployed with (`stop-instance,volume-snapshots`).
   */
  readonly features?: string;
  /**
   * `EBS_SNAPPER_METRICS` (worker): `target` (also when unset) publishes per `Account` × `Region`;
   * `deployment` one series per metric name for the whole deployment.
   */
  readonly metrics?: MetricsMode;
}

/** A handler started without what it needs. */
class LambdaEnvError extends EbsSnapperError {}

export function readLambdaEnv(env: NodeJS.ProcessEnv): LambdaEnv {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new LambdaEnvError(`${name} is not set`);
    return value;
  };
  const optional = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const topicArn = optional('EBS_SNAPPER_TOPIC_ARN');
  const memberRoleName = optional('EBS_SNAPPER_MEMBER_ROLE_NAME');
  const features = optional('EBS_SNAPPER_FEATURES');
  const soloQueueUrl = optional('EBS_SNAPPER_SOLO_QUEUE_URL');
  const metrics = metricsMode(optional(METRICS_ENV));
  return {
    table: required('EBS_SNAPPER_TABLE'),
    queueUrl: required('EBS_SNAPPER_QUEUE_URL'),
    configName: optional('EBS_SNAPPER_CONFIG_NAME') ?? DEFAULT_CONFIG_NAME,
    ...(topicArn === undefined ? {} : { topicArn }),
    ...(memberRoleName === undefined ? {} : { memberRoleName }),
    ...(features === undefined ? {} : { features }),
    ...(soloQueueUrl === undefined ? {} : { soloQueueUrl }),
    ...(metrics === undefined ? {} : { metrics }),
  };
}

/** A value that names no mode is refused: a typo must not silently publish what it did not ask. */
function metricsMode(value: string | undefined): MetricsMode | undefined {
  if (value === undefined) return undefined;
  const mode = metricsModeOf(value);
  if (mode === undefined)
    throw new LambdaEnvError(`${METRICS_ENV} is "${value}": it must be ${METRICS_MODES.join(' or ')}`);
  return mode;
}
