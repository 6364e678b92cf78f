// Checkpoint export at the edge (the `#checkpoint-export` `workerd` condition; checkpoint-export.ts
// on Node). The export runs the trainer's `curio-train export` as a child process, which Workers
// cannot start: the edge answers 501 and says where an export can be made.
import { ApiError } from '../http/problem.js';
import type { RunBlobs } from './run-blobs.js';

export async function checkpointExport(
  _blobs: RunBlobs,
  _runId: string,
  checkpoint: { id: string; key: string },
): Promise<string[]> {
  throw new ApiError(
    501,
    'not-available-here',
    `checkpoint ${checkpoint.id} cannot be exported by the edge API (the export runs the trainer): ` +
      'download the checkpoint and run `curio-train export`, or ask a Node API (`curio serve`)',
  );
}
