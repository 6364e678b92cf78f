// The grant rule on real folders: a team's directory grant, another team's folder next to it, the
// store's own folders inside a granted parent, symlinks in and out, globs, file:// and `..`.
import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  pathGranted,
  PUBLIC_ONLY,
  urlGranted,
  withDataAccess,
  type DataAccess,
} from './data-access.js';
import { LocationUnavailableError } from './location-error.js';
import { openShardBytes, resolveShards } from './shards.js';
import { makeTempDir } from './test-helpers.js';

describe('the grant rule', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let access: DataAccess;
  beforeAll(async () => {
    ({ dir: root, cleanup } = await makeTempDir('curio-grants-'));
    root = await realpath(root);
    for (const dir of [
      'a/pool',
      'b/pool',
      'store/blobs/run_1',
      'store/uploads/team_a',
      'store/uploads/team_b',
    ])
      await mkdir(path.join(root, dir), { recursive: true });
    for (const file of [
      'a/pool/1.tar',
      'a/pool/2.tar',
      'b/pool/secret.tar',
      'store/blobs/run_1/state.tar',
      'store/uploads/team_a/mine.tar',
      'store/uploads/team_b/theirs.tar',
    ])
      await writeFile(path.join(root, file), 'x');
    await symlink(path.join(root, 'b/pool/secret.tar'), path.join(root, 'a/pool/3.tar'));
    await symlink(path.join(root, 'b/pool'), path.join(root, 'a/to-b'));
    await symlink(path.join(root, 'a/pool/1.tar'), path.join(root, 'a/alias.tar'));
    await symlink('/', path.join(root, 'a/to-root'));
    access = {
      ...PUBLIC_ONLY,
      // the operator granted team A its folder and, carelessly, the whole store's parent
      grants: [
        { kind: 'directory', location: path.join(root, 'a') },
        { kind: 'directory', location: path.join(root, 'store') },
        { kind: 'url-prefix', location: 'http://10.0.0.5:8080/team-a/' },
      ],
      uploadDir: path.join(root, 'store/uploads/team_a'),
      protectedDirs: [path.join(root, 'store')],
    };
  });
  afterAll(() => cleanup());

  const resolve = (location: string) => withDataAccess(access, () => resolveShards([location]));
  const refused = async (location: string) => {
    const error = await resolve(location).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LocationUnavailableError);
    expect((error as Error).message).toBe(
      `data location ${location} does not exist or is not granted to this team`,
    );
  };

  it('checks real paths: granted folder yes, store folders no, own uploads yes', () => {
    expect(pathGranted(path.join(root, 'a/pool/1.tar'), access)).toBe(true);
    expect(pathGranted(path.join(root, 'a'), access)).toBe(true);
    expect(pathGranted(path.join(root, 'ab'), access)).toBe(false);
    expect(pathGranted(path.join(root, 'b/pool/secret.tar'), access)).toBe(false);
    expect(pathGranted(path.join(root, 'store/blobs/run_1/state.tar'), access)).toBe(false);
    expect(pathGranted(path.join(root, 'store/uploads/team_b/theirs.tar'), access)).toBe(false);
    expect(pathGranted(path.join(root, 'store/uploads/team_a/mine.tar'), access)).toBe(true);
  });

  it('matches URL prefixes after normalisation, never across origins or segments', () => {
    const ok = (u: string) => urlGranted(new URL(u), access);
    expect(ok('http://10.0.0.5:8080/team-a/x.tar')).toBe(true);
    expect(ok('HTTP://10.0.0.5:8080/team-a/sub/../x.tar')).toBe(true);
    expect(ok('http://10.0.0.5:8080/team-a/../team-b/x.tar')).toBe(false);
    expect(ok('http://10.0.0.5:8080/team-a/%2e%2e/team-b/x.tar')).toBe(false);
    expect(ok('http://10.0.0.5:8080/team-ab/x.tar')).toBe(false);
    expect(ok('http://10.0.0.5:8081/team-a/x.tar')).toBe(false);
    expect(ok('https://10.0.0.5:8080/team-a/x.tar')).toBe(false);
  });

  it('resolves what is granted, dropping symlinks that lead out of a folder', async () => {
    expect(await resolve(path.join(root, 'a/pool'))).toEqual([
      path.join(root, 'a/pool/1.tar'),
      path.join(root, 'a/pool/2.tar'),
    ]);
    expect(await resolve(pathToFileURL(path.join(root, 'a/pool/2.tar')).href)).toEqual([
      path.join(root, 'a/pool/2.tar'),
    ]);
    expect(await resolve(path.join(root, 'a/alias.tar'))).toEqual([
      path.join(root, 'a/pool/1.tar'),
    ]);
    expect(await resolve(path.join(root, 'store/uploads/team_a/mine.tar'))).toEqual([
      path.join(root, 'store/uploads/team_a/mine.tar'),
    ]);
  });

  it('expands globs only inside grants and never lists a match outside them', async () => {
    expect(await resolve(path.join(root, 'a/*/*.tar'))).toEqual([
      path.join(root, 'a/pool/1.tar'),
      path.join(root, 'a/pool/2.tar'),
    ]);
    await refused(path.join(root, '*/pool/*.tar'));
    await refused(path.join(root, 'store/*/*/*.tar'));
    await refused(path.join(root, 'a/to-b/*.tar'));
    await refused(path.join(root, 'a/to-root/**/passwd'));
    await refused(path.join(root, 'a/*.tar')); // a glob follows no symlink, not even a granted one
    await refused('/etc/*.conf');
  });

  it('refuses every way out exactly like a missing location', async () => {
    await refused(path.join(root, 'a/pool/nope.tar'));
    await refused(path.join(root, 'b/pool/secret.tar'));
    await refused(path.join(root, 'b/pool'));
    await refused(path.join(root, 'a/pool/3.tar'));
    await refused(path.join(root, 'a/to-b'));
    await refused(`${root}/a/pool/../../b/pool/secret.tar`);
    await refused(`${root}/a/../b/pool`);
    await refused(pathToFileURL(path.join(root, 'b/pool/secret.tar')).href);
    await refused(`file://${root}/a/%2e%2e/b/pool/secret.tar`);
    await refused(path.join(root, 'store/blobs/run_1/state.tar'));
    await refused(path.join(root, 'store/uploads/team_b/theirs.tar'));
    await refused(path.join(root, 'store'));
    await refused('s3://bucket/prefix/x.tar');
    await refused('http://user:pw@example.org/x.tar');
    await refused('/etc/passwd');
  });

  it('checks a local shard again when it is opened', async () => {
    const opened = withDataAccess(access, () =>
      openShardBytes(path.join(root, 'b/pool/secret.tar')),
    );
    await expect(opened).rejects.toBeInstanceOf(LocationUnavailableError);
  });
});
