//! `token`: developer utilities as the spl-token CLI has them, for a quote currency the user
//! controls on a local network: `create-mint`, `create-account`, `mint-to`, `balance`.
use anchor_spl::token_2022::spl_token_2022;
use clap::{Args, Subcommand};
use serde_json::json;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

use super::accounts::{ata, create_ata, mint, token_account};
use super::args::{key_source, Amount, TokenProgram};
use super::output::{self, fact, units};
use super::CliResult;
use crate::context::Context;

#[derive(Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    pub command: TokenCommand,
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create a mint whose mint authority is the signer (or --mint-authority).
    CreateMint {
        #[arg(long, default_value_t = 6)]
        decimals: u8,
        #[arg(long, value_enum, default_value_t = TokenProgram::Spl)]
        token_program: TokenProgram,
        /// The mint's keypair file (it signs the creation). Default: a new random key.
        #[arg(long, value_name = "KEYPAIR")]
        mint_keypair: Option<String>,
        /// Default: the signer.
        #[arg(long)]
        mint_authority: Option<Pubkey>,
        /// Default: none.
        #[arg(long)]
        freeze_authority: Option<Pubkey>,
    },
    /// Create the associated token account of `owner` (default: the signer) for a mint.
    CreateAccount {
        mint: Pubkey,
        #[arg(long)]
        owner: Option<Pubkey>,
    },
    /// Mint tokens (signer: the mint authority) to a token account, or to a wallet's
    /// associated account (created if missing; default: the signer's).
    MintTo {
        mint: Pubkey,
        /// Whole tokens (12.5) or atoms (12500000atoms).
        amount: Amount,
        #[arg(long, value_name = "ACCOUNT_OR_OWNER")]
        to: Option<Pubkey>,
    },
    /// The balance of a wallet's associated account of a mint (default: the signer's), or of
    /// --address.
    Balance {
        mint: Pubkey,
        #[arg(long, conflicts_with = "address")]
        owner: Option<Pubkey>,
        #[arg(long)]
        address: Option<Pubkey>,
    },
}

fn owner_or_signer(ctx: &Context, owner: Option<Pubkey>) -> Result<Pubkey, String> {
    match owner {
        Some(o) => Ok(o),
        None => Ok(ctx.signer()?.pubkey()),
    }
}

pub fn run(ctx: &Context, args: TokenArgs) -> CliResult {
    match args.command {
        TokenCommand::CreateMint {
            decimals,
            token_program,
            mint_keypair,
            mint_authority,
            freeze_authority,
        } => {
            let authority = ctx.signer()?;
            let payer = ctx.fee_payer()?.pubkey();
            let mint: Box<dyn Signer> = match mint_keypair {
                Some(source) => key_source(ctx, &source)?,
                None => Box::new(Keypair::new()),
            };
            let program = token_program.id();
            let len = spl_token_2022::extension::ExtensionType::try_calculate_account_len::<
                spl_token_2022::state::Mint,
            >(&[])
            .map_err(|e| e.to_string())?;
            let rent = ctx
                .rpc
                .get_minimum_balance_for_rent_exemption(len)
                .map_err(|e| format!("getMinimumBalanceForRentExemption: {e}"))?;
            let create = solana_system_interface::instruction::create_account(
                &payer,
                &mint.pubkey(),
                rent,
                len as u64,
                &program,
            );
            let init = spl_token_2022::instruction::initialize_mint2(
                &program,
                &mint.pubkey(),
                &mint_authority.unwrap_or(authority.pubkey()),
                freeze_authority.as_ref(),
                decimals,
            )
            .map_err(|e| e.to_string())?;
            output::run(ctx, &[create, init], &[authority, mint.as_ref()], &[fact("mint", mint.pubkey())])?;
        }
        TokenCommand::CreateAccount { mint: m, owner } => {
            let owner = owner_or_signer(ctx, owner)?;
            let payer = ctx.fee_payer()?.pubkey();
            let (program, _) = mint(ctx, &m)?;
            let account = ata(&owner, &m, &program);
            output::run(ctx, &[create_ata(&payer, &owner, &m, &program)], &[], &[fact("account", account)])?;
        }
        TokenCommand::MintTo { mint: m, amount, to } => {
            let authority = ctx.signer()?;
            let payer = ctx.fee_payer()?.pubkey();
            let (program, state) = mint(ctx, &m)?;
            let to = owner_or_signer(ctx, to)?;
            let mut ixs = vec![];
            let account = match token_account(ctx, &to) {
                Ok(Some(_)) => to,
                _ => {
                    ixs.push(create_ata(&payer, &to, &m, &program));
                    ata(&to, &m, &program)
                }
            };
            let atoms = amount.atoms(state.decimals)?;
            ixs.push(
                spl_token_2022::instruction::mint_to_checked(
                    &program,
                    &m,
                    &account,
                    &authority.pubkey(),
                    &[],
                    atoms,
                    state.decimals,
                )
                .map_err(|e| e.to_string())?,
            );
            output::run(ctx, &ixs, &[authority], &[fact("account", account)])?;
        }
        TokenCommand::Balance { mint: m, owner, address } => {
            let (program, state) = mint(ctx, &m)?;
            let account = match address {
                Some(a) => a,
                None => ata(&owner_or_signer(ctx, owner)?, &m, &program),
            };
            let amount = token_account(ctx, &account)?.map(|a| a.amount);
            let shown = amount.map_or(format!("no account {account}"), |a| units(a, state.decimals));
            ctx.print(
                &shown,
                &json!({
                    "address": account.to_string(),
                    "mint": m.to_string(),
                    "exists": amount.is_some(),
                    "amount": amount.unwrap_or(0),
                    "uiAmount": units(amount.unwrap_or(0), state.decimals),
                    "decimals": state.decimals,
                }),
            );
        }
    }
    Ok(())
}
