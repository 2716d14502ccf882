//! The mode switch runs what it claims: natively no program logs and ~no compute units; on the
//! `.so` real compute units and Anchor's logs.
use compute_credits::error::CreditsError;
use harness::builders::*;
use harness::fixtures::*;
use harness::{assert_error, Mode, TestContext};
use solana_sdk::signature::Signer;

#[tokio::test]
async fn mode_runs_the_build_it_claims() {
    let mut ctx = TestContext::start().await;
    let f = PlatformFixture::new(&mut ctx, TokenKind::Spl).await;
    let c = f.create_class(&mut ctx, TokenKind::Token2022).await;
    let buyer = f.user(&mut ctx, &c, 10_000_000).await;
    let ok = f.buy(&mut ctx, &c, &buyer, 1_000_000).await.unwrap();
    let bad = ctx.send(&[purchase_credits(&f.purchase(&c, &buyer), 1_000_000, 1)], &[&buyer.key]).await;
    assert_error(&bad, CreditsError::PriceAboveLimit);
    match ctx.mode {
        Mode::Sbf => {
            assert!(
                ok.compute_units > 5_000,
                "a purchase on the .so costs real compute: {}",
                ok.compute_units
            );
            let invoke = format!("Program {} invoke [1]", compute_credits::ID);
            assert!(ok.logs.iter().any(|l| l == &invoke), "{:#?}", ok.logs);
            assert!(ok.logs.iter().any(|l| l == "Program log: Instruction: PurchaseCredits"));
            assert!(bad.logs.iter().any(|l| l.contains("PriceAboveLimit")), "{:#?}", bad.logs);
        }
        Mode::Native => {
            // the program is a builtin: it records no logs of its own (the token programs it
            // calls are real SBF programs, so their compute units still count)
            assert!(
                !ok.logs.iter().any(|l| l == "Program log: Instruction: PurchaseCredits"),
                "{:#?}",
                ok.logs
            );
        }
    }
    let _ = buyer.key.pubkey();
}
