// Which websocket subscriptions the embedded surfpool delivers (the web app's live updates use
// them and poll where they do not): subscribe, send one transaction, wait at most 5 s for a
// notification naming it. Measured on surfpool 3.1.12 (app localnet): all four deliver.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { address, getSignatureFromTransaction, getTransactionDecoder, type Base64EncodedWireTransaction } from '@solana/kit';
import { buyCredits } from '../../src/actions/index.ts';
import { associatedTokenAddress, TOKEN_2022_PROGRAM_ADDRESS } from '../../src/pda.ts';
import { prepareTransaction, sendSigned, wireToBase64 } from '../../src/tx.ts';
import { programAddress, rpc, rpcSubscriptions, signAs, wallet, world } from './world.ts';

const WAIT_MS = 5_000;

/** The first notification `accept`ed within WAIT_MS of `start`, or 'none'. */
async function first<T>(notifications: AsyncIterable<T>, accept: (n: T) => boolean, abort: AbortController): Promise<T | 'none'> {
  const timer = setTimeout(() => abort.abort(), WAIT_MS);
  try {
    for await (const n of notifications) if (accept(n)) return n;
  } catch {
    /* aborted: nothing arrived in time */
  } finally {
    clearTimeout(timer);
  }
  return 'none';
}

test('account, logs and program notifications arrive within 5 s of a purchase', async () => {
  const buyer = wallet('holder');
  const credits = await associatedTokenAddress(buyer, address(world.creditMint), TOKEN_2022_PROGRAM_ADDRESS);
  const aborts = Array.from({ length: 3 }, () => new AbortController());
  const [accounts, logs, program] = await Promise.all([
    rpcSubscriptions.accountNotifications(credits, { commitment: 'confirmed', encoding: 'base64' }).subscribe({ abortSignal: aborts[0]!.signal }),
    rpcSubscriptions.logsNotifications({ mentions: [programAddress] }, { commitment: 'confirmed' }).subscribe({ abortSignal: aborts[1]!.signal }),
    rpcSubscriptions.programNotifications(programAddress, { commitment: 'confirmed', encoding: 'base64' }).subscribe({ abortSignal: aborts[2]!.signal }),
  ]);
  const before = await rpc.getAccountInfo(credits, { encoding: 'base64', commitment: 'confirmed' }).send();
  // signed before subscribing, so each notification is matched to this transaction
  const signed = await signAs('holder', await prepareTransaction(rpc, buyer, await buyCredits(rpc, { buyer, class: address(world.class), amount: 1_000_000n, maxPrice: 3_000_000n })));
  const signature = getSignatureFromTransaction(getTransactionDecoder().decode(signed));
  const seen = Promise.all([
    first(accounts, (n) => n.value?.data[0] !== before.value?.data[0], aborts[0]!),
    first(logs, (n) => n.value.signature === signature, aborts[1]!),
    first(program, (n) => n.value.pubkey === world.class, aborts[2]!), // the purchase updates the class's minted total
  ]);
  assert.equal(await sendSigned(rpc, rpcSubscriptions, signed), signature);
  const [account, log, programNote] = await seen;
  for (const a of aborts) a.abort(); // close the subscriptions (and the websocket with them)
  assert.notEqual(account, 'none', 'accountNotifications delivered the changed credit account');
  assert.notEqual(log, 'none', 'logsNotifications delivered the transaction');
  if (log !== 'none') {
    assert.ok(log.value.logs.some((l) => l.includes(`Program ${world.programId} success`)));
  }
  assert.notEqual(programNote, 'none', 'programNotifications delivered the class account');
});

test('signatureNotifications confirms a transaction sent after subscribing', async () => {
  // sendSigned races this subscription with polling; here the subscription alone must answer
  const buyer = wallet('holder');
  const wire = await prepareTransaction(rpc, buyer, await buyCredits(rpc, { buyer, class: address(world.class), amount: 1_000_000n, maxPrice: 3_000_000n }));
  const signed = await signAs('holder', wire);
  const signature = getSignatureFromTransaction(getTransactionDecoder().decode(signed));
  const abort = new AbortController();
  const notes = await rpcSubscriptions.signatureNotifications(signature, { commitment: 'confirmed' }).subscribe({ abortSignal: abort.signal });
  const note = first(notes, () => true, abort);
  await rpc.sendTransaction(wireToBase64(signed) as Base64EncodedWireTransaction, { encoding: 'base64', preflightCommitment: 'confirmed' }).send();
  const n = await note;
  abort.abort();
  assert.notEqual(n, 'none', 'signatureNotifications answered within 5 s');
  if (n !== 'none') assert.equal(n.value.err, null);
});
