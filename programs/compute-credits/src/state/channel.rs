use anchor_lang::prelude::*;
use credit_math::channel::{ChannelMeter, ChannelTerms};
use credit_math::CreditAtoms;

use crate::constants::CHANNEL_SEED;

/// [`ChannelTerms`] as the account stores them (the rules are `credit_math::channel`'s).
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ChannelTermsData {
    /// The most the provider may redeem over the channel's life.
    pub cap: CreditAtoms,
    /// The most per period; zero: no per-period cap.
    pub period_cap: CreditAtoms,
    /// No redemption at or after this time.
    pub expiry_ts: i64,
    pub period_secs: u32,
    /// How long the provider may still redeem after the holder asks to close.
    pub notice_secs: u32,
}

/// [`ChannelMeter`] as the account stores it.
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ChannelMeterData {
    pub redeemed: CreditAtoms,
    pub period_redeemed: CreditAtoms,
    /// Start of the current period window (aligned to the opening time).
    pub period_start: i64,
    /// The sequence number the next redemption must carry.
    pub next_seq: u64,
    /// When the holder asked to close; zero: not asked.
    pub close_requested_at: i64,
    /// 1 once the provider released the channel.
    pub released: u8,
    pub _padding: [u8; 7],
}

impl From<ChannelTermsData> for ChannelTerms {
    fn from(t: ChannelTermsData) -> Self {
        ChannelTerms {
            cap: t.cap,
            period_cap: t.period_cap,
            period_secs: t.period_secs,
            expiry_ts: t.expiry_ts,
            notice_secs: t.notice_secs,
        }
    }
}

impl From<ChannelTerms> for ChannelTermsData {
    fn from(t: ChannelTerms) -> Self {
        ChannelTermsData {
            cap: t.cap,
            period_cap: t.period_cap,
            expiry_ts: t.expiry_ts,
            period_secs: t.period_secs,
            notice_secs: t.notice_secs,
        }
    }
}

impl From<ChannelMeterData> for ChannelMeter {
    fn from(m: ChannelMeterData) -> Self {
        ChannelMeter {
            redeemed: m.redeemed,
            period_start: m.period_start,
            period_redeemed: m.period_redeemed,
            next_seq: m.next_seq,
            close_requested_at: m.close_requested_at,
            released: m.released != 0,
        }
    }
}

impl From<ChannelMeter> for ChannelMeterData {
    fn from(m: ChannelMeter) -> Self {
        ChannelMeterData {
            redeemed: m.redeemed,
            period_redeemed: m.period_redeemed,
            period_start: m.period_start,
            next_seq: m.next_seq,
            close_requested_at: m.close_requested_at,
            released: u8::from(m.released),
            _padding: [0; 7],
        }
    }
}

/// A metering channel (`["channel", class, holder, provider_authority]`): the holder escrows
/// credits in `vault` (`["channel_vault", channel]`, owned by this PDA) once, and the provider
/// (or the settlement key it names) burns them batch by batch as it meters usage, each batch
/// carrying the next sequence number, within the terms. Zero-copy: every redemption updates
/// the meter in place.
#[account(zero_copy)]
#[derive(Debug, Default)]
pub struct MeteringChannel {
    pub holder: Pubkey,
    /// The provider's registration (`["provider", class, provider_authority]`).
    pub provider: Pubkey,
    pub provider_authority: Pubkey,
    pub class: Pubkey,
    pub vault: Pubkey,
    pub terms: ChannelTermsData,
    pub meter: ChannelMeterData,
    /// Credits the holder moved in (opening and top-ups).
    pub deposited: CreditAtoms,
    pub opened_at: i64,
    pub bump: u8,
    pub vault_bump: u8,
    /// The canonical bump of the holder's `["owner_holds", credit_mint, holder]` address, found
    /// at opening: later instructions check that address with one hash.
    pub holds_bump: u8,
    pub _padding: [u8; 5],
}

const _: () = assert!(std::mem::size_of::<ChannelTermsData>() == 32);
const _: () = assert!(std::mem::size_of::<ChannelMeterData>() == 48);
const _: () = assert!(std::mem::size_of::<MeteringChannel>() == 264);
const _: () = assert!(std::mem::offset_of!(MeteringChannel, holder) == 0);
const _: () = assert!(std::mem::offset_of!(MeteringChannel, provider_authority) == 64);
const _: () = assert!(std::mem::offset_of!(MeteringChannel, class) == 96);
const _: () = assert!(std::mem::offset_of!(MeteringChannel, terms) == 160);
const _: () = assert!(std::mem::offset_of!(MeteringChannel, meter) == 192);
const _: () = assert!(std::mem::offset_of!(MeteringChannel, deposited) == 240);

impl MeteringChannel {
    pub const SPACE: usize = 8 + std::mem::size_of::<MeteringChannel>();

    pub fn terms(&self) -> ChannelTerms {
        self.terms.into()
    }

    pub fn meter(&self) -> ChannelMeter {
        self.meter.into()
    }

    /// What the channel PDA needs to sign, copied out so no borrow of the account is held
    /// across a CPI.
    pub fn signer(&self) -> ChannelSigner {
        ChannelSigner {
            class: self.class,
            holder: self.holder,
            provider_authority: self.provider_authority,
            bump: [self.bump],
        }
    }
}

/// The channel PDA's seeds, owned.
pub struct ChannelSigner {
    pub class: Pubkey,
    pub holder: Pubkey,
    pub provider_authority: Pubkey,
    pub bump: [u8; 1],
}

impl ChannelSigner {
    pub fn seeds(&self) -> [&[u8]; 5] {
        [
            CHANNEL_SEED,
            self.class.as_ref(),
            self.holder.as_ref(),
            self.provider_authority.as_ref(),
            &self.bump,
        ]
    }
}
