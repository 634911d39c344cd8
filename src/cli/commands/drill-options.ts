/** The `drill` command's options and help, registered on the program; its code is loaded when it runs. */
import { type Command, Option } from 'commander';
import type { CommandOutcome } from '../exit.js';
import type { CliIo } from '../io.js';
import { addTargetOptions, OUTPUTS } from '../options.js';
import type { DrillOptions } from './drill.js';

const examples = (lines: readonly string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;

export function addDrillCommand(
  program: Command,
  io: CliIo,
  record: (outcome: CommandOutcome, detailed: boolean) => void,
): void {
  addTargetOptions(program.command('drill'))
    .description('restore drills now: restore snapshots to volumes, check them, record the result, clean up')
    .option(
      '--policy <id>',
      'drill only this policy (one without a drill key is drilled with check: available)',
    )
    .option('--snapshot <snapshot-id>', 'drill exactly this snapshot')
    .option(
      '--deadline <duration>',
      'stop waiting after this long, e.g. 30m (drills left go on in later runs)',
    )
    .addOption(new Option('--output <format>', 'output format').choices(OUTPUTS).default('text'))
    .option('--out <file>', 'also write the results as JSON to this file')
    .option('-v, --verbose', 'more detail on errors')
    .addHelpText(
      'after',
      examples([
        'ebs-snapper drill -c ebs-snapper.yaml                 # every policy with a drill key, due or not',
        'ebs-snapper drill --policy db-nightly --deadline 1h',
        'ebs-snapper drill --snapshot snap-0123456789abcdef0 --output json',
      ]),
    )
    .action(async (options: DrillOptions) =>
      record(await (await import('./drill.js')).drillCommand(options, io), false),
    );
}
