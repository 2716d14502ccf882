use anchor_lang::prelude::*;

/// Every refusal the program can give. Codes are stable: append, never renumber.
#[error_code]
pub enum CreditsError {
    // --- authority (6000..) -------------------------------------------------------------
    #[msg("signer is not the platform admin")]
    NotAdmin = 0,
    #[msg("signer is not the pending admin")]
    NotPendingAdmin,
    #[msg("signer is not the emergency guardian")]
    NotGuardian,
    #[msg("signer is neither the admin nor the guardian")]
    NotAdminOrGuardian,
    #[msg("signer is not a registered provider of this class")]
    NotProvider,

    // --- configuration (6010..) --------------------------------------------------------
    #[msg("fee above the platform cap")]
    FeeTooHigh = 10,
    #[msg("name, symbol, uri or unit is empty or too long")]
    InvalidMetadata,
    #[msg("credit decimals above the supported maximum")]
    InvalidDecimals,
    #[msg("price must be positive")]
    InvalidPrice,
    #[msg("the quote mint has a Token-2022 extension the protocol does not accept")]
    UnsupportedMintExtension,
    #[msg("token program does not match the mint")]
    WrongTokenProgram,
    #[msg("class id must be the platform's next class id")]
    WrongClassId,
    #[msg("a key must not be the default (all-zero) key")]
    DefaultKey,
    #[msg("the account is already initialised")]
    AlreadyInitialized,

    // --- credits (6020..) ----------------------------------------------------------------
    #[msg("amount must be greater than zero")]
    ZeroAmount = 20,
    #[msg("price is above the buyer's limit")]
    PriceAboveLimit,
    #[msg("the credit class is paused")]
    ClassPaused,
    #[msg("the credit class is not paused")]
    ClassNotPaused,
    #[msg("the credit account is frozen")]
    CreditAccountFrozen,
    #[msg("the credit account is not frozen")]
    CreditAccountNotFrozen,
    #[msg("account does not belong to this credit class")]
    WrongClass,
    #[msg("token account is not the platform treasury's")]
    WrongTreasury,
    #[msg("arithmetic overflow")]
    MathOverflow,
    #[msg("division by zero")]
    DivideByZero,
    #[msg("value out of range")]
    OutOfRange,

    // --- oracle (6040..) -----------------------------------------------------------------
    #[msg("signer is not a publisher of this feed")]
    NotPublisher = 40,
    #[msg("the publisher set is full")]
    PublisherSetFull,
    #[msg("the publisher is already in the set")]
    PublisherAlreadyAdded,
    #[msg("feed configuration out of bounds")]
    InvalidFeedConfig,
    #[msg("the price feed belongs to another credit class")]
    WrongPriceFeed,
    #[msg("price is older than the feed's maximum staleness, or in the future")]
    StalePrice,
    #[msg("confidence interval wider than the feed allows")]
    ConfidenceTooWide,
    #[msg("fewer fresh publishers than the feed's quorum")]
    NoQuorum,
    #[msg("the feed's circuit breaker is tripped: the admin must resolve it")]
    CircuitBreakerTripped,
    #[msg("the feed's circuit breaker is not tripped")]
    CircuitBreakerNotTripped,
    #[msg("the feed has no price yet")]
    NoPrice,
    #[msg("instruction does not apply to this kind of feed")]
    WrongFeedKind,
    #[msg("oracle account is not owned by the Pyth receiver program")]
    WrongOracleOwner,
    #[msg("oracle account is not a PriceUpdateV2 (discriminator or layout)")]
    InvalidOracleAccount,
    #[msg("the Pyth update carries another price feed id")]
    WrongPythFeedId,
    #[msg("the Pyth update is only partially verified")]
    PartialVerification,
    #[msg("the Pyth update is not newer than the feed's current price")]
    OutdatedPriceUpdate,
    #[msg("the class is priced by another source")]
    WrongPriceSource,

