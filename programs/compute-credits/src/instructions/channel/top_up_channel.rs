use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;
use credit_math::CreditAtoms;

use super::{holder_is_held, owned_credit_account};
use crate::error::{ChannelResultExt, CreditsError, MathResultExt};
use crate::events::ChannelToppedUp;
use crate::state::{ClassRef, CreditClass, MeteringChannel};
use crate::token::{self, MintRef};

/// Holder: extends a channel: moves `amount` more credit atoms into its vault, raises its cap to
/// `cap` and/or moves its expiry to `expiry_ts` (neither may go down: `InvalidChannelTerms`).
/// Refused once the holder asked to close (`ChannelClosing`) or the channel stopped
/// (`ChannelClosed`). A top-up that moves nothing must grow the cap or the expiry
/// (`ZeroAmount`). Same checks on the source as `open_channel`.
#[derive(Accounts)]
pub struct TopUpChannel<'info> {
    pub holder: Signer<'info>,
    #[account(has_one = credit_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    #[account(mut, has_one = holder @ CreditsError::NotChannelHolder, has_one = class @ CreditsError::WrongClass,
              has_one = vault @ CreditsError::WrongChannelAccount)]
    pub channel: AccountLoader<'info, MeteringChannel>,
    /// CHECK: the channel's vault (key checked against the channel); the token program checks it.
    #[account(mut)]
    pub vault: UncheckedAccount<'info>,
    /// CHECK: the credit mint, its key checked against the class.
    pub credit_mint: UncheckedAccount<'info>,
    /// CHECK: a credit account of the holder, of the class's mint (read in place:
    /// `owned_credit_account`).
    #[account(mut)]
    pub holder_credits: UncheckedAccount<'info>,
    /// CHECK: `["owner_holds", credit_mint, holder]` (address checked with the channel's bump);
    /// may not exist.
    pub holder_holds: UncheckedAccount<'info>,
    pub credit_token_program: Interface<'info, TokenInterface>,
}

impl TopUpChannel<'_> {
    pub fn handler(ctx: Context<Self>, amount: u64, cap: u64, expiry_ts: i64) -> Result<()> {
        let a = &ctx.accounts;
        let class = ClassRef::load(&a.class)?;
        class.require_active()?;
        let source = a.holder_credits.to_account_info();
        let frozen =
            owned_credit_account(&source, &class.credit_mint, &a.holder.key(), a.credit_token_program.key)?;
        require!(!frozen, CreditsError::CreditAccountFrozen);
        let now = Clock::get()?.unix_timestamp;
        let (terms, deposited) = {
            let channel = a.channel.load()?;
            let held = holder_is_held(&channel, &a.holder_holds.to_account_info(), &class.credit_mint)?;
            require!(!held, CreditsError::OwnerUnderHold);
            let old = channel.terms();
            let terms = channel.meter().extend(&old, now, CreditAtoms(cap), expiry_ts).or_channel_err()?;
            require!(amount > 0 || terms != old, CreditsError::ZeroAmount);
            let deposited = channel.deposited.checked_add(CreditAtoms(amount)).or_credits_err()?;
            (terms, deposited)
        };
        if amount > 0 {
            token::transfer_checked(
                &a.credit_token_program.to_account_info(),
                &a.holder_credits,
                MintRef::new(&a.credit_mint, class.decimals),
                &a.vault,
                &a.holder.to_account_info(),
                amount,
            )?;
        }
        {
            let mut channel = a.channel.load_mut()?;
            channel.terms = terms.into();
            channel.deposited = deposited;
        }
        emit!(ChannelToppedUp { channel: a.channel.key(), amount, cap, expiry_ts, deposited: deposited.0 });
        Ok(())
    }
}
