//! The sample world `localnet --seed <DIR>` builds for the web app, with the client crate's
//! builders through the one pipeline: a platform (the deployer is its admin and the feed's
//! publisher), a USDC-like SPL quote mint, an H100 GPU-hour Token-2022 class with its metadata,
//! a native feed with a fresh price, the default lending terms on the hourly clock, an
//! underwriter and a registered provider; a holder with credits and quote (and redemptions), a
//! borrower and a lender with one DEFAULTED financed loan (the clock moved past its deadlines)
//! and one CURRENT loan, and a market with a maker's resting orders, a trader's seat and trades
//! (`seed_market`), and a metering channel of the holder to the provider with three redeemed
//! batches (`seed_channel`). Keypair files live in DIR (reused when present, so addresses survive a
//! restart); `DIR/world.json` says where everything is.
use std::path::{Path, PathBuf};

use anchor_spl::token::spl_token;
use compute_credits::{ApprovalTerms, FeeSettings, FeedKind, LoanKind, OfferTerms};
use credit_client::ix;
use credit_client::sample::{self, CONF, CREDIT, PRICE, USD};
use credit_client::{pda, read, ClassKeys, LoanKeys};
use credit_math::ledger::LoanStatus;
use localnet::Localnet;
use serde_json::{json, Value};
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::instruction::Instruction;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{read_keypair_file, write_keypair_file, Keypair, Signer};

/// The roles a newcomer switches between, each a keypair file in DIR.
/// `settlement` is the provider's settlement key (it redeems the channel's batches).
pub const ROLES: [&str; 10] = [
    "admin",
    "guardian",
    "underwriter",
    "provider",
    "holder",
    "borrower",
    "lender",
    "trader",
    "maker",
    "settlement",
];

/// A day: the sample feed's staleness bound (the program's maximum), so a session's purchases
/// and loan checks find a fresh price without a publisher running.
const FEED_STALENESS_SECS: u32 = 86_400;

