use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
use anchor_spl::token_2022::spl_token_2022::state::Mint as MintState;
use anchor_spl::token_2022_extensions::spl_token_metadata_interface::state::{Field, TokenMetadata};
use anchor_spl::token_interface::{
    self, metadata_pointer_initialize, pausable_initialize, token_metadata_initialize,
    token_metadata_update_field, InitializeMint2, MetadataPointerInitialize, Mint, PausableInitialize,
    TokenInterface, TokenMetadataInitialize, TokenMetadataUpdateField,
};

use crate::constants::*;
use crate::error::CreditsError;
use crate::events::CreditClassCreated;
use crate::pda::{create_pda, init_zero_copy_account};
use crate::state::{CreditClass, Platform};
use crate::token::extensions::require_supported_quote_mint;

#[derive(AnchorSerialize, Clone, Debug)]
pub struct CreateCreditClassArgs {
    /// Must equal `platform.class_count`: ids are sequential, so clients derive the PDA.
    pub class_id: u32,
    /// Token metadata shown by wallets (Token-2022 classes).
    pub name: String,
    pub symbol: String,
    pub uri: String,
    /// The compute unit one credit stands for, e.g. "H100 GPU-hour".
    pub unit: String,
    pub decimals: u8,
    /// Quote atoms per whole credit.
    pub list_price: u64,
}

/// Borsh would allocate up to 1 MiB for a string's claimed length before reading it, which
/// aborts a program with a 32 KiB heap: arbitrary instruction data must fail cleanly instead.
/// Strings are read with a bounded length; `validate` then enforces the real limits by name.
const MAX_ARG_STRING: usize = 1_024;

fn bounded_string<R: std::io::Read>(reader: &mut R) -> std::io::Result<String> {
    let len = u32::deserialize_reader(reader)? as usize;
    if len > MAX_ARG_STRING {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "string argument too long"));
    }
    let mut bytes = vec![0u8; len];
    reader.read_exact(&mut bytes)?;
    String::from_utf8(bytes).map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8"))
}

impl AnchorDeserialize for CreateCreditClassArgs {
    fn deserialize_reader<R: std::io::Read>(reader: &mut R) -> std::io::Result<Self> {
        Ok(Self {
            class_id: u32::deserialize_reader(reader)?,
            name: bounded_string(reader)?,
            symbol: bounded_string(reader)?,
            uri: bounded_string(reader)?,
            unit: bounded_string(reader)?,
            decimals: u8::deserialize_reader(reader)?,
            list_price: u64::deserialize_reader(reader)?,
        })
    }
}

impl CreateCreditClassArgs {
    fn validate(&self) -> Result<()> {
        let ok = |s: &str, max: usize| !s.is_empty() && s.len() <= max;
        require!(
            ok(&self.name, MAX_NAME_LEN)
                && ok(&self.symbol, MAX_SYMBOL_LEN)
                && ok(&self.uri, MAX_URI_LEN)
                && ok(&self.unit, MAX_UNIT_LEN),
            CreditsError::InvalidMetadata
        );
        require!(self.decimals <= MAX_CREDIT_DECIMALS, CreditsError::InvalidDecimals);
        require!(self.list_price > 0, CreditsError::InvalidPrice);
        Ok(())
    }
}

#[derive(Accounts)]
#[instruction(args: CreateCreditClassArgs)]
pub struct CreateCreditClass<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(address = PLATFORM @ CreditsError::WrongPlatform, mut, has_one = admin @ CreditsError::NotAdmin)]
    pub platform: AccountLoader<'info, Platform>,
    /// CHECK: the class PDA, created here (`AlreadyInitialized` if the id is taken).
    #[account(mut, seeds = [CLASS_SEED, &args.class_id.to_le_bytes()], bump)]
    pub class: UncheckedAccount<'info>,
    /// CHECK: the class's mint PDA, created and initialised by this instruction (its address is
    /// pinned by the seeds; `create_account` refuses an address that already exists).
    #[account(mut, seeds = [CREDIT_MINT_SEED, class.key().as_ref()], bump)]
    pub credit_mint: UncheckedAccount<'info>,
    #[account(mint::token_program = quote_token_program)]
    pub quote_mint: InterfaceAccount<'info, Mint>,
    /// SPL Token or Token-2022: Token-2022 classes get metadata and the Pausable extension.
    pub credit_token_program: Interface<'info, TokenInterface>,
    pub quote_token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl CreateCreditClass<'_> {
    pub fn handler(ctx: Context<Self>, args: CreateCreditClassArgs) -> Result<()> {
        args.validate()?;
        require!(args.class_id == ctx.accounts.platform.load()?.class_count, CreditsError::WrongClassId);
        require_supported_quote_mint(&ctx.accounts.quote_mint)?;

        let class_key = ctx.accounts.class.key();
        let token_2022 = ctx.accounts.credit_token_program.key() == anchor_spl::token_2022::ID;
        let mut class = CreditClass {
            class_id: args.class_id,
            credit_mint: ctx.accounts.credit_mint.key(),
            credit_token_program: ctx.accounts.credit_token_program.key(),
            quote_mint: ctx.accounts.quote_mint.key(),
            quote_token_program: ctx.accounts.quote_token_program.key(),
            list_price: args.list_price,
            decimals: args.decimals,
            quote_decimals: ctx.accounts.quote_mint.decimals,
            bump: ctx.bumps.class,
            mint_bump: ctx.bumps.credit_mint,
            ..Default::default()
        };
        class.set_unit(&args.unit);
        init_zero_copy_account(
            &ctx.accounts.admin.to_account_info(),
            &ctx.accounts.class.to_account_info(),
            &ctx.accounts.system_program.to_account_info(),
            &class.signer_seeds(),
            &class,
        )?;
        {
            let mut platform = ctx.accounts.platform.load_mut()?;
            platform.class_count = platform.class_count.checked_add(1).ok_or(CreditsError::MathOverflow)?;
        }

        create_mint(&ctx, &class, token_2022, &args)?;

        emit!(CreditClassCreated {
            class: class_key,
            class_id: args.class_id,
            mint: ctx.accounts.credit_mint.key(),
            token_program: ctx.accounts.credit_token_program.key(),
            quote_mint: ctx.accounts.quote_mint.key(),
            decimals: args.decimals,
            list_price: args.list_price,
        });
        Ok(())
    }
}

