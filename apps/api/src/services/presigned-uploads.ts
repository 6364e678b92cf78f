// A team's shard uploads in a presigning store (S3): `uploads/<teamId>/<name>.tar`, PUT by the
// client straight to the bucket with a presigned URL of that one key, exact size and
// no-overwrite (`If-None-Match: *`) signed in; listed from the store. The bytes never pass
// through the API, so it cannot check them as tars here: pools read them as shards and say so.
import type { BlobStore } from '@curio/blob-store';
import type { Upload, UploadTarget } from '@curio/contracts';
import { conflict } from '../http/problem.js';

const TEAM_ID = /^team_[0-9a-z]{26}$/;

function uploadPrefix(teamId: string): string {
  if (!TEAM_ID.test(teamId)) throw new Error(`not a team id: ${teamId}`);
  return `uploads/${teamId}/`;
}

/** A presigned PUT for the team's upload `name` of exactly `bytes`; 409 when it exists. */
export async function presignUpload(
  store: BlobStore,
  teamId: string,
  name: string,
  bytes: number,
  expiresInSeconds: number,
): Promise<UploadTarget> {
  const key = uploadPrefix(teamId) + name;
  if (!store.presignPut) throw new Error(`the ${store.kind} blob store cannot presign uploads`);
  if (await store.exists(key))
    throw conflict('already-exists', `an upload named ${name} exists already (uploads are kept)`);
  const put = await store.presignPut(key, { expiresInSeconds, bytes, exclusive: true });
  return {
    name,
    location: store.uri(key),
    method: 'PUT',
    url: put.url,
    headers: put.headers,
    auth: 'presigned',
    expiresAt: put.expiresAt.toISOString(),
  };
}

/** The team's uploads in the store, by name. */
export async function listStoredUploads(store: BlobStore, teamId: string): Promise<Upload[]> {
  const prefix = uploadPrefix(teamId);
  return (await store.list(prefix))
    .filter((b) => b.key.endsWith('.tar') && !b.key.slice(prefix.length).includes('/'))
    .map((b) => ({
      name: b.key.slice(prefix.length),
      location: store.uri(b.key),
      bytes: b.size,
      uploadedAt: b.modifiedAt.toISOString(),
    }));
}
