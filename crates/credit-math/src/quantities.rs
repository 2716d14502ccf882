//! Typed quantities (after Phoenix's `quantities.rs`): a credit amount cannot be added to a
//! quote amount by mistake, and every operation that can overflow returns a `MathResult`.

use crate::error::{MathError, MathResult};

macro_rules! atoms {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// `repr(transparent)` and `Pod`, so account structs can hold it zero-copy.
        #[repr(transparent)]
        #[derive(
            Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, bytemuck::Pod, bytemuck::Zeroable,
        )]
        pub struct $name(pub u64);

        impl $name {
            pub const ZERO: Self = Self(0);

            pub fn checked_add(self, rhs: Self) -> MathResult<Self> {
                self.0.checked_add(rhs.0).map(Self).ok_or(MathError::Overflow)
            }

            pub fn checked_sub(self, rhs: Self) -> MathResult<Self> {
                self.0.checked_sub(rhs.0).map(Self).ok_or(MathError::Overflow)
            }

            pub fn saturating_sub(self, rhs: Self) -> Self {
                Self(self.0.saturating_sub(rhs.0))
            }

            pub fn min(self, rhs: Self) -> Self {
                Self(self.0.min(rhs.0))
            }

            pub fn is_zero(self) -> bool {
                self.0 == 0
            }
        }

        /// In the IDL: an alias of `u64` (the layout: `repr(transparent)`).
        #[cfg(feature = "idl-build")]
        impl anchor_lang_idl::build::IdlBuild for $name {
            fn create_type() -> Option<anchor_lang_idl::types::IdlTypeDef> {
                use anchor_lang_idl::types::{IdlType, IdlTypeDef, IdlTypeDefTy};
                Some(IdlTypeDef {
                    name: stringify!($name).into(),
                    docs: vec![],
                    serialization: Default::default(),
                    repr: None,
                    generics: vec![],
                    ty: IdlTypeDefTy::Type { alias: IdlType::U64 },
                })
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

atoms!(
    /// Smallest indivisible unit of a credit class's mint (10^decimals atoms = one credit,
    /// e.g. one H100 GPU-hour).
    CreditAtoms
);
atoms!(
    /// Smallest indivisible unit of the quote currency (USDC-like: 10^6 atoms = one dollar).
    QuoteAtoms
);

/// Basis points: 10_000 = 100%. Used for fees, ratios and multipliers (13_500 = 1.35x).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bps(pub u16);

impl Bps {
    pub const ONE: Bps = Bps(10_000);

    pub fn get(self) -> u64 {
        self.0 as u64
    }
}

/// One whole credit or quote unit in atoms for the given decimals.
pub fn one_unit(decimals: u8) -> MathResult<u64> {
    10u64.checked_pow(decimals as u32).ok_or(MathError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_ops() {
        assert_eq!(CreditAtoms(2).checked_add(CreditAtoms(3)), Ok(CreditAtoms(5)));
        assert_eq!(CreditAtoms(u64::MAX).checked_add(CreditAtoms(1)), Err(MathError::Overflow));
        assert_eq!(QuoteAtoms(1).checked_sub(QuoteAtoms(2)), Err(MathError::Overflow));
        assert_eq!(QuoteAtoms(1).saturating_sub(QuoteAtoms(2)), QuoteAtoms::ZERO);
        assert_eq!(one_unit(6), Ok(1_000_000));
        assert_eq!(one_unit(20), Err(MathError::Overflow));
    }
}
