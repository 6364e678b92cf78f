// curio keys create|list|revoke: the team's API keys (the secret is shown once, at creation).
import type { ApiKey } from '@curio/contracts';
import type { Command } from 'commander';
import pc from 'picocolors';
import { collect, ok } from '../client.js';
import { apiFor, listOptions, type Io } from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { printJson, printTable, when } from '../output.js';

const ROLES = ['owner', 'member', 'viewer'] as const;
type Role = (typeof ROLES)[number];

export function keysCommand(program: Command, io: Io): void {
  const keys = program.command('keys').description("the team's API keys");

  keys
    .command('create')
    .description('create an API key; its secret is printed once')
    .argument('<name>', 'what the key is for ("ci", "laptop")')
    .option(
      '--role <role>',
      'owner, member or viewer (at most your own; default member)',
      (v: string): Role => {
        if (!(ROLES as readonly string[]).includes(v))
          throw new CliError(`--role must be one of ${ROLES.join(', ')}, got "${v}"`, EXIT.usage);
        return v as Role;
      },
    )
    .option('--json', "print the API's answer as JSON (with the secret)")
    .action(async (name: string, opts: { role?: Role; json?: boolean }, cmd: Command) => {
      const { client } = await apiFor(cmd, io);
      const key = await ok(
        'keys create',
        client.v1.keys.$post({ json: { name, ...(opts.role && { role: opts.role }) } }),
      );
      if (opts.json) return printJson(io.out, key);
      io.out.log(`created ${key.role} key ${key.name} (${key.id}). Its secret, shown only now:`);
      io.out.log(`  ${pc.bold(key.secret)}`);
      io.out.log(pc.dim(`use it as CURIO_API_KEY=${key.secret.slice(0, 12)}… or --key`));
    });

  listOptions(
    keys.command('list').description('list API keys (prefix, role, last used, revoked)'),
  ).action(async (opts: { json?: boolean; limit: number }, cmd: Command) => {
    const { client } = await apiFor(cmd, io);
    const items = await collect(opts.limit, (query) =>
      ok('keys list', client.v1.keys.$get({ query })),
    );
    if (opts.json) return printJson(io.out, items);
    printTable<ApiKey>(
      io.out,
      items,
      [
        { header: 'id', value: (k) => k.id },
        { header: 'name', value: (k) => k.name },
        { header: 'prefix', value: (k) => `${k.prefix}…` },
        { header: 'role', value: (k) => k.role },
        { header: 'created', value: (k) => when(k.createdAt) },
        { header: 'last used', value: (k) => when(k.lastUsedAt) },
        { header: 'revoked', value: (k) => (k.revokedAt ? pc.red(when(k.revokedAt)) : '') },
      ],
      'no keys',
    );
  });

  keys
    .command('revoke')
    .description('revoke an API key at once')
    .argument('<id>', 'key id (key_…)')
    .option('--json', "print the API's answer as JSON")
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { client } = await apiFor(cmd, io);
      const key = await ok('keys revoke', client.v1.keys[':id'].$delete({ param: { id } }));
      if (opts.json) return printJson(io.out, key);
      io.out.log(`revoked key ${key.name} (${key.id}, ${key.prefix}…) at ${when(key.revokedAt)}`);
    });
}
