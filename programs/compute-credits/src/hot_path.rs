//! The market's hot instructions, dispatched before Anchor's (issue 11, "Compute units":
//! "hand-checked accounts with the same checks, keeping the named errors").
//!
//! `place_order_v2`, `cancel_order_v2`, `cancel_all_orders` and `batch_orders` take two or
//! three accounts and no CPI; Anchor's dispatch, instruction-name log, account wrappers and
//! exit cost several hundred CU around a handler of about as much. `process_instruction`
//! (the program's entrypoint, and the native test harness's) runs these four here and every
//! other instruction through Anchor's `entry`, unchanged. The instructions stay in
//! `#[program]` (same names, accounts and arguments in the IDL; their Anchor handlers call the
//! same `process_*` functions), so clients see no difference.
//!
//! The checks are Anchor's, in Anchor's order and with Anchor's error codes:
//! - the declared program id (`DeclaredProgramIdMismatch`);
//! - the arguments, Borsh-decoded by the instruction's own Anchor type
//!   (`InstructionDidNotDeserialize`);
//! - enough accounts (`AccountNotEnoughKeys`);
//! - `trader` signed (`AccountNotSigner`);
//! - `market` owned by this program (`AccountOwnedByWrongProgram`), at least 8 bytes
//!   (`AccountDiscriminatorNotFound`) starting with `MarketV2`'s discriminator
//!   (`AccountDiscriminatorMismatch`), then writable (`ConstraintMut`);
//! - `class` (`place_order_v2`, `batch_orders`): checked in the handler as before (its key is
//!   the market's, `WrongClass`; its `paused` byte read in place).
use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;

use crate::instruction as ix;
use crate::instructions::market_v2::{
    process_batch_orders, process_cancel_all_orders, process_cancel_order_v2, process_place_order_v2,
};
use crate::state::{ClassView, MarketV2};
use crate::{OrderSide, OrderType, PlaceOrderV2Args, SelfTradeBehavior};
use credit_math::book::{BaseLots, OrderKind, Side, Ticks};
use credit_math::market::{CancelRequest, OrderRequest};

/// The program's instruction processor: the hot market instructions here, every other one
/// through Anchor's `entry`. Errors are logged as Anchor logs them.
pub fn process_instruction<'info>(
    program_id: &'info Pubkey,
    accounts: &'info [AccountInfo<'info>],
    data: &'info [u8],
) -> std::result::Result<(), ProgramError> {
    let Some(hot) = Hot::of(data) else {
        return crate::entry(program_id, accounts, data);
    };
    run_infos(program_id, accounts, hot, &data[8..]).map_err(|e| {
        e.log();
        e.into()
    })
}

/// The hot instructions, by discriminator.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hot {
    PlaceOrderV2,
    CancelOrderV2,
    BatchOrders,
    CancelAllOrders,
}

impl Hot {
    fn of(data: &[u8]) -> Option<Hot> {
        // compared as integers: a slice comparison is a `memcmp` call each
        let disc = u64::from_le_bytes(*data.first_chunk::<8>()?);
        let is = |d: &[u8]| disc == u64::from_le_bytes(d.try_into().expect("8-byte discriminator"));
        if is(ix::PlaceOrderV2::DISCRIMINATOR) {
            Some(Hot::PlaceOrderV2)
        } else if is(ix::CancelOrderV2::DISCRIMINATOR) {
            Some(Hot::CancelOrderV2)
        } else if is(ix::BatchOrders::DISCRIMINATOR) {
            Some(Hot::BatchOrders)
        } else if is(ix::CancelAllOrders::DISCRIMINATOR) {
            Some(Hot::CancelAllOrders)
        } else {
            None
        }
    }

    /// Whether the instruction names the class (its third account).
    fn has_class(self) -> bool {
        matches!(self, Hot::PlaceOrderV2 | Hot::BatchOrders)
    }
}

/// A hot instruction's arguments, decoded by hand in Borsh's layout (`Reader`; a batch's
/// straight into the engine's requests), refusing what Borsh refuses: the tests check every
/// decoder against the instruction's own Anchor type.
enum Args {
    Place(ix::PlaceOrderV2),
    Cancel(ix::CancelOrderV2),
    Batch { seat: u32, cancel_all: bool, cancels: Vec<CancelRequest>, places: Vec<OrderRequest> },
    CancelAll(ix::CancelAllOrders),
}

