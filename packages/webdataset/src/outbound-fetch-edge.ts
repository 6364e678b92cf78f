// `fetchShardBody` at the edge (the `workerd` export condition; outbound-fetch.ts on Node): the
// platform's own fetch, with the same rule for each hop — no user name or password, an address
// literal must be public, allowlisted or under a url-prefix grant, redirects followed by hand up to
// the hop limit — the same total timeout and size cap, and no cookies or Authorization. Host names
// cannot be pinned to a checked address here (no DNS lookup of our own); Cloudflare's fetch does
// not reach private networks by name, so the rule on literals is the one left to apply.
import { isAllowListed, isPublicAddress } from './address-rule.js';
import { allowListOf, parseFetchUrl, urlGranted, type DataAccess } from './data-access.js';
import { acceptedBody } from './fetch-response.js';
import { LocationUnavailableError } from './location-error.js';

const REDIRECT = new Set([301, 302, 303, 307, 308]);

function checkHop(url: URL, access: DataAccess): void {
  if (urlGranted(url, access)) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = /^\[.*\]$/.test(url.hostname) || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
  if (literal && !isPublicAddress(host) && !isAllowListed(host, host, allowListOf(access)))
    throw new Error(`${host} is not a public address`);
}

/** The body of `location` as byte chunks, under `access`'s rule (see outbound-fetch.ts). */
export async function fetchShardBody(
  location: string,
  access: DataAccess,
  signal?: AbortSignal,
): Promise<AsyncIterable<Uint8Array>> {
  const limits = access.fetch;
  const deadline = AbortSignal.timeout(limits.totalTimeoutMs);
  const abort = signal ? AbortSignal.any([signal, deadline]) : deadline;
  let url = parseFetchUrl(location);
  try {
    for (let hop = 0; ; hop++) {
      if (!url) throw new LocationUnavailableError(location, 'not an http(s) URL without userinfo');
      checkHop(url, access);
      const response = await fetch(url, {
        redirect: 'manual',
        signal: abort,
        headers: { accept: '*/*' },
      });
      if (REDIRECT.has(response.status)) {
        await response.body?.cancel();
        const target = response.headers.get('location');
        if (hop >= limits.maxRedirects || target === null)
          throw new Error(`redirect ${hop + 1} of at most ${limits.maxRedirects}, to ${target}`);
        url = parseFetchUrl(new URL(target, url).href);
        continue;
      }
      return capped(await acceptedBody(response, limits.maxBytes), location, limits.maxBytes);
    }
  } catch (error) {
    if (error instanceof LocationUnavailableError) throw error;
    throw new LocationUnavailableError(location, (error as Error).message);
  }
}

async function* capped(
  body: ReadableStream<Uint8Array>,
  location: string,
  maxBytes: number,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
      if (total > maxBytes) throw new Error(`${location} is larger than ${maxBytes} bytes`);
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
