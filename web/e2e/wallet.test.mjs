// The test wallet itself, without the app: registered through the Wallet Standard's events,
// it connects, signs a System transfer the chain then accepts, signs messages, and refuses to
// sign for an account it does not hold.
import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import { test } from 'node:test';
import { installWallets } from './wallet.mjs';
import { fromBase58, keypair, rpc, until, world } from './world.mjs';
import { withBrowser } from './ui.mjs';

/** A legacy System transfer of `lamports` from `from` to `to`, unsigned, as wire bytes. */
async function transfer(from, to, lamports) {
  const { value } = await rpc('getLatestBlockhash', [{ commitment: 'confirmed' }]);
  const data = Buffer.alloc(12);
  data.writeUInt32LE(2, 0);
  data.writeBigUInt64LE(BigInt(lamports), 4);
  // header: 1 signer, 0 read-only signed, 1 read-only unsigned (the System program)
  const message = [1, 0, 1, 3, ...fromBase58(from), ...fromBase58(to), ...new Uint8Array(32), ...fromBase58(value.blockhash)];
  message.push(1, 2, 2, 0, 1, data.length, ...data);
  return { wire: [1, ...new Uint8Array(64), ...message], message: Uint8Array.from(message) };
}

test('the test wallet registers, connects, and signs on the Node side', () =>
  withBrowser(async (browser) => {
    const page = await browser.newPage();
    const log = await installWallets(page, ['holder', 'trader']);
    await page.goto(`${world.appUrl}config.json`);
    const [holder, trader] = [world.wallets.holder.address, world.wallets.trader.address];
    const { wire, message } = await transfer(holder, trader, 1_000);
    const result = await page.evaluate(async (wire) => {
      // the app's side of the registration: announce readiness, collect the wallets
      const wallets = [];
      window.dispatchEvent(new CustomEvent('wallet-standard:app-ready', { detail: { register: (w) => (wallets.push(w), () => {}) } }));
      const byName = (n) => wallets.find((w) => w.name === `Test Wallet (${n})`);
      const changes = [];
      byName('holder').features['standard:events'].on('change', ({ accounts }) => changes.push(accounts.map((a) => a.address)));
      const { accounts } = await byName('holder').features['standard:connect'].connect();
      const [signed] = await byName('holder').features['solana:signTransaction'].signTransaction({ account: accounts[0], transaction: new Uint8Array(wire) });
      const [said] = await byName('holder').features['solana:signMessage'].signMessage({ account: accounts[0], message: new Uint8Array([7, 7]) });
      let refused = null;
      try {
        await byName('trader').features['solana:signTransaction'].signTransaction({ account: accounts[0], transaction: new Uint8Array(wire) });
      } catch (e) {
        refused = e.message;
      }
      return { names: wallets.map((w) => w.name), chains: wallets[0].chains, changes, signed: Array.from(signed.signedTransaction), said: Array.from(said.signature), refused };
    }, wire);
    assert.deepEqual(result.names, ['Test Wallet (holder)', 'Test Wallet (trader)']);
    assert.deepEqual(result.chains, ['solana:localnet']);
    assert.deepEqual(result.changes, [[holder]]);
    assert.match(result.refused, /holds no account/);
    const key = keypair('holder');
    const signature = Uint8Array.from(result.signed.slice(1, 65));
    assert.ok(verify(null, message, key.privateKey, signature), 'an Ed25519 signature of the message by the holder');
    assert.ok(verify(null, Uint8Array.from([7, 7]), key.privateKey, Uint8Array.from(result.said)));
    assert.deepEqual(log, [{ role: 'holder', op: 'signTransaction' }, { role: 'holder', op: 'signMessage' }], 'the trader signed nothing');

    const before = await rpc('getBalance', [trader, { commitment: 'confirmed' }]);
    const sent = await rpc('sendTransaction', [Buffer.from(result.signed).toString('base64'), { encoding: 'base64' }]);
    await until('the transfer to confirm', async () => (await rpc('getSignatureStatuses', [[sent]])).value[0]?.confirmationStatus);
    const after = await rpc('getBalance', [trader, { commitment: 'confirmed' }]);
    assert.equal(after.value - before.value, 1_000, 'the chain accepted the signed transfer');
  }));
