//! Loans: lending terms, offers, acceptance, repayment, the crank, the lender's freeze,
//! liquidation, release and the borrower's collateral moves.
use anchor_lang::prelude::AccountMeta;
use anchor_lang::prelude::Pubkey;
use compute_credits::{accounts as acc, instruction as ix};
use compute_credits::{LendingParams, LoanKind, OfferTerms};
use solana_sdk::instruction::Instruction;

use super::{build, SYSTEM_PROGRAM};
use crate::keys::LoanKeys;
use crate::pda;

pub fn configure_lending(admin: &Pubkey, params: LendingParams) -> Instruction {
    build(
        acc::ConfigureLending {
            admin: *admin,
            platform: pda::platform(),
            lending_config: pda::lending_config(),
            system_program: SYSTEM_PROGRAM,
        },
        ix::ConfigureLending { params },
    )
}

/// Compute financing passes the approval of `k.borrower`; credit-backed offers pass none.
pub fn post_loan_offer(k: &LoanKeys, terms: OfferTerms) -> Instruction {
    build(
        acc::PostLoanOffer {
            lender: k.lender,
            platform: pda::platform(),
            lending_config: pda::lending_config(),
            class: k.class,
            loan: k.loan,
            credit_mint: k.credit_mint,
            quote_mint: k.quote_mint,
            lender_quote: k.lender_quote,
            escrow: k.escrow,
            vault: k.vault,
            credit_token_program: k.credit_program,
            quote_token_program: k.quote_program,
            system_program: SYSTEM_PROGRAM,
            approval: (terms.kind == LoanKind::ComputeFinancing).then_some(k.approval),
        },
        ix::PostLoanOffer { terms },
    )
}

pub fn cancel_loan_offer(k: &LoanKeys) -> Instruction {
    build(
        acc::CancelLoanOffer {
            lender: k.lender,
            loan: k.loan,
            class: k.class,
            quote_mint: k.quote_mint,
            escrow: k.escrow,
            vault: k.vault,
            lender_quote: k.lender_quote,
            credit_token_program: k.credit_program,
            quote_token_program: k.quote_program,
        },
        ix::CancelLoanOffer {},
    )
}

/// Credit-backed when `borrower_credits` is given (with the treasury's account for the fee);
/// compute financing otherwise (with the approval of `k.borrower`). `min_credits` is the
/// borrower's slippage guard.
pub fn accept_loan(
    k: &LoanKeys,
    principal_destination: &Pubkey,
    borrower_credits: Option<Pubkey>,
    pledge: u64,
    min_credits: u64,
) -> Instruction {
    build(
        acc::AcceptLoan {
            borrower: k.borrower,
            platform: pda::platform(),
            class: k.class,
            loan: k.loan,
            price_feed: k.price_feed,
            credit_mint: k.credit_mint,
            quote_mint: k.quote_mint,
            escrow: k.escrow,
            vault: k.vault,
            principal_destination: *principal_destination,
            borrower_credits,
            // credit-backed loans (the ones with a pledge source) pay the origination fee
            treasury_quote: borrower_credits.map(|_| k.treasury_quote),
            credit_token_program: k.credit_program,
            quote_token_program: k.quote_program,
            approval: borrower_credits.is_none().then_some(k.approval),
        },
        ix::AcceptLoan { pledge, min_credits },
    )
}

pub fn repay_loan(k: &LoanKeys, payer: &Pubkey, payer_quote: &Pubkey, max_amount: u64) -> Instruction {
    build(
        acc::RepayLoan {
            payer: *payer,
            loan: k.loan,
            class: k.class,
            quote_mint: k.quote_mint,
            payer_quote: *payer_quote,
            lender_quote: k.lender_quote,
            quote_token_program: k.quote_program,
        },
        ix::RepayLoan { max_amount },
    )
}

pub fn update_loan(k: &LoanKeys) -> Instruction {
    build(
        acc::UpdateLoan { loan: k.loan, class: k.class, price_feed: k.price_feed, vault: k.vault },
        ix::UpdateLoan {},
    )
}

/// The lender's freeze hold on `borrower_credits`, plus any `more` borrower accounts.
pub fn freeze_collateral(k: &LoanKeys, lender: &Pubkey, borrower_credits: &Pubkey) -> Instruction {
    freeze_collateral_more(k, lender, borrower_credits, &[])
}