/// Reads Borsh's fixed-size little-endian fields, refusing as Anchor does when the data runs
/// out or a `bool` / enum byte is out of range (`InstructionDidNotDeserialize`).
struct Reader<'a> {
    data: &'a [u8],
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N]> {
        let (head, rest) =
            self.data.split_first_chunk::<N>().ok_or(ErrorCode::InstructionDidNotDeserialize)?;
        self.data = rest;
        Ok(*head)
    }
    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take()?))
    }
    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.take()?))
    }
    fn i64(&mut self) -> Result<i64> {
        Ok(i64::from_le_bytes(self.take()?))
    }
    fn bool(&mut self) -> Result<bool> {
        match self.take::<1>()?[0] {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(ErrorCode::InstructionDidNotDeserialize.into()),
        }
    }
    /// A unit enum's byte: `values[b]`, refused past the end as Borsh refuses.
    fn pick<T: Copy>(&mut self, values: &[T]) -> Result<T> {
        let b = self.take::<1>()?[0] as usize;
        values.get(b).copied().ok_or_else(|| ErrorCode::InstructionDidNotDeserialize.into())
    }
    /// `OrderSide` (0 bid, 1 ask), as the engine's `Side`.
    fn side(&mut self) -> Result<Side> {
        match self.take::<1>()?[0] {
            0 => Ok(Side::Bid),
            1 => Ok(Side::Ask),
            _ => Err(ErrorCode::InstructionDidNotDeserialize.into()),
        }
    }
}

/// `place_order_v2`'s `PlaceOrderV2Args`, in Borsh's layout (the tests check it against Borsh).
fn decode_place(data: &[u8]) -> Result<ix::PlaceOrderV2> {
    let mut r = Reader { data };
    let args = PlaceOrderV2Args {
        seat: r.u32()?,
        side: r.pick(&[OrderSide::Bid, OrderSide::Ask])?,
        order_type: r.pick(&[
            OrderType::Limit,
            OrderType::PostOnly,
            OrderType::ImmediateOrCancel,
            OrderType::FillOrKill,
        ])?,
        price_ticks: r.u64()?,
        lots: r.u64()?,
        expiry: r.i64()?,
        self_trade: r.pick(&[
            SelfTradeBehavior::CancelProvide,
            SelfTradeBehavior::AbortTake,
            SelfTradeBehavior::DecrementTake,
        ])?,
    };
    Ok(ix::PlaceOrderV2 { args })
}

/// `cancel_order_v2`'s arguments `(seat: u32, side: OrderSide, price_ticks: u64, seq: u64)`.
fn decode_cancel(data: &[u8]) -> Result<ix::CancelOrderV2> {
    let mut r = Reader { data };
    Ok(ix::CancelOrderV2 {
        seat: r.u32()?,
        side: r.pick(&[OrderSide::Bid, OrderSide::Ask])?,
        price_ticks: r.u64()?,
        seq: r.u64()?,
    })
}

/// `batch_orders`'s arguments `(seat: u32, cancel_all: bool, cancels: Vec<CancelArgs>,
/// places: Vec<BatchPlaceArgs>)` in Borsh's layout, decoded into the engine's requests
/// (`cancel_request` / `place_request` of what Borsh would decode; the tests check both agree).
fn decode_batch(data: &[u8]) -> Result<Args> {
    let mut r = Reader { data };
    let seat = r.u32()?;
    let cancel_all = r.bool()?;
    let n = r.u32()? as usize;
    // each cancel takes 17 bytes: a longer list than the data holds is refused before allocating
    if n > r.data.len() / 17 {
        return Err(ErrorCode::InstructionDidNotDeserialize.into());
    }
    let mut cancels = Vec::with_capacity(n);
    for _ in 0..n {
        let side = r.side()?;
        cancels.push(CancelRequest { side, price: Ticks(r.u64()?), seq: r.u64()? });
    }
    let n = r.u32()? as usize;
    if n > r.data.len() / 25 {
        return Err(ErrorCode::InstructionDidNotDeserialize.into());
    }
    let mut places = Vec::with_capacity(n);
    for _ in 0..n {
        let side = r.side()?;
        let (price, lots, expiry) = (Ticks(r.u64()?), BaseLots(r.u64()?), r.i64()?);
        places.push(OrderRequest { expiry, ..OrderRequest::new(side, OrderKind::PostOnly, price, lots) });
    }
    Ok(Args::Batch { seat, cancel_all, cancels, places })
}

