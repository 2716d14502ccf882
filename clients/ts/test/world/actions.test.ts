// One action per family, built by actions/, prepared by prepareTransaction (simulated, unit
// limit = units + 10% + 1,000), signed here with the role's keypair as its wallet would, sent and
// confirmed by sendSigned: a purchase, a market round trip (deposit, place, cancel, withdraw),
// and refusals explained by name before signing and after sending.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  address,
  appendTransactionMessageInstructions,
  compileTransaction,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  getTransactionEncoder,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type Address,
  type Instruction,
} from '@solana/kit';
import { getSetComputeUnitLimitInstruction, getSetComputeUnitPriceInstruction } from '@solana-program/compute-budget';
import { buyCredits, cancelOrder, deposit, freezeCollateral, placeOrder, withdraw } from '../../src/actions/index.ts';
import { ordersOf, seatOf } from '../../src/market.ts';
import { fetchHoldings, fetchMarket } from '../../src/read.ts';
import { prepareTransaction, sendSigned, TransactionFailed, unitLimit, type Progress } from '../../src/tx.ts';
import { act, rpc, rpcSubscriptions, signAs, wallet, world } from './world.ts';

const CLASS = address(world.class);
const MARKET = address(world.market);
const COMPUTE_BUDGET = address('ComputeBudget111111111111111111111111111111');

const balanceOf = async (role: 'holder') =>
  (await fetchHoldings(rpc, wallet(role))).find((h) => h.class.address === CLASS)?.balance ?? 0n;

test('buy: the holder\'s balance grows by exactly the amount; the unit limit is the simulated units + 10% + 1,000', async () => {
  const amount = 2_500_000n; // 2.5 credits of 6 decimals
  const before = await balanceOf('holder');
  const ixs = await buyCredits(rpc, { buyer: wallet('holder'), class: CLASS, amount, maxPrice: 3_000_000n });
  const wire = await prepareTransaction(rpc, wallet('holder'), ixs);

  // the limit the prepared transaction carries is the rule applied to its own simulation
  const sim = await rpc
    .simulateTransaction(getBase64EncodedWireTransaction(getTransactionDecoder().decode(wire)), { encoding: 'base64', sigVerify: false, replaceRecentBlockhash: true, commitment: 'confirmed' })
    .send();
  assert.equal(sim.value.err, null);
  const limit = unitLimitOf(wire);
  assert.equal(limit, unitLimit(sim.value.unitsConsumed!));

  const progress: Progress[] = [];
  const signature = await sendSigned(rpc, rpcSubscriptions, await signAs('holder', wire), (p) => progress.push(p));
  assert.deepEqual(progress, ['sending', 'confirming', 'confirmed']);
  const status = (await rpc.getSignatureStatuses([signature]).send()).value[0];
  assert.ok(status && status.err === null && status.confirmationStatus !== 'processed');
  assert.equal(await balanceOf('holder'), before + amount);
});

/** `instructions` paid by `feePayer` with a fixed unit limit (no simulation), unsigned wire bytes. */
async function withLimit(feePayer: Address, units: number, instructions: Instruction[]): Promise<Uint8Array> {
  const { value: blockhash } = await rpc.getLatestBlockhash({ commitment: 'confirmed' }).send();
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions([getSetComputeUnitLimitInstruction({ units }), ...instructions], m),
  );
  return new Uint8Array(getTransactionEncoder().encode(compileTransaction(message)));
}

/** The units of the transaction's SetComputeUnitLimit instruction (compute budget, discriminator 2). */
function unitLimitOf(wire: Uint8Array): number {
  const message = getCompiledTransactionMessageDecoder().decode(getTransactionDecoder().decode(wire).messageBytes);
  assert.ok(message.version === 0, 'prepareTransaction builds v0 transactions');
  for (const ix of message.instructions) {
    const data = ix.data;
    if (message.staticAccounts[ix.programAddressIndex] === COMPUTE_BUDGET && data?.[0] === 2)
      return new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(1, true);
  }
  throw new Error('no SetComputeUnitLimit instruction');
}

