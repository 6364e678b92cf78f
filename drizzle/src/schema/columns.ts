// Column builders every table uses: prefixed ids, timestamps, the owning team.
import { text, timestamp } from 'drizzle-orm/pg-core';
import { type IdPrefix, newId } from '../ids';

export const idColumn = (prefix: IdPrefix) =>
  text('id')
    .primaryKey()
    .$defaultFn(() => newId(prefix));

export const timestampTz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const createdAt = () => timestampTz('created_at').notNull().defaultNow();

export const updatedAt = () =>
  timestampTz('updated_at')
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());
