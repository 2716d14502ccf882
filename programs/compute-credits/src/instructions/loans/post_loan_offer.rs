use anchor_lang::prelude::*;
use anchor_lang::Discriminator;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};
use credit_math::ledger::LoanStatus;
use credit_math::quantities::one_unit;
use credit_math::schedule::ScheduleKind;
use credit_math::underwriting::{table_index, term_tier, AmountTier};

use crate::constants::*;
use crate::error::{CreditsError, MathResultExt};
use crate::events::LoanOffered;
use crate::pda::create_pda;
use crate::state::{
    ClassRef, CreditClass, LedgerData, LendingConfig, Loan, LoanKind, Platform, UnderwritingApproval,
};
use crate::token::{self, MintRef};

/// What a lender offers. Coverage ratios are terms of each loan, within the platform's bounds.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct OfferTerms {
    /// The lender's own numbering: the loan PDA is `["loan", lender, loan_id]`.
    pub loan_id: u64,
    /// Only this wallet may accept; the default key lets anyone accept (credit-backed loans
    /// only: compute financing names its borrower). Never the lender itself.
    pub borrower: Pubkey,
    pub kind: LoanKind,
    /// 0 level-payment, 1 interest-only with balloon, 2 straight-line principal.
    pub schedule: u8,
    /// Quote atoms.
    pub principal: u64,
    pub apr_bps: u16,
    /// Monthly installments.
    pub periods: u16,
    /// 0 pre-revenue, 1 seed, 2 Series A, 3 Series B+. Compute financing: must be the tier in
    /// the underwriter's approval of the borrower (`TierNotApproved` otherwise), so the lender
    /// sees in its own terms the multiplier it offers; the multiplier is read at the approval's
    /// tier. Credit-backed loans: recorded, without effect (their multiplier is 1x).
    pub borrower_tier: u8,
    /// Credit-backed: pledged value / principal needed at origination.
    pub initial_bps: u16,
    /// 0 = no maintenance requirement (compute financing only): immediate access to every
    /// credit, and the freeze on default is the lender's only security.
    pub maintenance_bps: u16,
    pub liquidation_bps: u16,
}

impl OfferTerms {
    /// Checks the terms against the platform's bounds and returns the multiplier (bps) the
    /// underwriting table gives them (10,000 for credit-backed loans). `approved_tier` is the
    /// underwriter's tier for compute financing (checked by the caller against the approval).
    pub fn validate(
        &self,
        config: &LendingConfig,
        quote_decimals: u8,
        approved_tier: Option<u8>,
    ) -> Result<u16> {
        require!(
            ScheduleKind::from_u8(self.schedule).is_some() && self.borrower_tier <= 3,
            CreditsError::InvalidLoanTerms
        );
        let unit = one_unit(quote_decimals).or_credits_err()?;
        let min = config.min_principal.checked_mul(unit).ok_or(CreditsError::MathOverflow)?;
        let max = config.max_principal.checked_mul(unit).ok_or(CreditsError::MathOverflow)?;
        require!((min..=max).contains(&self.principal), CreditsError::PrincipalOutOfRange);
        require!(
            (config.min_apr_bps..=config.max_apr_bps).contains(&self.apr_bps),
            CreditsError::AprOutOfRange
        );
        require!(
            (config.min_periods..=config.max_periods).contains(&self.periods),
            CreditsError::TermOutOfRange
        );
        let coverage_ok = if self.maintenance_bps == 0 {
            self.kind == LoanKind::ComputeFinancing && self.liquidation_bps == 0
        } else {
            self.liquidation_bps >= config.min_liquidation_bps
                && self.maintenance_bps >= config.min_maintenance_bps
                && self.maintenance_bps >= self.liquidation_bps
                && (self.kind == LoanKind::ComputeFinancing
                    || (self.initial_bps >= config.min_initial_bps
                        && self.initial_bps >= self.maintenance_bps))
        };
        require!(coverage_ok, CreditsError::InvalidCoverageTerms);
        Ok(match self.kind {
            LoanKind::CreditBacked => 10_000,
            LoanKind::ComputeFinancing => {
                let tier = approved_tier.ok_or(CreditsError::MissingApproval)?;
                require!(tier == self.borrower_tier, CreditsError::TierNotApproved);
                let amount = AmountTier::for_principal(self.principal, quote_decimals).or_credits_err()?;
                let term = term_tier(self.periods).or_credits_err()?;
                config.multipliers[table_index(amount, term, tier)]
            }
        })
    }
}

