/**
 * Who sent a request through the fault proxy, and clients that act as any account in moto: what
 * the emulations of cross-account behaviour need. moto scopes an assumed role's credentials to the
 * role's account; the caller's account is asked of moto itself (GetCallerIdentity with the
 * request's access key), once per key.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { MOTO_ACCOUNT_ID, motoClientConfig } from '../moto/moto.js';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

export interface Callers {
  /** The account of the request's credentials. */
  accountOf(headers: Headers): Promise<string>;
  /** The region the request was signed for. */
  regionOf(headers: Headers): string;
  /** An EC2 client straight to moto, acting as `account` in `region`. */
  ec2As(account: string, region: string): Promise<EC2Client>;
}

const SCOPE = /Credential=([^/]+)\/[^/]+\/([^/]+)\/[^/]+\//;

/** @example const callers = createCallers(moto.endpoint); await callers.accountOf(request.headers) */
export function createCallers(motoEndpoint: string): Callers {
  const accounts = new Map<string, Promise<string>>();
  const credentials = new Map<string, Promise<EC2Client['config']['credentials'] | undefined>>();
  const authorization = (headers: Headers) => String(headers.authorization ?? '');
  const credentialsOf = (account: string) => {
    let found = credentials.get(account);
    if (found === undefined) {
      found =
        account === MOTO_ACCOUNT_ID
          ? Promise.resolve(undefined)
          : (new STSClient(motoClientConfig(motoEndpoint, 'us-east-1'))
              .send(
                new AssumeRoleCommand({
                  RoleArn: `arn:aws:iam::${account}:role/fault-proxy`,
                  RoleSessionName: 'fault-proxy',
                }),
              )
              .then(({ Credentials: c }) => ({
                accessKeyId: c!.AccessKeyId!,
                secretAccessKey: c!.SecretAccessKey!,
                sessionToken: c!.SessionToken!,
              })) as never);
      credentials.set(account, found!);
    }
    return found!;
  };
  return {
    accountOf(headers) {
      const key = SCOPE.exec(authorization(headers))?.[1] ?? 'test';
      let found = accounts.get(key);
      if (found === undefined) {
        const sts = new STSClient({
          ...motoClientConfig(motoEndpoint, 'us-east-1'),
          credentials: { accessKeyId: key, secretAccessKey: 'fault-proxy' },
        });
        found = sts.send(new GetCallerIdentityCommand({})).then((r) => r.Account ?? MOTO_ACCOUNT_ID);
        accounts.set(key, found);
      }
      return found;
    },
    regionOf: (headers) => SCOPE.exec(authorization(headers))?.[2] ?? 'us-east-1',
    async ec2As(account, region) {
      const own = await credentialsOf(account);
      return new EC2Client({
        ...motoClientConfig(motoEndpoint, region),
        ...(own ? { credentials: own } : {}),
      });
    },
  };
}
