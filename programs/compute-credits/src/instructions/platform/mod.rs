pub mod accept_admin;
pub mod initialize_platform;
pub mod propose_admin;
pub mod update_platform;

pub use accept_admin::*;
pub use initialize_platform::*;
pub use propose_admin::*;
pub use update_platform::*;
