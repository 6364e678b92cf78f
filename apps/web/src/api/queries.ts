// TanStack Query over the API: a GET keyed by its path, mutations that refresh what they change.
import type { Page } from '@curio/contracts';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from './http.js';

export const apiKey = (path: string) => ['api', path] as const;

/** GET `path` (nothing while it is null); `refetchMs` polls, for lists that change live. */
export function useApi<T>(path: string | null, options: { refetchMs?: number } = {}) {
  return useQuery({
    queryKey: apiKey(path ?? ''),
    queryFn: () => api.get<T>(path!),
    enabled: path !== null,
    refetchInterval: options.refetchMs,
  });
}

/** Every item of a list, following `nextCursor` (for the small lists: pools, eval sets, …). */
export function useAll<T>(path: string) {
  return useQuery({ queryKey: apiKey(`${path}#all`), queryFn: () => fetchAll<T>(path) });
}

export async function fetchAll<T>(path: string, maxPages = 50): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: Page<T> = await api.get<Page<T>>(url);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
}

/** Refetch every query whose path starts with `prefix` (after a change under it). */
export function invalidate(client: QueryClient, prefix: string): Promise<void> {
  return client.invalidateQueries({
    predicate: (q) => q.queryKey[0] === 'api' && String(q.queryKey[1]).startsWith(prefix),
  });
}

export function useInvalidate() {
  const client = useQueryClient();
  return (prefix: string) => invalidate(client, prefix);
}