/// The keypair `DIR/<name>.json`, created when missing.
pub fn keypair(dir: &Path, name: &str) -> Result<(Keypair, PathBuf), String> {
    let path = dir.join(format!("{name}.json"));
    if path.exists() {
        let key = read_keypair_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        return Ok((key, path));
    }
    let key = Keypair::new();
    write_keypair_file(&key, &path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((key, path))
}

pub struct Role {
    pub key: Keypair,
    pub path: PathBuf,
}

/// What the seeding works with: the network, the admin, the roles, the class.
pub struct Seeder<'a> {
    pub net: &'a Localnet,
    pub rpc: RpcClient,
    pub admin: &'a Keypair,
    pub roles: Vec<(&'static str, Role)>,
    pub class: ClassKeys,
    pub feed: Pubkey,
    pub treasury_quote: Pubkey,
}

impl<'a> Seeder<'a> {
    pub fn role(&self, name: &str) -> &Keypair {
        &self.roles.iter().find(|(n, _)| *n == name).expect("a seeded role").1.key
    }

    pub fn send(&self, what: &str, ixs: &[Instruction], signers: &[&dyn Signer]) -> Result<(), String> {
        sample::send(&self.rpc, ixs, signers).map_err(|e| format!("seeding ({what}): {e}"))
    }

    /// The admin publishes $2.50 +- $0.01 now.
    fn publish(&self) -> Result<(), String> {
        let submit = ix::submit_price(&self.admin.pubkey(), &self.feed, PRICE, CONF);
        self.send("price", &[submit], &[self.admin])
    }

    /// `dollars` of quote minted to `owner`.
    fn fund(&self, owner: &Pubkey, dollars: u64) -> Result<(), String> {
        let a = self.admin.pubkey();
        let ixs = sample::mint_quote(&a, &self.class.quote_mint, owner, dollars * USD)?;
        self.send("quote", &ixs, &[self.admin])
    }

    /// `name` buys `credits` at the feed's price (at most $3.00 each).
    fn buy(&self, name: &str, credits: u64) -> Result<(), String> {
        let who = self.role(name);
        let p = sample::purchase(&self.class, &who.pubkey(), &self.treasury_quote, Some(self.feed));
        let ixs = [
            sample::create_credit_account(&self.class, &who.pubkey()),
            ix::purchase_credits(&p, credits * CREDIT, 3 * USD),
        ];
        self.send("purchase", &ixs, &[who])
    }

    pub fn now(&self) -> Result<i64, String> {
        read::now(&self.rpc).map_err(|e| e.to_string())
    }

    /// Platform, quote mint, class with its metadata, feed with a fresh price, lending terms,
    /// underwriter, provider; every role funded with 100 SOL.
    fn start(net: &'a Localnet, dir: &Path, admin: &'a Keypair) -> Result<Seeder<'a>, String> {
        let rpc = RpcClient::new_with_commitment(
            net.rpc_url().to_string(),
            solana_commitment_config::CommitmentConfig::confirmed(),
        );
        let mut roles = vec![];
        for name in &ROLES[1..] {
            let (key, path) = keypair(dir, name)?;
            net.fund_sol(&key.pubkey(), 100_000_000_000)?;
            roles.push((*name, Role { key, path }));
        }
        let a = admin.pubkey();
        let (mint, _) = keypair(dir, "quote-mint")?;
        let quote_mint = mint.pubkey();
        sample::send(&rpc, &sample::create_spl_mint(&rpc, &a, &quote_mint, &a)?, &[admin, &mint])
            .map_err(|e| format!("seeding (quote mint): {e}"))?;
        let class = pda::class(0);
        let s = Seeder {
            net,
            rpc,
            admin,
            roles,
            class: ClassKeys {
                class,
                credit_mint: pda::credit_mint(&class),
                quote_mint,
                credit_program: anchor_spl::token_2022::ID,
                quote_program: spl_token::ID,
            },
            feed: pda::price_feed(&class),
            // the admin keeps the treasury
            treasury_quote: pda::associated_token(&a, &quote_mint, &spl_token::ID),
        };
        let fees = FeeSettings { purchase_fee_bps: 100, origination_fee_bps: 50 };
        let init = ix::initialize_platform(&a, &s.role("guardian").pubkey(), &a, fees);
        s.send("platform", &[init, sample::create_quote_account(&a, &a, &quote_mint)], &[admin])?;
        let feed_config = sample::feed_config(1, [0; 32], FEED_STALENESS_SECS);
        let class_ixs = [
            ix::create_credit_class(
                &a,
                sample::class_args(0),
                &quote_mint,
                &anchor_spl::token_2022::ID,
                &spl_token::ID,
            ),
            ix::configure_lending(&a, sample::lending_params()),
            ix::create_price_feed(&a, &class, FeedKind::Native, feed_config),
        ];
        s.send("class", &class_ixs, &[admin])?;
        let roles_ixs = [
            ix::add_publisher(&a, &s.feed, &a),
            ix::set_underwriter(&a, &s.role("underwriter").pubkey()),
            ix::register_provider(&a, &class, &s.role("provider").pubkey()),
        ];
        s.send("roles", &roles_ixs, &[admin])?;
        s.publish()?;
        s.send("class feed", &[ix::set_class_price_feed(&a, &class, &s.feed, true)], &[admin])?;
        Ok(s)
    }

    /// `name` redeems `credits` for compute the provider served (both sign).
    fn redeem(&self, name: &str, credits: u64, usage: &str) -> Result<(), String> {
        let (who, provider) = (self.role(name), self.role("provider"));
        let r = ix::Redeem {
            holder: who.pubkey(),
            provider_authority: provider.pubkey(),
            class: self.class.class,
            credit_mint: self.class.credit_mint,
            holder_credits: pda::associated_token(
                &who.pubkey(),
                &self.class.credit_mint,
                &self.class.credit_program,
            ),
            credit_token_program: self.class.credit_program,
        };
        self.send(
            "redemption",
            &[ix::redeem_credits(&r, credits * CREDIT, usage_reference(usage))],
            &[who, provider],
        )
    }

    /// The lender's financing offer `loan_id` to the borrower, accepted by the borrower at the
    /// feed's price; the credits land in the loan's vault.
    fn financed_loan(
        &self,
        loan_id: u64,
        dollars: u64,
        apr_bps: u16,
        periods: u16,
    ) -> Result<LoanKeys, String> {
        let (lender, borrower) = (self.role("lender"), self.role("borrower"));
        let lending = sample::lending_params();
        let lender_quote = pda::associated_token(&lender.pubkey(), &self.class.quote_mint, &spl_token::ID);
        let k = LoanKeys::new(
            &self.class,
            &lender.pubkey(),
            &lender_quote,
            &borrower.pubkey(),
            loan_id,
            &self.treasury_quote,
        );
        let terms = OfferTerms {
            loan_id,
            borrower: borrower.pubkey(),
            kind: LoanKind::ComputeFinancing,
            schedule: 0,
            principal: dollars * USD,
            apr_bps,
            periods,
            borrower_tier: 2,
            // the platform's minimum lines (what `loan offer` defaults to)
            initial_bps: 0,
            maintenance_bps: lending.min_maintenance_bps,
            liquidation_bps: lending.min_liquidation_bps,
        };
        self.send("loan offer", &[ix::post_loan_offer(&k, terms)], &[lender])?;
        // financing buys the credits from the platform: the principal goes to its treasury
        let accept = ix::accept_loan(&k, &self.treasury_quote, None, 0, 0);
        self.send("loan accept", &[accept], &[borrower])?;
        Ok(k)
    }

    /// The borrower spends `credits` of the loan's vault on compute (the provider co-signs).
    fn redeem_from_vault(&self, k: &LoanKeys, credits: u64, usage: &str) -> Result<(), String> {
        let (borrower, provider) = (self.role("borrower"), self.role("provider"));
        let ix = ix::redeem_from_vault(k, &provider.pubkey(), credits * CREDIT, usage_reference(usage), true);
        self.send("vault redemption", &[ix], &[borrower, provider])
    }

    fn status(&self, loan: &Pubkey) -> Result<LoanStatus, String> {
        read::loan(&self.rpc, loan).map(|l| l.status()).map_err(|e| e.to_string())
    }

    /// Two financed loans: the first left unpaid past its first installment's grace and cure
    /// (the clock moved), cranked into default; the second accepted after, current.
    fn loans(&self) -> Result<(Pubkey, Pubkey), String> {
        let borrower = self.role("borrower").pubkey();
        let approval = ApprovalTerms {
            borrower,
            quote_mint: self.class.quote_mint,
            tier: 2,
            max_principal: 10_000_000 * USD,
            expires_at: self.now()? + 10 * 365 * 86_400,
        };
        let underwriter = self.role("underwriter");
        self.send("approval", &[ix::approve_borrower(&underwriter.pubkey(), approval)], &[underwriter])?;
        let defaulted = self.financed_loan(1, 250_000, 900, 12)?;
        self.redeem_from_vault(&defaulted, 1_500, "gpu-cluster-week-1")?;
        self.redeem_from_vault(&defaulted, 2_250, "gpu-cluster-week-2")?;
        let ledger = read::loan(&self.rpc, &defaulted.loan).map_err(|e| e.to_string())?.ledger();
        let lending = sample::lending_params();
        let due = ledger.due_ts(1).map_err(|e| format!("the first installment's due date: {e:?}"))?;
        self.net.time_travel_to(due + i64::from(lending.grace_secs + lending.cure_secs) + 60)?;
        self.publish()?;
        self.send("crank", &[ix::update_loan(&defaulted)], &[self.admin])?;
        match self.status(&defaulted.loan)? {
            LoanStatus::Defaulted => {}
            other => return Err(format!("seeding: the unpaid loan is {other:?}, not Defaulted")),
        }
        let current = self.financed_loan(2, 100_000, 1_000, 6)?;
        for (credits, usage) in
            [(800, "inference-batch-1"), (1_200, "inference-batch-2"), (950, "training-run-3")]
        {
            self.redeem_from_vault(&current, credits, usage)?;
        }
        match self.status(&current.loan)? {
            LoanStatus::Current => Ok((defaulted.loan, current.loan)),
            other => Err(format!("seeding: the new loan is {other:?}, not Current")),
        }
    }
}

