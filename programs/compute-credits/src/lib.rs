//! Tokenized, blockable compute credits.
//!
//! A credit class is a mint whose mint, freeze and pause authorities are program PDAs. Buyers
//! purchase credits at the class's price, registered compute providers redeem (burn) them as
//! compute is consumed, and the freeze authority makes credits blockable collateral.
//! Domain math lives in the `credit-math` crate; this crate is accounts, checks and CPIs.
#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod error;
pub mod events;
pub mod events_v2;
pub mod hot_path;
pub mod instructions;
pub mod loans;
pub mod oracle;
pub mod pda;
pub mod state;
pub mod token;

pub use hot_path::process_instruction;
pub use instructions::*;
pub use state::{FeeSettings, FeedKind, LoanKind};

declare_id!("DzBMirNNQmY6iXWfQTGkcLAvNczR7oRAakYqhBGCR13E");

#[program]
pub mod compute_credits {
    use super::*;

    // --- market v2, hot path -------------------------------------------------------------------
    // First in the module: Anchor dispatches by testing each instruction's discriminator in
    // the order written here, so the market's hot instructions are found in a few compares.

    /// Trader: places an order from its seat's balances (no token CPI); fills settle in place.
    pub fn place_order_v2(ctx: Context<PlaceOrderV2>, args: PlaceOrderV2Args) -> Result<()> {
        PlaceOrderV2::handler(ctx, args)
    }

    /// Trader: cancels one of its seat's resting orders (side, price, sequence number).
    pub fn cancel_order_v2(
        ctx: Context<CancelOrderV2>,
        seat: u32,
        side: OrderSide,
        price_ticks: u64,
        seq: u64,
    ) -> Result<()> {
        CancelOrderV2::handler(ctx, seat, side, price_ticks, seq)
    }

    /// Trader: cancels all or some of its seat's orders and places post-only ones, all or nothing.
    pub fn batch_orders(
        ctx: Context<BatchOrders>,
        seat: u32,
        cancel_all: bool,
        cancels: Vec<CancelArgs>,
        places: Vec<BatchPlaceArgs>,
    ) -> Result<()> {
        BatchOrders::handler(ctx, seat, cancel_all, cancels, places)
    }

    /// Seatless taker: exact input, minimum output, wallet to vault to wallet (two token CPIs).
    pub fn swap(
        ctx: Context<Swap>,
        side: OrderSide,
        amount_in: u64,
        min_out: u64,
        limit_price_ticks: u64,
    ) -> Result<()> {
        Swap::handler(ctx, side, amount_in, min_out, limit_price_ticks)
    }

    /// Trader: moves credits or quote from its wallet into its seat's free balance.
    pub fn deposit(ctx: Context<Deposit>, seat: u32, asset: MarketAsset, amount: u64) -> Result<()> {
        Deposit::handler(ctx, seat, asset, amount)
    }

    /// Trader: moves credits or quote from its seat's free balance to a token account (credits
    /// only while unpaused and under no freeze hold).
    pub fn withdraw(ctx: Context<Withdraw>, seat: u32, asset: MarketAsset, amount: u64) -> Result<()> {
        Withdraw::handler(ctx, seat, asset, amount)
    }

    /// Trader: cancels every resting order of its seat.
    pub fn cancel_all_orders(ctx: Context<CancelAllOrders>, seat: u32) -> Result<()> {
        CancelAllOrders::handler(ctx, seat)
    }

    // --- platform ----------------------------------------------------------------------------

    /// Upgrade authority: creates the platform config (admin = signer, guardian, treasury, fees). Once only.
    pub fn initialize_platform(
        ctx: Context<InitializePlatform>,
        guardian: Pubkey,
        treasury: Pubkey,
        fees: FeeSettings,
    ) -> Result<()> {
        InitializePlatform::handler(ctx, guardian, treasury, fees)
    }

    /// Admin: proposes a new admin (step one of two).
    pub fn propose_admin(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
        ProposeAdmin::handler(ctx, new_admin)
    }

