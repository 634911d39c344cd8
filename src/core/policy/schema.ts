/**
 * The zod schema of the policy file as users write it (SPEC §2): snake_case keys, aliases,
 * durations as text. Every object is strict, so a typo such as `retension` is an error, not a
 * silently ignored key. `normalize.ts` turns a parsed document into the `Config` model; the JSON
 * Schema shipped with the package is generated from this file (`json-schema.ts`).
 */
import * as z from 'zod';
import { describeValue } from './describe.js';
import { drillSchema } from './drill-schema.js';
import {
  INSTANCE_FILTER_PATTERN,
  INSTANCE_FILTERS,
  POLICY_ID_PATTERN,
  SNS_TOPIC_ARN_PATTERN,
  VOLUME_FILTER_PATTERN,
  VOLUME_FILTERS,
} from './filters.js';
import {
  accountId,
  count,
  duration,
  filterMap,
  instanceIdField,
  oneOrMore,
  percent,
  region,
  tagMap,
  text,
  volumeIdField,
} from './schema-fields.js';
import { scriptsSchema } from './schema-scripts.js';
import { CONSISTENCIES, COPY_TAGS, LOCK_MODES, NOTIFY_EVENTS } from './types.js';

const DEFAULT_DESCRIPTION = '{policy} {volume_id} from {instance_id}';

const exclusionsSchema = z.strictObject({
  boot_volume: z.boolean().default(false).meta({ description: 'Skip the volume at the root device' }),
  volume_ids: z.array(volumeIdField).default([]),
  instance_ids: z.array(instanceIdField).default([]),
  tags: tagMap
    .default({})
    .meta({ description: 'Skip volumes whose volume or instance has any of these tags' }),
});

export const selectSchema = z
  .strictObject({
    instances: filterMap(INSTANCE_FILTER_PATTERN, INSTANCE_FILTERS)
      .optional()
      .meta({ description: 'DescribeInstances filter name → value or list (OR); * and ? are wildcards' }),
    instance_names: oneOrMore(text).optional().meta({ description: 'Shortcut for tag:Name' }),
    instance_ids: oneOrMore(instanceIdField).optional(),
    asg: oneOrMore(text).optional().meta({ description: 'Instances of these Auto Scaling groups' }),
    volumes: filterMap(VOLUME_FILTER_PATTERN, VOLUME_FILTERS)
      .optional()
      .meta({ description: 'DescribeVolumes filter name → value or list; alone, a volume-targeted policy' }),
    exclude: exclusionsSchema.optional(),
  })
  .meta({ description: 'Which volumes; every given selector must hold (AND)' });

export const scheduleSchema = z
  .strictObject({
    every: duration.optional(),
    cron: text.optional().meta({ description: '5 fields, AWS-style 6 fields (with ? and year), or @daily' }),
    timezone: text.optional().meta({ description: 'IANA time zone for cron, default UTC' }),
    tolerance: duration.optional().meta({ description: 'Default 5 minutes' }),
  })
  .meta({ description: 'Exactly one of every / cron' });

const orphanedSchema = z.union([z.literal('keep'), z.strictObject({ 'expire-after': duration })], {
  error: (issue) => `${describeValue(issue.input)} is neither "keep" nor {expire-after: DURATION}`,
});

export const retentionSchema = z.strictObject({
  max_age: duration.optional().meta({ description: 'Keep snapshots younger than this (alias: retention)' }),
  retention: duration.optional().meta({ description: 'Alias of max_age' }),
  minimum: count
    .optional()
    .meta({ description: 'Keep the newest N completed snapshots, default 1 (alias: keep_last)' }),
  keep_last: count.optional().meta({ description: 'Alias of minimum' }),
  keep_daily: count.default(0),
  keep_weekly: count.default(0),
  keep_monthly: count.default(0),
  keep_yearly: count.default(0),
  orphaned: orphanedSchema.default('keep'),
});

/** `lock`: EBS snapshot lock of each new snapshot (or copy). */
export const lockSchema = z
  .strictObject({
    mode: z.enum(LOCK_MODES).meta({
      description: 'governance (can be removed with permission) | compliance (by nobody, the root included)',
    }),
    until: z
      .union([z.literal('expiry'), duration], {
        error: (issue) => `${describeValue(issue.input)} is neither "expiry" nor a duration`,
      })
      .default('expiry')
      .meta({ description: 'expiry (default: until ebs-snapper:expires-at) or a duration from creation' }),
    cool_off: duration
      .optional()
      .meta({ description: 'Compliance mode: hours (1–72) during which the lock can still be removed' }),
  })
  .meta({
    description: 'Lock each snapshot (EBS snapshot lock) so nobody can delete it before the lock ends',
  });

