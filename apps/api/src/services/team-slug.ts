// A team's URL handle, made from its name: lower-case letters, digits and -, at most 63.
import { eq, type Db } from '@curio/db';
import { teams } from '@curio/db/schema';
import { randomBytes } from 'node:crypto';

export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return slug || 'team';
}

/** `slugify(name)`, with a short random suffix when another team has it already. */
export async function freeSlug(db: Db, name: string): Promise<string> {
  const slug = slugify(name);
  const [taken] = await db.select({ id: teams.id }).from(teams).where(eq(teams.slug, slug));
  return taken ? `${slug.slice(0, 56)}-${randomBytes(3).toString('hex')}` : slug;
}
