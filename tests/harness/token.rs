//! Real SPL Token / Token-2022 / ATA accounts for tests: mints, funded accounts, balances.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::system_instruction;
use anchor_spl::associated_token::{
    get_associated_token_address_with_program_id, spl_associated_token_account,
};
use anchor_spl::token::spl_token;
use anchor_spl::token_2022::spl_token_2022 as t22;
use solana_sdk::{
    instruction::Instruction,
    signature::{Keypair, Signer},
};
use t22::extension::{BaseStateWithExtensions, ExtensionType, StateWithExtensions};

use crate::context::TestContext;

pub const SPL_TOKEN: Pubkey = spl_token::ID;
pub const TOKEN_2022: Pubkey = t22::ID;

/// A decoded token account (either program).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenAccountView {
    pub mint: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub frozen: bool,
}

impl TestContext {
    /// Creates a mint with `authority` as mint authority (and optional freeze authority),
    /// owned by `program`, with the given Token-2022 extensions initialised by `init_exts`.
    pub async fn create_mint_with(
        &mut self,
        program: Pubkey,
        decimals: u8,
        authority: &Pubkey,
        freeze: Option<&Pubkey>,
        extensions: &[ExtensionType],
        init_exts: Vec<Instruction>,
    ) -> Pubkey {
        let mint = self.keypair();
        let space = ExtensionType::try_calculate_account_len::<t22::state::Mint>(extensions).unwrap();
        let rent = self.rent().await.minimum_balance(space);
        let mut ixs = vec![system_instruction::create_account(
            &self.payer().pubkey(),
            &mint.pubkey(),
            rent,
            space as u64,
            &program,
        )];
        ixs.extend(init_exts.into_iter().map(|mut ix| {
            // builders take the mint address; patch the placeholder
            for meta in ix.accounts.iter_mut() {
                if meta.pubkey == Pubkey::default() {
                    meta.pubkey = mint.pubkey();
                }
            }
            ix
        }));
        ixs.push(
            t22::instruction::initialize_mint2(&program, &mint.pubkey(), authority, freeze, decimals)
                .unwrap(),
        );
        self.send(&ixs, &[&mint]).await.unwrap();
        mint.pubkey()
    }

    /// A plain mint (no extensions) with the payer as mint authority.
    pub async fn create_mint(&mut self, program: Pubkey, decimals: u8) -> Pubkey {
        let authority = self.payer().pubkey();
        self.create_mint_with(program, decimals, &authority, None, &[], vec![]).await
    }

    /// The associated token account of `owner` for `mint`, created if missing.
    pub async fn ata(&mut self, owner: &Pubkey, mint: &Pubkey, program: &Pubkey) -> Pubkey {
        let address = get_associated_token_address_with_program_id(owner, mint, program);
        if self.account(address).await.is_none() {
            let ix = spl_associated_token_account::instruction::create_associated_token_account_idempotent(
                &self.payer().pubkey(),
                owner,
                mint,
                program,
            );
            self.send(&[ix], &[]).await.unwrap();
        }
        address
    }

    /// A fresh (non-associated) token account of `owner` for `mint`, sized for the account
    /// extensions a Token-2022 mint requires (a Pausable mint's accounts carry PausableAccount).
    pub async fn token_account_for(&mut self, owner: &Pubkey, mint: &Pubkey, program: &Pubkey) -> Pubkey {
        let len = if *program == TOKEN_2022 {
            let required =
                ExtensionType::get_required_init_account_extensions(&self.mint_extensions(*mint).await);
            ExtensionType::try_calculate_account_len::<t22::state::Account>(&required).unwrap()
        } else {
            165
        };
        let account = self.keypair();
        let rent = self.rent().await.minimum_balance(len);
        let payer = self.payer().pubkey();
        let ixs = [
            system_instruction::create_account(&payer, &account.pubkey(), rent, len as u64, program),
            t22::instruction::initialize_account3(program, &account.pubkey(), mint, owner).unwrap(),
        ];
        self.send(&ixs, &[&account]).await.unwrap();
        account.pubkey()
    }

    /// Mints `amount` of a payer-controlled mint to `to`.
    pub async fn mint_to(&mut self, mint: &Pubkey, program: &Pubkey, to: &Pubkey, amount: u64) {
        let payer = self.payer().pubkey();
        let ix = t22::instruction::mint_to(program, mint, to, &payer, &[], amount).unwrap();
        self.send(&[ix], &[]).await.unwrap();
    }

    /// Decodes a token account of either program.
    pub async fn token_account(&mut self, key: Pubkey) -> TokenAccountView {
        let acc = self.account(key).await.unwrap_or_else(|| panic!("token account {key} missing"));
        let state = StateWithExtensions::<t22::state::Account>::unpack(&acc.data).expect("token account");
        TokenAccountView {
            mint: state.base.mint,
            owner: state.base.owner,
            amount: state.base.amount,
            frozen: state.base.state == t22::state::AccountState::Frozen,
        }
    }

    pub async fn balance(&mut self, key: Pubkey) -> u64 {
        self.token_account(key).await.amount
    }

    pub async fn mint_supply(&mut self, mint: Pubkey) -> u64 {
        let acc = self.account(mint).await.expect("mint");
        StateWithExtensions::<t22::state::Mint>::unpack(&acc.data).expect("mint").base.supply
    }

    /// A raw holder-to-holder `transfer_checked` through the token program itself.
    pub async fn raw_transfer(
        &mut self,
        class: &crate::ClassFixture,
        from: &Pubkey,
        to: &Pubkey,
        owner: &Keypair,
        amount: u64,
    ) -> crate::TxResult {
        let (program, mint, decimals) = (&class.program, &class.mint, class.decimals);
        let ix = t22::instruction::transfer_checked(
            program,
            from,
            mint,
            to,
            &owner.pubkey(),
            &[],
            amount,
            decimals,
        )
        .unwrap();
        self.send(&[ix], &[owner]).await
    }

    /// The Token-2022 extensions a mint carries.
    pub async fn mint_extensions(&mut self, mint: Pubkey) -> Vec<ExtensionType> {
        let acc = self.account(mint).await.expect("mint");
        StateWithExtensions::<t22::state::Mint>::unpack(&acc.data).unwrap().get_extension_types().unwrap()
    }
}
