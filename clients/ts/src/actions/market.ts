// Market actions of the web app (the CLI's `market seat|deposit|withdraw|order|cancel|batch`):
// the trader's seat index read from the market; deposit claims a seat first when the trader
// has none (claim_seat appends it at index seat_count).
import type { Address, Instruction, Rpc, SolanaRpcApi } from '@solana/kit';
import {
  getBatchOrdersInstruction,
  getCancelAllOrdersInstruction,
  getCancelOrderV2Instruction,
  getClaimSeatInstruction,
  getDepositInstruction,
  getPlaceOrderV2Instruction,
  getWithdrawInstruction,
} from '../generated/instructions/index.ts';
import { MarketAsset } from '../generated/types/marketAsset.ts';
import { OrderSide } from '../generated/types/orderSide.ts';
import { SelfTradeBehavior } from '../generated/types/selfTradeBehavior.ts';
import { seatOf, type Side } from '../market.ts';
import { associatedTokenAddress, ownerHoldsAddress, seatRecordAddress, type ProgramOption } from '../pda.ts';
import { createAtaIdempotent, marketKeys, signer, type MarketKeys } from './common.ts';
import { orderTypeOf, type OrderTypeName } from './loans.ts';

export type Asset = 'base' | 'quote';
const sideOf = (s: Side) => (s === 'bid' ? OrderSide.Bid : OrderSide.Ask);
const cfg = (o?: ProgramOption) => ({ programAddress: o?.programAddress });

function seatIndex(k: MarketKeys, trader: Address): number {
  const seat = seatOf(k.state, trader);
  if (!seat) throw new Error(`${trader} has no seat in market ${k.market}: deposit first (it claims one)`);
  return seat.index;
}

function assetAccounts(k: MarketKeys, asset: Asset) {
  return asset === 'base'
    ? { vault: k.baseVault, mint: k.creditMint, tokenProgram: k.creditProgram, asset: MarketAsset.Credits }
    : { vault: k.quoteVault, mint: k.quoteMint, tokenProgram: k.quoteProgram, asset: MarketAsset.Quote };
}

/** The trader's seat in `market` (its rent paid by the trader). */
export async function claimSeat(rpc: Rpc<SolanaRpcApi>, p: { trader: Address; market: Address }, o?: ProgramOption) {
  const k = await marketKeys(rpc, p.market, o);
  return [await claimSeatIx(k, p.trader, o)];
}

async function claimSeatIx(k: MarketKeys, trader: Address, o?: ProgramOption): Promise<Instruction> {
  return getClaimSeatInstruction(
    {
      owner: signer(trader),
      market: k.market,
      seatRecord: await seatRecordAddress(k.market, trader, o),
      ownerHolds: await ownerHoldsAddress(k.creditMint, trader, o),
    },
    cfg(o),
  );
}

/** Moves `amount` atoms of `asset` from the trader's associated account into its seat (claiming one first if needed). */
export async function deposit(
  rpc: Rpc<SolanaRpcApi>,
  p: { trader: Address; market: Address; asset: Asset; amount: bigint },
  o?: ProgramOption,
) {
  const k = await marketKeys(rpc, p.market, o);
  const existing = seatOf(k.state, p.trader);
  const ixs: Instruction[] = existing ? [] : [await claimSeatIx(k, p.trader, o)];
  const seat = existing?.index ?? k.state.header.seatCount;
  const a = assetAccounts(k, p.asset);
  ixs.push(
    getDepositInstruction(
      {
        trader: signer(p.trader), market: k.market, class: k.class,
        traderToken: await associatedTokenAddress(p.trader, a.mint, a.tokenProgram),
        vault: a.vault, mint: a.mint, tokenProgram: a.tokenProgram, seat, asset: a.asset, amount: p.amount,
      },
      cfg(o),
    ),
  );
  return ixs;
}

/** Moves `amount` atoms of `asset` from the seat to the trader's associated account (created if missing). */
export async function withdraw(
  rpc: Rpc<SolanaRpcApi>,
  p: { trader: Address; market: Address; asset: Asset; amount: bigint },
  o?: ProgramOption,
) {
  const k = await marketKeys(rpc, p.market, o);
  const a = assetAccounts(k, p.asset);
  return [
    await createAtaIdempotent(p.trader, p.trader, a.mint, a.tokenProgram),
    getWithdrawInstruction(
      {
        trader: signer(p.trader), market: k.market, class: k.class,
        traderHolds: await ownerHoldsAddress(k.creditMint, p.trader, o), marketAuthority: k.authority,
        traderToken: await associatedTokenAddress(p.trader, a.mint, a.tokenProgram),
        vault: a.vault, mint: a.mint, tokenProgram: a.tokenProgram, seat: seatIndex(k, p.trader), asset: a.asset,
        amount: p.amount,
      },
      cfg(o),
    ),
  ];
}

/** A limit, post-only or immediate-or-cancel order (self-trade: cancel the resting one, as the CLI). */
export async function placeOrder(
  rpc: Rpc<SolanaRpcApi>,
  p: { trader: Address; market: Address; side: Side; priceTicks: bigint; lots: bigint; orderType?: OrderTypeName; expiry?: bigint },
  o?: ProgramOption,
) {
  const k = await marketKeys(rpc, p.market, o);
  return [
    getPlaceOrderV2Instruction(
      {
        trader: signer(p.trader), market: k.market, class: k.class, seat: seatIndex(k, p.trader), side: sideOf(p.side),
        orderType: orderTypeOf(p.orderType ?? 'limit'), priceTicks: p.priceTicks, lots: p.lots, expiry: p.expiry ?? 0n,
        selfTrade: SelfTradeBehavior.CancelProvide,
      },
      cfg(o),
    ),
  ];
}

/** Cancels one resting order of the trader, named by side, price and sequence number. */
export async function cancelOrder(
  rpc: Rpc<SolanaRpcApi>,
  p: { trader: Address; market: Address; side: Side; priceTicks: bigint; seq: bigint },
  o?: ProgramOption,
) {
  const k = await marketKeys(rpc, p.market, o);
  return [
    getCancelOrderV2Instruction(
      { trader: signer(p.trader), market: k.market, seat: seatIndex(k, p.trader), side: sideOf(p.side), priceTicks: p.priceTicks, seq: p.seq },
      cfg(o),
    ),
  ];
}

export async function cancelAllOrders(rpc: Rpc<SolanaRpcApi>, p: { trader: Address; market: Address }, o?: ProgramOption) {
  const k = await marketKeys(rpc, p.market, o);
  return [getCancelAllOrdersInstruction({ trader: signer(p.trader), market: k.market, seat: seatIndex(k, p.trader) }, cfg(o))];
}

/** Cancels every order of the trader (when `cancelAll`) then places `places` as post-only orders, atomically. */
export async function batchOrders(
  rpc: Rpc<SolanaRpcApi>,
  p: { trader: Address; market: Address; cancelAll: boolean; places: { side: Side; priceTicks: bigint; lots: bigint }[] },
  o?: ProgramOption,
) {
  const k = await marketKeys(rpc, p.market, o);
  return [
    getBatchOrdersInstruction(
      {
        trader: signer(p.trader), market: k.market, class: k.class, seat: seatIndex(k, p.trader), cancelAll: p.cancelAll,
        cancels: [], places: p.places.map((x) => ({ side: sideOf(x.side), priceTicks: x.priceTicks, lots: x.lots, expiry: 0n })),
      },
      cfg(o),
    ),
  ];
}