    // --- loans (6060..) ------------------------------------------------------------------
    #[msg("signer is not the lender of record")]
    NotLender = 60,
    #[msg("signer is not the loan's borrower")]
    NotBorrower,
    #[msg("loan bounds or underwriting table out of range")]
    InvalidLendingConfig,
    #[msg("principal outside the platform's bounds")]
    PrincipalOutOfRange,
    #[msg("APR outside the platform's bounds")]
    AprOutOfRange,
    #[msg("term outside the platform's bounds")]
    TermOutOfRange,
    #[msg("coverage ratios must be initial >= maintenance >= liquidation >= platform minimums")]
    InvalidCoverageTerms,
    #[msg("unknown schedule, loan kind or borrower tier")]
    InvalidLoanTerms,
    #[msg("the loan is not an open offer")]
    LoanNotOffered,
    #[msg("the loan is not open")]
    LoanNotOpen,
    #[msg("the loan is neither defaulted nor liquidatable")]
    LoanNotEnforceable,
    #[msg("the loan is in good standing only when current")]
    LoanNotCurrent,
    #[msg("the loan is neither repaid nor liquidated")]
    LoanNotClosed,
    #[msg("collateral value below the required coverage")]
    InsufficientCoverage,
    #[msg("account is not this loan's escrow, vault or lender account")]
    WrongLoanAccount,
    #[msg("the collateral is frozen")]
    CollateralFrozen,
    #[msg("the collateral is not frozen")]
    CollateralNotFrozen,
    #[msg("the loan is still defaulted or liquidatable")]
    LoanStillEnforceable,
    #[msg("nothing is owed")]
    NothingOwed,
    #[msg("the offer is for another borrower")]
    WrongBorrower,
    #[msg("this loan kind needs the borrower's credit account")]
    MissingCreditAccount,
    #[msg("an origination fee is due: pass the treasury's quote account")]
    MissingTreasuryAccount,

    // --- market (6090..) -----------------------------------------------------------------
    #[msg("market parameters out of range")]
    InvalidMarketConfig = 90,
    #[msg("the market is paused")]
    MarketPaused,
    #[msg("price must be a positive number of ticks and size at least the minimum order")]
    InvalidOrder,
    #[msg("a post-only order would cross the book")]
    WouldCross,
    #[msg("a fill-or-kill order cannot be filled completely")]
    CannotFillCompletely,
    #[msg("the book side is full")]
    BookFull,
    #[msg("every seat of the market is taken")]
    SeatsFull,
    #[msg("no such order of this trader")]
    OrderNotFound,
    #[msg("the trader has no seat in this market")]
    NoSeat,
    #[msg("account is not this market's vault")]
    WrongMarketAccount,
    #[msg("the order has already expired")]
    OrderExpired,
    #[msg(
        "a collateral sale takes what crosses first: post-only is refused (a limit sale rests its remainder)"
    )]
    SaleMustNotRest,

    // --- hardening: self-dealing, slippage (appended; codes stay stable) -----------------
    #[msg("a provider cannot redeem its own credits: the holder and the provider must differ")]
    SelfRedemption,
    #[msg("signer is not the platform underwriter")]
    NotUnderwriter,
    #[msg("compute financing needs the underwriter's approval of the borrower")]
    MissingApproval,
    #[msg(
        "the approval is for another borrower or quote currency, or not signed by the current underwriter"
    )]
    WrongApproval,
    #[msg("the underwriter's approval has expired")]
    ApprovalExpired,
    #[msg("the principal is above what the underwriter's approval has left")]
    ApprovalExceeded,
    #[msg("the offer's borrower tier is not the tier the underwriter approved")]
    TierNotApproved,
    #[msg("the lender and the borrower must be different wallets")]
    LenderIsBorrower,
    #[msg("compute financing must name its borrower")]
    BorrowerNotNamed,
    #[msg("fewer credits than the borrower's minimum")]
    CreditsBelowMinimum,

    // --- hardening: freeze holds, recovery bounds (appended; codes stay stable) -------------
    #[msg("this holder already holds a freeze on the account")]
    AlreadyHeld,
    #[msg("this holder holds no freeze on the account")]
    NotHeld,
    #[msg("not the freeze-hold record of this account or owner")]
    WrongHoldAccount,
    #[msg("the loan already holds as many accounts as it may")]
    TooManyHeldAccounts,
    #[msg("the loan still holds frozen accounts: pass them to lift their holds")]
    HoldsRemain,
    #[msg("the owner is under a freeze hold: its credits stay in custody until the hold is lifted")]
    OwnerUnderHold,
    #[msg("a liquidation sale may not trade below the oracle's low price less the discount")]
    SaleBelowFloor,
    #[msg("the recovery repays nothing")]
    NothingRecovered,

    // --- hardening (appended: codes are stable) ------------------------------------------
    #[msg("a feed's exponent, kind and Pyth feed id are fixed at creation")]
    FeedFieldImmutable,
    #[msg("not this program's ProgramData account (address, owner or state)")]
    InvalidProgramData,
    #[msg("signer is not the program's upgrade authority")]
    NotUpgradeAuthority,
    #[msg("the account does not exist (closed): it cannot be held")]
    NothingToHold,

    // --- market v2 (appended: codes are stable) ----------------------------------------------
    #[msg("the seat at this index belongs to another trader")]
    NotSeatOwner,
    #[msg("the seat's free balance cannot pay for this")]
    InsufficientBalance,
    #[msg("the seat already rests the most orders a seat may")]
    TooManyOrders,
    #[msg("the order would rest below the market's minimum notional")]
    BelowMinimumNotional,
    #[msg("the swap would pay out less than its minimum")]
    SlippageExceeded,
    #[msg("the seat is flagged frozen: no asks and no credit withdrawals until it is cleared")]
    SeatFrozen,
    #[msg("the seat is not flagged frozen")]
    SeatNotFrozen,

    // --- liquidation sales on market v2 (appended) ----------------------------------------
    #[msg("the loan's seat still holds a sale (resting orders, credits or proceeds): settle it first")]
    LoanSaleOpen,
    #[msg("the loan's seat holds nothing to settle")]
    NothingToSettle,
    #[msg("a resting sale needs an expiry in the future, within MAX_SALE_REST_SECS; an immediate sale none")]
    SaleExpiryOutOfRange,
    #[msg("no order of this side has expired")]
    NothingToPrune,
    #[msg("not the platform account (`[\"platform\"]`, the PLATFORM constant)")]
    WrongPlatform,
    #[msg("not the lending config account (`[\"lending\"]`, the LENDING_CONFIG constant)")]
    WrongLendingConfig,

    // --- metering channels (appended: codes are stable) -----------------------------------
    #[msg("signer is not the channel's holder")]
    NotChannelHolder,
    #[msg("account is not this channel's holder, provider registration or vault")]
    WrongChannelAccount,
    #[msg("a channel opens with at least one whole credit")]
    ChannelDust,
    #[msg("channel terms cannot work: zero cap, a period cap without a period, an expiry past, a cap or expiry lowered")]
    InvalidChannelTerms,
    #[msg("not the channel's next sequence number: a replayed or skipped batch")]
    WrongSequence,
    #[msg("the redemption would pass the channel's cap")]
    ChannelCapExceeded,
    #[msg("the redemption would pass the channel's per-period cap")]
    PeriodCapExceeded,
    #[msg("the channel's vault holds less than the redemption")]
    ChannelBalanceExceeded,
    #[msg("the channel has expired")]
    ChannelExpired,
    #[msg("the channel is closed: its notice ran out or the provider released it")]
    ChannelClosed,
    #[msg("the holder already asked to close the channel")]
    ChannelClosing,
    #[msg("the channel can still be redeemed: wait for its notice, expiry or release")]
    ChannelStillOpen,
}

