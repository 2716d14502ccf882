// The growable market account (programs/compute-credits/src/state/market_v2.rs), decoded as
// credit_client::state::MarketState does: the fixed part (keys, engine header, two book sides
// of 256 orders each, stored worst first) through the generated codec, then every whole
// 72-byte seat appended after MarketV2::SPACE. Plus the book as a ladder and a depth curve.
import { getAddressDecoder, type Address, type ReadonlyUint8Array } from '@solana/kit';
import { getMarketV2Decoder, MARKET_V2_DISCRIMINATOR, type MarketV2 } from './generated/accounts/marketV2.ts';
import { formatLots, formatPrice, type MarketUnits } from './units.ts';

/** Byte offsets pinned by the program (V2_ENGINE_OFFSET etc., discriminator included). */
export const V2_ENGINE_OFFSET = 272;
export const V2_BIDS_OFFSET = V2_ENGINE_OFFSET + 80;
export const BOOK_SIDE_BYTES = 10_248;
export const V2_ASKS_OFFSET = V2_BIDS_OFFSET + BOOK_SIDE_BYTES;
/** MarketV2::SPACE: where the seat table starts. */
export const V2_SEATS_OFFSET = V2_ASKS_OFFSET + BOOK_SIDE_BYTES;
export const SEAT_BYTES = 72;
export const ORDER_BYTES = 40;
export const V2_BOOK_CAPACITY = 256;

/** credit_math::market::MarketHeader. */
export type MarketHeader = {
  lotSize: bigint;
  tickSize: bigint;
  minOrderNotional: bigint;
  nextOrderSeq: bigint;
  nextEventSeq: bigint;
  treasuryFees: bigint;
  baseTotal: bigint;
  quoteTotal: bigint;
  seatCount: number;
  maxOrdersPerSeat: number;
  makerFeeBps: number;
  takerFeeBps: number;
};

export type Side = 'bid' | 'ask';

/** A resting order; `seat` is the index of its trader's seat. */
export type Order = { side: Side; price: bigint; lots: bigint; seq: bigint; expiry: bigint; seat: number };

export type Seat = {
  index: number;
  owner: Address;
  baseFree: bigint;
  baseLocked: bigint;
  quoteFree: bigint;
  quoteLocked: bigint;
  orderCount: number;
  /** `_reserved[0]`: flagged by cancel_frozen_orders_v2 while the owner's account is frozen. */
  frozen: boolean;
};

export type MarketState = {
  fixed: MarketV2;
  header: MarketHeader;
  /** Best first (the account stores them worst first). */
  bids: Order[];
  asks: Order[];
  seats: Seat[];
  /** The account's length (it grows a seat at a time). */
  len: number;
};

const addressDecoder = getAddressDecoder();