export const snapshotSchema = z.strictObject({
  consistency: z.enum(CONSISTENCIES).default('volume'),
  copy_tags: z.enum(COPY_TAGS).default('instance+volume'),
  tags: tagMap
    .default({})
    .meta({ description: 'Values may use {instance_id} {volume_id} {device} {policy} {date}' }),
  description: z.string().max(255).default(DEFAULT_DESCRIPTION),
  stop_instance: z
    .boolean()
    .default(false)
    .meta({ description: 'Shut down → snapshot → start up (SPEC §6)' }),
  stop_timeout: duration
    .optional()
    .meta({ description: 'How long to wait for "stopped"; default 10 minutes' }),
  max_stopped: count
    .optional()
    .meta({ description: 'Instances of this policy stopped at once; default 1 per Auto Scaling group' }),
  scripts: scriptsSchema.optional(),
  lock: lockSchema.optional(),
});

const copyTargetSchema = z.strictObject({
  region: region.optional().meta({
    description: 'Destination region; required unless account is given (then default: the source region)',
  }),
  account: accountId.optional().meta({
    description: 'A vault account: the copy is made and owned by it, through its role (role_name)',
  }),
  role_name: z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/, {
      error: (issue) => `${describeValue(issue.input)} is not an IAM role name`,
    })
    .optional()
    .meta({ description: 'The vault account role (default ebs-snapper-member); with account only' }),
  retention: retentionSchema,
  kms_key_id: text.optional(),
  lock: lockSchema.optional(),
});

/** `copy_to`: the copies of a policy's snapshots in other regions. */
export const copyToSchema = z.array(copyTargetSchema);

export const policySchema = z.strictObject({
  id: z.string().regex(POLICY_ID_PATTERN, {
    error: (issue) =>
      issue.input === undefined
        ? undefined
        : `${describeValue(issue.input)} is not a policy id (lower-case letters, digits and -, at most 63)`,
  }),
  select: selectSchema,
  schedule: scheduleSchema,
  retention: retentionSchema,
  snapshot: snapshotSchema.prefault({}),
  copy_to: copyToSchema.default([]),
  drill: drillSchema.optional(),
});

const settingsSchema = z.strictObject({
  regions: z.array(region).min(1, { error: 'must not be an empty list' }).optional(),
  guard: z
    .strictObject({
      max_deletes: z
        .union([count, percent], {
          error: (issue) => `${describeValue(issue.input)} is not a count or a percentage like "10%"`,
        })
        .optional(),
    })
    .prefault({}),
  notify: z
    .strictObject({
      sns_topic_arn: z
        .string()
        .regex(SNS_TOPIC_ARN_PATTERN, {
          error: (issue) => `${describeValue(issue.input)} is not an SNS topic ARN`,
        })
        .optional(),
      webhook_url: z
        .url({
          protocol: /^https?$/,
          error: (issue) => `${describeValue(issue.input)} is not an http(s) URL`,
        })
        .optional(),
      on: z.array(z.enum(NOTIFY_EVENTS)).default(['failure']),
    })
    .optional(),
  accounts: z
    .array(accountId)
    .min(1, { error: 'must not be an empty list' })
    .optional()
    .meta({ description: 'Deployed: the accounts to work on (default: the deployment account)' }),
  organization: z
    .boolean()
    .default(false)
    .meta({ description: 'Deployed: every ACTIVE account of the AWS Organization' }),
  schedule: z
    .union([text, z.strictObject({ expression: text, timezone: text.optional() })], {
      error: (issue) =>
        `${describeValue(issue.input)} is not a schedule: "rate(1 hour)", "cron(0 3 * * ? *)" or {expression, timezone}`,
    })
    .optional()
    .meta({
      description: 'Deployed: when EventBridge Scheduler starts a run (rate or cron, with a time zone)',
    }),
});

/** The whole document. `policies` must hold at least one policy. */
export const configSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Editor hint; ignored' }),
    version: z.literal(1, {
      error: (issue) =>
        issue.input === undefined
          ? 'required: add "version: 1" at the top'
          : `${describeValue(issue.input)} is not supported; use 1`,
    }),
    settings: settingsSchema.prefault({}),
    policies: z.array(policySchema).min(1, { error: 'a file with no policy is an error; add one' }),
  })
  .meta({
    title: 'ebs-snapper policy file',
    description: 'Policies that take EBS snapshots on schedules and delete them by retention rules',
  });

/** The document as a user writes it (snake_case, aliases, defaults optional). */
export type RawDocument = z.input<typeof configSchema>;
/** A policy as a user writes it. */
export type RawPolicy = z.input<typeof policySchema>;
export type ParsedPolicy = z.output<typeof policySchema>;
export type ParsedRetention = z.output<typeof retentionSchema>;
export type ParsedLock = z.output<typeof lockSchema>;
export type ParsedCopyTarget = z.output<typeof copyTargetSchema>;
export type ParsedSettings = z.output<typeof settingsSchema>;
