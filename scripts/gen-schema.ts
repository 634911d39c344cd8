/**
 * Writes schema/ebs-snapper.schema.json from the zod schema. Run after changing the policy schema:
 * `npx tsx scripts/gen-schema.ts`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configJsonSchemaText } from '../src/core/policy/json-schema.js';

const target = fileURLToPath(new URL('../schema/ebs-snapper.schema.json', import.meta.url));
writeFileSync(target, configJsonSchemaText());
console.log(`wrote ${target}`);