impl From<credit_math::MathError> for CreditsError {
    fn from(e: credit_math::MathError) -> Self {
        use credit_math::MathError as M;
        match e {
            M::Overflow => CreditsError::MathOverflow,
            M::DivideByZero => CreditsError::DivideByZero,
            M::InvalidPrice => CreditsError::InvalidPrice,
            M::OutOfRange => CreditsError::OutOfRange,
        }
    }
}

/// `?` on a domain result inside a handler.
pub trait MathResultExt<T> {
    fn or_credits_err(self) -> Result<T>;
}

impl<T> MathResultExt<T> for credit_math::MathResult<T> {
    fn or_credits_err(self) -> Result<T> {
        self.map_err(|e| error!(CreditsError::from(e)))
    }
}

impl From<credit_math::channel::ChannelRefusal> for CreditsError {
    fn from(e: credit_math::channel::ChannelRefusal) -> Self {
        use credit_math::channel::ChannelRefusal as R;
        match e {
            R::WrongSequence => CreditsError::WrongSequence,
            R::ZeroAmount => CreditsError::ZeroAmount,
            R::OverCap => CreditsError::ChannelCapExceeded,
            R::OverPeriodCap => CreditsError::PeriodCapExceeded,
            R::OverBalance => CreditsError::ChannelBalanceExceeded,
            R::Expired => CreditsError::ChannelExpired,
            R::ChannelClosed => CreditsError::ChannelClosed,
            R::ChannelClosing => CreditsError::ChannelClosing,
            R::ChannelStillOpen => CreditsError::ChannelStillOpen,
            R::InvalidTerms => CreditsError::InvalidChannelTerms,
            R::Overflow => CreditsError::MathOverflow,
        }
    }
}

/// `?` on a channel rule's result inside a handler.
pub trait ChannelResultExt<T> {
    fn or_channel_err(self) -> Result<T>;
}

impl<T> ChannelResultExt<T> for credit_math::channel::ChannelResult<T> {
    fn or_channel_err(self) -> Result<T> {
        self.map_err(|e| error!(CreditsError::from(e)))
    }
}

impl From<credit_math::median::OracleError> for CreditsError {
    fn from(e: credit_math::median::OracleError) -> Self {
        use credit_math::median::OracleError as O;
        match e {
            O::NoQuorum => CreditsError::NoQuorum,
            O::Stale => CreditsError::StalePrice,
            O::InvalidPrice => CreditsError::InvalidPrice,
            O::ConfidenceTooWide => CreditsError::ConfidenceTooWide,
            O::InvalidAccount => CreditsError::InvalidOracleAccount,
            O::WrongFeedId => CreditsError::WrongPythFeedId,
            O::PartialVerification => CreditsError::PartialVerification,
        }
    }
}
