use anchor_lang::prelude::*;

use crate::error::CreditsError;
use crate::events::SettlementKeySet;
use crate::state::Provider;

/// Provider: names the key that may redeem from its metering channels in its place (a hot key
/// on the gateway, so the authority stays cold), or clears it (the default key). Only the
/// provider's authority may (`NotProvider`); it alone may release channels.
#[derive(Accounts)]
pub struct SetSettlementKey<'info> {
    pub provider_authority: Signer<'info>,
    #[account(mut, constraint = provider.load()?.authority == provider_authority.key() @ CreditsError::NotProvider)]
    pub provider: AccountLoader<'info, Provider>,
}

impl SetSettlementKey<'_> {
    pub fn handler(ctx: Context<Self>, settlement_key: Pubkey) -> Result<()> {
        let mut provider = ctx.accounts.provider.load_mut()?;
        provider.settlement_key = settlement_key;
        emit!(SettlementKeySet { class: provider.class, provider: provider.authority, settlement_key });
        Ok(())
    }
}
