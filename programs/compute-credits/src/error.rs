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
