/**
 * `snapshot.scripts` (SPEC §15): the pre and post scripts of `consistency: application`, as a user
 * writes them. `normalize-scripts.ts` checks the ranges and turns them into `FreezeScripts`.
 */
import * as z from 'zod';
import { describeValue } from './describe.js';
import { count, duration } from './schema-fields.js';
import { BUILTIN_FSFREEZE, FREEZE_FAILURE_MODES } from './types.js';

/** SendCommand's `DocumentName`: a document's name or ARN (botocore's `DocumentARN` shape). */
export const SSM_DOCUMENT_PATTERN = /^[a-zA-Z0-9_\-.:/]{3,128}$/;

const script = z
  .string()
  .regex(SSM_DOCUMENT_PATTERN, {
    error: (issue) =>
      `${describeValue(issue.input)} is neither "${BUILTIN_FSFREEZE}" nor the name or ARN of an SSM command document`,
  })
  .meta({ description: `"${BUILTIN_FSFREEZE}" (built in), or the name or ARN of an SSM command document` });

export const scriptsSchema = z
  .strictObject({
    pre: script.default(BUILTIN_FSFREEZE).meta({ description: 'Runs before CreateSnapshots' }),
    post: script
      .default(BUILTIN_FSFREEZE)
      .meta({ description: 'Runs as soon as CreateSnapshots returns, always (the thaw)' }),
    timeout: duration.default('30 seconds').meta({ description: 'Per script, 10 s – 120 s; default 30 s' }),
    retries: count.default(0).meta({ description: 'Attempts after the first, 0 – 3; default 0' }),
    on_failure: z
      .enum(FREEZE_FAILURE_MODES)
      .default('crash-consistent')
      .meta({ description: 'crash-consistent: snapshot anyway; skip: no snapshot (a failure)' }),
  })
  .meta({ description: 'consistency: application only — SSM Run Command scripts around the snapshot' });

export type ParsedScripts = z.output<typeof scriptsSchema>;
