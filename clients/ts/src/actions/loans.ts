// Loan and purchase actions of the web app, every account filled in from the chain (the Rust
// CLI's `buy`, `loan repay|top-up|withdraw|freeze|liquidate|sell|release`), the signer given as
// an address. Each returns the instructions of one transaction; associated token accounts are
// created idempotently where the CLI creates them.
import { AccountRole, fetchEncodedAccount, type Address, type Instruction, type Rpc, type SolanaRpcApi } from '@solana/kit';
import { fetchCreditClass } from '../generated/accounts/creditClass.ts';
import { fetchPlatform } from '../generated/accounts/platform.ts';
import {
  getFreezeCollateralInstruction,
  getLiquidateCollateralInstruction,
  getPurchaseCreditsInstruction,
  getReleaseCollateralInstruction,
  getRepayLoanInstruction,
  getSellCollateralInstruction,
  getTopUpCollateralInstruction,
  getWithdrawCollateralInstruction,
} from '../generated/instructions/index.ts';
import { OrderType } from '../generated/types/orderType.ts';
import {
  associatedTokenAddress,
  freezeHoldAddress,
  platformAddress,
  seatRecordAddress,
  type ProgramOption,
} from '../pda.ts';
import { createAtaIdempotent, loanKeys, marketKeys, signer } from './common.ts';

const ZERO = '11111111111111111111111111111111';

/** `buyer` buys `amount` credit atoms of `cls`, paying at most `maxPrice` quote atoms per credit. */
export async function buyCredits(
  rpc: Rpc<SolanaRpcApi>,
  p: { buyer: Address; class: Address; amount: bigint; maxPrice: bigint; recipient?: Address },
  o?: ProgramOption,
): Promise<Instruction[]> {
  const c = (await fetchCreditClass(rpc, p.class)).data;
  const platform = await platformAddress(o);
  const treasury = (await fetchPlatform(rpc, platform)).data.treasury;
  const recipient = p.recipient ?? p.buyer;
  const treasuryQuote = await associatedTokenAddress(treasury, c.quoteMint, c.quoteTokenProgram);
  const ixs = [await createAtaIdempotent(p.buyer, recipient, c.creditMint, c.creditTokenProgram)];
  if (!(await fetchEncodedAccount(rpc, treasuryQuote)).exists)
    ixs.push(await createAtaIdempotent(p.buyer, treasury, c.quoteMint, c.quoteTokenProgram));
  ixs.push(
    getPurchaseCreditsInstruction(
      {
        buyer: signer(p.buyer),
        platform,
        class: p.class,
        creditMint: c.creditMint,
        quoteMint: c.quoteMint,
        buyerQuote: await associatedTokenAddress(p.buyer, c.quoteMint, c.quoteTokenProgram),
        treasuryQuote,
        recipientCredits: await associatedTokenAddress(recipient, c.creditMint, c.creditTokenProgram),
        creditTokenProgram: c.creditTokenProgram,
        quoteTokenProgram: c.quoteTokenProgram,
        // a class priced by a feed names it; one priced by its list price names none
        priceFeed: c.priceFeed === ZERO ? undefined : c.priceFeed,
        amount: p.amount,
        maxPrice: p.maxPrice,
      },
      { programAddress: o?.programAddress },
    ),
  );
  return ixs;
}

/** `payer` pays up to `maxAmount` quote atoms of the loan's dues from its associated quote account. */
export async function repayLoan(rpc: Rpc<SolanaRpcApi>, p: { payer: Address; loan: Address; maxAmount: bigint }, o?: ProgramOption) {
  const k = await loanKeys(rpc, p.loan, o);
  return [
    getRepayLoanInstruction(
      {
        payer: signer(p.payer),
        loan: k.loan,
        class: k.class,
        quoteMint: k.quoteMint,
        payerQuote: await associatedTokenAddress(p.payer, k.quoteMint, k.quoteProgram),
        lenderQuote: k.lenderQuote,
        quoteTokenProgram: k.quoteProgram,
        maxAmount: p.maxAmount,
      },
      { programAddress: o?.programAddress },
    ),
  ];
}

type MoveParams = { borrower: Address; loan: Address; amount: bigint };

/** The borrower moves `amount` credit atoms from its associated account into the loan's vault. */
export async function topUpCollateral(rpc: Rpc<SolanaRpcApi>, p: MoveParams, o?: ProgramOption) {
  const k = await loanKeys(rpc, p.loan, o);
  const accounts = {
    borrower: signer(p.borrower), loan: k.loan, class: k.class, creditMint: k.creditMint, vault: k.vault,
    borrowerCredits: k.borrowerCredits, borrowerHolds: k.borrowerHolds, creditTokenProgram: k.creditProgram,
  };
  return [getTopUpCollateralInstruction({ ...accounts, amount: p.amount }, { programAddress: o?.programAddress })];
}

/** The borrower takes `amount` credit atoms back from the vault (valued through the feed when the loan has a maintenance line). */
export async function withdrawCollateral(rpc: Rpc<SolanaRpcApi>, p: MoveParams, o?: ProgramOption) {
  const k = await loanKeys(rpc, p.loan, o);
  const withFeed = k.state.ledger.maintenanceBps > 0;
  return [
    await createAtaIdempotent(p.borrower, k.borrower, k.creditMint, k.creditProgram),
    getWithdrawCollateralInstruction(
      {
        borrower: signer(p.borrower), loan: k.loan, class: k.class, priceFeed: withFeed ? k.priceFeed : undefined,
        creditMint: k.creditMint, vault: k.vault, borrowerCredits: k.borrowerCredits, borrowerHolds: k.borrowerHolds,
        creditTokenProgram: k.creditProgram, amount: p.amount,
      },
      { programAddress: o?.programAddress },
    ),
  ];
}

