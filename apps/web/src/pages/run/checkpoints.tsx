// The run's checkpoints, oldest step first, each downloadable as a tar of its files, or exported
// for PyTorch / open_clip (model.safetensors and its configs, made by the API on first use).
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
        columns={['Step', 'Size', 'Saved', 'Download', 'Export']}
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
            <td>
              <a href={c.exportPath} download={`${run.id}-step-${c.step}-open_clip.tar`}>
                Export step {c.step} for open_clip
              </a>
            </td>
          </>
        )}
      />
    </section>
  );
}
