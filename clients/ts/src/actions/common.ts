// Shared pieces of the web actions: the wallet's address as a signer that signs later (kit's
// no-op signer: the wallet signs the wire transaction), the idempotent associated-token-account
// instruction for either token program (built by hand: @solana-program/token-2022 does not
// resolve next to kit 8), and the key bundles of a loan and a market read from the chain
// (crates/credit-client/src/keys.rs).
import {
  AccountRole,
  address,
  createNoopSigner,
  fetchEncodedAccount,
  type Address,
  type Instruction,
  type Rpc,
  type SolanaRpcApi,
} from '@solana/kit';
import { fetchCreditClass, type CreditClass } from '../generated/accounts/creditClass.ts';
import { fetchLoan, type Loan } from '../generated/accounts/loan.ts';
import { decodeMarket, type MarketState } from '../market.ts';
import {
  approvalAddress,
  ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
  associatedTokenAddress,
  baseVaultAddress,
  marketAuthorityAddress,
  ownerHoldsAddress,
  priceFeedAddress,
  quoteVaultAddress,
  type ProgramOption,
} from '../pda.ts';

export const SYSTEM_PROGRAM_ADDRESS = address('11111111111111111111111111111111');

/** The wallet's address as a transaction signer: the wallet adds the signature later. */
export const signer = (a: Address) => createNoopSigner(a);

/** `CreateIdempotent` of the associated token account program (either token program). */
export async function createAtaIdempotent(payer: Address, owner: Address, mint: Address, tokenProgram: Address): Promise<Instruction> {
  const ata = await associatedTokenAddress(owner, mint, tokenProgram);
  return {
    programAddress: ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
    accounts: [
      { address: payer, role: AccountRole.WRITABLE_SIGNER },
      { address: ata, role: AccountRole.WRITABLE },
      { address: owner, role: AccountRole.READONLY },
      { address: mint, role: AccountRole.READONLY },
      { address: SYSTEM_PROGRAM_ADDRESS, role: AccountRole.READONLY },
      { address: tokenProgram, role: AccountRole.READONLY },
    ],
    data: new Uint8Array([1]),
  };
}

/** Every key a loan instruction names, read from the loan and its class. */
export type LoanKeys = {
  loan: Address;
  state: Loan;
  classState: CreditClass;
  lender: Address;
  borrower: Address;
  class: Address;
  creditMint: Address;
  quoteMint: Address;
  escrow: Address;
  vault: Address;
  lenderQuote: Address;
  creditProgram: Address;
  quoteProgram: Address;
  /** Loans value collateral through the class's feed PDA, whatever prices its purchases. */
  priceFeed: Address;
  approval: Address;
  borrowerHolds: Address;
  lenderHolds: Address;
  /** The borrower's and lender's associated credit accounts. */
  borrowerCredits: Address;
  lenderCredits: Address;
  borrowerQuote: Address;
  /** Accounts the loan holds frozen (`held[..held_count]`). */
  held: Address[];
};

export async function loanKeys(rpc: Rpc<SolanaRpcApi>, loan: Address, o?: ProgramOption): Promise<LoanKeys> {
  const state = (await fetchLoan(rpc, loan)).data;
  const classState = (await fetchCreditClass(rpc, state.class)).data;
  const { creditMint, quoteMint, creditTokenProgram: creditProgram, quoteTokenProgram: quoteProgram } = classState;
  return {
    loan,
    state,
    classState,
    lender: state.lender,
    borrower: state.borrower,
    class: state.class,
    creditMint,
    quoteMint,
    escrow: state.escrow,
    vault: state.vault,
    lenderQuote: state.lenderQuote,
    creditProgram,
    quoteProgram,
    priceFeed: await priceFeedAddress(state.class, o),
    approval: await approvalAddress(state.borrower, quoteMint, o),
    borrowerHolds: await ownerHoldsAddress(creditMint, state.borrower, o),
    lenderHolds: await ownerHoldsAddress(creditMint, state.lender, o),
    borrowerCredits: await associatedTokenAddress(state.borrower, creditMint, creditProgram),
    lenderCredits: await associatedTokenAddress(state.lender, creditMint, creditProgram),
    borrowerQuote: await associatedTokenAddress(state.borrower, quoteMint, quoteProgram),
    held: state.held.slice(0, state.heldCount),
  };
}

/** Every key a market instruction names, read from the market account. */
export type MarketKeys = {
  market: Address;
  state: MarketState;
  class: Address;
  creditMint: Address;
  quoteMint: Address;
  creditProgram: Address;
  quoteProgram: Address;
  baseVault: Address;
  quoteVault: Address;
  authority: Address;
};

export async function marketKeys(rpc: Rpc<SolanaRpcApi>, market: Address, o?: ProgramOption): Promise<MarketKeys> {
  const acc = await fetchEncodedAccount(rpc, market);
  if (!acc.exists) throw new Error(`market ${market} does not exist`);
  const state = decodeMarket(acc.data);
  const f = state.fixed;
  // the stored vault and authority keys; their derivations must agree (a wrong market account would not)
  const [authority, baseVault, quoteVault] = await Promise.all([
    marketAuthorityAddress(market, o),
    baseVaultAddress(market, o),
    quoteVaultAddress(market, o),
  ]);
  if (authority !== f.marketAuthority || baseVault !== f.baseVault || quoteVault !== f.quoteVault)
    throw new Error(`market ${market}: its vaults are not this program's derivations`);
  return {
    market,
    state,
    class: f.class,
    creditMint: f.creditMint,
    quoteMint: f.quoteMint,
    creditProgram: f.creditTokenProgram,
    quoteProgram: f.quoteTokenProgram,
    baseVault,
    quoteVault,
    authority,
  };
}
