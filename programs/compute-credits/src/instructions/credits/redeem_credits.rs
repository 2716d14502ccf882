use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

use crate::error::CreditsError;
use crate::events::CreditsRedeemed;
use crate::state::{ClassRef, CreditClass, Provider};
use crate::token::{self, MintRef};

/// Compute was delivered: the holder and a registered provider co-sign, the credits burn.
/// Holder and provider are two parties: a provider redeeming credits it holds itself would
/// attest delivery to nobody and inflate its `redeemed` record (`SelfRedemption`).
#[derive(Accounts)]
pub struct RedeemCredits<'info> {
    pub holder: Signer<'info>,
    pub provider_authority: Signer<'info>,
    #[account(mut, has_one = credit_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    #[account(mut, has_one = class @ CreditsError::WrongClass,
              constraint = provider.load()?.authority == provider_authority.key() @ CreditsError::NotProvider)]
    pub provider: AccountLoader<'info, Provider>,
    /// CHECK: the credit mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    #[account(mut)]
    pub credit_mint: UncheckedAccount<'info>,
    #[account(mut, token::mint = credit_mint, token::authority = holder, token::token_program = credit_token_program)]
    pub holder_credits: Box<InterfaceAccount<'info, TokenAccount>>,
    pub credit_token_program: Interface<'info, TokenInterface>,
}

impl RedeemCredits<'_> {
    pub fn handler(ctx: Context<Self>, amount: u64, usage_reference: [u8; 32]) -> Result<()> {
        require_keys_neq!(
            ctx.accounts.holder.key(),
            ctx.accounts.provider_authority.key(),
            CreditsError::SelfRedemption
        );
        require!(amount > 0, CreditsError::ZeroAmount);
        let class = ClassRef::load(&ctx.accounts.class)?;
        class.require_active()?;
        require!(!ctx.accounts.holder_credits.is_frozen(), CreditsError::CreditAccountFrozen);

        token::burn_credits(
            &ctx.accounts.credit_token_program.to_account_info(),
            MintRef::new(&ctx.accounts.credit_mint, class.decimals),
            &ctx.accounts.holder_credits,
            &ctx.accounts.holder.to_account_info(),
            amount,
        )?;
        record_redemption(
            &ctx.accounts.provider,
            &ctx.accounts.class,
            ctx.accounts.holder.key(),
            ctx.accounts.provider_authority.key(),
            amount,
            usage_reference,
        )
    }
}

/// The bookkeeping of a burn for delivered compute, the same on every path that makes one
/// (`redeem_credits`, `redeem_from_vault`, `redeem_from_channel`): the provider's `redeemed`
/// and the class's `burned` grow, and `CreditsRedeemed` names the holder whose credits burned
/// and the provider's authority.
pub fn record_redemption(
    provider: &AccountLoader<Provider>,
    class: &AccountLoader<CreditClass>,
    holder: Pubkey,
    provider_authority: Pubkey,
    amount: u64,
    usage_reference: [u8; 32],
) -> Result<()> {
    provider.load_mut()?.record_redemption(amount)?;
    let burned_total = {
        let mut class = class.load_mut()?;
        class.record_burn(amount)?;
        class.burned
    };
    emit!(CreditsRedeemed {
        class: class.key(),
        holder,
        provider: provider_authority,
        amount,
        usage_reference,
        burned_total,
    });
    Ok(())
}
