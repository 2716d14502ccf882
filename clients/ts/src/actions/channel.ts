// The holder's channel actions of the web app (the CLI's `channel close` and `channel
// finalize`), every account filled in from the chain; each returns one transaction's
// instructions, the signer given as an address.
import type { Address, Instruction, Rpc, SolanaRpcApi } from '@solana/kit';
import { fetchCreditClass } from '../generated/accounts/creditClass.ts';
import { fetchMeteringChannel } from '../generated/accounts/meteringChannel.ts';
import { getFinalizeChannelInstruction, getRequestCloseInstruction } from '../generated/instructions/index.ts';
import { associatedTokenAddress, ownerHoldsAddress, type ProgramOption } from '../pda.ts';
import { createAtaIdempotent, signer } from './common.ts';

/** The holder asks to close `channel`: the notice starts (the provider may settle until it ends). */
export async function requestCloseChannel(p: { holder: Address; channel: Address }): Promise<Instruction[]> {
  return [getRequestCloseInstruction({ holder: signer(p.holder), channel: p.channel })];
}

/**
 * Anyone (`payer`) finalizes a stopped channel: the rest of its vault goes to the holder's
 * associated credit account (created if missing), the channel and vault close.
 */
export async function finalizeChannel(
  rpc: Rpc<SolanaRpcApi>,
  p: { payer: Address; channel: Address },
  o?: ProgramOption,
): Promise<Instruction[]> {
  const c = (await fetchMeteringChannel(rpc, p.channel)).data;
  const cls = (await fetchCreditClass(rpc, c.class)).data;
  const { creditMint, creditTokenProgram } = cls;
  const holderCredits = await associatedTokenAddress(c.holder, creditMint, creditTokenProgram);
  return [
    await createAtaIdempotent(p.payer, c.holder, creditMint, creditTokenProgram),
    getFinalizeChannelInstruction({
      holder: c.holder,
      class: c.class,
      channel: p.channel,
      vault: c.vault,
      creditMint,
      holderCredits,
      holderHolds: await ownerHoldsAddress(creditMint, c.holder, o),
      creditTokenProgram,
    }),
  ];
}
