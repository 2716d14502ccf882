use crate::constants::PLATFORM;
use crate::error::CreditsError;
use crate::events::PlatformUpdated;
use crate::state::{FeeSettings, Platform};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct UpdatePlatform<'info> {
    pub admin: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform, mut, has_one = admin @ CreditsError::NotAdmin)]
    pub platform: AccountLoader<'info, Platform>,
}

impl UpdatePlatform<'_> {
    pub fn handler(ctx: Context<Self>, guardian: Pubkey, treasury: Pubkey, fees: FeeSettings) -> Result<()> {
        require!(guardian != Pubkey::default() && treasury != Pubkey::default(), CreditsError::DefaultKey);
        fees.validate()?;
        let mut platform = ctx.accounts.platform.load_mut()?;
        platform.guardian = guardian;
        platform.treasury = treasury;
        platform.set_fees(fees);
        emit!(PlatformUpdated {
            guardian,
            treasury,
            purchase_fee_bps: fees.purchase_fee_bps,
            origination_fee_bps: fees.origination_fee_bps,
        });
        Ok(())
    }
}
