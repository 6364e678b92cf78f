// The deploy's settings, read from the shell that runs `sst deploy` and checked: every bad or
// missing variable is named. Secrets are not here: they are SST secrets (plan.ts SECRETS).
import type { DeploySettings } from './plan.js';

const ACCOUNT_ID = /^[0-9a-f]{32}$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function readDeploySettings(
  source: Record<string, string | undefined> = process.env,
): DeploySettings {
  const problems: string[] = [];
  const accountId = source.CLOUDFLARE_DEFAULT_ACCOUNT_ID?.trim() ?? '';
  if (!ACCOUNT_ID.test(accountId))
    problems.push('CLOUDFLARE_DEFAULT_ACCOUNT_ID: the 32-hex-digit Cloudflare account id');
  const domain = source.CURIO_DOMAIN?.trim() || undefined;
  if (domain !== undefined && !DOMAIN.test(domain))
    problems.push(`CURIO_DOMAIN: ${domain} is not a domain name`);
  const publicUrl = domain ? `https://${domain}` : (source.CURIO_PUBLIC_URL?.trim() ?? '');
  if (!/^https:\/\/[^/]+\/?$/.test(publicUrl))
    problems.push(
      'CURIO_DOMAIN (a custom domain) or CURIO_PUBLIC_URL (https://…workers.dev): where Modal workers reach the API',
    );
  const modalImage = source.CURIO_MODAL_IMAGE?.trim() ?? '';
  if (!modalImage) problems.push('CURIO_MODAL_IMAGE: the worker image (packages/dispatch/image)');
  const maxWorkers = Number(source.CURIO_MAX_WORKERS ?? '4');
  if (!Number.isInteger(maxWorkers) || maxWorkers < 1 || maxWorkers > 64)
    problems.push('CURIO_MAX_WORKERS: a whole number from 1 to 64');
  const device = source.CURIO_DEVICE?.trim() || 'nvidia-t4';
  if (problems.length) throw new Error(`cannot deploy: set ${problems.join('; ')}`);
  return {
    accountId,
    publicUrl: publicUrl.replace(/\/$/, ''),
    ...(domain ? { domain } : {}),
    modalImage,
    maxWorkers,
    device,
  };
}
