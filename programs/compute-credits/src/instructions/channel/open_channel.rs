use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;
use credit_math::channel::{ChannelMeter, ChannelTerms};
use credit_math::quantities::one_unit;
use credit_math::CreditAtoms;

use super::owned_credit_account;
use crate::constants::{CHANNEL_SEED, CHANNEL_VAULT_SEED, OWNER_HOLDS_SEED};
use crate::error::{ChannelResultExt, CreditsError, MathResultExt};
use crate::events::ChannelOpened;
use crate::pda::{init_zero_copy_account, is_canonical_pda};
use crate::state::{ClassRef, CreditClass, MeteringChannel, Provider};
use crate::token::freeze::owner_is_held;
use crate::token::{self, MintRef};

/// What the holder agrees to when opening a channel: `amount` credit atoms escrowed now (at
/// least one whole credit), the most the provider may redeem over the channel's life (`cap`)
/// and per period (`period_cap` per `period_secs`; zero: none), no redemption at or after
/// `expiry_ts`, and `notice_secs` during which the provider may still redeem after the holder
/// asks to close.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenChannelArgs {
    pub amount: u64,
    pub cap: u64,
    pub period_cap: u64,
    pub period_secs: u32,
    pub expiry_ts: i64,
    pub notice_secs: u32,
}

/// The canonical bumps of the three addresses `open_channel` derives, found by the client
/// (`find_program_address`) and proved on-chain (`pda::is_canonical_pda`) instead of searched
/// (a search pays 1,500 CU per bump it tries): the channel
/// `["channel", class, holder, provider_authority]`, its vault `["channel_vault", channel]`, and
/// the holder's hold record `["owner_holds", credit_mint, holder]` (recorded: later
/// instructions check that address with one hash).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChannelBumps {
    pub channel_bump: u8,
    pub vault_bump: u8,
    pub holds_bump: u8,
}

