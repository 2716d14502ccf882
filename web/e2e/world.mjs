// The seeded world the browser tests run against (`app localnet --web --seed DIR` writes
// DIR/world.json; $CREDITS_WORLD names it), its keypairs, chain reads over JSON-RPC from Node,
// the CLI ($APP_BIN) for reads the CLI already decodes, and Debian's Chromium.
import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

export function loadWorld() {
  const path = process.env.CREDITS_WORLD;
  if (!path) throw new Error('CREDITS_WORLD: the world.json of `app localnet --web --seed DIR`');
  return JSON.parse(readFileSync(path, 'utf8'));
}

export const world = loadWorld();

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function base58(bytes) {
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = '1' + out;
  }
  return out;
}

export function fromBase58(text) {
  let n = 0n;
  for (const c of text) {
    const d = ALPHABET.indexOf(c);
    if (d < 0) throw new Error(`not base58: ${text}`);
    n = n * 58n + BigInt(d);
  }
  const bytes = [];
  while (n > 0n) {
    bytes.unshift(Number(n % 256n));
    n /= 256n;
  }
  for (const c of text) {
    if (c !== '1') break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

/** A role's keypair file (Solana's 64-byte JSON array): its address and Node signing key. */
export function keypair(role) {
  const entry = world.wallets[role];
  if (!entry) throw new Error(`no wallet "${role}" in world.json`);
  const bytes = Uint8Array.from(JSON.parse(readFileSync(entry.keypair, 'utf8')));
  const publicKey = bytes.subarray(32, 64);
  if (base58(publicKey) !== entry.address) throw new Error(`${entry.keypair} is not ${entry.address}`);
  // PKCS#8 wrapping of a raw Ed25519 seed
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), bytes.subarray(0, 32)]);
  return { role, address: entry.address, publicKey, privateKey: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) };
}

export async function rpc(method, params = []) {
  const response = await fetch(world.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/** `owner`'s token accounts of the class's credit mint, as the chain parses them. */
export async function creditAccounts(owner) {
  const result = await rpc('getTokenAccountsByOwner', [
    owner,
    { mint: world.creditMint },
    { encoding: 'jsonParsed', commitment: 'confirmed' },
  ]);
  return result.value.map((a) => ({ address: a.pubkey, ...a.account.data.parsed.info }));
}

/** `owner`'s credits in atoms (BigInt) and whether any of its credit accounts is frozen. */
export async function credits(owner) {
  const accounts = await creditAccounts(owner);
  return {
    atoms: accounts.reduce((sum, a) => sum + BigInt(a.tokenAmount.amount), 0n),
    frozen: accounts.some((a) => a.state === 'frozen'),
  };
}

/** An account's raw data (base64), to show it did not change. */
export async function rawAccount(address) {
  const result = await rpc('getAccountInfo', [address, { encoding: 'base64', commitment: 'confirmed' }]);
  return result.value?.data?.[0] ?? null;
}

/** `$APP_BIN -u <rpc> <args> --output json`, parsed. */
export function cliJson(args) {
  const bin = process.env.APP_BIN;
  if (!bin) throw new Error('APP_BIN: the app binary (target/debug/app)');
  const out = execFileSync(bin, ['-u', world.rpcUrl, ...args, '--output', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, HOME: process.env.CREDITS_HOME ?? '/nonexistent' },
  });
  return JSON.parse(out);
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Polls `check` until it returns a truthy value (returned), failing after `ms` with `what`. */
export async function until(what, check, ms = 30_000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
