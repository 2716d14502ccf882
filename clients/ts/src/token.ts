// SPL Token / Token-2022 accounts and mints read from their bytes (both programs share the base
// layouts), and a Token-2022 mint's TokenMetadata extension (TLV after the 165-byte base).
import { getAddressDecoder, type Address, type ReadonlyUint8Array } from '@solana/kit';

const BASE_ACCOUNT_LENGTH = 165;
const ACCOUNT_TYPE_MINT = 1;
const ACCOUNT_TYPE_ACCOUNT = 2;
const EXTENSION_TOKEN_METADATA = 19;
const addr = getAddressDecoder();
const dv = (d: ReadonlyUint8Array) => new DataView(d.buffer, d.byteOffset, d.byteLength);

export type TokenAccount = { mint: Address; owner: Address; amount: bigint; frozen: boolean };

/** A token account (either program), or undefined for a mint or anything else. */
export function decodeTokenAccount(data: ReadonlyUint8Array): TokenAccount | undefined {
  if (data.length < BASE_ACCOUNT_LENGTH) return undefined;
  if (data.length > BASE_ACCOUNT_LENGTH && data[BASE_ACCOUNT_LENGTH] !== ACCOUNT_TYPE_ACCOUNT) return undefined;
  const state = data[108];
  if (state !== 1 && state !== 2) return undefined;
  return {
    mint: addr.decode(data.subarray(0, 32)),
    owner: addr.decode(data.subarray(32, 64)),
    amount: dv(data).getBigUint64(64, true),
    frozen: state === 2,
  };
}

export type TokenMetadata = { name: string; symbol: string; uri: string; additional: [string, string][] };
export type Mint = { supply: bigint; decimals: number; metadata?: TokenMetadata };

/** A mint (either program) with its Token-2022 metadata when it carries the extension. */
export function decodeMint(data: ReadonlyUint8Array): Mint | undefined {
  if (data.length < 82 || data[45] !== 1) return undefined;
  const v = dv(data);
  const mint: Mint = { supply: v.getBigUint64(36, true), decimals: data[44]! };
  if (data.length > BASE_ACCOUNT_LENGTH && data[BASE_ACCOUNT_LENGTH] === ACCOUNT_TYPE_MINT) {
    for (let o = BASE_ACCOUNT_LENGTH + 1; o + 4 <= data.length; ) {
      const type = v.getUint16(o, true);
      const len = v.getUint16(o + 2, true);
      if (type === 0) break;
      if (type === EXTENSION_TOKEN_METADATA) mint.metadata = decodeMetadata(data.subarray(o + 4, o + 4 + len));
      o += 4 + len;
    }
  }
  return mint;
}

function decodeMetadata(b: ReadonlyUint8Array): TokenMetadata | undefined {
  const v = dv(b);
  const text = new TextDecoder();
  let o = 64; // update authority, mint
  const str = () => {
    const n = v.getUint32(o, true);
    const s = text.decode(b.subarray(o + 4, o + 4 + n));
    o += 4 + n;
    return s;
  };
  try {
    const name = str();
    const symbol = str();
    const uri = str();
    const count = v.getUint32(o, true);
    o += 4;
    const additional: [string, string][] = [];
    for (let i = 0; i < count; i++) additional.push([str(), str()]);
    return { name, symbol, uri, additional };
  } catch {
    return undefined;
  }
}