impl Args {
    fn decode(hot: Hot, data: &[u8]) -> Result<Args> {
        Ok(match hot {
            Hot::PlaceOrderV2 => Args::Place(decode_place(data)?),
            Hot::CancelOrderV2 => Args::Cancel(decode_cancel(data)?),
            Hot::BatchOrders => decode_batch(data)?,
            Hot::CancelAllOrders => Args::CancelAll(ix::CancelAllOrders { seat: Reader { data }.u32()? }),
        })
    }

    /// Runs the instruction on checked accounts.
    fn run(self, trader: &Pubkey, market: &Pubkey, data: &mut [u8], class: Option<ClassView>) -> Result<()> {
        let class = || class.expect("a hot instruction with a class slot was given one");
        match self {
            Args::Place(ix::PlaceOrderV2 { args }) => {
                process_place_order_v2(trader, market, data, class(), args)
            }
            Args::Cancel(ix::CancelOrderV2 { seat, side, price_ticks, seq }) => {
                process_cancel_order_v2(trader, market, data, seat, side, price_ticks, seq)
            }
            Args::Batch { seat, cancel_all, cancels, places } => {
                process_batch_orders(trader, market, data, class(), seat, cancel_all, &cancels, &places)
            }
            Args::CancelAll(ix::CancelAllOrders { seat }) => {
                process_cancel_all_orders(trader, market, data, seat)
            }
        }
    }
}

/// What the account checks read of an account.
trait Slot {
    #[cfg_attr(not(target_os = "solana"), allow(dead_code))]
    fn key(&self) -> &Pubkey;
    fn owner(&self) -> &Pubkey;
    fn is_signer(&self) -> bool;
    fn is_writable(&self) -> bool;
    /// The first 8 bytes of its data, `None` if it has fewer.
    fn discriminator(&self) -> Result<Option<[u8; 8]>>;
}

impl Slot for AccountInfo<'_> {
    fn key(&self) -> &Pubkey {
        self.key
    }
    fn owner(&self) -> &Pubkey {
        self.owner
    }
    fn is_signer(&self) -> bool {
        self.is_signer
    }
    fn is_writable(&self) -> bool {
        self.is_writable
    }
    fn discriminator(&self) -> Result<Option<[u8; 8]>> {
        let data = self.try_borrow_data()?;
        Ok(data.get(..8).map(|d| d.try_into().expect("8 bytes")))
    }
}

/// `MarketV2`'s discriminator as an integer (compared without a `memcmp` call).
const MARKET_V2_DISCRIMINATOR: u64 = u64::from_le_bytes(*MarketV2::DISCRIMINATOR.first_chunk::<8>().unwrap());

/// `a == b`, compared as four integers (a `Pubkey` comparison is a `memcmp` call).
fn same_key(a: &Pubkey, b: &Pubkey) -> bool {
    let (a, b) = (a.as_array(), b.as_array());
    (0..4).all(|i| {
        let word = |k: &[u8; 32]| u64::from_le_bytes(k[8 * i..8 * i + 8].try_into().expect("8 bytes"));
        word(a) == word(b)
    })
}

/// Anchor's checks of `trader: Signer`, `#[account(mut)] market: AccountLoader<MarketV2>` and,
/// for `place_order_v2` / `batch_orders`, `class: UncheckedAccount`, in Anchor's order: each
/// field's type in turn (a missing account is `AccountNotEnoughKeys`), then the constraints.
fn check_accounts<A: Slot>(accounts: &[A], hot: Hot) -> Result<()> {
    let missing = || Error::from(ErrorCode::AccountNotEnoughKeys);
    let trader = accounts.first().ok_or_else(missing)?;
    if !trader.is_signer() {
        return Err(Error::from(ErrorCode::AccountNotSigner).with_account_name("trader"));
    }
    let market = accounts.get(1).ok_or_else(missing)?;
    if !same_key(market.owner(), &crate::ID) {
        return Err(Error::from(ErrorCode::AccountOwnedByWrongProgram)
            .with_pubkeys((*market.owner(), crate::ID))
            .with_account_name("market"));
    }
    match market.discriminator()? {
        None => return Err(Error::from(ErrorCode::AccountDiscriminatorNotFound).with_account_name("market")),
        Some(d) if u64::from_le_bytes(d) != MARKET_V2_DISCRIMINATOR => {
            return Err(Error::from(ErrorCode::AccountDiscriminatorMismatch).with_account_name("market"))
        }
        Some(_) => {}
    }
    if hot.has_class() {
        accounts.get(2).ok_or_else(missing)?;
    }
    if !market.is_writable() {
        return Err(Error::from(ErrorCode::ConstraintMut).with_account_name("market"));
    }
    Ok(())
}

