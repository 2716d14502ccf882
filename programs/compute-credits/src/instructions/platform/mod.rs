pub mod accept_admin;
pub mod initialize_platform;
pub mod propose_admin;
pub mod set_underwriter;
pub mod update_platform;

pub use accept_admin::*;
pub use initialize_platform::*;
pub use propose_admin::*;
pub use set_underwriter::*;
pub use update_platform::*;
