/**
 * The JSON Schema of the policy file, generated from the zod schema so the two never disagree.
 * `scripts/gen-schema.ts` writes it to `schema/ebs-snapper.schema.json`; a test fails when the
 * checked-in copy is stale.
 */
import * as z from 'zod';
import { configSchema } from './schema.js';

/**
 * JSON Schema (draft 2020-12) of the document as users write it: keys with defaults are optional.
 *
 * @example writeFileSync('schema/ebs-snapper.schema.json', configJsonSchemaText());
 */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
}

/** The schema file's exact text: pretty-printed with a trailing newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