/// A hot instruction over `AccountInfo`s (natively; on-chain the raw path below runs).
fn run_infos(program_id: &Pubkey, accounts: &[AccountInfo], hot: Hot, data: &[u8]) -> Result<()> {
    if *program_id != crate::ID {
        return Err(ErrorCode::DeclaredProgramIdMismatch.into());
    }
    let args = Args::decode(hot, data)?;
    check_accounts(accounts, hot)?;
    let (trader, market) = (&accounts[0], &accounts[1]);
    let mut market_data = market.try_borrow_mut_data()?;
    // the class slot holding the market itself (never its own class) is refused by its key
    let class_data = match accounts.get(2).filter(|_| hot.has_class()) {
        Some(c) if c.key != market.key => Some((c.key, Some(c.try_borrow_data()?))),
        Some(c) => Some((c.key, None)),
        None => None,
    };
    let class = class_data
        .as_ref()
        .map(|(key, data)| ClassView { key, data: data.as_ref().map_or(&[][..], |d| &d[..]) });
    args.run(trader.key, market.key, &mut market_data, class)
}

/// On-chain: the hot instructions straight from the runtime's input, with no `AccountInfo`
/// (no `Rc`/`RefCell` allocations per account: about 150 CU an account less than Solana's
/// `deserialize`). The input layout is the one `solana_program_entrypoint::deserialize` reads.
#[cfg(all(target_os = "solana", feature = "hot-path", not(feature = "cpi")))]
#[allow(unsafe_code)]
mod raw {
    use super::*;

    /// An account of the input, as the checks see it.
    #[derive(Clone, Copy)]
    pub struct RawSlot {
        key: *const Pubkey,
        owner: *const Pubkey,
        is_signer: bool,
        is_writable: bool,
        data: *mut u8,
        len: usize,
    }

    impl Slot for RawSlot {
        fn key(&self) -> &Pubkey {
            // SAFETY: points into the input buffer, alive for the whole instruction
            unsafe { &*self.key }
        }
        fn owner(&self) -> &Pubkey {
            // SAFETY: as `key`
            unsafe { &*self.owner }
        }
        fn is_signer(&self) -> bool {
            self.is_signer
        }
        fn is_writable(&self) -> bool {
            self.is_writable
        }
        fn discriminator(&self) -> Result<Option<[u8; 8]>> {
            if self.len < 8 {
                return Ok(None);
            }
            let mut d = [0u8; 8];
            // SAFETY: the account's data has `len >= 8` bytes
            unsafe { std::ptr::copy_nonoverlapping(self.data, d.as_mut_ptr(), 8) };
            Ok(Some(d))
        }
    }

    /// The accounts the raw path takes: the hot instructions name at most three.
    const KEPT: usize = 3;

