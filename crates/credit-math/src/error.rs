/// Why a domain computation refused to produce a number. The program maps each variant to a
/// named Anchor error; nothing here panics or wraps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathError {
    /// A result does not fit its integer type.
    Overflow,
    /// Division by zero (a zero price, a zero denominator).
    DivideByZero,
    /// A price that is zero, negative or has an exponent outside the supported range.
    InvalidPrice,
    /// Input outside the documented domain (term, rate, amount bounds).
    OutOfRange,
}

pub type MathResult<T> = Result<T, MathError>;

impl core::fmt::Display for MathError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let s = match self {
            MathError::Overflow => "arithmetic overflow",
            MathError::DivideByZero => "division by zero",
            MathError::InvalidPrice => "invalid price",
            MathError::OutOfRange => "value out of range",
        };
        f.write_str(s)
    }
}

impl std::error::Error for MathError {}
