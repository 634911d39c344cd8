/** `ebs-snapper config validate | schema | import-legacy`. */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../core/errors.js';
import { count } from '../../core/plural.js';
import { configJsonSchema } from '../../core/policy/json-schema.js';
import { legacyToYaml } from '../../core/policy/legacy.js';
import type { CommandOutcome } from '../exit.js';
import type { CliIo } from '../io.js';
import { loadConfigFile } from '../load-config.js';

const NO_CHANGES: CommandOutcome = { failed: false, changes: false };

/** Check a policy file; problems raise `ConfigError` (exit 1), warnings go to stderr. */
export async function validateCommand(file: string, io: CliIo): Promise<CommandOutcome> {
  const { config, warnings } = await loadConfigFile(file, io.clock());
  for (const warning of warnings) io.stderr.write(`warning: ${warning.message}\n`);
  const policies = count(config.policies.length, 'policy', 'policies');
  io.stdout.write(`${file}: valid, ${policies} (${config.policies.map((p) => p.id).join(', ')})\n`);
  return NO_CHANGES;
}

/** Print the JSON Schema of the policy file (generated from the same zod schema the parser uses). */
export function schemaCommand(io: CliIo): CommandOutcome {
  io.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  return NO_CHANGES;
}

/** Convert a Rackspace ebs_snapper config to a `version: 1` document on stdout. */
export async function importLegacyCommand(file: string, io: CliIo): Promise<CommandOutcome> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, [], {
      cause: error,
    });
  }
  io.stdout.write(legacyToYaml(text));
  return NO_CHANGES;
}
