// The run's checkpoints, oldest step first, each downloadable as a tar of its files.
import type { RunDetail } from '@curio/contracts';
import { DataTable } from '../../ui/data-table.js';
import { formatBytes, formatTime } from '../../ui/format.js';

export function Checkpoints({ run }: { run: RunDetail }) {
  return (
    <section id="checkpoints" aria-labelledby="checkpoints-h" className="card">
      <h2 id="checkpoints-h">Checkpoints</h2>
      <DataTable
        caption="Checkpoints"
        empty="No checkpoints yet."
        columns={['Step', 'Size', 'Saved', 'Download']}
        items={run.checkpoints}
        row={(c) => (
          <>
            <td>{c.step}</td>
            <td>{formatBytes(c.sizeBytes)}</td>
            <td>{formatTime(c.createdAt)}</td>
            <td>
              <a href={c.downloadPath} download={`${run.id}-step-${c.step}.tar`}>
                Download step {c.step}
              </a>
            </td>
          </>
        )}
      />
    </section>
  );
}