#[derive(Accounts)]
#[instruction(terms: OfferTerms)]
pub struct PostLoanOffer<'info> {
    #[account(mut)]
    pub lender: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform)]
    pub platform: AccountLoader<'info, Platform>,
    #[account(address = LENDING_CONFIG @ CreditsError::WrongLendingConfig)]
    pub lending_config: AccountLoader<'info, LendingConfig>,
    #[account(has_one = credit_mint @ CreditsError::WrongClass, has_one = quote_mint @ CreditsError::WrongClass,
              has_one = credit_token_program @ CreditsError::WrongTokenProgram,
              has_one = quote_token_program @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    /// CHECK: the loan PDA, created here (`AlreadyInitialized` if the id is taken).
    #[account(mut, seeds = [LOAN_SEED, lender.key().as_ref(), &terms.loan_id.to_le_bytes()], bump)]
    pub loan: UncheckedAccount<'info>,
    /// CHECK: the credit mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    pub credit_mint: UncheckedAccount<'info>,
    /// CHECK: the quote mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    pub quote_mint: UncheckedAccount<'info>,
    /// The principal comes from here; the loan records it as the usual destination of payments.
    #[account(mut, token::mint = quote_mint, token::authority = lender, token::token_program = quote_token_program)]
    pub lender_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: `["escrow", loan]`, created in the handler as the loan's quote token account.
    #[account(mut, seeds = [ESCROW_SEED, loan.key().as_ref()], bump)]
    pub escrow: UncheckedAccount<'info>,
    /// CHECK: `["vault", loan]`, created in the handler as the loan's credit token account
    /// (the collateral vault).
    #[account(mut, seeds = [VAULT_SEED, loan.key().as_ref()], bump)]
    pub vault: UncheckedAccount<'info>,
    pub credit_token_program: Interface<'info, TokenInterface>,
    pub quote_token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
    /// Compute financing: the underwriter's approval of the named borrower in the class's
    /// quote currency, `["approval", borrower, quote_mint]` (read here, consumed on acceptance).
    pub approval: Option<AccountLoader<'info, UnderwritingApproval>>,
}