/// A usage reference as the program stores it: the text's bytes, zero-padded to 32.
pub fn usage_reference(text: &str) -> [u8; 32] {
    let mut r = [0u8; 32];
    let n = text.len().min(32);
    r[..n].copy_from_slice(&text.as_bytes()[..n]);
    r
}

fn absolute(path: &Path) -> Result<String, String> {
    let p = std::path::absolute(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(p.to_string_lossy().into_owned())
}

/// Seeds the world on `net` (whose upgrade authority `admin` is, its keypair at `admin_path`)
/// and writes `DIR/world.json`; returns what it wrote.
pub fn seed(
    net: &Localnet,
    dir: &Path,
    admin: &Keypair,
    admin_path: &Path,
    app_url: &str,
) -> Result<Value, String> {
    let s = Seeder::start(net, dir, admin)?;
    for (name, dollars) in [
        ("holder", 10_000),
        ("borrower", 1_000),
        ("lender", 1_000_000),
        ("trader", 10_000),
        ("maker", 10_000),
    ] {
        s.fund(&s.role(name).pubkey(), dollars)?;
    }
    for (name, credits) in [("holder", 400), ("borrower", 20), ("trader", 200), ("maker", 300)] {
        s.buy(name, credits)?;
    }
    // the channel's last batch comes after the loans moved the clock: batches hours apart
    let channel = super::seed_channel::open(&s)?;
    let (defaulted, current) = s.loans()?;
    super::seed_channel::redeem(&s, &channel, 2)?;
    for (credits, usage) in [(25, "job-2026-0001"), (40, "job-2026-0002"), (15, "job-2026-0003")] {
        s.redeem("holder", credits, usage)?;
    }
    let market = super::seed_market::market(&s, dir)?;
    // a fresh price last, for the session ahead
    s.publish()?;
    let mut wallets = serde_json::Map::new();
    wallets.insert(
        "admin".into(),
        json!({ "address": admin.pubkey().to_string(), "keypair": absolute(admin_path)? }),
    );
    for (name, role) in &s.roles {
        let entry = json!({ "address": role.key.pubkey().to_string(), "keypair": absolute(&role.path)? });
        wallets.insert((*name).into(), entry);
    }
    let world = json!({
        "rpcUrl": net.rpc_url(),
        "wsUrl": net.ws_url(),
        "appUrl": app_url,
        "programId": compute_credits::ID.to_string(),
        "quoteMint": s.class.quote_mint.to_string(),
        "class": s.class.class.to_string(),
        "creditMint": s.class.credit_mint.to_string(),
        "feed": s.feed.to_string(),
        "market": market.to_string(),
        "treasury": admin.pubkey().to_string(),
        "loans": { "defaulted": defaulted.to_string(), "current": current.to_string() },
        "channel": { "address": channel.channel.to_string(), "vault": channel.vault.to_string() },
        "wallets": wallets,
    });
    let settlement =
        absolute(&s.roles.iter().find(|(n, _)| *n == "settlement").expect("the settlement role").1.path)?;
    let gateway = super::seed_channel::gateway_config(
        net.rpc_url(),
        &s.class.class.to_string(),
        &s.role("provider").pubkey().to_string(),
        &settlement,
    );
    let gateway_path = dir.join("gateway.toml");
    std::fs::write(&gateway_path, gateway).map_err(|e| format!("{}: {e}", gateway_path.display()))?;
    // written whole, then renamed: a reader polling for the file never sees half of it
    let (tmp, path) = (dir.join("world.json.tmp"), dir.join("world.json"));
    let text = serde_json::to_string_pretty(&world).expect("JSON value");
    std::fs::write(&tmp, text).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(world)
}
