// One run's blob space in the blob store: keys `<runId>/<key>`, with the run id and the key
// checked (400s naming them) before the store sees them.
import type { BlobStore, PresignedRequest, StoredBlob } from '@curio/blob-store';
import { badRequest } from '../http/problem.js';
import { checkKey } from './blob-keys.js';

const RUN_ID = /^[a-z]+_[0-9a-z]{26}$/;

export class RunBlobs {
  constructor(readonly store: BlobStore) {}

  /** `<runId>/`, the run's part of the store. */
  private base(runId: string): string {
    if (!RUN_ID.test(runId)) throw badRequest('invalid-run-id', `run id ${runId} is not valid`);
    return `${runId}/`;
  }

  /** The store key of a run's key. */
  storeKey(runId: string, key: string): string {
    return this.base(runId) + checkKey(key);
  }

  uri(runId: string, key: string): string {
    return this.store.uri(this.storeKey(runId, key));
  }

  /** The key of a blob URI this store made for `runId` (e.g. a checkpoint's), or undefined. */
  keyOfUri(runId: string, uri: string): string | undefined {
    const marker = `/${runId}/`;
    const at = uri.indexOf(marker);
    return at === -1 ? undefined : decodeURIComponent(uri.slice(at + marker.length));
  }

  put(
    runId: string,
    key: string,
    body: ReadableStream<Uint8Array> | null,
    maxBytes: number,
  ): Promise<number> {
    return this.store.put(this.storeKey(runId, key), body, maxBytes);
  }

  get(runId: string, key: string): Promise<StoredBlob | undefined> {
    return this.store.get(this.storeKey(runId, key));
  }

  exists(runId: string, key: string): Promise<boolean> {
    return this.store.exists(this.storeKey(runId, key));
  }

  remove(runId: string, key: string): Promise<void> {
    return this.store.remove(this.storeKey(runId, key));
  }

  /** The run's keys under a prefix ('' for all), sorted. */
  async list(runId: string, prefix: string): Promise<string[]> {
    const base = this.base(runId);
    const blobs = await this.store.list(base + prefix);
    return blobs.map((b) => b.key.slice(base.length));
  }

  /** A presigned PUT of exactly `bytes` to the key, when the store signs URLs. */
  presignPut(
    runId: string,
    key: string,
    bytes: number,
    expiresInSeconds: number,
  ): Promise<PresignedRequest> | undefined {
    return this.store.presignPut?.(this.storeKey(runId, key), { bytes, expiresInSeconds });
  }

  /** A presigned GET of the key, when the store signs URLs. */
  presignGet(runId: string, key: string, expiresInSeconds: number) {
    return this.store.presignGet?.(this.storeKey(runId, key), expiresInSeconds);
  }
}
