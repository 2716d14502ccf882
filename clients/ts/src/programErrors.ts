// SPL Token's `TokenError` (Token-2022 shares these codes) and the System program's
// `SystemError`: names and messages as their Rust crates display them.
export const TOKEN_ERRORS: Record<number, readonly [string, string]> = {
  0: ['NotRentExempt', 'Lamport balance below rent-exempt threshold'],
  1: ['InsufficientFunds', 'Insufficient funds'],
  2: ['InvalidMint', 'Invalid Mint'],
  3: ['MintMismatch', 'Account not associated with this Mint'],
  4: ['OwnerMismatch', 'Owner does not match'],
  5: ['FixedSupply', 'Fixed supply'],
  6: ['AlreadyInUse', 'Already in use'],
  7: ['InvalidNumberOfProvidedSigners', 'Invalid number of provided signers'],
  8: ['InvalidNumberOfRequiredSigners', 'Invalid number of required signers'],
  9: ['UninitializedState', 'State is unititialized'],
  10: ['NativeNotSupported', 'Instruction does not support native tokens'],
  11: ['NonNativeHasBalance', 'Non-native account can only be closed if its balance is zero'],
  12: ['InvalidInstruction', 'Invalid instruction'],
  13: ['InvalidState', 'State is invalid for requested operation'],
  14: ['Overflow', 'Operation overflowed'],
  15: ['AuthorityTypeNotSupported', 'Account does not support specified authority type'],
  16: ['MintCannotFreeze', 'This token mint cannot freeze accounts'],
  17: ['AccountFrozen', 'Account is frozen'],
  18: ['MintDecimalsMismatch', 'The provided decimals value different from the Mint decimals'],
  19: ['NonNativeNotSupported', 'Instruction does not support non-native tokens'],
};

export const SYSTEM_ERRORS: Record<number, readonly [string, string]> = {
  0: ['AccountAlreadyInUse', 'an account with the same address already exists'],
  1: ['ResultWithNegativeLamports', 'account does not have enough SOL to perform the operation'],
  2: ['InvalidProgramId', 'cannot assign account to this program id'],
  3: ['InvalidAccountDataLength', 'cannot allocate account data of this length'],
  4: ['MaxSeedLengthExceeded', 'length of requested seed is too long'],
  5: ['AddressWithSeedMismatch', 'provided address does not match addressed derived from seed'],
  6: ['NonceNoRecentBlockhashes', 'advancing stored nonce requires a populated RecentBlockhashes sysvar'],
  7: ['NonceBlockhashNotExpired', 'stored nonce is still in recent_blockhashes'],
  8: ['NonceUnexpectedBlockhashValue', 'specified nonce does not match stored nonce'],
};
