use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

use super::{holder_is_held, owned_credit_account, vault_amount};
use crate::error::CreditsError;
use crate::events::ChannelFinalized;
use crate::state::{ClassRef, CreditClass, MeteringChannel};
use crate::token::{self, MintRef};

/// Anyone: once nothing can be redeemed any more (the notice ran out, the channel expired or
/// the provider released it; else `ChannelStillOpen`), returns the vault's remainder to a credit
/// account of the holder, closes the vault and the channel, and returns both rents to the
/// holder. Refused while the class is paused; with credits left, refused while the holder is
/// under any freeze hold (`OwnerUnderHold`: they wait in the vault, as `release_collateral`'s).
#[derive(Accounts)]
pub struct FinalizeChannel<'info> {
    /// CHECK: the channel's holder (checked against the channel), receiving the rents.
    #[account(mut)]
    pub holder: UncheckedAccount<'info>,
    /// The channel's class (checked against the channel, in the handler's one load of each:
    /// its mint `WrongClass` and token program `WrongTokenProgram` too).
    pub class: AccountLoader<'info, CreditClass>,
    /// Its holder, class and vault are compared with the accounts passed (`WrongChannelAccount`,
    /// `WrongClass`) in the handler's one load of it.
    #[account(mut, close = holder)]
    pub channel: AccountLoader<'info, MeteringChannel>,
    /// CHECK: the channel's vault (key checked against the channel).
    #[account(mut)]
    pub vault: UncheckedAccount<'info>,
    /// CHECK: the credit mint, its key checked against the class.
    pub credit_mint: UncheckedAccount<'info>,
    /// Any credit account of the holder (of the class's mint).
    /// CHECK: a credit account of the holder, of the class's mint (read in place:
    /// `owned_credit_account`).
    #[account(mut)]
    pub holder_credits: UncheckedAccount<'info>,
    /// CHECK: `["owner_holds", credit_mint, holder]` (address checked with the channel's bump);
    /// may not exist.
    pub holder_holds: UncheckedAccount<'info>,
    pub credit_token_program: Interface<'info, TokenInterface>,
}

impl FinalizeChannel<'_> {
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let a = &ctx.accounts;
        let class = ClassRef::load(&a.class)?;
        let (holder, program_key) = (a.holder.key(), a.credit_token_program.key());
        require_keys_eq!(class.credit_mint, a.credit_mint.key(), CreditsError::WrongClass);
        require_keys_eq!(class.credit_token_program, program_key, CreditsError::WrongTokenProgram);
        let channel = a.channel.load()?;
        require_keys_eq!(channel.holder, holder, CreditsError::WrongChannelAccount);
        require_keys_eq!(channel.class, class.key(), CreditsError::WrongClass);
        require_keys_eq!(channel.vault, a.vault.key(), CreditsError::WrongChannelAccount);
        owned_credit_account(&a.holder_credits.to_account_info(), &class.credit_mint, &holder, &program_key)?;
        class.require_active()?;
        let now = Clock::get()?.unix_timestamp;
        let refunded = vault_amount(&a.vault.to_account_info())?;
        require!(channel.meter().can_finalize(&channel.terms(), now), CreditsError::ChannelStillOpen);
        if refunded > 0 {
            let held = holder_is_held(&channel, &a.holder_holds.to_account_info(), &class.credit_mint)?;
            require!(!held, CreditsError::OwnerUnderHold);
        }
        let (signer, redeemed, deposited) = (channel.signer(), channel.meter.redeemed.0, channel.deposited.0);
        // no borrow of the channel across the CPIs it signs
        drop(channel);
        let seeds = signer.seeds();
        let program = a.credit_token_program.to_account_info();
        let channel_info = a.channel.to_account_info();
        if refunded > 0 {
            token::transfer_signed(
                &program,
                &a.vault,
                MintRef::new(&a.credit_mint, class.decimals),
                &a.holder_credits,
                &channel_info,
                &seeds,
                refunded,
            )?;
        }
        token::close_signed(&program, &a.vault, &a.holder.to_account_info(), &channel_info, &seeds)?;
        emit!(ChannelFinalized {
            channel: channel_info.key(),
            holder: a.holder.key(),
            refunded,
            redeemed,
            deposited
        });
        Ok(())
    }
}
