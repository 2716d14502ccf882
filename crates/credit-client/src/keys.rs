//! The key bundles loan and market instructions name, built from their parts or from the
//! accounts as the chain stores them (a client that knows a loan's or a market's address
//! reads it and gets every other key).
use anchor_lang::prelude::Pubkey;
use compute_credits::state::{CreditClass, Loan, MarketV2, MeteringChannel};

use crate::pda;

/// Every key a loan instruction names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoanKeys {
    pub loan: Pubkey,
    pub loan_id: u64,
    pub lender: Pubkey,
    pub borrower: Pubkey,
    pub class: Pubkey,
    pub credit_mint: Pubkey,
    pub quote_mint: Pubkey,
    pub escrow: Pubkey,
    pub vault: Pubkey,
    pub lender_quote: Pubkey,
    pub credit_program: Pubkey,
    pub quote_program: Pubkey,
    pub price_feed: Pubkey,
    /// The platform treasury's quote account (origination fees of credit-backed loans).
    pub treasury_quote: Pubkey,
    /// The underwriter's approval of `borrower` in the quote currency (compute financing).
    pub approval: Pubkey,
}

/// The class-level keys a loan or market names: its mint, quote mint and token programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClassKeys {
    pub class: Pubkey,
    pub credit_mint: Pubkey,
    pub quote_mint: Pubkey,
    pub credit_program: Pubkey,
    pub quote_program: Pubkey,
}

impl ClassKeys {
    pub fn from_state(class: Pubkey, state: &CreditClass) -> ClassKeys {
        ClassKeys {
            class,
            credit_mint: state.credit_mint,
            quote_mint: state.quote_mint,
            credit_program: state.credit_token_program,
            quote_program: state.quote_token_program,
        }
    }
}

impl LoanKeys {
    /// The keys of loan `loan_id` of `lender` (the offer not yet posted: nothing to read).
    pub fn new(
        class: &ClassKeys,
        lender: &Pubkey,
        lender_quote: &Pubkey,
        borrower: &Pubkey,
        loan_id: u64,
        treasury_quote: &Pubkey,
    ) -> LoanKeys {
        let loan = pda::loan(lender, loan_id);
        LoanKeys {
            loan,
            loan_id,
            lender: *lender,
            borrower: *borrower,
            class: class.class,
            credit_mint: class.credit_mint,
            quote_mint: class.quote_mint,
            escrow: pda::escrow(&loan),
            vault: pda::vault(&loan),
            lender_quote: *lender_quote,
            credit_program: class.credit_program,
            quote_program: class.quote_program,
            price_feed: pda::price_feed(&class.class),
            treasury_quote: *treasury_quote,
            approval: pda::approval(borrower, &class.quote_mint),
        }
    }

    /// The keys of a posted loan, from its account and its class's (`borrower` is the loan's
    /// or, for an open offer, the one about to accept). The price feed is the class's feed PDA,
    /// whether or not purchases are priced by it (`class.price_feed` is zero for a class priced
    /// by its list price; loans always value collateral through the feed).
    pub fn from_state(
        loan: Pubkey,
        state: &Loan,
        class: &CreditClass,
        treasury_quote: &Pubkey,
        borrower: Option<&Pubkey>,
    ) -> LoanKeys {
        let class_keys = ClassKeys::from_state(state.class, class);
        let borrower = borrower.copied().unwrap_or(state.borrower);
        let mut k = LoanKeys::new(
            &class_keys,
            &state.lender,
            &state.lender_quote,
            &borrower,
            state.loan_id,
            treasury_quote,
        );
        debug_assert_eq!(k.loan, loan);
        k.loan = loan;
        k
    }
}

/// Every key a market instruction names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketKeys {
    pub market: Pubkey,
    pub registration: Pubkey,
    pub authority: Pubkey,
    pub class: Pubkey,
    pub credit_mint: Pubkey,
    pub quote_mint: Pubkey,
    pub base_vault: Pubkey,
    pub quote_vault: Pubkey,
    pub treasury_quote: Pubkey,
    pub credit_program: Pubkey,
    pub quote_program: Pubkey,
}

