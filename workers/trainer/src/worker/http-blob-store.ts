// The BlobStore of worker mode: checkpoints go to the API's blob endpoints, so a resumed attempt
// on another machine reads them back over HTTP; and the checkpoints a run starts from, by reference.
import type { BlobStore } from '../checkpoint/blob-store.js';
import type { CheckpointSource } from '../checkpoint/checkpoint.js';
import type { WorkerApi } from './api-client.js';

export interface HttpBlobStoreOptions {
  /**
   * True once this attempt's writes are pointless (the run was taken away: superseded, finished,
   * its token refused): puts are then discarded, so the job can still wind down and report how
   * it ended. A canceled run still takes its final checkpoint.
   */
  discardWrites?: () => boolean;
}

export class HttpBlobStore implements BlobStore {
  readonly uri: string;

  constructor(
    private readonly api: Pick<
      WorkerApi,
      'blobsUri' | 'putBlob' | 'getBlob' | 'listBlobs' | 'deleteBlob'
    >,
    private readonly o: HttpBlobStoreOptions = {},
  ) {
    this.uri = api.blobsUri;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    if (this.o.discardWrites?.()) return;
    await this.api.putBlob(key, bytes);
  }

  async get(key: string): Promise<Uint8Array> {
    const bytes = await this.api.getBlob(key);
    if (!bytes) throw new Error(`blob not found: ${this.uri}/${key}`);
    return bytes;
  }

  async exists(key: string): Promise<boolean> {
    // Listing by the key itself is cheaper than downloading the blob.
    return (await this.api.listBlobs(key)).includes(key);
  }

  async remove(key: string): Promise<void> {
    if (this.o.discardWrites?.()) return;
    await this.api.deleteBlob(key);
  }

  async list(prefix: string): Promise<string[]> {
    return [...(await this.api.listBlobs(prefix))].filter((k) => k.startsWith(prefix)).sort();
  }
}

/**
 * The checkpoints a run's spec starts from (`model.*.init` or `growth.parent`: `{ checkpoint: id }`), read
 * over the API's `inits` endpoint with the run's token; keys are `<checkpoint id>/<file>`.
 */
export class HttpInitSource implements CheckpointSource {
  readonly uri: string;

  constructor(private readonly api: Pick<WorkerApi, 'blobsUri' | 'getInitBlob'>) {
    this.uri = api.blobsUri.replace(/\/blobs$/, '/inits');
  }

  async get(key: string): Promise<Uint8Array> {
    const bytes = await this.api.getInitBlob(key);
    if (!bytes) throw new Error(`model init not found: ${this.uri}/${key}`);
    return bytes;
  }
}
