// Events from transaction logs (crates/credit-client/src/events.rs): each `Program data:
// <base64>` field holds one Anchor `emit!` event, or several of the market engine's events back
// to back (discriminator + Borsh fields each; the type gives the length). Bytes that decode as
// none of the program's events are skipped, never trusted.
import { getBase64Encoder, type ReadonlyUint8Array } from '@solana/kit';
import {
  COMPUTE_CREDITS_EVENTS,
  type ComputeCreditsEventMap,
  type ComputeCreditsEventName,
} from './generated/events.ts';

export { COMPUTE_CREDITS_EVENTS, type ComputeCreditsEventMap, type ComputeCreditsEventName };

/** A decoded event: its IDL name and fields. */
export type ComputeCreditsEvent = {
  [K in ComputeCreditsEventName]: { name: K; data: ComputeCreditsEventMap[K] };
}[ComputeCreditsEventName];

/** The market engine's events, which `events_v2::log_events` packs into one field. */
const PACKED: ComputeCreditsEventName[] = [
  'OrderPlacedV2',
  'OrderRemovedV2',
  'FillV2',
  'SeatClaimedV2',
  'DepositV2',
  'WithdrawV2',
  'MarketFeesWithdrawn',
];

const startsWith = (bytes: ReadonlyUint8Array, prefix: Uint8Array) =>
  bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);

/** The length of the `name` event at the start of `bytes`, if a whole one is there. */
function lengthOf(name: ComputeCreditsEventName, bytes: ReadonlyUint8Array): number | undefined {
  const { discriminator, decoder } = COMPUTE_CREDITS_EVENTS[name];
  if (!startsWith(bytes, discriminator)) return undefined;
  try {
    return (decoder as { read: (b: ReadonlyUint8Array, o: number) => [unknown, number] }).read(bytes, 8)[1];
  } catch {
    return undefined;
  }
}

/** The events of one `Program data:` field: market events back to back, or one other event (the whole field). */
export function split(bytes: ReadonlyUint8Array): ReadonlyUint8Array[] {
  const out: ReadonlyUint8Array[] = [];
  let rest = bytes;
  while (rest.length > 0) {
    let len: number | undefined;
    for (const name of PACKED) if ((len = lengthOf(name, rest)) !== undefined) break;
    const n = len ?? rest.length;
    out.push(rest.subarray(0, n));
    rest = rest.subarray(n);
  }
  return out;
}

const base64 = getBase64Encoder();

function decodeBase64(text: string): ReadonlyUint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  try {
    return base64.encode(text);
  } catch {
    return undefined;
  }
}

/** Every event's bytes (discriminator first) in `logs`, in order. */
export function rawEvents(logs: readonly string[]): ReadonlyUint8Array[] {
  return logs
    .filter((line) => line.startsWith('Program data: '))
    .flatMap((line) => line.slice('Program data: '.length).split(' '))
    .map(decodeBase64)
    .filter((b): b is ReadonlyUint8Array => b !== undefined)
    .flatMap((b) => split(b));
}

/** `bytes` as a program event if they carry a known discriminator and a whole event. */
export function decodeEvent(bytes: ReadonlyUint8Array): ComputeCreditsEvent | undefined {
  for (const name of Object.keys(COMPUTE_CREDITS_EVENTS) as ComputeCreditsEventName[]) {
    const { discriminator, decoder } = COMPUTE_CREDITS_EVENTS[name];
    if (!startsWith(bytes, discriminator)) continue;
    try {
      const data = (decoder as { read: (b: ReadonlyUint8Array, o: number) => [unknown, number] }).read(bytes, 8)[0];
      return { name, data } as ComputeCreditsEvent;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Every decodable program event in `logs`, in order. */
export function eventsFromLogs(logs: readonly string[]): ComputeCreditsEvent[] {
  return rawEvents(logs)
    .map(decodeEvent)
    .filter((e): e is ComputeCreditsEvent => e !== undefined);
}

/** Every event named `name` in `logs`, in order. */
export function eventsNamed<K extends ComputeCreditsEventName>(logs: readonly string[], name: K): ComputeCreditsEventMap[K][] {
  return eventsFromLogs(logs).flatMap((e) => (e.name === name ? [e.data as ComputeCreditsEventMap[K]] : []));
}
