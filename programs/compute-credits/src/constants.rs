//! Every PDA seed and protocol limit in one place.

/// `["platform"]`: the one platform config.
pub const PLATFORM_SEED: &[u8] = b"platform";
/// The platform's address, `find_program_address(&[PLATFORM_SEED], &crate::ID)` (unit test
/// below). Every instruction that reads the platform pins it with `address = PLATFORM`: one
/// key comparison, and Anchor's IDL carries the address so generated clients fill it in.
pub const PLATFORM: anchor_lang::prelude::Pubkey =
    anchor_lang::pubkey!("irTmrt8M4A21YFtLSnqXmUyAY7pUMvsueoPWtKX7H6y");
/// This program's ProgramData account under the upgradeable BPF loader,
/// `find_program_address(&[crate::ID], &bpf_loader_upgradeable::ID)` (unit test below).
/// `initialize_platform` reads the upgrade authority from it. A constant, so Anchor's `address`
/// constraint carries it into the IDL and generated clients fill it in. Changing `declare_id!`
/// (e.g. `anchor keys sync`) changes it: the test names the new value.
pub const PROGRAM_DATA: anchor_lang::prelude::Pubkey =
    anchor_lang::pubkey!("EtszhgCq9XP99abBaTaAnMtJafhWy2v26GsgGCpJU7Rf");
/// `["class", class_id.to_le_bytes()]`: a credit class; also the mint, freeze, pause and
/// metadata authority of its mint, so one PDA signs every token CPI of the class.
pub const CLASS_SEED: &[u8] = b"class";
/// `["credit_mint", class]`: the credit mint of a class.
pub const CREDIT_MINT_SEED: &[u8] = b"credit_mint";
/// `["provider", class, provider_authority]`: a registered compute provider of a class.
pub const PROVIDER_SEED: &[u8] = b"provider";

/// Any fee the admin can set is capped at 10%.
pub const MAX_FEE_BPS: u16 = 1_000;
/// Token metadata limits: they bound the mint's size and so its rent.
pub const MAX_NAME_LEN: usize = 32;
pub const MAX_SYMBOL_LEN: usize = 10;
pub const MAX_URI_LEN: usize = 200;
pub const MAX_UNIT_LEN: usize = 32;
/// Credit decimals: enough for fractions of a GPU-second, small enough for u64 supplies.
pub const MAX_CREDIT_DECIMALS: u8 = 9;
/// Key of the extra metadata field that names the compute unit (e.g. "H100 GPU-hour").
pub const UNIT_METADATA_KEY: &str = "unit";
/// `["price_feed", class]`: the oracle feed of a class.
pub const PRICE_FEED_SEED: &[u8] = b"price_feed";
/// Oracle bounds: a feed may not be configured looser than these.
pub const MAX_STALENESS_SECS: u32 = 86_400;
pub const MAX_CONFIDENCE_BPS: u16 = 2_000;
/// Pyth's receiver program (`rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ`) owns every `PriceUpdateV2`.
pub const PYTH_RECEIVER_PROGRAM_ID: anchor_lang::prelude::Pubkey =
    anchor_lang::pubkey!("rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ");
/// `["lending"]`: the loan bounds and the underwriting table.
pub const LENDING_SEED: &[u8] = b"lending";
/// The lending config's address, `find_program_address(&[LENDING_SEED], &crate::ID)` (unit
/// test below), pinned with `address = LENDING_CONFIG` like [`PLATFORM`].
pub const LENDING_CONFIG: anchor_lang::prelude::Pubkey =
    anchor_lang::pubkey!("4TdpSdYnDJ72LUy14HZaJ4wJoGJckJpV8zWuVadbrXAZ");
/// `["loan", lender, loan_id.to_le_bytes()]`: a loan offer, then the loan. The loan PDA owns the
/// principal escrow and the collateral vault.
pub const LOAN_SEED: &[u8] = b"loan";
/// `["escrow", loan]`: the loan's quote token account (the offered principal).
pub const ESCROW_SEED: &[u8] = b"escrow";
/// `["vault", loan]`: the loan's credit token account (the collateral).
pub const VAULT_SEED: &[u8] = b"vault";
/// `["freeze_hold", token_account]`: who holds the freeze of a credit token account.
pub const FREEZE_HOLD_SEED: &[u8] = b"freeze_hold";
/// `["owner_holds", credit_mint, owner]`: holds in force on a wallet's accounts of a mint.
pub const OWNER_HOLDS_SEED: &[u8] = b"owner_holds";
/// Borrower token accounts one loan may hold frozen (the first and any found later).
pub const MAX_LOAN_HOLDS: usize = 4;
/// Hard bounds on what the admin may configure for loans.
pub const MAX_LOAN_FEE_BPS: u16 = 1_000;
pub const MAX_LIQUIDATION_DISCOUNT_BPS: u16 = 2_000;
/// Coverage ratios are at least 100%.
pub const MIN_COVERAGE_BPS: u16 = 10_000;
/// `["market_authority", market]`: owns a market's vaults and signs for them.
pub const MARKET_AUTHORITY_SEED: &[u8] = b"market_authority";
/// `["base_vault", market]` and `["quote_vault", market]`: the market's token accounts.
pub const BASE_VAULT_SEED: &[u8] = b"base_vault";
pub const QUOTE_VAULT_SEED: &[u8] = b"quote_vault";
/// `["market_v2", class, quote_mint]`: records the one v2 market of a class against a quote mint.
pub const MARKET_V2_SEED: &[u8] = b"market_v2";
/// `["seat", market, owner]`: the one seat of an owner in a v2 market.
pub const SEAT_SEED: &[u8] = b"seat";
/// The longest a liquidation sale may rest on a v2 book: the floor moves with the oracle, so a
/// resting sale's price (checked against the floor when placed) must be renewed.
pub const MAX_SALE_REST_SECS: i64 = 3_600;
/// `["approval", borrower, quote_mint]`: the underwriter's approval of a borrower for compute
/// financing in one quote currency (tier, principal limit, expiry).
pub const APPROVAL_SEED: &[u8] = b"approval";
/// `["channel", class, holder, provider_authority]`: a metering channel, in which a holder
/// escrows credits a provider redeems batch by batch (one per holder, provider and class).
pub const CHANNEL_SEED: &[u8] = b"channel";
/// `["channel_vault", channel]`: the channel's credit account, owned by the channel PDA.
pub const CHANNEL_VAULT_SEED: &[u8] = b"channel_vault";

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::prelude::Pubkey;
    use anchor_lang::solana_program::bpf_loader_upgradeable;

    #[test]
    fn program_data_is_the_loader_derivation_of_the_program_id() {
        let (derived, _) = Pubkey::find_program_address(&[crate::ID.as_ref()], &bpf_loader_upgradeable::ID);
        assert_eq!(PROGRAM_DATA, derived, "set PROGRAM_DATA to {derived}");
        assert_eq!(PROGRAM_DATA, bpf_loader_upgradeable::get_program_data_address(&crate::ID));
    }

    /// The fixed addresses are literals (so Anchor's IDL builder can state them); a changed
    /// `declare_id!` or seed fails here, naming the new value.
    #[test]
    fn fixed_addresses_are_the_derivations_of_their_seeds() {
        for (name, constant, seed) in
            [("PLATFORM", PLATFORM, PLATFORM_SEED), ("LENDING_CONFIG", LENDING_CONFIG, LENDING_SEED)]
        {
            let (derived, _) = Pubkey::find_program_address(&[seed], &crate::ID);
            assert_eq!(constant, derived, "set {name} to {derived}");
        }
    }
}
