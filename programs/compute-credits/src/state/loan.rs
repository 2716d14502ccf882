use anchor_lang::prelude::*;
use credit_math::ledger::LoanLedger;
use credit_math::underwriting::TABLE_LEN;

use crate::constants::{LOAN_SEED, MAX_LOAN_HOLDS};
use crate::error::CreditsError;

/// Loan bounds and the published underwriting table (`["lending"]`), set by the admin.
#[account(zero_copy)]
#[derive(Debug)]
pub struct LendingConfig {
    /// Principal bounds in whole quote units (converted with the class's quote decimals).
    pub min_principal: u64,
    pub max_principal: u64,
    /// Length of one installment period (a month in production; seconds in tests).
    pub period_secs: u32,
    pub grace_secs: u32,
    /// After grace, this long until a delinquent loan is defaulted.
    pub cure_secs: u32,
    /// Time a borrower has to restore coverage after a margin call.
    pub margin_call_secs: u32,
    pub min_apr_bps: u16,
    pub max_apr_bps: u16,
    pub min_periods: u16,
    pub max_periods: u16,
    pub late_fee_bps: u16,
    pub prepay_fee_bps: u16,
    pub prepay_periods: u16,
    pub liquidation_discount_bps: u16,
    /// Lowest ratios a lender may put in an offer.
    pub min_initial_bps: u16,
    pub min_maintenance_bps: u16,
    pub min_liquidation_bps: u16,
    pub bump: u8,
    pub _padding: [u8; 1],
    /// Multiplier (bps) by amount tier x term tier x borrower tier: `underwriting::table_index`.
    pub multipliers: [u16; TABLE_LEN],
}

impl LendingConfig {
    pub const SPACE: usize = 8 + std::mem::size_of::<LendingConfig>();
}

/// The two ways to borrow.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoanKind {
    /// The lender's principal buys compute: principal x multiplier of credits are minted into
    /// the loan's vault.
    ComputeFinancing,
    /// The borrower pledges credits it holds and receives the principal in the quote currency.
    CreditBacked,
}

/// The loan's ledger as the account stores it: the same fields, in the same order, as
/// `credit_math::ledger::LoanLedger`, which the handlers work on (`bytemuck::cast`).
#[zero_copy]
#[derive(Debug, Default)]
pub struct LedgerData {
    pub principal: u64,
    pub start_ts: i64,
    pub period_secs: u32,
    pub grace_secs: u32,
    pub cure_secs: u32,
    pub margin_call_secs: u32,
    pub apr_bps: u16,
    pub periods: u16,
    pub late_fee_bps: u16,
    pub prepay_fee_bps: u16,
    pub prepay_periods: u16,
    pub maintenance_bps: u16,
    pub liquidation_bps: u16,
    pub schedule: u8,
    /// `credit_math::ledger::LoanStatus` as a byte.
    pub status: u8,
    pub principal_outstanding: u64,
    pub principal_due: u64,
    pub interest_due: u64,
    pub fees_due: u64,
    pub interest_paid: u64,
    pub principal_paid: u64,
    pub fees_paid: u64,
    pub arrears_since: i64,
    pub margin_call_deadline: i64,
    pub periods_accrued: u16,
    pub late_periods_settled: u16,
    pub recovering: u8,
    pub coverage_status: u8,
    pub _reserved: [u8; 2],
}

const _: () = assert!(std::mem::size_of::<LedgerData>() == std::mem::size_of::<LoanLedger>());