/// Creates the mint at its PDA with the class PDA as every authority. Token-2022 mints carry
/// MetadataPointer (to themselves), TokenMetadata (name, symbol, uri, unit) and Pausable.
fn create_mint(
    ctx: &Context<CreateCreditClass>,
    class: &CreditClass,
    token_2022: bool,
    args: &CreateCreditClassArgs,
) -> Result<()> {
    let accounts = &ctx.accounts;
    let class_key = accounts.class.key();
    let program = accounts.credit_token_program.to_account_info();
    let mint = accounts.credit_mint.to_account_info();
    let class_info = accounts.class.to_account_info();
    let class_seeds = class.signer_seeds();
    let mint_seeds: &[&[u8]] = &[CREDIT_MINT_SEED, class_key.as_ref(), &[ctx.bumps.credit_mint]];

    let (space, funded_len) = if token_2022 {
        let space = ExtensionType::try_calculate_account_len::<MintState>(&[
            ExtensionType::MetadataPointer,
            ExtensionType::Pausable,
        ])?;
        // TokenMetadata grows the account after initialisation: fund the final size up front.
        let metadata = TokenMetadata {
            update_authority: Some(class_key).try_into()?,
            mint: mint.key(),
            name: args.name.clone(),
            symbol: args.symbol.clone(),
            uri: args.uri.clone(),
            additional_metadata: vec![(UNIT_METADATA_KEY.to_string(), args.unit.clone())],
        };
        (space, space + metadata.tlv_size_of()?)
    } else {
        let len = ExtensionType::try_calculate_account_len::<MintState>(&[])?;
        (len, len)
    };
    create_pda(
        &accounts.admin.to_account_info(),
        &mint,
        &accounts.system_program.to_account_info(),
        mint_seeds,
        space,
        funded_len,
        &program.key(),
    )?;

    if token_2022 {
        metadata_pointer_initialize(
            CpiContext::new(
                program.key(),
                MetadataPointerInitialize { token_program_id: program.clone(), mint: mint.clone() },
            ),
            Some(class_key),
            Some(mint.key()),
        )?;
        pausable_initialize(
            CpiContext::new(
                program.key(),
                PausableInitialize { token_program_id: program.clone(), mint: mint.clone() },
            ),
            class_key,
        )?;
    }
    token_interface::initialize_mint2(
        CpiContext::new(program.key(), InitializeMint2 { mint: mint.clone() }),
        args.decimals,
        &class_key,
        Some(&class_key),
    )?;
    if token_2022 {
        token_metadata_initialize(
            CpiContext::new_with_signer(
                program.key(),
                TokenMetadataInitialize {
                    program_id: program.clone(),
                    metadata: mint.clone(),
                    update_authority: class_info.clone(),
                    mint_authority: class_info.clone(),
                    mint: mint.clone(),
                },
                &[&class_seeds],
            ),
            args.name.clone(),
            args.symbol.clone(),
            args.uri.clone(),
        )?;
        token_metadata_update_field(
            CpiContext::new_with_signer(
                program.key(),
                TokenMetadataUpdateField {
                    program_id: program.clone(),
                    metadata: mint,
                    update_authority: class_info,
                },
                &[&class_seeds],
            ),
            Field::Key(UNIT_METADATA_KEY.to_string()),
            args.unit.clone(),
        )?;
    }
    Ok(())
}
