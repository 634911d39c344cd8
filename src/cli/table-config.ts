/**
 * Configs in the deployment's DynamoDB table, from the CLI: `config push/pull/list/delete` and
 * `--config-table T` / `--stack S` on plan, run, report and forecast (SPEC §10, §11a).
 */
import type { ConfigStore } from '../app/serverless/ports.js';
import { AwsCallError } from '../aws/errors.js';
import { createDeployedClients } from '../aws/serverless-clients.js';
import { createConfigStore } from '../aws/table/config-store.js';
import { UsageError } from '../core/errors.js';
import type { DeploymentOptions, TableRef } from './deployment.js';

/** The config store of `table`, reached with the command's AWS options (never `--region`). */
export function tableConfigStore(table: TableRef, options: DeploymentOptions): ConfigStore {
  const { dynamo } = createDeployedClients({
    ...(table.region === undefined ? {} : { region: table.region }),
    ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  });
  return explainMissingTable(createConfigStore(dynamo, table.name), table);
}

/** A table that is not there is named, with where it was looked for and how to find the right one. */
function explainMissingTable(store: ConfigStore, table: TableRef): ConfigStore {
  const explained =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        if (error instanceof AwsCallError && error.code === 'ResourceNotFoundException') {
          throw new UsageError(
            `${table.found}: no such table in ${table.region ?? 'the default region'}. The deployment's table ` +
              'is named in its stack: use --stack NAME --stack-region REGION, or --config-table with the ' +
              "table's ARN (its region included)",
            { cause: error },
          );
        }
        throw error;
      }
    };
  return {
    put: explained(store.put.bind(store)),
    get: explained(store.get.bind(store)),
    list: explained(store.list.bind(store)),
    delete: explained(store.delete.bind(store)),
  };
}
