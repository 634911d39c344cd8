/**
 * Configs in the table: `config push` writes one (after validating it), the handlers and
 * `--config-table` read one by name. The text is stored as pushed: it is validated again on
 * every read, by whoever reads it.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import type { ConfigStore, StoredConfig } from '../../app/serverless/ports.js';
import { callAws, toAwsCallError } from '../errors.js';
import { CONFIG_PK } from './keys.js';

/**
 * @example const store = createConfigStore(documentClient, 'ebs-snapper'); await store.get('default');
 */
export function createConfigStore(client: DynamoDBDocumentClient, table: string): ConfigStore {
  return {
    async put(config) {
      const item = {
        pk: CONFIG_PK,
        sk: config.name,
        text: config.text,
        updated_at: config.updatedAt,
        sha256: config.sha256,
      };
      await callAws('PutItem', () => client.send(new PutCommand({ TableName: table, Item: item })));
    },
    async get(name) {
      const { Item } = await callAws('GetItem', () =>
        client.send(
          new GetCommand({ TableName: table, Key: { pk: CONFIG_PK, sk: name }, ConsistentRead: true }),
        ),
      );
      return Item === undefined ? undefined : toStoredConfig(Item);
    },
    async list() {
      const configs: Omit<StoredConfig, 'text'>[] = [];
      try {
        const pages = paginateQuery(
          { client },
          {
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': CONFIG_PK },
            ProjectionExpression: 'sk, updated_at, sha256',
          },
        );
        for await (const page of pages) {
          for (const item of page.Items ?? []) {
            configs.push({
              name: String(item.sk),
              updatedAt: String(item.updated_at),
              sha256: String(item.sha256),
            });
          }
        }
      } catch (error) {
        throw toAwsCallError('Query', error);
      }
      return configs;
    },
    async delete(name) {
      const { Attributes } = await callAws('DeleteItem', () =>
        client.send(
          new DeleteCommand({ TableName: table, Key: { pk: CONFIG_PK, sk: name }, ReturnValues: 'ALL_OLD' }),
        ),
      );
      return Attributes !== undefined;
    },
  };
}

function toStoredConfig(item: Record<string, unknown>): StoredConfig {
  return {
    name: String(item.sk),
    text: String(item.text ?? ''),
    updatedAt: String(item.updated_at ?? ''),
    sha256: String(item.sha256 ?? ''),
  };
}
