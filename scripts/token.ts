/**
 * Prints a dev/test token signed with the HS256 secret (XBORDER_JWT_SECRET, or the one npm start generated in the
 * data dir).   npm run token -- --role reviewer --sub rita --org regulator [--recipient r1] [--ttl 3600]
 */
import { parseArgs } from 'node:util';
import { mintToken } from '../api/auth';
import { parseConfig } from '../config';
import { devSecret } from '../api/server';
import { roles, type Role } from '../domain/lifecycle';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      org: { type: 'string' },
      recipient: { type: 'string' },
      ttl: { type: 'string', default: '28800' },
    },
  });
  const role = values.role as Role | undefined;
  if (!role || !roles.includes(role) || !values.sub)
    throw new Error(
      `usage: npm run token -- --role ${roles.join('|')} --sub <id> [--org <org>] [--recipient <id>]`,
    );
  if ((role === 'applicant' || role === 'reviewer') && !values.org)
    throw new Error(`--org is required for the ${role} role`);
  if (role === 'recipient' && !values.recipient)
    throw new Error('--recipient is required for the recipient role');
  const config = parseConfig();
  const secret = devSecret(config);
  if (!secret) throw new Error('tokens are issued by your OIDC provider in JWKS mode');
  console.log(
    await mintToken(
      secret.secret,
      { sub: values.sub, role, org: values.org, recipient: values.recipient },
      Number(values.ttl),
    ),
  );
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
