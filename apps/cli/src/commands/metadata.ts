// curio metadata add|list: what a team cares about (names, synonyms, templates), versioned.
import { readFile } from 'node:fs/promises';
import type { MetadataSet } from '@curio/contracts';
import type { Command } from 'commander';
import { collect, ok } from '../client.js';
import { apiFor, listOptions, resolveRef, type Io } from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { printJson, printTable, when } from '../output.js';

interface AddOptions {
  names?: string;
  file?: string;
  synonyms?: string;
  template?: string[];
  description?: string;
  to?: string;
  json?: boolean;
}

export function metadataCommand(program: Command, io: Io): void {
  const metadata = program
    .command('metadata')
    .description('metadata sets: the names a team cares about');

  metadata
    .command('add')
    .description('create a metadata set (version 1), or with --to add a new version of one')
    .argument('[name]', 'name of the new set (not with --to)')
    .option('--names <list>', 'names, comma-separated ("red circle,blue square")')
    .option('--file <file>', 'a text file with one name a line')
    .option('--synonyms <file>', 'a JSON file { "<name>": ["<synonym>", …] }')
    .option(
      '--template <text>',
      'a template with {} for the name (repeatable)',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option('--description <text>', 'what the set is for')
    .option('--to <set>', 'add a version to this set (id or name) instead of creating one')
    .option('--json', "print the API's answer as JSON")
    .action(async (name: string | undefined, opts: AddOptions, cmd: Command) => {
      const content = await readContent(opts);
      const { client } = await apiFor(cmd, io);
      if (opts.to) {
        if (name) throw new CliError('give a name or --to, not both', EXIT.usage);
        const id = await resolveRef(client, 'metadata set', opts.to);
        const version = await ok(
          'metadata add',
          client.v1['metadata-sets'][':id'].versions.$post({ param: { id }, json: content }),
        );
        if (opts.json) return printJson(io.out, version);
        return io.out.log(
          `added version ${version.version} to metadata set ${id}: ${version.names.length} names`,
        );
      }
      if (!name)
        throw new CliError('metadata add needs a name (or --to SET to add a version)', EXIT.usage);
      const set = await ok(
        'metadata add',
        client.v1['metadata-sets'].$post({
          json: {
            name,
            ...content,
            ...(opts.description !== undefined && { description: opts.description }),
          },
        }),
      );
      if (opts.json) return printJson(io.out, set);
      const synonyms = Object.values(set.latest.synonyms).reduce((n, s) => n + s.length, 0);
      io.out.log(
        `created metadata set ${set.name} (${set.id}) version ${set.latestVersion}: ${set.nameCount} names, ${synonyms} synonyms`,
      );
    });

  listOptions(metadata.command('list').description('list metadata sets')).action(
    async (opts: { json?: boolean; limit: number }, cmd: Command) => {
      const { client } = await apiFor(cmd, io);
      const items = await collect(opts.limit, (query) =>
        ok('metadata list', client.v1['metadata-sets'].$get({ query })),
      );
      if (opts.json) return printJson(io.out, items);
      printTable<MetadataSet>(
        io.out,
        items,
        [
          { header: 'id', value: (m) => m.id },
          { header: 'name', value: (m) => m.name },
          { header: 'version', value: (m) => String(m.latestVersion), align: 'right' },
          { header: 'names', value: (m) => String(m.nameCount), align: 'right' },
          { header: 'created', value: (m) => when(m.createdAt) },
          { header: 'description', value: (m) => m.description ?? '' },
        ],
        'no metadata sets yet (`curio metadata add NAME --file names.txt` makes one)',
      );
    },
  );
}

async function readContent(opts: AddOptions) {
  const names = [
    ...(opts.names ?? '').split(','),
    ...(opts.file ? (await readText(opts.file, '--file')).split(/\r?\n/) : []),
  ]
    .map((n) => n.trim())
    .filter(Boolean);
  if (!opts.names && !opts.file)
    throw new CliError('give the names: --names "a,b" or --file names.txt', EXIT.usage);
  let synonyms: Record<string, string[]> | undefined;
  if (opts.synonyms) {
    try {
      synonyms = JSON.parse(await readText(opts.synonyms, '--synonyms')) as Record<
        string,
        string[]
      >;
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(
        `--synonyms ${opts.synonyms} is not valid JSON: ${(error as Error).message}`,
        EXIT.usage,
      );
    }
  }
  return {
    names,
    ...(synonyms !== undefined && { synonyms }),
    ...(opts.template?.length && { templates: opts.template }),
  };
}

async function readText(file: string, flag: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `${flag} ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      EXIT.usage,
    );
  }
}