impl PostLoanOffer<'_> {
    /// Posts an offer: the loan account, its escrow and vault, and the principal in escrow.
    pub fn handler(ctx: Context<Self>, terms: OfferTerms) -> Result<()> {
        let class = ClassRef::load(&ctx.accounts.class)?;
        class.require_active()?;
        let config = *ctx.accounts.lending_config.load()?;
        let lender = ctx.accounts.lender.key();
        require_keys_neq!(terms.borrower, lender, CreditsError::LenderIsBorrower);
        let approved_tier = match terms.kind {
            LoanKind::CreditBacked => None,
            LoanKind::ComputeFinancing => {
                // the multiplier gives value away: it comes from the underwriter, for a named
                // borrower, never from the lender's word (a lender financing its own second
                // wallet would otherwise pick the highest tier)
                require_keys_neq!(terms.borrower, Pubkey::default(), CreditsError::BorrowerNotNamed);
                let approval = ctx.accounts.approval.as_ref().ok_or(CreditsError::MissingApproval)?.load()?;
                approval.check(
                    &ctx.accounts.platform.load()?.underwriter,
                    &terms.borrower,
                    &class.quote_mint,
                    terms.principal,
                    Clock::get()?.unix_timestamp,
                )?;
                Some(approval.tier)
            }
        };
        let multiplier_bps = terms.validate(&config, class.quote_decimals, approved_tier)?;

        let id = terms.loan_id.to_le_bytes();
        let info = ctx.accounts.loan.to_account_info();
        create_pda(
            &ctx.accounts.lender.to_account_info(),
            &info,
            &ctx.accounts.system_program.to_account_info(),
            &[LOAN_SEED, lender.as_ref(), &id, &[ctx.bumps.loan]],
            Loan::SPACE,
            Loan::SPACE,
            &crate::ID,
        )?;
        {
            let mut data = info.try_borrow_mut_data()?;
            data[..8].copy_from_slice(Loan::DISCRIMINATOR);
            let loan: &mut Loan = bytemuck::from_bytes_mut(&mut data[8..]);
            loan.lender = lender;
            loan.borrower = terms.borrower;
            loan.class = class.key();
            loan.lender_quote = ctx.accounts.lender_quote.key();
            loan.escrow = ctx.accounts.escrow.key();
            loan.vault = ctx.accounts.vault.key();
            loan.loan_id = terms.loan_id;
            loan.multiplier_bps = multiplier_bps;
            loan.initial_bps = terms.initial_bps;
            loan.liquidation_discount_bps = config.liquidation_discount_bps;
            loan.kind = terms.kind as u8;
            loan.borrower_tier = terms.borrower_tier;
            loan.bump = ctx.bumps.loan;
            loan.quote_decimals = class.quote_decimals;
            if terms.kind == LoanKind::CreditBacked {
                loan.origination_fee_bps = ctx.accounts.platform.load()?.origination_fee_bps;
            }
            loan.ledger = LedgerData {
                principal: terms.principal,
                period_secs: config.period_secs,
                grace_secs: config.grace_secs,
                cure_secs: config.cure_secs,
                margin_call_secs: config.margin_call_secs,
                apr_bps: terms.apr_bps,
                periods: terms.periods,
                late_fee_bps: config.late_fee_bps,
                prepay_fee_bps: config.prepay_fee_bps,
                prepay_periods: config.prepay_periods,
                maintenance_bps: terms.maintenance_bps,
                liquidation_bps: terms.liquidation_bps,
                schedule: terms.schedule,
                status: LoanStatus::Offered as u8,
                ..Default::default()
            };
        }
        let a = &ctx.accounts;
        let (payer, system) = (a.lender.to_account_info(), a.system_program.to_account_info());
        let loan_key = info.key();
        for (account, seed, bump, mint, program) in [
            (
                &a.escrow,
                ESCROW_SEED,
                ctx.bumps.escrow,
                a.quote_mint.to_account_info(),
                a.quote_token_program.to_account_info(),
            ),
            (
                &a.vault,
                VAULT_SEED,
                ctx.bumps.vault,
                a.credit_mint.to_account_info(),
                a.credit_token_program.to_account_info(),
            ),
        ] {
            token::create_token_account(
                &payer,
                &account.to_account_info(),
                &system,
                &[seed, loan_key.as_ref(), &[bump]],
                &mint,
                &info,
                &program,
            )?;
        }
        token::transfer_checked(
            &a.quote_token_program.to_account_info(),
            &a.lender_quote,
            MintRef::new(&a.quote_mint, class.quote_decimals),
            &a.escrow,
            &payer,
            terms.principal,
        )?;
        emit!(LoanOffered {
            loan: info.key(),
            lender,
            borrower: terms.borrower,
            class: class.key(),
            kind: terms.kind as u8,
            schedule: terms.schedule,
            principal: terms.principal,
            apr_bps: terms.apr_bps,
            periods: terms.periods,
            multiplier_bps,
            initial_bps: terms.initial_bps,
            maintenance_bps: terms.maintenance_bps,
            liquidation_bps: terms.liquidation_bps,
        });
        Ok(())
    }
}
