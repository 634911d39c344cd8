/**
 * The `drill` key of a policy as users write it: restore drills that prove the policy's snapshots
 * restore (docs/drills.md). `normalize-drill.ts` checks what needs more than one key (a host only
 * with `check: ssm`, the timeout's bounds) and turns it into the `DrillSettings` model.
 */
import * as z from 'zod';
import { describeValue } from './describe.js';
import { count, duration, instanceIdField, tagMap, text } from './schema-fields.js';
import { DRILL_CHECKS } from './types.js';

/** `us-east-1a`, `eu-west-3c`, a Local Zone such as `us-west-2-lax-1a`. */
const AVAILABILITY_ZONE = /^[a-z]{2}(-[a-z0-9]+)+[a-z]$/;

const hostSchema = z
  .strictObject({
    instance_id: instanceIdField.optional(),
    tags: tagMap.optional().meta({ description: 'The running instances with all these tags' }),
  })
  .meta({
    description: 'check: ssm only: the SSM-managed instance the drill volume is attached to (one of)',
  });

export const drillSchema = z
  .strictObject({
    every: duration.meta({ description: 'How often each series gets a restore drill' }),
    sample: count.default(1).meta({ description: 'Series drilled per policy per account × region when due' }),
    check: z
      .enum(DRILL_CHECKS)
      .default('available')
      .meta({ description: 'available | initialized | ssm (each includes the ones before it)' }),
    timeout: duration
      .optional()
      .meta({ description: 'A drill not finished by then is failed and cleaned up; default 2 hours' }),
    availability_zone: z
      .string()
      .regex(AVAILABILITY_ZONE, {
        error: (issue) =>
          issue.input === undefined
            ? undefined
            : `${describeValue(issue.input)} is not an Availability Zone like "us-east-1a"`,
      })
      .optional()
      .meta({ description: "Where drill volumes are made; default the source volume's zone" }),
    host: hostSchema.optional(),
    commands: z
      .array(text.max(4096, { error: 'a command has at most 4096 characters' }))
      .min(1, { error: 'must not be an empty list' })
      .max(100, { error: 'at most 100 commands' })
      .optional()
      .meta({ description: 'check: ssm only: run read-only with AWS-RunShellScript; exit 0 = passed' }),
  })
  .meta({ description: 'Restore drills: prove the snapshots restore, on a schedule (docs/drills.md)' });

export type ParsedDrill = z.output<typeof drillSchema>;
