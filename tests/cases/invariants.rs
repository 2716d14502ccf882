//! Random action sequences with conservation checks after every step, and instruction data
//! parsing that never panics on arbitrary bytes.
use anchor_lang::Discriminator;
use compute_credits::state::CreditClass;
use harness::builders::*;
use harness::fixtures::*;
use harness::{custom_code, TestContext};
use solana_sdk::instruction::{Instruction, InstructionError};
use solana_sdk::signature::Signer;
use solana_sdk::transaction::TransactionError;

/// xorshift: deterministic, so a failure replays exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[tokio::test]
async fn random_purchases_redemptions_and_freezes_conserve_supply_and_payments() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let provider = f.provider(&mut ctx, &c).await;
    let mut users = vec![];
    for _ in 0..3 {
        users.push(f.user(&mut ctx, &c, 10_000_000_000).await);
    }
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    let (mut paid, mut frozen) = (0u64, [false; 3]);
    for step in 0..40 {
        let u = rng.below(3) as usize;
        let amount = 1 + rng.below(5_000_000);
        let quote_before = ctx.balance(users[u].quote).await;
        match rng.below(4) {
            0 | 1 => {
                let r = f.buy(&mut ctx, &c, &users[u], amount).await;
                assert_eq!(r.is_ok(), !frozen[u], "step {step}: purchase while frozen={}", frozen[u]);
            }
            2 => {
                let ix =
                    redeem_credits(&f.redeem(&c, &users[u], &provider.pubkey()), amount, [step as u8; 32]);
                let held = ctx.balance(users[u].credits).await;
                let r = ctx.send(&[ix], &[&users[u].key, &provider]).await;
                assert_eq!(r.is_ok(), !frozen[u] && held >= amount, "step {step}: redeem {amount} of {held}");
            }
            _ => {
                let g = f.guardian.pubkey();
                let ix = if frozen[u] {
                    thaw_credits(
                        &g,
                        &c.class,
                        &c.mint,
                        (&users[u].pubkey(), &users[u].credits),
                        &c.program,
                        step,
                    )
                } else {
                    freeze_credits(
                        &g,
                        &c.class,
                        &c.mint,
                        (&users[u].pubkey(), &users[u].credits),
                        &c.program,
                        step,
                    )
                };
                ctx.send(&[ix], &[&f.guardian]).await.unwrap();
                frozen[u] = !frozen[u];
            }
        }
        paid += quote_before - ctx.balance(users[u].quote).await;

        // after every step: supply = minted - burned = what the holders hold; payments = treasury
        let class: CreditClass = ctx.anchor_account(c.class).await;
        let mut held = 0;
        for user in &users {
            held += ctx.balance(user.credits).await;
        }
        assert_eq!(ctx.mint_supply(c.mint).await, class.minted - class.burned, "step {step}");
        assert_eq!(held, class.minted - class.burned, "step {step}");
        assert_eq!(ctx.balance(f.treasury_quote).await, paid, "step {step}");
    }
}

#[tokio::test]
async fn arbitrary_instruction_data_is_refused_without_a_panic() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let buyer = f.user(&mut ctx, &c, 10_000_000).await;
    let template = purchase_credits(&f.purchase(&c, &buyer), 1, LIST_PRICE);
    let discriminators: Vec<&[u8]> = vec![
        compute_credits::instruction::PurchaseCredits::DISCRIMINATOR,
        compute_credits::instruction::CreateCreditClass::DISCRIMINATOR,
        compute_credits::instruction::RedeemCredits::DISCRIMINATOR,
        compute_credits::instruction::InitializePlatform::DISCRIMINATOR,
        compute_credits::instruction::SubmitPrice::DISCRIMINATOR,
        &[],
        &[0xff; 8],
    ];
    let mut rng = Rng(0xdead_beef_0bad_cafe);
    for (i, disc) in discriminators.iter().enumerate() {
        for len in [0usize, 1, 7, 9, 16, 33, 200] {
            let mut data = disc.to_vec();
            data.extend((0..len).map(|_| rng.next() as u8));
            let ix = Instruction { data, ..template.clone() };
            let r = ctx.send(&[ix], &[&buyer.key]).await;
            // refused with an error code or a clean instruction error, never a crashed program
            match &r.result {
                Err(TransactionError::InstructionError(_, InstructionError::Custom(_))) => {
                    assert!(custom_code(&r).is_some())
                }
                Err(TransactionError::InstructionError(_, e)) => {
                    assert!(
                        !matches!(e, InstructionError::ProgramFailedToComplete),
                        "case {i}/{len}: {e:?} {:#?}",
                        r.logs
                    )
                }
                other => panic!("case {i}/{len}: garbage accepted or odd failure: {other:?}"),
            }
        }
    }
    // nothing moved
    assert_eq!(ctx.balance(buyer.credits).await, 0);
}
