// Every program-derived address the app needs (crates/credit-client/src/pda.rs), through the
// Codama-generated PDA helpers where the IDL names the seeds, and by hand for the two it does
// not (a class by id, a loan by lender and id). All return the address only (the bump is the
// program's business).
import {
  address,
  getAddressEncoder,
  getProgramDerivedAddress,
  getU32Encoder,
  getU64Encoder,
  getUtf8Encoder,
  type Address,
} from '@solana/kit';
import {
  findApprovalPda,
  findBaseVaultPda,
  findBorrowerHoldsPda,
  findCreditMintPda,
  findEscrowPda,
  findFreezeHoldPda,
  findLendingConfigPda,
  findMarketAuthorityPda,
  findPlatformPda,
  findPriceFeedPda,
  findProviderPda,
  findQuoteVaultPda,
  findRegistrationPda,
  findSeatRecordPda,
  findVaultPda,
} from './generated/pdas/index.ts';
import { COMPUTE_CREDITS_PROGRAM_ADDRESS } from './generated/programs/index.ts';

export const TOKEN_PROGRAM_ADDRESS = address('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA');
export const TOKEN_2022_PROGRAM_ADDRESS = address('TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb');
export const ASSOCIATED_TOKEN_PROGRAM_ADDRESS = address('ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL');

/** Which program the addresses are derived for (the generated constant unless a config says otherwise). */
export type ProgramOption = { programAddress?: Address };

const first = async (p: Promise<readonly [Address, number]>) => (await p)[0];
const cfg = (o?: ProgramOption) => ({ programAddress: o?.programAddress ?? COMPUTE_CREDITS_PROGRAM_ADDRESS });
const utf8 = getUtf8Encoder();
const key = getAddressEncoder();

/** `["platform"]`. */
export const platformAddress = (o?: ProgramOption) => first(findPlatformPda(cfg(o)));
/** `["lending"]`. */
export const lendingConfigAddress = (o?: ProgramOption) => first(findLendingConfigPda(cfg(o)));

/** `["class", class_id as u32 LE]`: not in the IDL's seeds (the id comes from the platform's counter). */
export async function classAddress(classId: number, o?: ProgramOption): Promise<Address> {
  const seeds = [utf8.encode('class'), getU32Encoder().encode(classId)];
  return first(getProgramDerivedAddress({ programAddress: cfg(o).programAddress, seeds }));
}

export const creditMintAddress = (cls: Address, o?: ProgramOption) => first(findCreditMintPda({ class: cls }, cfg(o)));
export const priceFeedAddress = (cls: Address, o?: ProgramOption) => first(findPriceFeedPda({ class: cls }, cfg(o)));
export const providerAddress = (cls: Address, authority: Address, o?: ProgramOption) =>
  first(findProviderPda({ class: cls, providerAuthority: authority }, cfg(o)));
/** The underwriter's approval of `borrower` in `quoteMint`. */
export const approvalAddress = (borrower: Address, quoteMint: Address, o?: ProgramOption) =>
  first(findApprovalPda({ borrower, quoteMint }, cfg(o)));
/** `["freeze_hold", token_account]`: who holds the freeze of a credit account. */
export const freezeHoldAddress = (account: Address, o?: ProgramOption) =>
  first(findFreezeHoldPda({ borrowerCredits: account }, cfg(o)));
/** `["owner_holds", credit_mint, owner]`: holds in force on a wallet's accounts of a mint. */
export const ownerHoldsAddress = (creditMint: Address, owner: Address, o?: ProgramOption) =>
  first(findBorrowerHoldsPda({ creditMint, borrower: owner }, cfg(o)));

/** `["loan", lender, loan_id as u64 LE]`. */
export async function loanAddress(lender: Address, loanId: bigint, o?: ProgramOption): Promise<Address> {
  const seeds = [utf8.encode('loan'), key.encode(lender), getU64Encoder().encode(loanId)];
  return first(getProgramDerivedAddress({ programAddress: cfg(o).programAddress, seeds }));
}

export const escrowAddress = (loan: Address, o?: ProgramOption) => first(findEscrowPda({ loan }, cfg(o)));
export const vaultAddress = (loan: Address, o?: ProgramOption) => first(findVaultPda({ loan }, cfg(o)));
/** `["market_v2", class, quote_mint]`: the registration naming the one market of a class in a quote mint. */
export const marketRegistrationAddress = (cls: Address, quoteMint: Address, o?: ProgramOption) =>
  first(findRegistrationPda({ class: cls, quoteMint }, cfg(o)));
export const marketAuthorityAddress = (market: Address, o?: ProgramOption) =>
  first(findMarketAuthorityPda({ market }, cfg(o)));
export const baseVaultAddress = (market: Address, o?: ProgramOption) => first(findBaseVaultPda({ market }, cfg(o)));
export const quoteVaultAddress = (market: Address, o?: ProgramOption) => first(findQuoteVaultPda({ market }, cfg(o)));
/** `["seat", market, owner]`: the record of a trader's (or a loan's) seat index. */
export const seatRecordAddress = (market: Address, owner: Address, o?: ProgramOption) =>
  first(findSeatRecordPda({ market, owner }, cfg(o)));

/** The associated token account of `owner` for `mint` under either token program. */
export async function associatedTokenAddress(owner: Address, mint: Address, tokenProgram: Address): Promise<Address> {
  const seeds = [key.encode(owner), key.encode(tokenProgram), key.encode(mint)];
  return first(getProgramDerivedAddress({ programAddress: ASSOCIATED_TOKEN_PROGRAM_ADDRESS, seeds }));
}