/** The lender's freeze hold on the borrower's associated credit account (or `account`). */
export async function freezeCollateral(rpc: Rpc<SolanaRpcApi>, p: { lender: Address; loan: Address; account?: Address }, o?: ProgramOption) {
  const k = await loanKeys(rpc, p.loan, o);
  const borrowerCredits = p.account ?? k.borrowerCredits;
  return [
    getFreezeCollateralInstruction(
      {
        lender: signer(p.lender), loan: k.loan, class: k.class, priceFeed: k.priceFeed, creditMint: k.creditMint,
        vault: k.vault, borrowerCredits, freezeHold: await freezeHoldAddress(borrowerCredits, o),
        borrowerHolds: k.borrowerHolds, creditTokenProgram: k.creditProgram,
      },
      { programAddress: o?.programAddress },
    ),
  ];
}

/** The lender takes up to `maxCredits` atoms of collateral to its associated credit account. */
export async function liquidateCollateral(rpc: Rpc<SolanaRpcApi>, p: { lender: Address; loan: Address; maxCredits: bigint }, o?: ProgramOption) {
  const k = await loanKeys(rpc, p.loan, o);
  return [
    await createAtaIdempotent(p.lender, k.lender, k.creditMint, k.creditProgram),
    getLiquidateCollateralInstruction(
      {
        lender: signer(p.lender), loan: k.loan, class: k.class, priceFeed: k.priceFeed, creditMint: k.creditMint,
        vault: k.vault, lenderCredits: k.lenderCredits, lenderHolds: k.lenderHolds, creditTokenProgram: k.creditProgram,
        maxCredits: p.maxCredits,
      },
      { programAddress: o?.programAddress },
    ),
  ];
}

const ORDER_TYPES = { limit: OrderType.Limit, 'post-only': OrderType.PostOnly, ioc: OrderType.ImmediateOrCancel } as const;
export type OrderTypeName = keyof typeof ORDER_TYPES;
export const orderTypeOf = (t: OrderTypeName) => ORDER_TYPES[t];

/** The lender sells `lots` of collateral on `market` at no less than `priceTicks` (the loan's own seat). */
export async function sellCollateral(
  rpc: Rpc<SolanaRpcApi>,
  p: { lender: Address; loan: Address; market: Address; priceTicks: bigint; lots: bigint; orderType?: OrderTypeName; expiry?: bigint },
  o?: ProgramOption,
) {
  const k = await loanKeys(rpc, p.loan, o);
  const m = await marketKeys(rpc, p.market, o);
  return [
    await createAtaIdempotent(p.lender, k.borrower, k.quoteMint, k.quoteProgram),
    getSellCollateralInstruction(
      {
        lender: signer(p.lender), loan: k.loan, class: k.class, priceFeed: k.priceFeed, market: m.market,
        loanSeat: await seatRecordAddress(m.market, k.loan, o), marketAuthority: m.authority,
        creditMint: m.creditMint, quoteMint: m.quoteMint, vault: k.vault, baseVault: m.baseVault, quoteVault: m.quoteVault,
        lenderQuote: k.lenderQuote, borrowerQuote: k.borrowerQuote, creditTokenProgram: m.creditProgram,
        quoteTokenProgram: m.quoteProgram, orderType: orderTypeOf(p.orderType ?? 'limit'), priceTicks: p.priceTicks,
        lots: p.lots, expiry: p.orderType === undefined || p.orderType === 'limit' ? (p.expiry ?? 0n) : 0n,
      },
      { programAddress: o?.programAddress },
    ),
  ];
}

/** Closes a repaid or liquidated loan (anyone may send it), lifting its holds; collateral back to the borrower. */
export async function releaseCollateral(rpc: Rpc<SolanaRpcApi>, p: { payer: Address; loan: Address }, o?: ProgramOption) {
  const k = await loanKeys(rpc, p.loan, o);
  const ix = getReleaseCollateralInstruction(
    {
      loan: k.loan, lender: k.lender, class: k.class, creditMint: k.creditMint, quoteMint: k.quoteMint, vault: k.vault,
      escrow: k.escrow, lenderQuote: k.lenderQuote, borrowerCredits: k.borrowerCredits, borrowerHolds: k.borrowerHolds,
      creditTokenProgram: k.creditProgram, quoteTokenProgram: k.quoteProgram,
    },
    { programAddress: o?.programAddress },
  );
  return [await createAtaIdempotent(p.payer, k.borrower, k.creditMint, k.creditProgram), await withHeld(ix, k.held, o)];
}

/** Appends each held account and its freeze-hold record as writable remaining accounts (pda::held_pair). */
async function withHeld(ix: Instruction, held: Address[], o?: ProgramOption): Promise<Instruction> {
  const extra = (await Promise.all(held.map(async (a) => [a, await freezeHoldAddress(a, o)]))).flat();
  return { ...ix, accounts: [...(ix.accounts ?? []), ...extra.map((address) => ({ address, role: AccountRole.WRITABLE }))] };
}