    /// Runs the instruction if it is a hot one; `None` leaves the input untouched for the
    /// standard path.
    ///
    /// # Safety
    /// `input` is the runtime's serialized input.
    pub unsafe fn try_hot(input: *mut u8) -> Option<u64> {
        unsafe {
            let mut at = input;
            let n = *(at as *const u64) as usize;
            // the hot instructions take 2-3 accounts: with more (another instruction, or a hot
            // one with extra accounts), the standard path decides, without walking them here
            if n > KEPT {
                return None;
            }
            at = at.add(8);
            let mut slots = [RawSlot {
                key: std::ptr::null(),
                owner: std::ptr::null(),
                is_signer: false,
                is_writable: false,
                data: std::ptr::null_mut(),
                len: 0,
            }; KEPT];
            for i in 0..n {
                let dup = *at;
                if dup == u8::MAX {
                    let slot = RawSlot {
                        is_signer: *at.add(1) != 0,
                        is_writable: *at.add(2) != 0,
                        key: at.add(8) as *const Pubkey,
                        owner: at.add(40) as *const Pubkey,
                        len: *(at.add(80) as *const u64) as usize,
                        data: at.add(88),
                    };
                    // dup marker, flags, padding, key, owner, lamports, length, data, the
                    // realloc room, the rent epoch, then padding to 8
                    let end = at.add(88 + slot.len + MAX_PERMITTED_DATA_INCREASE + 8) as usize;
                    at = at.add(88 + slot.len + MAX_PERMITTED_DATA_INCREASE + 8 + (end.wrapping_neg() & 7));
                    if i < KEPT {
                        slots[i] = slot;
                    }
                } else {
                    if i < KEPT {
                        slots[i] = slots[dup as usize];
                    }
                    at = at.add(8);
                }
            }
            let len = *(at as *const u64) as usize;
            let data = std::slice::from_raw_parts(at.add(8), len);
            let program_id = &*(at.add(8 + len) as *const Pubkey);
            let hot = Hot::of(data)?;
            let result = run_raw(program_id, &slots[..n.min(KEPT)], hot, &data[8..]);
            Some(match result {
                Ok(()) => SUCCESS,
                Err(e) => {
                    e.log();
                    let e: ProgramError = e.into();
                    e.into()
                }
            })
        }
    }

    fn run_raw(program_id: &Pubkey, slots: &[RawSlot], hot: Hot, data: &[u8]) -> Result<()> {
        if *program_id != crate::ID {
            return Err(ErrorCode::DeclaredProgramIdMismatch.into());
        }
        let args = Args::decode(hot, data)?;
        check_accounts(slots, hot)?;
        let (trader, market) = (&slots[0], &slots[1]);
        // SAFETY: the market's data, borrowed once; the class's is read only when it is
        // another account (another key), so the two never alias
        let market_data = unsafe { std::slice::from_raw_parts_mut(market.data, market.len) };
        let class = slots.get(2).filter(|_| hot.has_class()).map(|c| ClassView {
            key: c.key(),
            data: if c.key() == market.key() {
                &[]
            } else {
                unsafe { std::slice::from_raw_parts(c.data, c.len) }
            },
        });
        args.run(trader.key(), market.key(), market_data, class)
    }

    use anchor_lang::solana_program::entrypoint::{MAX_PERMITTED_DATA_INCREASE, SUCCESS};
}

/// The program's entrypoint (Anchor's is not generated: the `hot-path` feature enables
/// `no-entrypoint`): a hot instruction runs straight from the input (`raw`), any other is
/// deserialized as Solana's `entrypoint!` does and goes to `process_instruction`.
#[cfg(all(target_os = "solana", feature = "hot-path", not(feature = "cpi")))]
mod program_entrypoint {
    use anchor_lang::solana_program::entrypoint as sol;

    /// # Safety
    /// Called by the runtime with its serialized input.
    #[no_mangle]
    #[allow(unsafe_code)]
    pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 {
        if let Some(result) = unsafe { super::raw::try_hot(input) } {
            return result;
        }
        let (program_id, accounts, data) = unsafe { sol::deserialize(input) };
        match super::process_instruction(program_id, &accounts, data) {
            Ok(()) => sol::SUCCESS,
            Err(error) => error.into(),
        }
    }

    sol::custom_heap_default!();
    sol::custom_panic_default!();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instructions::market_v2::{cancel_request, place_request};
    use crate::{BatchPlaceArgs, CancelArgs};

    fn batch_bytes(cancel_all: bool, cancels: Vec<CancelArgs>, places: Vec<BatchPlaceArgs>) -> Vec<u8> {
        let mut data = vec![];
        ix::BatchOrders { seat: 7, cancel_all, cancels, places }.serialize(&mut data).unwrap();
        data
    }