/// A loan offer and, once accepted, the loan (`["loan", lender, loan_id]`). Zero-copy: every
/// repayment and crank touches it, so it is read in place rather than deserialised.
#[account(zero_copy)]
#[derive(Debug)]
pub struct Loan {
    /// The lender of record: receives payments and alone may freeze and liquidate.
    pub lender: Pubkey,
    /// Default (all zero) while an open offer accepts any borrower.
    pub borrower: Pubkey,
    pub class: Pubkey,
    /// The lender's quote account named in the offer: the usual destination of payments (any
    /// quote account the lender owns is accepted, so closing this one blocks nothing).
    pub lender_quote: Pubkey,
    /// `["escrow", loan]`: the loan PDA's quote account, holding the offered principal.
    pub escrow: Pubkey,
    /// `["vault", loan]`: the loan PDA's credit account, holding the collateral.
    pub vault: Pubkey,
    pub loan_id: u64,
    /// Credits minted (compute financing) or pledged (credit-backed) at origination.
    pub credits_at_origination: u64,
    /// Credits the lender has taken in liquidation, and the debt they settled.
    pub credits_seized: u64,
    pub recovered: u64,
    /// Debt left when the collateral ran out.
    pub written_off: u64,
    /// The whole debt when recovery started (the recovery rate's denominator).
    pub debt_at_recovery: u64,
    /// Borrower token accounts this loan holds frozen (`held_count` of them, first first): the
    /// loan lifts exactly these holds, and cannot close while any remains.
    pub held: [Pubkey; MAX_LOAN_HOLDS],
    pub ledger: LedgerData,
    pub multiplier_bps: u16,
    pub initial_bps: u16,
    pub liquidation_discount_bps: u16,
    /// `LoanKind` as a byte.
    pub kind: u8,
    pub borrower_tier: u8,
    /// 1 while the lender's freeze is in force (the loan holds at least one account): the
    /// borrower cannot move vault credits. The vault itself is never token-frozen by the loan:
    /// only the loan PDA can sign for it.
    pub frozen: u8,
    pub bump: u8,
    /// The platform's origination fee when the offer was posted (credit-backed loans; 0 for
    /// compute financing): the borrower accepts exactly the fee it saw.
    pub origination_fee_bps: u16,
    /// The quote mint's decimals, recorded at the offer so instructions without the class
    /// (repayment, cancelling the offer) need not deserialise the mint.
    pub quote_decimals: u8,
    /// Entries of `held` in use.
    pub held_count: u8,
    pub _padding: [u8; 2],
    /// Credits of the collateral in the loan's market seat (`["seat", market, loan]`): resting
    /// in a sale's ask, free, or sold but not yet settled (`settle_loan_sale`). Collateral all
    /// the same: counted in recoveries, and the loan cannot close until it is back to 0.
    pub sale_credits: u64,
}

// 528 bytes with the discriminator: rent of about 0.0046 SOL, returned when the loan closes.
const _: () = assert!(std::mem::size_of::<Loan>() == 520);

impl Loan {
    pub const SPACE: usize = 8 + std::mem::size_of::<Loan>();

    pub fn ledger(&self) -> LoanLedger {
        bytemuck::cast(self.ledger)
    }

    pub fn set_ledger(&mut self, ledger: LoanLedger) {
        self.ledger = bytemuck::cast(ledger);
    }

    pub fn loan_kind(&self) -> LoanKind {
        if self.kind == 1 {
            LoanKind::CreditBacked
        } else {
            LoanKind::ComputeFinancing
        }
    }

    pub fn status(&self) -> credit_math::ledger::LoanStatus {
        // the program only ever writes valid statuses
        credit_math::ledger::LoanStatus::from_u8(self.ledger.status)
            .unwrap_or(credit_math::ledger::LoanStatus::Offered)
    }

    /// The token accounts this loan holds frozen.
    pub fn held_accounts(&self) -> &[Pubkey] {
        &self.held[..usize::from(self.held_count).min(MAX_LOAN_HOLDS)]
    }

    /// Records a new hold on `account` (`AlreadyHeld`, `TooManyHeldAccounts`).
    pub fn add_held(&mut self, account: Pubkey) -> Result<()> {
        require!(!self.held_accounts().contains(&account), CreditsError::AlreadyHeld);
        let n = usize::from(self.held_count);
        require!(n < MAX_LOAN_HOLDS, CreditsError::TooManyHeldAccounts);
        self.held[n] = account;
        self.held_count += 1;
        self.frozen = 1;
        Ok(())
    }

    /// Forgets the hold on `account` (`NotHeld` if the loan holds none there).
    pub fn remove_held(&mut self, account: &Pubkey) -> Result<()> {
        let n = usize::from(self.held_count);
        let at = self.held_accounts().iter().position(|k| k == account).ok_or(CreditsError::NotHeld)?;
        self.held.copy_within(at + 1..n, at);
        self.held[n - 1] = Pubkey::default();
        self.held_count -= 1;
        self.frozen = u8::from(self.held_count > 0);
        Ok(())
    }

    /// What the loan PDA needs to sign, copied out so no borrow of the account is held
    /// across a CPI that passes it.
    pub fn signer(&self) -> LoanSigner {
        LoanSigner { lender: self.lender, id: self.loan_id.to_le_bytes(), bump: [self.bump] }
    }
}

/// The loan PDA's seeds, owned.
pub struct LoanSigner {
    pub lender: Pubkey,
    pub id: [u8; 8],
    pub bump: [u8; 1],
}

impl LoanSigner {
    pub fn seeds(&self) -> [&[u8]; 4] {
        [LOAN_SEED, self.lender.as_ref(), &self.id, &self.bump]
    }
}
