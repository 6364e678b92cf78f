// The run's checkpoints, oldest step first, each downloadable as a tar of its files.
import type { RunDetail } from '@curio/contracts';
import { formatBytes, formatTime } from '../../ui/format.js';

export function Checkpoints({ run }: { run: RunDetail }) {
  return (
    <section id="checkpoints" aria-labelledby="checkpoints-h" className="card">
      <h2 id="checkpoints-h">Checkpoints</h2>
      {run.checkpoints.length === 0 ? (
        <p>No checkpoints yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Checkpoints</caption>
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Size</th>
                <th scope="col">Saved</th>
                <th scope="col">Download</th>
              </tr>
            </thead>
            <tbody>
              {run.checkpoints.map((c) => (
                <tr key={c.id}>
                  <td>{c.step}</td>
                  <td>{formatBytes(c.sizeBytes)}</td>
                  <td>{formatTime(c.createdAt)}</td>
                  <td>
                    <a href={c.downloadPath} download={`${run.id}-step-${c.step}.tar`}>
                      Download step {c.step}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
