// A zod error as field errors keyed by dotted path, as the API's problem `errors` are.
import type { z } from 'zod';

export function issuesByPath(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '(root)';
    out[path] ??= issue.message;
  }
  return out;
}
