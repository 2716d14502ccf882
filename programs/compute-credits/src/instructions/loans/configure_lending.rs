use anchor_lang::prelude::*;
use anchor_lang::Discriminator;
use credit_math::underwriting::{validate_table, TABLE_LEN};

use crate::constants::*;
use crate::error::CreditsError;
use crate::events::LendingConfigured;
use crate::pda::create_pda;
use crate::state::{LendingConfig, Platform};

/// Loan bounds and the underwriting table the admin publishes.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct LendingParams {
    /// Whole quote units (default 100,000 and 10,000,000).
    pub min_principal: u64,
    pub max_principal: u64,
    /// Default 800..=1,200 (8%-12% APR).
    pub min_apr_bps: u16,
    pub max_apr_bps: u16,
    /// Installments, within 6..=36.
    pub min_periods: u16,
    pub max_periods: u16,
    pub period_secs: u32,
    pub grace_secs: u32,
    pub cure_secs: u32,
    pub margin_call_secs: u32,
    pub late_fee_bps: u16,
    pub prepay_fee_bps: u16,
    pub prepay_periods: u16,
    pub liquidation_discount_bps: u16,
    pub min_initial_bps: u16,
    pub min_maintenance_bps: u16,
    pub min_liquidation_bps: u16,
    /// Multiplier (12,500..=15,000 bps) by amount x term x borrower tier.
    pub multipliers: [u16; TABLE_LEN],
}

impl LendingParams {
    pub fn validate(&self) -> Result<()> {
        let ok = self.min_principal > 0
            && self.min_principal <= self.max_principal
            && self.min_apr_bps <= self.max_apr_bps
            && self.max_apr_bps <= 10_000
            && 6 <= self.min_periods
            && self.min_periods <= self.max_periods
            && self.max_periods <= 36
            && self.period_secs > 0
            && self.late_fee_bps <= MAX_LOAN_FEE_BPS
            && self.prepay_fee_bps <= MAX_LOAN_FEE_BPS
            && self.prepay_periods <= self.max_periods
            && self.liquidation_discount_bps <= MAX_LIQUIDATION_DISCOUNT_BPS
            && MIN_COVERAGE_BPS <= self.min_liquidation_bps
            && self.min_liquidation_bps <= self.min_maintenance_bps
            && self.min_maintenance_bps <= self.min_initial_bps
            && validate_table(&self.multipliers).is_ok();
        require!(ok, CreditsError::InvalidLendingConfig);
        Ok(())
    }

    fn apply(&self, c: &mut LendingConfig) {
        c.min_principal = self.min_principal;
        c.max_principal = self.max_principal;
        c.min_apr_bps = self.min_apr_bps;
        c.max_apr_bps = self.max_apr_bps;
        c.min_periods = self.min_periods;
        c.max_periods = self.max_periods;
        c.period_secs = self.period_secs;
        c.grace_secs = self.grace_secs;
        c.cure_secs = self.cure_secs;
        c.margin_call_secs = self.margin_call_secs;
        c.late_fee_bps = self.late_fee_bps;
        c.prepay_fee_bps = self.prepay_fee_bps;
        c.prepay_periods = self.prepay_periods;
        c.liquidation_discount_bps = self.liquidation_discount_bps;
        c.min_initial_bps = self.min_initial_bps;
        c.min_maintenance_bps = self.min_maintenance_bps;
        c.min_liquidation_bps = self.min_liquidation_bps;
        c.multipliers = self.multipliers;
    }
}

#[derive(Accounts)]
pub struct ConfigureLending<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform, has_one = admin @ CreditsError::NotAdmin)]
    pub platform: AccountLoader<'info, Platform>,
    /// CHECK: the lending config PDA: created on first use, then rewritten in place (owner and
    /// discriminator checked before writing).
    #[account(mut, seeds = [LENDING_SEED], bump)]
    pub lending_config: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl ConfigureLending<'_> {
    /// Creates the lending config, or replaces its bounds and table. Loans already made keep
    /// the terms they were made with.
    pub fn handler(ctx: Context<Self>, params: LendingParams) -> Result<()> {
        params.validate()?;
        let info = ctx.accounts.lending_config.to_account_info();
        if info.data_is_empty() {
            create_pda(
                &ctx.accounts.admin.to_account_info(),
                &info,
                &ctx.accounts.system_program.to_account_info(),
                &[LENDING_SEED, &[ctx.bumps.lending_config]],
                LendingConfig::SPACE,
                LendingConfig::SPACE,
                &crate::ID,
            )?;
            info.try_borrow_mut_data()?[..8].copy_from_slice(LendingConfig::DISCRIMINATOR);
        }
        require_keys_eq!(*info.owner, crate::ID, CreditsError::AlreadyInitialized);
        let mut data = info.try_borrow_mut_data()?;
        require!(
            data.len() == LendingConfig::SPACE && data[..8] == *LendingConfig::DISCRIMINATOR,
            CreditsError::AlreadyInitialized
        );
        let config: &mut LendingConfig = bytemuck::from_bytes_mut(&mut data[8..]);
        params.apply(config);
        config.bump = ctx.bumps.lending_config;
        emit!(LendingConfigured {
            min_principal: params.min_principal,
            max_principal: params.max_principal,
            min_apr_bps: params.min_apr_bps,
            max_apr_bps: params.max_apr_bps,
            period_secs: params.period_secs,
        });
        Ok(())
    }
}
