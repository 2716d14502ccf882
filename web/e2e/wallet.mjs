// The Wallet Standard test wallet: one wallet per role ("Test Wallet (holder)", ...) registered
// in the page by the standard's registration event (and answering the app's app-ready event),
// on `solana:localnet`, with connect, disconnect, events, signTransaction,
// signAndSendTransaction and signMessage. Keys never enter the page: every signature is made on
// the Node side (page.exposeBinding) with the role's keypair, by Node's Ed25519.
import { sign } from 'node:crypto';
import { fromBase58, keypair, rpc } from './world.mjs';

export const CHAIN = 'solana:localnet';
const BINDING = '__creditsTestWallet';
const ICON =
  'data:image/svg+xml;base64,' +
  Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" rx="3" fill="#3a7"/></svg>',
  ).toString('base64');

function compactU16(bytes, offset) {
  let value = 0;
  let size = 0;
  for (;;) {
    const byte = bytes[offset + size];
    value |= (byte & 0x7f) << (7 * size);
    size += 1;
    if ((byte & 0x80) === 0) return [value, size];
  }
}

/**
 * Signs a wire transaction (legacy or v0) as `key`: the message after the signatures is
 * signed and the signature put at the signer's index among the message's required signers.
 */
export function signWire(wire, key) {
  const [count, countSize] = compactU16(wire, 0);
  const messageStart = countSize + 64 * count;
  const message = wire.subarray(messageStart);
  let p = message[0] & 0x80 ? 1 : 0; // a versioned message starts with its version byte
  const required = message[p];
  p += 3;
  const [, keysSize] = compactU16(message, p);
  p += keysSize;
  let index = -1;
  for (let i = 0; i < required; i++) {
    if (Buffer.from(message.subarray(p + 32 * i, p + 32 * i + 32)).equals(Buffer.from(key.publicKey))) index = i;
  }
  if (index < 0) throw new Error(`${key.address} is not a required signer of this transaction`);
  const signed = Uint8Array.from(wire);
  signed.set(sign(null, message, key.privateKey), countSize + 64 * index);
  return signed;
}

/**
 * Registers one test wallet per role in `page` (before any of its scripts run). Returns the
 * log of what the wallets were asked to do ({ role, op }), in order.
 */
export async function installWallets(page, roles) {
  const keys = Object.fromEntries(roles.map((r) => [r, keypair(r)]));
  const log = [];
  await page.exposeBinding(BINDING, async (_source, { role, op, bytes }) => {
    const key = keys[role];
    log.push({ role, op });
    const input = Uint8Array.from(bytes);
    if (op === 'signTransaction') return Array.from(signWire(input, key));
    if (op === 'signMessage') return Array.from(sign(null, input, key.privateKey));
    if (op === 'signAndSendTransaction') {
      const signed = signWire(input, key);
      const signature = await rpc('sendTransaction', [
        Buffer.from(signed).toString('base64'),
        { encoding: 'base64', preflightCommitment: 'confirmed' },
      ]);
      return Array.from(fromBase58(signature));
    }
    throw new Error(`unknown wallet operation ${op}`);
  });
  const accounts = roles.map((r) => ({ role: r, address: keys[r].address, publicKey: Array.from(keys[r].publicKey) }));
  await page.addInitScript(registerInPage, { accounts, chain: CHAIN, icon: ICON, binding: BINDING });
  return log;
}

/** Runs in the page: the wallets, registered by the Wallet Standard's events. */
function registerInPage({ accounts, chain, icon, binding }) {
  const features = ['solana:signTransaction', 'solana:signAndSendTransaction', 'solana:signMessage'];
  for (const { role, address, publicKey } of accounts) {
    const account = Object.freeze({
      address,
      publicKey: new Uint8Array(publicKey),
      chains: [chain],
      features,
      label: role,
    });
    let connected = [];
    const listeners = new Set();
    const changed = () => listeners.forEach((listener) => listener({ accounts: connected }));
    const call = async (op, bytes) => new Uint8Array(await window[binding]({ role, op, bytes: Array.from(bytes) }));
    const mine = (input) => {
      if (input.account.address !== address) throw new Error(`Test Wallet (${role}) holds no account ${input.account.address}`);
    };
    const wallet = {
      version: '1.0.0',
      name: `Test Wallet (${role})`,
      icon,
      chains: [chain],
      get accounts() {
        return connected;
      },
      features: {
        'standard:connect': {
          version: '1.0.0',
          connect: async () => {
            connected = [account];
            changed();
            return { accounts: connected };
          },
        },
        'standard:disconnect': {
          version: '1.0.0',
          disconnect: async () => {
            connected = [];
            changed();
          },
        },
        'standard:events': {
          version: '1.0.0',
          on: (event, listener) => {
            if (event !== 'change') return () => {};
            listeners.add(listener);
            return () => listeners.delete(listener);
          },
        },
        'solana:signTransaction': {
          version: '1.0.0',
          supportedTransactionVersions: ['legacy', 0],
          signTransaction: (...inputs) =>
            Promise.all(inputs.map(async (i) => (mine(i), { signedTransaction: await call('signTransaction', i.transaction) }))),
        },
        'solana:signAndSendTransaction': {
          version: '1.0.0',
          supportedTransactionVersions: ['legacy', 0],
          signAndSendTransaction: (...inputs) =>
            Promise.all(inputs.map(async (i) => (mine(i), { signature: await call('signAndSendTransaction', i.transaction) }))),
        },
        'solana:signMessage': {
          version: '1.0.0',
          signMessage: (...inputs) =>
            Promise.all(
              inputs.map(async (i) => (mine(i), { signedMessage: i.message, signature: await call('signMessage', i.message) })),
            ),
        },
      },
    };
    const register = (api) => api.register(wallet);
    window.addEventListener('wallet-standard:app-ready', (event) => register(event.detail));
    window.dispatchEvent(new CustomEvent('wallet-standard:register-wallet', { detail: register }));
  }
}