impl MarketKeys {
    /// The keys of market account `market` on a class (before it exists, or read back).
    pub fn new(class: &ClassKeys, market: Pubkey, treasury_quote: &Pubkey) -> MarketKeys {
        MarketKeys {
            market,
            registration: pda::market_registration(&class.class, &class.quote_mint),
            authority: pda::market_authority(&market),
            class: class.class,
            credit_mint: class.credit_mint,
            quote_mint: class.quote_mint,
            base_vault: pda::base_vault(&market),
            quote_vault: pda::quote_vault(&market),
            treasury_quote: *treasury_quote,
            credit_program: class.credit_program,
            quote_program: class.quote_program,
        }
    }

    /// The keys of an existing market, from its account.
    pub fn from_state(market: Pubkey, state: &MarketV2, treasury_quote: &Pubkey) -> MarketKeys {
        MarketKeys {
            market,
            registration: pda::market_registration(&state.class, &state.quote_mint),
            authority: state.market_authority,
            class: state.class,
            credit_mint: state.credit_mint,
            quote_mint: state.quote_mint,
            base_vault: state.base_vault,
            quote_vault: state.quote_vault,
            treasury_quote: *treasury_quote,
            credit_program: state.credit_token_program,
            quote_program: state.quote_token_program,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loan_reads_back_its_keys_and_its_classs_feed_pda() {
        let class_key = crate::pda::class(3);
        let mut class: CreditClass = bytemuck::Zeroable::zeroed();
        class.credit_mint = Pubkey::new_unique();
        class.quote_mint = Pubkey::new_unique();
        class.credit_token_program = anchor_spl::token_2022::ID;
        class.quote_token_program = anchor_spl::token::ID;
        // priced by its list price: no feed recorded on the class
        class.price_feed = Pubkey::default();
        let (lender, borrower, treasury) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        let mut loan: Loan = bytemuck::Zeroable::zeroed();
        loan.lender = lender;
        loan.borrower = borrower;
        loan.class = class_key;
        loan.lender_quote = Pubkey::new_unique();
        loan.loan_id = 7;
        let address = crate::pda::loan(&lender, 7);
        let k = LoanKeys::from_state(address, &loan, &class, &treasury, None);
        let expected = LoanKeys::new(
            &ClassKeys::from_state(class_key, &class),
            &lender,
            &loan.lender_quote,
            &borrower,
            7,
            &treasury,
        );
        assert_eq!(k, expected);
        assert_eq!(k.price_feed, crate::pda::price_feed(&class_key));
        assert_eq!((k.escrow, k.vault), (crate::pda::escrow(&address), crate::pda::vault(&address)));
        // an open offer: the borrower about to accept
        let taker = Pubkey::new_unique();
        let open = LoanKeys::from_state(address, &loan, &class, &treasury, Some(&taker));
        assert_eq!((open.borrower, open.approval), (taker, crate::pda::approval(&taker, &class.quote_mint)));
    }
}

/// Every key a channel instruction names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChannelKeys {
    pub channel: Pubkey,
    pub vault: Pubkey,
    pub class: Pubkey,
    pub credit_mint: Pubkey,
    pub credit_program: Pubkey,
    pub holder: Pubkey,
    pub provider_authority: Pubkey,
    /// The provider's registration.
    pub provider: Pubkey,
    /// `["owner_holds", credit_mint, holder]`.
    pub holder_holds: Pubkey,
}

impl ChannelKeys {
    /// The keys of the channel of `holder` to `provider_authority` in `class`.
    pub fn new(
        class: &Pubkey,
        credit_mint: &Pubkey,
        credit_program: &Pubkey,
        holder: &Pubkey,
        provider_authority: &Pubkey,
    ) -> ChannelKeys {
        let channel = pda::channel(class, holder, provider_authority);
        ChannelKeys {
            channel,
            vault: pda::channel_vault(&channel),
            class: *class,
            credit_mint: *credit_mint,
            credit_program: *credit_program,
            holder: *holder,
            provider_authority: *provider_authority,
            provider: pda::provider(class, provider_authority),
            holder_holds: pda::owner_holds(credit_mint, holder),
        }
    }

    /// The keys of a channel as the chain stores it (the class's mint and token program come
    /// from the class).
    pub fn from_state(channel: Pubkey, state: &MeteringChannel, class: &CreditClass) -> Self {
        ChannelKeys {
            channel,
            vault: state.vault,
            class: state.class,
            credit_mint: class.credit_mint,
            credit_program: class.credit_token_program,
            holder: state.holder,
            provider_authority: state.provider_authority,
            provider: state.provider,
            holder_holds: pda::owner_holds(&class.credit_mint, &state.holder),
        }
    }
}