pub fn freeze_collateral_more(
    k: &LoanKeys,
    lender: &Pubkey,
    borrower_credits: &Pubkey,
    more: &[Pubkey],
) -> Instruction {
    let ix = build(
        acc::FreezeCollateral {
            lender: *lender,
            loan: k.loan,
            class: k.class,
            price_feed: k.price_feed,
            credit_mint: k.credit_mint,
            vault: k.vault,
            borrower_credits: *borrower_credits,
            freeze_hold: pda::freeze_hold(borrower_credits),
            borrower_holds: pda::owner_holds(&k.credit_mint, &k.borrower),
            credit_token_program: k.credit_program,
            system_program: SYSTEM_PROGRAM,
        },
        ix::FreezeCollateral {},
    );
    with_held(ix, more)
}

fn with_held(ix: Instruction, held: &[Pubkey]) -> Instruction {
    let extra: Vec<AccountMeta> = held.iter().flat_map(pda::held_pair).collect();
    super::with_remaining(ix, &extra)
}

/// Lifts the loan's holds on `held` (anyone may send it).
pub fn thaw_collateral(k: &LoanKeys, held: &[Pubkey]) -> Instruction {
    let ix = build(
        acc::ThawCollateral {
            loan: k.loan,
            class: k.class,
            price_feed: k.price_feed,
            credit_mint: k.credit_mint,
            vault: k.vault,
            borrower_holds: pda::owner_holds(&k.credit_mint, &k.borrower),
            credit_token_program: k.credit_program,
        },
        ix::ThawCollateral {},
    );
    with_held(ix, held)
}

pub fn liquidate_collateral(k: &LoanKeys, lender_credits: &Pubkey, max_credits: u64) -> Instruction {
    build(
        acc::LiquidateCollateral {
            lender: k.lender,
            loan: k.loan,
            class: k.class,
            price_feed: k.price_feed,
            credit_mint: k.credit_mint,
            vault: k.vault,
            lender_credits: *lender_credits,
            lender_holds: pda::owner_holds(&k.credit_mint, &k.lender),
            credit_token_program: k.credit_program,
        },
        ix::LiquidateCollateral { max_credits },
    )
}

/// Closes a repaid or liquidated loan, lifting its holds on `held` first.
pub fn release_collateral(k: &LoanKeys, borrower_credits: &Pubkey, held: &[Pubkey]) -> Instruction {
    let ix = build(
        acc::ReleaseCollateral {
            loan: k.loan,
            lender: k.lender,
            class: k.class,
            credit_mint: k.credit_mint,
            quote_mint: k.quote_mint,
            vault: k.vault,
            escrow: k.escrow,
            lender_quote: k.lender_quote,
            borrower_credits: *borrower_credits,
            borrower_holds: pda::owner_holds(&k.credit_mint, &k.borrower),
            credit_token_program: k.credit_program,
            quote_token_program: k.quote_program,
        },
        ix::ReleaseCollateral {},
    );
    with_held(ix, held)
}

fn move_collateral(k: &LoanKeys, borrower_credits: &Pubkey, with_feed: bool) -> acc::MoveCollateral {
    acc::MoveCollateral {
        borrower: k.borrower,
        loan: k.loan,
        class: k.class,
        price_feed: with_feed.then_some(k.price_feed),
        credit_mint: k.credit_mint,
        vault: k.vault,
        borrower_credits: *borrower_credits,
        borrower_holds: pda::owner_holds(&k.credit_mint, &k.borrower),
        credit_token_program: k.credit_program,
    }
}

pub fn withdraw_collateral(
    k: &LoanKeys,
    borrower_credits: &Pubkey,
    amount: u64,
    with_feed: bool,
) -> Instruction {
    build(move_collateral(k, borrower_credits, with_feed), ix::WithdrawCollateral { amount })
}

pub fn top_up_collateral(k: &LoanKeys, borrower_credits: &Pubkey, amount: u64) -> Instruction {
    build(move_collateral(k, borrower_credits, false), ix::TopUpCollateral { amount })
}

pub fn redeem_from_vault(
    k: &LoanKeys,
    provider_authority: &Pubkey,
    amount: u64,
    usage_reference: [u8; 32],
    with_feed: bool,
) -> Instruction {
    build(
        acc::RedeemFromVault {
            borrower: k.borrower,
            provider_authority: *provider_authority,
            loan: k.loan,
            class: k.class,
            provider: pda::provider(&k.class, provider_authority),
            price_feed: with_feed.then_some(k.price_feed),
            credit_mint: k.credit_mint,
            vault: k.vault,
            borrower_holds: pda::owner_holds(&k.credit_mint, &k.borrower),
            credit_token_program: k.credit_program,
        },
        ix::RedeemFromVault { amount, usage_reference },
    )
}
