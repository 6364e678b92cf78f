// API key and worker token secrets: high-entropy random strings, stored only as a SHA-256 hash
// with a short visible prefix to recognise them by.
import { createHash, randomBytes } from 'node:crypto';

const PREFIX_LENGTH = 14;

/** A new secret: `curio_<base64url of 32 random bytes>` (`curio_run_…` for worker tokens). */
export function newSecret(kind: 'team' | 'run'): string {
  return `${kind === 'run' ? 'curio_run_' : 'curio_'}${randomBytes(32).toString('base64url')}`;
}

/** A session secret, invite token or login-link token: 32 random bytes, base64url. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function prefixOf(secret: string): string {
  return secret.slice(0, PREFIX_LENGTH);
}
