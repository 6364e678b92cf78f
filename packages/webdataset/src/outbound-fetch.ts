// Fetching an http(s) shard without letting a team reach what it was not granted. Each hop is
// checked before it is made: no user name or password in the URL; an address literal must be
// public or allowlisted; a host name is resolved by our own lookup (undici's `connect.lookup`),
// which keeps only public or allowlisted addresses, so the connection is pinned to an address that
// was checked (no DNS rebinding between check and connect). Redirects are followed by hand, each
// hop checked again, up to a hop limit. No cookies or Authorization are ever sent. A connect
// timeout, a total timeout and a size cap bound every fetch. URLs under one of the team's
// `url-prefix` grants may reach their (granted) host at any address.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { Agent, fetch } from 'undici';
import { isAllowListed, isPublicAddress, type AllowEntry } from './address-rule.js';
import { allowListOf, parseFetchUrl, urlGranted, type DataAccess } from './data-access.js';
import { acceptedBody } from './fetch-response.js';
import { LocationUnavailableError } from './location-error.js';

const REDIRECT = new Set([301, 302, 303, 307, 308]);

function isAddressLiteral(host: string): boolean {
  return /^\[.*\]$/.test(host) || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

/** A DNS lookup that answers only addresses the rule allows (all of them when `open`). */
function guardedLookup(list: readonly AllowEntry[], open: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
      const reply = callback as unknown as (
        e: NodeJS.ErrnoException | null,
        a?: string | LookupAddress[],
        f?: number,
      ) => void;
      if (err) return reply(err);
      const allowed = (addresses as LookupAddress[]).filter(
        (a) => open || isPublicAddress(a.address) || isAllowListed(hostname, a.address, list),
      );
      const first = allowed[0];
      if (!first) {
        const refused: NodeJS.ErrnoException = new Error(`${hostname}: no allowed address`);
        refused.code = 'ENOTFOUND';
        return reply(refused);
      }
      if ((options as { all?: boolean }).all) reply(null, allowed);
      else reply(null, first.address, first.family);
    });
  };
}

/** The agent one hop is made with: its own lookup rule and the connect timeout. */
function hopAgent(url: URL, access: DataAccess): Agent {
  const list = allowListOf(access);
  const open = urlGranted(url, access);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!open && isAddressLiteral(url.hostname)) {
    if (!isPublicAddress(host) && !isAllowListed(host, host, list))
      throw new Error(`${host} is not a public address`);
  }
  return new Agent({
    connect: { timeout: access.fetch.connectTimeoutMs, lookup: guardedLookup(list, open) },
    connections: 1,
  });
}

/**
 * The body of `location` as a stream of byte chunks, under `access`'s rule. Any refusal or failure
 * before the body (a refused address, a redirect out of bounds, an error status, a timeout) is a
 * `LocationUnavailableError` that names only `location`.
 */
export async function fetchShardBody(
  location: string,
  access: DataAccess,
  signal?: AbortSignal,
): Promise<AsyncIterable<Uint8Array>> {
  const limits = access.fetch;
  const deadline = AbortSignal.timeout(limits.totalTimeoutMs);
  const abort = signal ? AbortSignal.any([signal, deadline]) : deadline;
  let url = parseFetchUrl(location);
  for (let hop = 0; ; hop++) {
    if (!url) throw new LocationUnavailableError(location, 'not an http(s) URL without userinfo');
    let agent: Agent | undefined;
    try {
      agent = hopAgent(url, access);
      const response = await fetch(url, {
        dispatcher: agent,
        redirect: 'manual',
        signal: abort,
        headers: { accept: '*/*' },
      });
      if (REDIRECT.has(response.status)) {
        await response.body?.cancel();
        await agent.close();
        const target = response.headers.get('location');
        if (hop >= limits.maxRedirects || target === null)
          throw new Error(`redirect ${hop + 1} of at most ${limits.maxRedirects}, to ${target}`);
        url = parseFetchUrl(new URL(target, url).href);
        continue;
      }
      const accepted = await acceptedBody(response, limits.maxBytes);
      const body = Readable.fromWeb(accepted as unknown as NodeReadableStream<Uint8Array>);
      return capped(body, location, limits.maxBytes, agent);
    } catch (error) {
      void agent?.destroy().catch(() => undefined);
      if (error instanceof LocationUnavailableError) throw error;
      throw new LocationUnavailableError(location, (error as Error).message);
    }
  }
}

async function* capped(
  body: Readable,
  location: string,
  maxBytes: number,
  agent: Agent,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  try {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > maxBytes) throw new Error(`${location} is larger than ${maxBytes} bytes`);
      yield chunk;
    }
  } finally {
    body.destroy();
    void agent.destroy().catch(() => undefined);
  }
}