    /// The hand decoding of `batch_orders` gives what Borsh decodes, converted as the Anchor
    /// handler converts it, and refuses what Borsh refuses.
    #[test]
    fn batch_decoding_matches_borsh() {
        let cancels = vec![
            CancelArgs { side: OrderSide::Bid, price_ticks: 210, seq: 3 },
            CancelArgs { side: OrderSide::Ask, price_ticks: u64::MAX, seq: 1 << 40 },
        ];
        let places = vec![
            BatchPlaceArgs { side: OrderSide::Ask, price_ticks: 280, lots: 2, expiry: -9 },
            BatchPlaceArgs { side: OrderSide::Bid, price_ticks: 1, lots: u64::MAX, expiry: 1 << 50 },
        ];
        for (all, c, p) in [
            (false, cancels.clone(), places.clone()),
            (true, vec![], places.clone()),
            (false, cancels.clone(), vec![]),
            (false, vec![], vec![]),
        ] {
            let data = batch_bytes(all, c.clone(), p.clone());
            let Ok(Args::Batch { seat, cancel_all, cancels: got_c, places: got_p }) = decode_batch(&data)
            else {
                panic!("decodes");
            };
            assert_eq!((seat, cancel_all), (7, all));
            assert_eq!(got_c, c.iter().map(cancel_request).collect::<Vec<_>>());
            assert_eq!(got_p, p.iter().map(place_request).collect::<Vec<_>>());
        }
        let data = batch_bytes(false, cancels, places);
        // every truncation, a bool or side byte out of range, a length beyond the data
        for cut in 0..data.len() {
            assert!(decode_batch(&data[..cut]).is_err(), "cut at {cut}");
            assert!(ix::BatchOrders::deserialize(&mut &data[..cut]).is_err());
        }
        for (at, byte) in [(4, 2u8), (9, 2), (9 + 17, 5), (4 + 1 + 4 + 2 * 17 + 4, 2)] {
            let mut bad = data.clone();
            bad[at] = byte;
            assert!(decode_batch(&bad).is_err(), "byte {at} = {byte}");
            assert!(ix::BatchOrders::deserialize(&mut &bad[..]).is_err());
        }
        let mut long = data.clone();
        long[5..9].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode_batch(&long).is_err());
        assert!(ix::BatchOrders::deserialize(&mut &long[..]).is_err());
    }

    /// The hand decoders of `place_order_v2` and `cancel_order_v2` give what Borsh decodes and
    /// refuse what it refuses (every truncation, every enum byte out of range).
    #[test]
    fn place_and_cancel_decoding_matches_borsh() {
        for side in [OrderSide::Bid, OrderSide::Ask] {
            for order_type in
                [OrderType::Limit, OrderType::PostOnly, OrderType::ImmediateOrCancel, OrderType::FillOrKill]
            {
                for self_trade in [
                    SelfTradeBehavior::CancelProvide,
                    SelfTradeBehavior::AbortTake,
                    SelfTradeBehavior::DecrementTake,
                ] {
                    let args = PlaceOrderV2Args {
                        seat: 9,
                        side,
                        order_type,
                        price_ticks: 1 << 33,
                        lots: 77,
                        expiry: -3,
                        self_trade,
                    };
                    let mut data = vec![];
                    ix::PlaceOrderV2 { args }.serialize(&mut data).unwrap();
                    assert_eq!(decode_place(&data).unwrap().args, args);
                }
            }
        }
        let args = PlaceOrderV2Args {
            seat: 1,
            side: OrderSide::Ask,
            order_type: OrderType::PostOnly,
            price_ticks: 5,
            lots: 6,
            expiry: 7,
            self_trade: SelfTradeBehavior::AbortTake,
        };
        let mut data = vec![];
        ix::PlaceOrderV2 { args }.serialize(&mut data).unwrap();
        for cut in 0..data.len() {
            assert!(decode_place(&data[..cut]).is_err());
            assert!(ix::PlaceOrderV2::deserialize(&mut &data[..cut]).is_err());
        }
        for (at, byte) in [(4, 2u8), (5, 4), (30, 3)] {
            let mut bad = data.clone();
            bad[at] = byte;
            assert!(decode_place(&bad).is_err(), "byte {at}");
            assert!(ix::PlaceOrderV2::deserialize(&mut &bad[..]).is_err());
        }
        let c = ix::CancelOrderV2 { seat: 3, side: OrderSide::Ask, price_ticks: 210, seq: 1 << 40 };
        let mut data = vec![];
        c.serialize(&mut data).unwrap();
        let got = decode_cancel(&data).unwrap();
        assert_eq!((got.seat, got.side, got.price_ticks, got.seq), (3, OrderSide::Ask, 210, 1 << 40));
        for cut in 0..data.len() {
            assert!(decode_cancel(&data[..cut]).is_err());
        }
        let mut bad = data.clone();
        bad[4] = 2;
        assert!(decode_cancel(&bad).is_err());
        assert!(ix::CancelOrderV2::deserialize(&mut &bad[..]).is_err());
    }
}
