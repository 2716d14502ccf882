pub mod create_credit_class;
pub mod freeze_credits;
pub mod pause_class;
pub mod purchase_credits;
pub mod redeem_credits;
pub mod register_provider;
pub mod remove_provider;

pub use create_credit_class::*;
pub use freeze_credits::*;
pub use pause_class::*;
pub use purchase_credits::*;
pub use redeem_credits::*;
pub use register_provider::*;
pub use remove_provider::*;
