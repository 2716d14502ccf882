use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};
use credit_math::fixed::bps_ceil;
use credit_math::ledger::{covers, LoanStatus};
use credit_math::price::credits_for_quote_floor;
use credit_math::underwriting::credits_value_floor;
use credit_math::QuoteAtoms;

use crate::constants::PLATFORM;
use crate::error::{CreditsError, MathResultExt};
use crate::events::LoanOriginated;
use crate::loans::collateral_value;
use crate::state::{ClassRef, CreditClass, Loan, LoanKind, Platform, PriceFeed, UnderwritingApproval};
use crate::token::MintRef;
use crate::{oracle, token};

/// A borrower accepts an offer. Compute financing: the principal goes to the treasury (it buys
/// the compute) and principal x multiplier worth of credits, at the oracle price plus
/// confidence, are minted into the vault. Credit-backed: the borrower pledges `pledge` credits
/// into the vault and receives the principal, if their value at the oracle price minus
/// confidence meets the offer's initial coverage; the platform's origination fee as it was
/// when the offer was posted (`ceil(principal x origination_fee_bps)`) is taken from the principal for the treasury and
/// the borrower still owes the whole principal. Compute financing pays no separate fee: the
/// treasury already receives the whole principal for the compute it issues.
///
/// Compute financing also needs the underwriter's approval of the borrower (current
/// underwriter, not expired, the offer's tier, principal within what it has left); acceptance
/// adds the principal to the approval's running total. `min_credits` is the borrower's
/// slippage guard: fewer credits into the vault than that (the price rose since the offer)
/// and nothing happens.
#[derive(Accounts)]
pub struct AcceptLoan<'info> {
    pub borrower: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut, has_one = credit_mint @ CreditsError::WrongClass, has_one = quote_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram,
              has_one = quote_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    #[account(mut, has_one = class @ CreditsError::WrongClass,
              has_one = escrow @ CreditsError::WrongLoanAccount, has_one = vault @ CreditsError::WrongLoanAccount)]
    pub loan: AccountLoader<'info, Loan>,
    pub price_feed: AccountLoader<'info, PriceFeed>,
    /// CHECK: the credit mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    #[account(mut)]
    pub credit_mint: UncheckedAccount<'info>,
    /// CHECK: the quote mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    pub quote_mint: UncheckedAccount<'info>,
    /// CHECK: its key is checked against the loan (`has_one`); only token CPIs use it.
    #[account(mut)]
    pub escrow: UncheckedAccount<'info>,
    /// CHECK: its key is checked against the loan (`has_one`); only token CPIs use it.
    #[account(mut)]
    pub vault: UncheckedAccount<'info>,
    /// Compute financing: the treasury's quote account. Credit-backed: the borrower's.
    #[account(mut, token::mint = quote_mint, token::token_program = quote_token_program)]
    pub principal_destination: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Credit-backed only: the pledged credits come from here.
    #[account(mut, token::mint = credit_mint, token::authority = borrower, token::token_program = credit_token_program)]
    pub borrower_credits: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
    /// Credit-backed with an origination fee: the treasury's quote account.
    #[account(mut, token::mint = quote_mint, token::token_program = quote_token_program)]
    pub treasury_quote: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
    pub credit_token_program: Interface<'info, TokenInterface>,
    pub quote_token_program: Interface<'info, TokenInterface>,
    /// Compute financing: the underwriter's approval of the borrower
    /// (`["approval", borrower, quote_mint]`); this financing's principal is added to it.
    #[account(mut)]
    pub approval: Option<AccountLoader<'info, UnderwritingApproval>>,
}

