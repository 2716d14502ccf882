// Addresses checked two ways: the program's pinned literals (PLATFORM, LENDING_CONFIG in
// programs/compute-credits/src/constants.rs, which a Rust test derives), and for every other
// PDA a hash recomputed here from the seeds as the Rust crate spells them
// (sha256(seeds ‖ bump ‖ program ‖ "ProgramDerivedAddress")), independent of kit's and
// Codama's derivation code.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { address, getAddressEncoder, type Address } from '@solana/kit';
import { findAssociatedTokenPda } from '@solana-program/token';
import * as pda from '../src/pda.ts';
import { COMPUTE_CREDITS_PROGRAM_ADDRESS as PROGRAM } from '../src/generated/index.ts';

const enc = getAddressEncoder();
const bytes = (a: Address) => Buffer.from(enc.encode(a));
const u32 = (n: number) => Buffer.from(new Uint32Array([n]).buffer);
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
};

/** Some bump makes `addr` the hash of `seeds` under `program`. */
function derivedFrom(addr: Address, seeds: Buffer[], program: Address = PROGRAM): boolean {
  const want = bytes(addr);
  for (let bump = 255; bump >= 0; bump--) {
    const h = createHash('sha256');
    for (const s of seeds) h.update(s);
    h.update(Buffer.from([bump])).update(bytes(program)).update('ProgramDerivedAddress');
    if (h.digest().equals(want)) return true;
  }
  return false;
}

const A = address('9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin');
const B = address('SysvarC1ock11111111111111111111111111111111');
const s = (t: string) => Buffer.from(t, 'utf8');

test('platform and lending config are the program pinned literals', async () => {
  assert.equal(await pda.platformAddress(), 'irTmrt8M4A21YFtLSnqXmUyAY7pUMvsueoPWtKX7H6y');
  assert.equal(await pda.lendingConfigAddress(), '4TdpSdYnDJ72LUy14HZaJ4wJoGJckJpV8zWuVadbrXAZ');
});

test('every PDA hashes from the seeds the Rust crate uses', async () => {
  const cases: [string, Address, Buffer[]][] = [
    ['class 7', await pda.classAddress(7), [s('class'), u32(7)]],
    ['credit mint', await pda.creditMintAddress(A), [s('credit_mint'), bytes(A)]],
    ['price feed', await pda.priceFeedAddress(A), [s('price_feed'), bytes(A)]],
    ['provider', await pda.providerAddress(A, B), [s('provider'), bytes(A), bytes(B)]],
    ['approval', await pda.approvalAddress(A, B), [s('approval'), bytes(A), bytes(B)]],
    ['freeze hold', await pda.freezeHoldAddress(A), [s('freeze_hold'), bytes(A)]],
    ['owner holds', await pda.ownerHoldsAddress(A, B), [s('owner_holds'), bytes(A), bytes(B)]],
    ['loan', await pda.loanAddress(A, 258n), [s('loan'), bytes(A), u64(258n)]],
    ['escrow', await pda.escrowAddress(A), [s('escrow'), bytes(A)]],
    ['vault', await pda.vaultAddress(A), [s('vault'), bytes(A)]],
    ['market registration', await pda.marketRegistrationAddress(A, B), [s('market_v2'), bytes(A), bytes(B)]],
    ['market authority', await pda.marketAuthorityAddress(A), [s('market_authority'), bytes(A)]],
    ['base vault', await pda.baseVaultAddress(A), [s('base_vault'), bytes(A)]],
    ['quote vault', await pda.quoteVaultAddress(A), [s('quote_vault'), bytes(A)]],
    ['seat record', await pda.seatRecordAddress(A, B), [s('seat'), bytes(A), bytes(B)]],
  ];
  for (const [name, addr, seeds] of cases) assert.ok(derivedFrom(addr, seeds), name);
  // and a wrong seed does not hash to it (the check can fail)
  assert.ok(!derivedFrom(await pda.classAddress(7), [s('class'), u32(8)]));
});

test('associated token addresses under either token program', async () => {
  for (const program of [pda.TOKEN_PROGRAM_ADDRESS, pda.TOKEN_2022_PROGRAM_ADDRESS]) {
    const [expected] = await findAssociatedTokenPda({ owner: A, mint: B, tokenProgram: program });
    assert.equal(await pda.associatedTokenAddress(A, B, program), expected);
    assert.ok(derivedFrom(expected, [bytes(A), bytes(program), bytes(B)], pda.ASSOCIATED_TOKEN_PROGRAM_ADDRESS));
  }
  assert.notEqual(
    await pda.associatedTokenAddress(A, B, pda.TOKEN_PROGRAM_ADDRESS),
    await pda.associatedTokenAddress(A, B, pda.TOKEN_2022_PROGRAM_ADDRESS),
  );
});
