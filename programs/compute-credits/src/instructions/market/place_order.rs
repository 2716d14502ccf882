use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};
use credit_math::book::{BaseLots, BookError, OrderKind, OrderRequest, Side, Ticks};

use crate::constants::*;
use crate::error::CreditsError;
use crate::events::{OrderFilled, OrderPlaced, OrderRemoved};
use crate::settlement::settle;
use crate::state::{seat_of_tag, seat_tag, ClassRef, CreditClass, Market, Platform};
use crate::token::{self, MintRef};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderSide {
    Bid,
    Ask,
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderType {
    Limit,
    PostOnly,
    ImmediateOrCancel,
    FillOrKill,
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderArgs {
    pub side: OrderSide,
    pub order_type: OrderType,
    /// The limit: a bid never pays more per lot, an ask never receives less (in ticks).
    pub price_ticks: u64,
    pub lots: u64,
    /// 0 = good until cancelled; otherwise the unix time from which a resting order is void.
    pub expiry: i64,
}

impl OrderSide {
    pub fn engine(self) -> Side {
        match self {
            OrderSide::Bid => Side::Bid,
            OrderSide::Ask => Side::Ask,
        }
    }
}

impl OrderType {
    fn engine(self) -> OrderKind {
        match self {
            OrderType::Limit => OrderKind::Limit,
            OrderType::PostOnly => OrderKind::PostOnly,
            OrderType::ImmediateOrCancel => OrderKind::ImmediateOrCancel,
            OrderType::FillOrKill => OrderKind::FillOrKill,
        }
    }
}

pub fn book_error(e: BookError) -> anchor_lang::error::Error {
    match e {
        BookError::WouldCross => error!(CreditsError::WouldCross),
        BookError::CannotFillCompletely => error!(CreditsError::CannotFillCompletely),
        BookError::BookFull => error!(CreditsError::BookFull),
        BookError::InvalidOrder => error!(CreditsError::InvalidOrder),
    }
}

/// The accounts a trader's order touches: both legs settle in this one instruction.
#[derive(Accounts)]
pub struct PlaceOrder<'info> {
    pub trader: Signer<'info>,
    pub platform: AccountLoader<'info, Platform>,
    #[account(mut, has_one = class @ CreditsError::WrongClass, has_one = credit_mint @ CreditsError::WrongClass,
              has_one = quote_mint @ CreditsError::WrongClass,
              has_one = base_vault @ CreditsError::WrongMarketAccount, has_one = quote_vault @ CreditsError::WrongMarketAccount,
              has_one = market_authority @ CreditsError::WrongMarketAccount)]
    pub market: AccountLoader<'info, Market>,
    /// CHECK: the vaults' owner, `market.market_authority` (`has_one`); signs payouts.
    pub market_authority: UncheckedAccount<'info>,
    #[account(constraint = class.load()?.credit_token_program == credit_token_program.key() @ CreditsError::WrongTokenProgram,
              constraint = class.load()?.quote_token_program == quote_token_program.key() @ CreditsError::WrongTokenProgram)]
    pub class: AccountLoader<'info, CreditClass>,
    /// CHECK: the credit mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    pub credit_mint: UncheckedAccount<'info>,
    /// CHECK: the quote mint, its key checked against the class, market or loan that
    /// recorded it (with its decimals); the token program checks it again in every CPI.
    pub quote_mint: UncheckedAccount<'info>,
    #[account(mut, token::mint = credit_mint, token::authority = trader, token::token_program = credit_token_program)]
    pub trader_credits: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, token::mint = quote_mint, token::authority = trader, token::token_program = quote_token_program)]
    pub trader_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: its key is checked against the market (`has_one`); only token CPIs use it.
    #[account(mut)]
    pub base_vault: UncheckedAccount<'info>,
    /// CHECK: its key is checked against the market (`has_one`); only token CPIs use it.
    #[account(mut)]
    pub quote_vault: UncheckedAccount<'info>,
    #[account(mut, token::mint = quote_mint, token::token_program = quote_token_program,
              constraint = treasury_quote.owner == platform.load()?.treasury @ CreditsError::WrongTreasury)]
    pub treasury_quote: Box<InterfaceAccount<'info, TokenAccount>>,
    pub credit_token_program: Interface<'info, TokenInterface>,
    pub quote_token_program: Interface<'info, TokenInterface>,
}

