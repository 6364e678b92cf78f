// The folders `curio serve` and `curio demo` grant the team they serve: on a loopback address the
// folder they were started in, plus every `--data-root DIR`, through the admin route with the
// embedded API's admin token. A folder granted before is fine; one the API refuses (missing, or
// inside the store's own folders) is reported, not fatal.
import { resolve } from 'node:path';
import { createClient, problemOf } from './client.js';

export interface GrantedRoots {
  granted: string[];
  refused: { dir: string; why: string }[];
}

/** True for 127.0.0.0/8, ::1 and localhost: only this machine can reach the API. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The folders to grant: the working folder on loopback, then each --data-root, without repeats. */
export function dataRootsFor(url: string, cwd: string, extra: readonly string[]): string[] {
  const dirs = [...(isLoopbackUrl(url) ? [cwd] : []), ...extra].map((d) => resolve(d));
  return [...new Set(dirs)];
}

export async function grantDataRoots(
  o: { url: string; adminToken: string; teamId: string },
  dirs: readonly string[],
): Promise<GrantedRoots> {
  const admin = createClient({ url: o.url, key: o.adminToken });
  const out: GrantedRoots = { granted: [], refused: [] };
  for (const dir of dirs) {
    const res = await admin.v1.admin.teams[':teamId'].grants.$post({
      param: { teamId: o.teamId },
      json: { kind: 'directory', location: dir },
    });
    if (res.status === 201) out.granted.push((await res.json()).location);
    else if (res.status === 409) out.granted.push(dir);
    else out.refused.push({ dir, why: (await problemOf(res, `granting ${dir}`)).message });
  }
  return out;
}

/** What serve and demo say about it. */
export function describeRoots(roots: GrantedRoots, team: string): string[] {
  const lines: string[] = [];
  if (roots.granted.length)
    lines.push(
      `data: ${roots.granted.join(', ')} granted to team ${team}: pools and eval sets may name files there (more with --data-root DIR; or \`curio pools upload FILE...\`)`,
    );
  else
    lines.push(
      `data: no folder granted to team ${team} (not on loopback): use --data-root DIR, or \`curio pools upload FILE...\``,
    );
  for (const r of roots.refused) lines.push(`data: ${r.dir} not granted: ${r.why}`);
  return lines;
}