impl AcceptLoan<'_> {
    pub fn handler(ctx: Context<Self>, pledge: u64, min_credits: u64) -> Result<()> {
        let borrower = ctx.accounts.borrower.key();
        let (
            signer,
            kind,
            principal,
            multiplier_bps,
            initial_bps,
            maintenance_bps,
            origination_fee_bps,
            tier,
        ) = {
            let loan = ctx.accounts.loan.load()?;
            require!(loan.status() == LoanStatus::Offered, CreditsError::LoanNotOffered);
            require!(
                loan.borrower == Pubkey::default() || loan.borrower == borrower,
                CreditsError::WrongBorrower
            );
            // an open credit-backed offer taken by its own lender
            require_keys_neq!(loan.lender, borrower, CreditsError::LenderIsBorrower);
            (
                loan.signer(),
                loan.loan_kind(),
                loan.ledger.principal,
                loan.multiplier_bps,
                loan.initial_bps,
                loan.ledger.maintenance_bps,
                loan.origination_fee_bps,
                loan.borrower_tier,
            )
        };
        let class = ClassRef::load(&ctx.accounts.class)?;
        class.require_active()?;
        let now = Clock::get()?.unix_timestamp;
        let destination = &ctx.accounts.principal_destination;

        let mut origination_fee = 0;
        let collateral = match kind {
            LoanKind::ComputeFinancing => {
                let platform = ctx.accounts.platform.load()?;
                require_keys_eq!(destination.owner, platform.treasury, CreditsError::WrongTreasury);
                // the approval must still hold at acceptance: same underwriter, not expired,
                // the tier the multiplier was read at, and room for this principal
                let loader = ctx.accounts.approval.as_ref().ok_or(CreditsError::MissingApproval)?;
                let mut approval = loader.load_mut()?;
                approval.check(&platform.underwriter, &borrower, &class.quote_mint, principal, now)?;
                require!(approval.tier == tier, CreditsError::TierNotApproved);
                approval.consume(principal)?;
                let price = oracle::load_price(&ctx.accounts.price_feed, &class.key(), now)?;
                // credits are issued like a purchase: at price + confidence, rounded down
                let value = credits_value_floor(principal, multiplier_bps).or_credits_err()?;
                let credits = credits_for_quote_floor(
                    QuoteAtoms(value),
                    price.band.high().or_credits_err()?,
                    class.decimals,
                    class.quote_decimals,
                )
                .or_credits_err()?
                .0;
                require!(credits > 0, CreditsError::ZeroAmount);
                require!(credits >= min_credits, CreditsError::CreditsBelowMinimum);
                if maintenance_bps > 0 {
                    let value = collateral_value(&class, &ctx.accounts.price_feed, credits, now)?;
                    require!(covers(value, principal, maintenance_bps), CreditsError::InsufficientCoverage);
                }
                credits
            }
            LoanKind::CreditBacked => {
                require!(pledge > 0, CreditsError::ZeroAmount);
                // the pledge is the collateral: the guard holds trivially unless set above it
                require!(pledge >= min_credits, CreditsError::CreditsBelowMinimum);
                require_keys_eq!(destination.owner, borrower, CreditsError::WrongLoanAccount);
                let source =
                    ctx.accounts.borrower_credits.as_ref().ok_or(CreditsError::MissingCreditAccount)?;
                require!(!source.is_frozen(), CreditsError::CreditAccountFrozen);
                let value = collateral_value(&class, &ctx.accounts.price_feed, pledge, now)?;
                require!(covers(value, principal, initial_bps), CreditsError::InsufficientCoverage);
                let bps = u64::from(origination_fee_bps);
                origination_fee = bps_ceil(principal, bps).or_credits_err()?;
                pledge
            }
        };

        let seeds = signer.seeds();
        let loan_info = ctx.accounts.loan.to_account_info();
        let quote_program = ctx.accounts.quote_token_program.to_account_info();
        if origination_fee > 0 {
            let treasury =
                ctx.accounts.treasury_quote.as_ref().ok_or(CreditsError::MissingTreasuryAccount)?;
            require_keys_eq!(
                treasury.owner,
                ctx.accounts.platform.load()?.treasury,
                CreditsError::WrongTreasury
            );
            token::transfer_signed(
                &quote_program,
                &ctx.accounts.escrow,
                MintRef::new(&ctx.accounts.quote_mint, class.quote_decimals),
                treasury,
                &loan_info,
                &seeds,
                origination_fee,
            )?;
        }
        token::transfer_signed(
            &quote_program,
            &ctx.accounts.escrow,
            MintRef::new(&ctx.accounts.quote_mint, class.quote_decimals),
            destination,
            &loan_info,
            &seeds,
            principal.checked_sub(origination_fee).ok_or(CreditsError::MathOverflow)?,
        )?;
        let credit_program = ctx.accounts.credit_token_program.to_account_info();
        match (kind, ctx.accounts.borrower_credits.as_ref()) {
            (LoanKind::CreditBacked, Some(source)) => token::transfer_checked(
                &credit_program,
                source,
                MintRef::new(&ctx.accounts.credit_mint, class.decimals),
                &ctx.accounts.vault,
                &ctx.accounts.borrower.to_account_info(),
                collateral,
            )?,
            _ => {
                token::mint_credits(
                    &class,
                    &credit_program,
                    MintRef::new(&ctx.accounts.credit_mint, class.decimals),
                    &ctx.accounts.vault,
                    collateral,
                )?;
                ctx.accounts.class.load_mut()?.record_mint(collateral)?;
            }
        }

        let collateral_value = collateral_value(&class, &ctx.accounts.price_feed, collateral, now)?;
        let mut loan = ctx.accounts.loan.load_mut()?;
        loan.borrower = borrower;
        loan.credits_at_origination = collateral;
        loan.ledger.start_ts = now;
        loan.ledger.principal_outstanding = principal;
        loan.ledger.status = LoanStatus::Current as u8;
        emit!(LoanOriginated {
            loan: loan_info.key(),
            borrower,
            kind: kind as u8,
            principal,
            collateral_credits: collateral,
            collateral_value,
            origination_fee,
            start_ts: now,
        });
        Ok(())
    }
}