test('deposit, place, cancel, withdraw: the order appears in the book, then disappears', async () => {
  const trader = wallet('trader');
  const seat0 = seatOf(await fetchMarket(rpc, MARKET), trader)!;
  assert.ok(seat0, 'the trader has a seat');
  const amount = 10_000_000n; // 10 quote units
  await act('trader', await deposit(rpc, { trader, market: MARKET, asset: 'quote', amount }));
  const afterDeposit = seatOf(await fetchMarket(rpc, MARKET), trader)!;
  assert.equal(afterDeposit.quoteFree, seat0.quoteFree + amount);

  // a bid far below the best bid rests without crossing: 2.00 per credit, one lot
  const m = await fetchMarket(rpc, MARKET);
  const bestBid = m.bids[0]?.price ?? 1_000n;
  const priceTicks = bestBid > 200n ? 200n : bestBid - 1n;
  await act('trader', await placeOrder(rpc, { trader, market: MARKET, side: 'bid', priceTicks, lots: 1n, orderType: 'post-only' }));
  const placed = await fetchMarket(rpc, MARKET);
  const mine = ordersOf(placed, afterDeposit.index).filter((o) => o.side === 'bid' && o.price === priceTicks && o.lots === 1n);
  assert.equal(mine.length, 1, 'the order rests in the book');
  const order = mine[0]!;
  assert.ok(seatOf(placed, trader)!.quoteLocked > afterDeposit.quoteLocked);

  const cancelIxs = await cancelOrder(rpc, { trader, market: MARKET, side: 'bid', priceTicks, seq: order.seq });
  // two more transactions cancelling the same order, signed now and sent after it is gone: one
  // prepared (its unit limit fits the successful cancel), one with a plain 200,000-unit limit
  const prepared = await prepareTransaction(rpc, trader, [getSetComputeUnitPriceInstruction({ microLamports: 0n }) as Instruction, ...cancelIxs]);
  const roomy = await withLimit(trader, 200_000, cancelIxs);
  await act('trader', cancelIxs);
  const cancelled = await fetchMarket(rpc, MARKET);
  assert.equal(ordersOf(cancelled, afterDeposit.index).some((o) => o.seq === order.seq), false, 'the order is gone');
  assert.equal(seatOf(cancelled, trader)!.quoteLocked, afterDeposit.quoteLocked);

  // refused at preflight: sendSigned reports failed with the program's error by name
  const progress: Progress[] = [];
  await assert.rejects(sendSigned(rpc, rpcSubscriptions, await signAs('trader', roomy), (p) => progress.push(p)), (e: unknown) => {
    assert.ok(e instanceof TransactionFailed);
    assert.deepEqual([e.explained.name, e.explained.code, e.explained.program], ['OrderNotFound', 6097, world.programId]);
    assert.match(e.message, /^OrderNotFound: no such order of this trader/);
    return true;
  });
  assert.deepEqual(progress, ['sending', 'failed']);
  // the program's refusal path costs more units than the cancel it was prepared for
  await assert.rejects(sendSigned(rpc, rpcSubscriptions, await signAs('trader', prepared)), (e: unknown) => {
    assert.ok(e instanceof TransactionFailed);
    assert.equal(e.explained.name, 'ProgramFailedToComplete');
    assert.match(e.explained.message, /exceeded CUs meter/);
    return true;
  });

  await act('trader', await withdraw(rpc, { trader, market: MARKET, asset: 'quote', amount }));
  assert.equal(seatOf(await fetchMarket(rpc, MARKET), trader)!.quoteFree, seat0.quoteFree);
});

test('a refused action is explained by name before signing: the borrower freezing is NotLender', async () => {
  const ixs = await freezeCollateral(rpc, { lender: wallet('borrower'), loan: address(world.loans.defaulted) });
  await assert.rejects(prepareTransaction(rpc, wallet('borrower'), ixs), (e: unknown) => {
    assert.ok(e instanceof TransactionFailed);
    assert.equal(e.explained.name, 'NotLender');
    assert.equal(e.explained.message, 'signer is not the lender of record');
    assert.equal(e.explained.program, world.programId);
    return true;
  });
});
