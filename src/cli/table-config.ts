/**
 * Configs in the deployment's DynamoDB table, from the CLI: `config push/pull/list/delete` and
 * `--config-table T [--config-name N]` on plan, run and report (SPEC §10).
 */
import type { ConfigStore } from '../app/serverless/ports.js';
import { createDeployedClients } from '../aws/serverless-clients.js';
import { createConfigStore } from '../aws/table/config-store.js';

/** Where the table is: the usual AWS options. */
export interface TableOptions {
  readonly region?: readonly string[] | string;
  readonly profile?: string;
  readonly endpointUrl?: string;
}

/** The config store of `table`, reached with the command's AWS options. */
export function tableConfigStore(table: string, options: TableOptions): ConfigStore {
  const region = Array.isArray(options.region) ? options.region[0] : (options.region as string | undefined);
  const { dynamo } = createDeployedClients({
    ...(region === undefined ? {} : { region }),
    ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  });
  return createConfigStore(dynamo, table);
}