    /// Pending admin: accepts the admin role (step two of two).
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        AcceptAdmin::handler(ctx)
    }

    /// Admin: sets the guardian, treasury and fees.
    pub fn update_platform(
        ctx: Context<UpdatePlatform>,
        guardian: Pubkey,
        treasury: Pubkey,
        fees: FeeSettings,
    ) -> Result<()> {
        UpdatePlatform::handler(ctx, guardian, treasury, fees)
    }

    /// Admin: names the underwriter whose approvals compute financing needs (approvals of the
    /// previous underwriter stop counting).
    pub fn set_underwriter(ctx: Context<SetUnderwriter>, underwriter: Pubkey) -> Result<()> {
        SetUnderwriter::handler(ctx, underwriter)
    }

    // --- credit classes ------------------------------------------------------------------------

    /// Admin: creates a credit class and its mint (Token-2022 with metadata and Pausable, or
    /// classic SPL Token), every authority held by the class PDA.
    pub fn create_credit_class(ctx: Context<CreateCreditClass>, args: CreateCreditClassArgs) -> Result<()> {
        CreateCreditClass::handler(ctx, args)
    }

    /// Buyer: pays list price plus fee into the treasury and receives freshly minted credits.
    pub fn purchase_credits(ctx: Context<PurchaseCredits>, amount: u64, max_price: u64) -> Result<()> {
        PurchaseCredits::handler(ctx, amount, max_price)
    }

    /// Admin: registers a compute provider for a class.
    pub fn register_provider(ctx: Context<RegisterProvider>, provider_authority: Pubkey) -> Result<()> {
        RegisterProvider::handler(ctx, provider_authority)
    }

    /// Admin: removes a provider (closes its registration).
    pub fn remove_provider(ctx: Context<RemoveProvider>) -> Result<()> {
        RemoveProvider::handler(ctx)
    }

    /// Holder + provider: burns credits for delivered compute and records the usage reference.
    pub fn redeem_credits(ctx: Context<RedeemCredits>, amount: u64, usage_reference: [u8; 32]) -> Result<()> {
        RedeemCredits::handler(ctx, amount, usage_reference)
    }

    /// Guardian: freezes one credit account (reason code recorded in the event).
    pub fn freeze_credits<'info>(ctx: Context<'info, GuardianFreeze<'info>>, reason: u16) -> Result<()> {
        GuardianFreeze::freeze(ctx, reason)
    }

    /// Guardian: thaws one credit account.
    pub fn thaw_credits<'info>(ctx: Context<'info, GuardianFreeze<'info>>, reason: u16) -> Result<()> {
        GuardianFreeze::thaw(ctx, reason)
    }

    /// Admin or guardian: pauses a class (Token-2022: on the mint itself).
    pub fn pause_class(ctx: Context<SetClassPaused>) -> Result<()> {
        SetClassPaused::pause(ctx)
    }

    /// Admin: resumes a paused class.
    pub fn resume_class(ctx: Context<SetClassPaused>) -> Result<()> {
        SetClassPaused::resume(ctx)
    }

    // --- oracle ------------------------------------------------------------------------------

    /// Admin: creates the price feed of a class (native median or Pyth) with its guards.
    pub fn create_price_feed(
        ctx: Context<CreatePriceFeed>,
        kind: FeedKind,
        config: FeedConfig,
    ) -> Result<()> {
        CreatePriceFeed::handler(ctx, kind, config)
    }

    /// Admin: changes a feed's guards; kind, exponent and Pyth feed id must be the feed's own.
    pub fn configure_price_feed(
        ctx: Context<ConfigurePriceFeed>,
        kind: FeedKind,
        config: FeedConfig,
    ) -> Result<()> {
        ConfigurePriceFeed::handler(ctx, kind, config)
    }

    /// Admin: adds a publisher to a native feed (at most 8).
    pub fn add_publisher(ctx: Context<ManagePublisher>, publisher: Pubkey) -> Result<()> {
        ManagePublisher::add(ctx, publisher)
    }

    /// Admin: removes a publisher from a native feed.
    pub fn remove_publisher(ctx: Context<ManagePublisher>, publisher: Pubkey) -> Result<()> {
        ManagePublisher::remove(ctx, publisher)
    }

    /// Publisher: submits an observation; the feed re-aggregates (median of fresh observations).
    pub fn submit_price(ctx: Context<SubmitPrice>, price: i64, conf: u64) -> Result<()> {
        SubmitPrice::handler(ctx, price, conf)
    }

    /// Anyone: copies a newer, fully verified Pyth `PriceUpdateV2` into a Pyth feed.
    pub fn refresh_pyth_price(ctx: Context<RefreshPythPrice>) -> Result<()> {
        RefreshPythPrice::handler(ctx)
    }

    /// Admin: accepts or rejects the aggregate held by a tripped circuit breaker.
    pub fn resolve_circuit_breaker(ctx: Context<ResolveCircuitBreaker>, accept: bool) -> Result<()> {
        ResolveCircuitBreaker::handler(ctx, accept)
    }

    /// Admin: prices a class by its feed, or by its list price again.
    pub fn set_class_price_feed(ctx: Context<SetClassPriceFeed>, use_feed: bool) -> Result<()> {
        SetClassPriceFeed::handler(ctx, use_feed)
    }

    // --- loans -------------------------------------------------------------------------------

    /// Admin: creates or replaces the loan bounds and the underwriting table.
    pub fn configure_lending(ctx: Context<ConfigureLending>, params: LendingParams) -> Result<()> {
        ConfigureLending::handler(ctx, params)
    }

    /// Underwriter: approves a borrower for compute financing (tier, principal limit across
    /// loans, expiry) in one quote currency.
    pub fn approve_borrower(ctx: Context<ApproveBorrower>, terms: ApprovalTerms) -> Result<()> {
        ApproveBorrower::handler(ctx, terms)
    }

    /// Underwriter: withdraws an approval (closes it; accepted loans are unaffected).
    pub fn revoke_approval(ctx: Context<RevokeApproval>) -> Result<()> {
        RevokeApproval::handler(ctx)
    }

    /// Lender: posts an offer and funds its principal into the loan's escrow.
    pub fn post_loan_offer(ctx: Context<PostLoanOffer>, terms: OfferTerms) -> Result<()> {
        PostLoanOffer::handler(ctx, terms)
    }

    /// Lender: withdraws an offer nobody accepted (principal and rent back).
    pub fn cancel_loan_offer(ctx: Context<CancelLoanOffer>) -> Result<()> {
        CancelLoanOffer::handler(ctx)
    }

    /// Borrower: accepts an offer (compute financing mints credits x multiplier into the vault,
    /// at least `min_credits`, under the underwriter's approval; credit-backed pledges `pledge`
    /// credits and pays out the principal).
    pub fn accept_loan(ctx: Context<AcceptLoan>, pledge: u64, min_credits: u64) -> Result<()> {
        AcceptLoan::handler(ctx, pledge, min_credits)
    }

    /// Anyone: pays up to `max_amount` toward a loan, to the lender of record.
    pub fn repay_loan(ctx: Context<RepayLoan>, max_amount: u64) -> Result<()> {
        RepayLoan::handler(ctx, max_amount)
    }

    /// Anyone (keeper): accrues the loan and re-measures coverage; moves its status.
    pub fn update_loan(ctx: Context<UpdateLoan>) -> Result<()> {
        UpdateLoan::handler(ctx)
    }

    /// Lender of record: places the loan's freeze hold on borrower credit accounts of a
    /// defaulted or liquidatable loan (again later for accounts found afterwards).
    pub fn freeze_collateral<'info>(ctx: Context<'info, FreezeCollateral<'info>>) -> Result<()> {
        FreezeCollateral::handler(ctx)
    }

    /// Anyone: lifts a loan's freeze holds once it is cured, repaid or liquidated.
    pub fn thaw_collateral<'info>(ctx: Context<'info, ThawCollateral<'info>>) -> Result<()> {
        ThawCollateral::handler(ctx)
    }

    /// Lender of record: takes up to `max_credits` of collateral against the debt at the
    /// oracle price less the liquidation discount.
    pub fn liquidate_collateral(ctx: Context<LiquidateCollateral>, max_credits: u64) -> Result<()> {
        LiquidateCollateral::handler(ctx, max_credits)
    }

    /// Anyone: after repayment or completed liquidation, returns the collateral to the borrower
    /// and closes the loan's accounts (rent to the lender).
    pub fn release_collateral<'info>(ctx: Context<'info, ReleaseCollateral<'info>>) -> Result<()> {
        ReleaseCollateral::handler(ctx)
    }

    /// Borrower: withdraws vault credits while coverage stays at or above maintenance.
    pub fn withdraw_collateral(ctx: Context<MoveCollateral>, amount: u64) -> Result<()> {
        MoveCollateral::withdraw(ctx, amount)
    }

    /// Borrower: adds credits to the vault.
    pub fn top_up_collateral(ctx: Context<MoveCollateral>, amount: u64) -> Result<()> {
        MoveCollateral::top_up(ctx, amount)
    }

    /// Borrower + provider: burns vault credits for delivered compute, within maintenance.
    pub fn redeem_from_vault(
        ctx: Context<RedeemFromVault>,
        amount: u64,
        usage_reference: [u8; 32],
    ) -> Result<()> {
        RedeemFromVault::handler(ctx, amount, usage_reference)
    }

    // --- market v2 ---------------------------------------------------------------------------

    /// Admin: initialises a client-allocated v2 market account (no seat yet) for a class
    /// against its quote mint, with its vaults, sizes, minimum notional, per-seat cap and fees.
    pub fn create_market_v2(ctx: Context<CreateMarketV2>, params: MarketV2Params) -> Result<()> {
        CreateMarketV2::handler(ctx, params)
    }

    /// Trader: takes a seat (the market account grows by one seat; the trader pays its rent).
    pub fn claim_seat(ctx: Context<ClaimSeat>) -> Result<()> {
        ClaimSeat::handler(ctx)
    }

    /// Anyone: flags the seat of a frozen credit account's owner and pulls its orders (put it
    /// in the freeze's transaction).
    pub fn cancel_frozen_orders_v2(ctx: Context<CancelFrozenOrdersV2>) -> Result<()> {
        CancelFrozenOrdersV2::handler(ctx)
    }

    /// Anyone: clears a seat's frozen flag once its owner is under no freeze hold.
    pub fn clear_seat_freeze(ctx: Context<ClearSeatFreeze>, seat: u32) -> Result<()> {
        ClearSeatFreeze::handler(ctx, seat)
    }

    /// Admin or guardian: pauses a v2 market; admin: resumes it.
    pub fn set_market_v2_paused(ctx: Context<SetMarketV2Paused>, paused: bool) -> Result<()> {
        SetMarketV2Paused::handler(ctx, paused)
    }

    /// Anyone (a crank): removes up to `max` expired orders from one side of a v2 market.
    pub fn prune_expired(ctx: Context<PruneExpired>, side: OrderSide, max: u32) -> Result<()> {
        PruneExpired::handler(ctx, side, max)
    }

    /// Lender of record: sells collateral of a defaulted or liquidatable loan on the v2 market
    /// from the loan's seat: IOC / FOK take bids at or above the floor, up to what nets the
    /// debt; `Limit` also rests what nets the rest of the debt at `price_ticks` until `expiry`.
    /// Proceeds pay the loan down, any surplus goes to the borrower.
    pub fn sell_collateral(
        ctx: Context<SellCollateral>,
        order_type: OrderType,
        price_ticks: u64,
        lots: u64,
        expiry: i64,
    ) -> Result<()> {
        SellCollateral::handler(ctx, order_type, price_ticks, lots, expiry)
    }

    /// Anyone: settles the loan's seat: proceeds through the loan's waterfall, free credits
    /// back to the vault; pulls the sale when the lender asks or the loan is closed or cured.
    pub fn settle_loan_sale(ctx: Context<SettleLoanSale>, cancel_orders: bool) -> Result<()> {
        SettleLoanSale::handler(ctx, cancel_orders)
    }

    /// Anyone: pays the treasury's fee balance in a v2 market to the treasury's quote account.
    pub fn withdraw_market_fees(ctx: Context<WithdrawMarketFees>, amount: u64) -> Result<()> {
        WithdrawMarketFees::handler(ctx, amount)
    }

    // --- metering channels -------------------------------------------------------------------

    /// Provider authority: names the key that may redeem from its channels in its place (the
    /// default key: none).
    pub fn set_settlement_key(ctx: Context<SetSettlementKey>, settlement_key: Pubkey) -> Result<()> {
        SetSettlementKey::handler(ctx, settlement_key)
    }

    /// Holder: opens a metering channel to a registered provider of the class and escrows
    /// credits in its vault, with a cap, an optional per-period cap, an expiry and a notice.
    /// `bumps`: the canonical bumps of the channel, its vault and the holder's hold record,
    /// proved rather than searched.
    pub fn open_channel(ctx: Context<OpenChannel>, args: OpenChannelArgs, bumps: ChannelBumps) -> Result<()> {
        OpenChannel::handler(ctx, args, bumps)
    }

    /// Holder: adds credits to a channel, raises its cap and/or extends its expiry.
    pub fn top_up_channel(ctx: Context<TopUpChannel>, amount: u64, cap: u64, expiry_ts: i64) -> Result<()> {
        TopUpChannel::handler(ctx, amount, cap, expiry_ts)
    }

    /// Provider (or its settlement key) alone: burns a metered batch from a channel's vault;
    /// `seq` must be the channel's next sequence number.
    pub fn redeem_from_channel(
        ctx: Context<RedeemFromChannel>,
        seq: u64,
        amount: u64,
        usage_reference: [u8; 32],
    ) -> Result<()> {
        RedeemFromChannel::handler(ctx, seq, amount, usage_reference)
    }

    /// Holder: asks to close a channel; the provider may redeem until the notice ends.
    pub fn request_close(ctx: Context<RequestClose>) -> Result<()> {
        RequestClose::handler(ctx)
    }

    /// Provider authority: ends a channel at once.
    pub fn release_channel(ctx: Context<ReleaseChannel>) -> Result<()> {
        ReleaseChannel::handler(ctx)
    }

    /// Anyone: once a channel can no longer be redeemed, returns the rest to the holder and
    /// closes the channel and its vault (rents to the holder).
    pub fn finalize_channel(ctx: Context<FinalizeChannel>) -> Result<()> {
        FinalizeChannel::handler(ctx)
    }
}