impl PlaceOrder<'_> {
    pub fn handler(ctx: Context<Self>, args: OrderArgs) -> Result<()> {
        let a = &ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let class = ClassRef::load(&a.class)?;
        class.require_active()?;
        require!(!a.trader_credits.is_frozen(), CreditsError::CreditAccountFrozen);
        require!(args.expiry == 0 || args.expiry > now, CreditsError::OrderExpired);
        let side = args.side.engine();
        let trader = a.trader.key();
        let market_key = a.market.key();

        let mut maker_fees = Vec::new();
        let (out, flows, makers, removed_owners, authority_bump) = {
            let mut m = a.market.load_mut()?;
            require!(m.paused == 0, CreditsError::MarketPaused);
            require!(args.price_ticks > 0 && args.lots >= m.min_lots, CreditsError::InvalidOrder);
            let seat = m.seat_or_new(&trader)?;
            let req = OrderRequest {
                side,
                kind: args.order_type.engine(),
                limit: Ticks(args.price_ticks),
                lots: BaseLots(args.lots),
                owner: seat_tag(seat),
                expiry: args.expiry,
                max_quote: OrderRequest::NO_QUOTE_CAP,
            };
            let out = m.book_mut().place(req, now, MAX_MATCH_STEPS).map_err(book_error)?;
            let flows = settle(&mut m, Some(seat), side, args.price_ticks, &out, &mut maker_fees)?;
            let makers: Vec<Pubkey> =
                out.fills.iter().map(|f| m.seats[seat_of_tag(&f.maker)].owner).collect();
            let removed: Vec<Pubkey> =
                out.removed.iter().map(|r| m.seats[seat_of_tag(&r.order.owner)].owner).collect();
            (out, flows, makers, removed, m.authority_bump)
        };

        let seeds: [&[u8]; 3] = [MARKET_AUTHORITY_SEED, market_key.as_ref(), &[authority_bump]];
        let authority = a.market_authority.to_account_info();
        let (credit_program, quote_program) =
            (a.credit_token_program.to_account_info(), a.quote_token_program.to_account_info());
        let trader_info = a.trader.to_account_info();
        if flows.quote_in > 0 {
            token::transfer_checked(
                &quote_program,
                &a.trader_quote,
                MintRef::new(&a.quote_mint, class.quote_decimals),
                &a.quote_vault,
                &trader_info,
                flows.quote_in,
            )?;
        }
        if flows.base_in > 0 {
            token::transfer_checked(
                &credit_program,
                &a.trader_credits,
                MintRef::new(&a.credit_mint, class.decimals),
                &a.base_vault,
                &trader_info,
                flows.base_in,
            )?;
        }
        if flows.base_out > 0 {
            token::transfer_signed(
                &credit_program,
                &a.base_vault,
                MintRef::new(&a.credit_mint, class.decimals),
                &a.trader_credits,
                &authority,
                &seeds,
                flows.base_out,
            )?;
        }
        if flows.quote_out > 0 {
            token::transfer_signed(
                &quote_program,
                &a.quote_vault,
                MintRef::new(&a.quote_mint, class.quote_decimals),
                &a.trader_quote,
                &authority,
                &seeds,
                flows.quote_out,
            )?;
        }
        if flows.fees > 0 {
            token::transfer_signed(
                &quote_program,
                &a.quote_vault,
                MintRef::new(&a.quote_mint, class.quote_decimals),
                &a.treasury_quote,
                &authority,
                &seeds,
                flows.fees,
            )?;
        }

        for ((fill, maker), maker_fee) in out.fills.iter().zip(&makers).zip(&maker_fees) {
            emit!(OrderFilled {
                market: market_key,
                maker: *maker,
                taker: trader,
                maker_seq: fill.maker_seq,
                price_ticks: fill.price.0,
                lots: fill.lots.0,
                maker_fee: *maker_fee,
            });
        }
        for (r, owner) in out.removed.iter().zip(&removed_owners) {
            emit!(OrderRemoved {
                market: market_key,
                owner: *owner,
                seq: r.order.seq,
                lots: r.order.lots.0,
                reason: if r.expired { 1 } else { 2 },
            });
        }
        emit!(OrderPlaced {
            market: market_key,
            trader,
            side: args.side as u8,
            kind: args.order_type as u8,
            price_ticks: args.price_ticks,
            lots: args.lots,
            filled_lots: out.filled.0,
            quote_atoms: flows.notional,
            taker_fee: flows.taker_fee,
            rested_seq: out.rested.unwrap_or(0),
            rested_lots: out.rested_lots.0,
        });
        Ok(())
    }
}
