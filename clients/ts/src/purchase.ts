// The price a purchase pays per whole credit, as purchase_credits computes it: the class's list
// price, or with a price feed the high side of its band (price + confidence) rounded up to the
// quote atom (credit_math::price::value_ceil of one whole credit). Written for the web app's
// holdings page (the price shown and the buy form's slippage guard).
import { fetchEncodedAccount, type Address, type Rpc, type SolanaRpcApi } from '@solana/kit';
import { getPriceFeedDecoder } from './generated/index.ts';
import type { ClassInfo } from './read.ts';

const NO_FEED = '11111111111111111111111111111111';

/** Quote atoms per whole credit at `mantissa * 10^expo` quote units, rounded up. */
export function unitCostCeil(mantissa: bigint, expo: number, quoteDecimals: number): bigint {
  const shift = expo + quoteDecimals;
  if (shift >= 0) return mantissa * 10n ** BigInt(shift);
  const scale = 10n ** BigInt(-shift);
  return (mantissa + scale - 1n) / scale;
}

export type PurchasePrice = { atoms: bigint; source: 'list' | 'feed'; feed?: Address };

/** What one whole credit of `cls` costs a buyer now, before the platform's purchase fee. */
export async function purchasePrice(rpc: Rpc<SolanaRpcApi>, cls: ClassInfo): Promise<PurchasePrice> {
  const feed = cls.state.priceFeed;
  if (feed === NO_FEED) return { atoms: cls.listPrice, source: 'list' };
  const account = await fetchEncodedAccount(rpc, feed);
  if (!account.exists) throw new Error(`price feed ${feed} of class ${cls.address} does not exist`);
  const f = getPriceFeedDecoder().decode(account.data);
  return { atoms: unitCostCeil(f.price + f.conf, f.expo, cls.quoteDecimals), source: 'feed', feed };
}