function view(data: ReadonlyUint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

function decodeHeader(v: DataView, o: number): MarketHeader {
  const u64 = (i: number) => v.getBigUint64(o + 8 * i, true);
  return {
    lotSize: u64(0),
    tickSize: u64(1),
    minOrderNotional: u64(2),
    nextOrderSeq: u64(3),
    nextEventSeq: u64(4),
    treasuryFees: u64(5),
    baseTotal: u64(6),
    quoteTotal: u64(7),
    seatCount: v.getUint32(o + 64, true),
    maxOrdersPerSeat: v.getUint32(o + 68, true),
    makerFeeBps: v.getUint16(o + 72, true),
    takerFeeBps: v.getUint16(o + 74, true),
  };
}

function decodeSide(v: DataView, o: number, side: Side): Order[] {
  const len = Number(v.getBigUint64(o, true));
  if (len > V2_BOOK_CAPACITY) throw new Error(`market: ${side} side claims ${len} orders (capacity ${V2_BOOK_CAPACITY})`);
  const out: Order[] = [];
  for (let i = len - 1; i >= 0; i--) {
    const p = o + 8 + ORDER_BYTES * i;
    out.push({
      side,
      price: v.getBigUint64(p, true),
      lots: v.getBigUint64(p + 8, true),
      seq: v.getBigUint64(p + 16, true),
      expiry: v.getBigInt64(p + 24, true),
      seat: v.getUint32(p + 32, true),
    });
  }
  return out;
}

function decodeSeat(data: ReadonlyUint8Array, v: DataView, o: number, index: number): Seat {
  return {
    index,
    owner: addressDecoder.decode(data.subarray(o, o + 32)),
    baseFree: v.getBigUint64(o + 32, true),
    baseLocked: v.getBigUint64(o + 40, true),
    quoteFree: v.getBigUint64(o + 48, true),
    quoteLocked: v.getBigUint64(o + 56, true),
    orderCount: v.getUint32(o + 64, true),
    frozen: data[o + 68] !== 0,
  };
}

/** Decodes a market account's bytes; throws if they are not a MarketV2 or are too short. */
export function decodeMarket(data: ReadonlyUint8Array): MarketState {
  if (data.length < 8 || !MARKET_V2_DISCRIMINATOR.every((b, i) => data[i] === b)) throw new Error('not a market account');
  if (data.length < V2_SEATS_OFFSET)
    throw new Error(`market account data too short: ${data.length} bytes, expected ${V2_SEATS_OFFSET}`);
  const v = view(data);
  const fixed = getMarketV2Decoder().decode(data.subarray(0, V2_SEATS_OFFSET));
  const whole = Math.floor((data.length - V2_SEATS_OFFSET) / SEAT_BYTES);
  const seats = Array.from({ length: whole }, (_, i) => decodeSeat(data, v, V2_SEATS_OFFSET + SEAT_BYTES * i, i));
  return {
    fixed,
    header: decodeHeader(v, V2_ENGINE_OFFSET),
    bids: decodeSide(v, V2_BIDS_OFFSET, 'bid'),
    asks: decodeSide(v, V2_ASKS_OFFSET, 'ask'),
    seats,
    len: data.length,
  };
}

/** How the market's prices and sizes convert. */
export const marketUnits = (m: MarketState): MarketUnits => ({
  lotSize: m.header.lotSize,
  tickSize: m.header.tickSize,
  creditDecimals: m.fixed.creditDecimals,
  quoteDecimals: m.fixed.quoteDecimals,
});

/** The index of `owner`'s seat, if it has one. */
export function seatOf(m: MarketState, owner: Address): Seat | undefined {
  return m.seats.find((s) => s.owner === owner);
}

/** The resting orders of seat `seatIndex`, bids then asks, each best first. */
export function ordersOf(m: MarketState, seatIndex: number): Order[] {
  return [...m.bids, ...m.asks].filter((o) => o.seat === seatIndex);
}

/** One price level: raw ticks and lots, and quote units per credit and credits as decimal strings. */
export type Level = { side: Side; ticks: bigint; lots: bigint; orders: number; price: string; size: string };

function levels(u: MarketUnits, orders: Order[], side: Side): Level[] {
  const out: Level[] = [];
  for (const o of orders) {
    const last = out[out.length - 1];
    if (last && last.ticks === o.price) {
      last.lots += o.lots;
      last.orders += 1;
    } else out.push({ side, ticks: o.price, lots: o.lots, orders: 1, price: '', size: '' });
  }
  for (const l of out) {
    l.price = formatPrice(u, l.ticks);
    l.size = formatLots(u, l.lots);
  }
  return out;
}

/** The book aggregated by price, each side best first (the CLI's `market show` levels). */
export function ladder(m: MarketState): { bids: Level[]; asks: Level[] } {
  const u = marketUnits(m);
  return { bids: levels(u, m.bids, 'bid'), asks: levels(u, m.asks, 'ask') };
}

/** A point of the depth curve: the size available at this price or better. */
export type DepthPoint = { side: Side; ticks: bigint; price: string; cumulativeLots: bigint; cumulative: string };

/** Cumulative depth of each side, from the best price outwards. */
export function depth(m: MarketState): { bids: DepthPoint[]; asks: DepthPoint[] } {
  const u = marketUnits(m);
  const { bids, asks } = ladder(m);
  const cumulate = (ls: Level[]) => {
    let sum = 0n;
    return ls.map((l) => {
      sum += l.lots;
      return { side: l.side, ticks: l.ticks, price: l.price, cumulativeLots: sum, cumulative: formatLots(u, sum) };
    });
  };
  return { bids: cumulate(bids), asks: cumulate(asks) };
}