/// Holder: opens a metering channel to a registered provider of the class and escrows credits
/// in its vault (the holder pays both accounts' rent). Escrow, not a token delegate: a delegate
/// can be revoked or emptied by the holder at any moment, so nothing the provider served would
/// be collectable. One channel per (class, holder, provider); a finalized one can be reopened.
#[derive(Accounts)]
pub struct OpenChannel<'info> {
    #[account(mut)]
    pub holder: Signer<'info>,
    #[account(has_one = credit_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    #[account(has_one = class @ CreditsError::WrongClass,
              constraint = provider.load()?.authority == provider_authority.key() @ CreditsError::NotProvider)]
    pub provider: AccountLoader<'info, Provider>,
    /// CHECK: the provider's authority (compared with its registration); a seed of the channel.
    pub provider_authority: UncheckedAccount<'info>,
    /// CHECK: `["channel", class, holder, provider_authority]` with the canonical bump
    /// (checked in the handler: `WrongChannelAccount`), created here (`AlreadyInitialized`
    /// while one is open).
    #[account(mut)]
    pub channel: UncheckedAccount<'info>,
    /// CHECK: `["channel_vault", channel]` with the canonical bump (checked in the handler:
    /// `WrongChannelAccount`), created here as the channel's credit account (named apart from
    /// a loan's `vault`: generated clients name PDAs by account).
    #[account(mut)]
    pub channel_vault: UncheckedAccount<'info>,
    /// CHECK: the credit mint, its key checked against the class (which recorded its
    /// decimals); the token program checks it again in every CPI.
    pub credit_mint: UncheckedAccount<'info>,
    /// The holder's own credit account: a loan's vault (owned by the loan) never funds a channel.
    /// CHECK: a credit account of the holder, of the class's mint (read in place:
    /// `owned_credit_account`).
    #[account(mut)]
    pub holder_credits: UncheckedAccount<'info>,
    /// CHECK: `["owner_holds", credit_mint, holder]` with the canonical bump (checked in the
    /// handler: `WrongHoldAccount`; the bump is recorded); may not exist.
    pub holder_holds: UncheckedAccount<'info>,
    pub credit_token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl OpenChannel<'_> {
    pub fn handler(ctx: Context<Self>, args: OpenChannelArgs, bumps: ChannelBumps) -> Result<()> {
        let a = &ctx.accounts;
        let (holder, provider_authority) = (a.holder.key(), a.provider_authority.key());
        require_keys_neq!(holder, provider_authority, CreditsError::SelfRedemption);
        let class = ClassRef::load(&a.class)?;
        let (channel_key, class_key) = (a.channel.key(), class.key());
        let channel_seeds = [CHANNEL_SEED, class_key.as_ref(), holder.as_ref(), provider_authority.as_ref()];
        require!(
            is_canonical_pda(&channel_key, &channel_seeds, bumps.channel_bump)
                && is_canonical_pda(
                    a.channel_vault.key,
                    &[CHANNEL_VAULT_SEED, channel_key.as_ref()],
                    bumps.vault_bump
                ),
            CreditsError::WrongChannelAccount
        );
        let holds_seeds = [OWNER_HOLDS_SEED, class.credit_mint.as_ref(), holder.as_ref()];
        require!(
            is_canonical_pda(a.holder_holds.key, &holds_seeds, bumps.holds_bump),
            CreditsError::WrongHoldAccount
        );
        class.require_active()?;
        let source = a.holder_credits.to_account_info();
        let frozen = owned_credit_account(&source, &class.credit_mint, &holder, a.credit_token_program.key)?;
        require!(!frozen, CreditsError::CreditAccountFrozen);
        require!(
            !owner_is_held(&a.holder_holds.to_account_info(), &holder, &class.credit_mint)?,
            CreditsError::OwnerUnderHold
        );
        require!(args.amount >= one_unit(class.decimals).or_credits_err()?, CreditsError::ChannelDust);
        let now = Clock::get()?.unix_timestamp;
        let terms = ChannelTerms {
            cap: CreditAtoms(args.cap),
            period_cap: CreditAtoms(args.period_cap),
            period_secs: args.period_secs,
            expiry_ts: args.expiry_ts,
            notice_secs: args.notice_secs,
        };
        terms.validate(now).or_channel_err()?;

        let channel = MeteringChannel {
            holder,
            provider: a.provider.key(),
            provider_authority,
            class: class_key,
            vault: a.channel_vault.key(),
            terms: terms.into(),
            meter: ChannelMeter::opened(now).into(),
            deposited: CreditAtoms(args.amount),
            opened_at: now,
            bump: bumps.channel_bump,
            vault_bump: bumps.vault_bump,
            holds_bump: bumps.holds_bump,
            _padding: [0; 5],
        };
        let (payer, system) = (a.holder.to_account_info(), a.system_program.to_account_info());
        let channel_info = a.channel.to_account_info();
        init_zero_copy_account(&payer, &channel_info, &system, &channel.signer().seeds(), &channel)?;
        let program = a.credit_token_program.to_account_info();
        token::create_token_account(
            &payer,
            &a.channel_vault.to_account_info(),
            &system,
            &[CHANNEL_VAULT_SEED, channel_key.as_ref(), &[channel.vault_bump]],
            &a.credit_mint.to_account_info(),
            &channel_info,
            &program,
        )?;
        token::transfer_checked(
            &program,
            &a.holder_credits,
            MintRef::new(&a.credit_mint, class.decimals),
            &a.channel_vault,
            &payer,
            args.amount,
        )?;
        emit!(ChannelOpened {
            channel: channel_key,
            class: class_key,
            holder,
            provider: provider_authority,
            amount: args.amount,
            cap: args.cap,
            period_cap: args.period_cap,
            period_secs: args.period_secs,
            expiry_ts: args.expiry_ts,
            notice_secs: args.notice_secs,
        });
        Ok(())
    }
}
