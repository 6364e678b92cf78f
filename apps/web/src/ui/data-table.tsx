// A table of items, one row each, and a list page's table: the error, "Loading …" while the
// query runs, a line when the list is empty, else the table.
import type { Key, ReactNode } from 'react';
import { ErrorBox, Loading } from './parts.js';

export interface DataTableProps<T> {
  /** Read by screen readers; shown only when `showCaption` is set. */
  caption: string;
  showCaption?: boolean;
  /** Column headers; `false` leaves a column out (e.g. actions, for those who may write). */
  columns: (string | false)[];
  items: readonly T[];
  /** The cells (`<td>`s) of one item's row. */
  row: (item: T) => ReactNode;
  /** Shown instead of the table when there are no items; without it an empty table shows. */
  empty?: string;
  /** What keys a row; the item's `id` without it (so items without one must say). */
  rowKey?: (item: T) => Key;
  /** A row's class (e.g. `best`), if any. */
  rowClass?: (item: T) => string | undefined;
  /** The row marked `aria-current` (the one whose details show). */
  current?: T | undefined;
}

export function DataTable<T>(props: DataTableProps<T>) {
  const rowKey = props.rowKey ?? ((item: T) => (item as { id: Key }).id);
  if (props.empty !== undefined && props.items.length === 0) return <p>{props.empty}</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className={props.showCaption ? undefined : 'sr-only'}>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns
              .filter((c): c is string => c !== false)
              .map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
          </tr>
        </thead>
        <tbody>
          {props.items.map((item) => (
            <tr
              key={rowKey(item)}
              className={props.rowClass?.(item)}
              aria-current={item === props.current ? 'true' : undefined}
            >
              {props.row(item)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The state of a list query, as TanStack Query gives it. */
export interface ListQuery<T> {
  error: unknown;
  isPending: boolean;
  data?: T[] | undefined;
}

/** A list query's error, "Loading …" (`what` names the items) while it runs, then its items. */
export function LoadedList<T>(props: {
  query: ListQuery<T>;
  what: string;
  /** An action's error, shown when the query has none. */
  error?: unknown;
  children: (items: T[]) => ReactNode;
}) {
  const { query } = props;
  return (
    <>
      <ErrorBox error={query.error ?? props.error} />
      {query.isPending ? <Loading what={props.what} /> : props.children(query.data ?? [])}
    </>
  );
}

/** A list page's table: `what` names the items in "Loading …"; `error` adds an action's error. */
export function QueryTable<T extends { id: string }>(
  props: Omit<DataTableProps<T>, 'items'> & { query: ListQuery<T>; what: string; error?: unknown },
) {
  const { query, what, error, ...table } = props;
  return (
    <LoadedList query={query} what={what} error={error}>
      {(items) => <DataTable {...table} items={items} />}
    </LoadedList>
  );
}
