// The price table: USD per device-hour by device kind, and the cost of device time on it.
import { z } from 'zod';
import { unprocessable } from './http/problem.js';

export type PriceTable = Readonly<Record<string, number>>;

/**
 * Modal's base GPU rates per hour, for every device kind its dispatcher runs (per-second rates as
 * modal.com/pricing listed them in 2026: T4, L4, L40S, A100-80GB, H100 as reported on 2026-05-07
 * by techbytes.app and 2026-06-27 by beam.cloud; A10G, A100-40GB, H200, B200 as listed in 2025).
 * GPU only: a sandbox's CPU and memory, region pinning and non-preemptible capacity cost extra.
 * `cpu` is one physical core ($0.0000131/s). Override or extend with CURIO_PRICES.
 */
export const DEFAULT_PRICES: PriceTable = {
  cpu: 0.047,
  'nvidia-t4': 0.59,
  'nvidia-l4': 0.8,
  'nvidia-a10g': 1.1,
  'nvidia-l40s': 1.95,
  'nvidia-a100': 2.1,
  'nvidia-a100-40gb': 2.1,
  'nvidia-a100-80gb': 2.5,
  'nvidia-h100': 3.95,
  'nvidia-h200': 4.54,
  'nvidia-b200': 6.25,
};

const PriceJson = z.record(z.string().min(1), z.number().min(0));

/** Defaults merged with `json` (`{"nvidia-h100": 3.1, "default": 1}`); throws naming a bad entry. */
export function parsePrices(json: string | undefined): PriceTable {
  if (!json) return DEFAULT_PRICES;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new Error(`CURIO_PRICES is not JSON: ${(error as Error).message}`);
  }
  const parsed = PriceJson.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`CURIO_PRICES: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return { ...DEFAULT_PRICES, ...parsed.data };
}

/** USD per hour on `device`: its entry, else the table's `default`, else 0. */
export function hourlyPrice(prices: PriceTable, device: string | null | undefined): number {
  if (device && prices[device] !== undefined) return prices[device];
  return prices.default ?? 0;
}

/** The cost of `deviceSeconds` on `device`. */
export function costOf(
  prices: PriceTable,
  device: string | null | undefined,
  deviceSeconds: number,
): number {
  return (hourlyPrice(prices, device) * deviceSeconds) / 3600;
}

/** The device kinds the table prices: every key but `default`. */
function deviceKinds(prices: PriceTable): string[] {
  return Object.keys(prices).filter((k) => k !== 'default');
}

/** A 422 naming `path` unless `device` is one of the table's device kinds. */
export function checkDevice(prices: PriceTable, device: string | undefined, path: string): void {
  if (device === undefined || (device !== 'default' && prices[device] !== undefined)) return;
  const known = deviceKinds(prices).join(', ');
  throw unprocessable(
    'unknown-device',
    `nothing was stored: device ${device} is not one this server runs on (${known})`,
    [{ path, message: `not a device kind of this server (${known})` }],
  );
}
