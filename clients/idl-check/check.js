// Drives compute-credits over JSON-RPC with Anchor's TypeScript client, built from the committed
// IDL alone (idl/compute_credits.json): every instruction gets ONLY the accounts the IDL cannot
// resolve (`.accounts`, never `.accountsPartial`), so a fixed address, seed or relation missing
// from the IDL fails here with Anchor's "Account `x` not provided".
//
// usage: node check.js <rpc-url> <upgrade-authority-keypair.json> [<websocket-url>]
// Run by crates/localnet/tests/idl_client.rs against a local network with the program loaded.
"use strict";

const fs = require("fs");
const path = require("path");
const anchor = require("@anchor-lang/core");
const { BN } = anchor;
const web3 = require("@solana/web3.js");
const spl = require("@solana/spl-token");

const { Keypair, PublicKey, SystemProgram, LAMPORTS_PER_SOL } = web3;

const [url, keypairPath, wsEndpoint] = process.argv.slice(2);
if (!url || !keypairPath) {
  console.error("usage: node check.js <rpc-url> <upgrade-authority-keypair.json>");
  process.exit(2);
}

const idl = JSON.parse(fs.readFileSync(path.join(__dirname, "../../idl/compute_credits.json"), "utf8"));
const authority = Keypair.fromSecretKey(Uint8Array.from(JSON.parse(fs.readFileSync(keypairPath, "utf8"))));
const connection = new web3.Connection(url, { commitment: "confirmed", wsEndpoint });
const provider = new anchor.AnchorProvider(connection, new anchor.Wallet(authority), {
  commitment: "confirmed",
  preflightCommitment: "confirmed",
});
const program = new anchor.Program(idl, provider);
const events = new anchor.EventParser(program.programId, program.coder);

let steps = 0;
function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
}
function eq(actual, expected, what) {
  const a = actual && actual.toBase58 ? actual.toBase58() : String(actual);
  const e = expected && expected.toBase58 ? expected.toBase58() : String(expected);
  if (a !== e) throw new Error(`${what}: ${a} != ${e}`);
}

/// Sends a method builder and returns the resolved keys and the decoded events.
async function run(name, builder, signers = []) {
  const { pubkeys, signature } = await builder.signers(signers).rpcAndKeys();
  const tx = await connection.getTransaction(signature, {
    commitment: "confirmed",
    maxSupportedTransactionVersion: 0,
  });
  check(tx && !tx.meta.err, `${name} landed`);
  const emitted = [...events.parseLogs(tx.meta.logMessages)];
  steps += 1;
  console.log(
    `ok ${name}: ${tx.meta.computeUnitsConsumed} CU, events [${emitted.map((e) => e.name).join(", ")}]`
  );
  return { pubkeys, events: emitted };
}

function event(emitted, name) {
  const e = emitted.find((e) => e.name === name);
  check(e, `event ${name}`);
  return e.data;
}

async function fund(to, sol) {
  const tx = new web3.Transaction().add(
    SystemProgram.transfer({ fromPubkey: authority.publicKey, toPubkey: to, lamports: sol * LAMPORTS_PER_SOL })
  );
  await provider.sendAndConfirm(tx);
}

async function main() {
  const T22 = spl.TOKEN_2022_PROGRAM_ID;
  const TOKEN = spl.TOKEN_PROGRAM_ID;
  const opts = { commitment: "confirmed" };
  const guardian = authority; // the admin is also the guardian and the publisher here
  const treasury = Keypair.generate();
  const stranger = Keypair.generate();
  const providerKey = Keypair.generate();
  const trader = Keypair.generate();
  for (const k of [stranger, providerKey, trader]) await fund(k.publicKey, 2);

  // --- platform: initialize (upgrade authority), update; a stranger is refused by name --------
  const fees = { purchaseFeeBps: 100, originationFeeBps: 50 };
  let r = await run(
    "initialize_platform",
    program.methods.initializePlatform(guardian.publicKey, treasury.publicKey, fees).accounts({})
  );
  const platformKey = r.pubkeys.platform;
  eq(event(r.events, "platformInitialized").admin, authority.publicKey, "PlatformInitialized.admin");
  r = await run(
    "update_platform",
    program.methods.updatePlatform(guardian.publicKey, treasury.publicKey, fees).accounts({})
  );
  eq(r.pubkeys.platform, platformKey, "update_platform resolves the platform's address");
  eq(event(r.events, "platformUpdated").purchaseFeeBps, 100, "PlatformUpdated fee");
  const platform = await program.account.platform.fetch(platformKey);
  eq(platform.admin, authority.publicKey, "Platform.admin");
  eq(platform.treasury, treasury.publicKey, "Platform.treasury");
  try {
    await program.methods
      .updatePlatform(stranger.publicKey, stranger.publicKey, fees)
      .accounts({ admin: stranger.publicKey })
      .signers([stranger])
      .rpc();
    throw new Error("a stranger updated the platform");
  } catch (e) {
    check(e instanceof anchor.AnchorError, `an AnchorError, got ${e}`);
    eq(e.error.errorCode.code, "NotAdmin", "the named error");
    eq(e.error.errorCode.number, 6000 + idl.errors.findIndex((x) => x.name === "NotAdmin"), "its code");
    console.log(`ok update_platform by a stranger: ${e.error.errorCode.code} (${e.error.errorMessage})`);
  }
  eq((await program.account.platform.fetch(platformKey)).guardian, guardian.publicKey, "unchanged");

  // --- lending terms: seeds ["lending"] ---------------------------------------------------------
  const lending = {
    minPrincipal: new BN(50), // whole quote units
    maxPrincipal: new BN(10_000_000),
    minAprBps: 800,
    maxAprBps: 1_200,
    minPeriods: 6,
    maxPeriods: 36,
    periodSecs: 3_600,
    graceSecs: 600,
    cureSecs: 1_200,
    marginCallSecs: 900,
    lateFeeBps: 200,
    prepayFeeBps: 100,
    prepayPeriods: 12,
    liquidationDiscountBps: 500,
    minInitialBps: 12_500,
    minMaintenanceBps: 11_000,
    minLiquidationBps: 10_500,
    multipliers: Array(80).fill(13_000),
  };
  r = await run("configure_lending", program.methods.configureLending(lending).accounts({}));
  const lendingKey = r.pubkeys.lendingConfig;
  eq((await program.account.lendingConfig.fetch(lendingKey)).maxPeriods, 36, "LendingConfig.max_periods");

  // --- a class (Token-2022 credits, SPL Token quote): the quote mint and programs are choices --
  const quoteMint = await spl.createMint(connection, authority, authority.publicKey, null, 6, undefined, opts, TOKEN);
  const classArgs = {
    classId: 0,
    name: "H100 hours",
    symbol: "H100",
    uri: "https://example.com/h100.json",
    unit: "H100 GPU-hour",
    decimals: 6,
    listPrice: new BN(2_500_000),
  };
  r = await run(
    "create_credit_class",
    program.methods
      .createCreditClass(classArgs)
      .accounts({ quoteMint, creditTokenProgram: T22, quoteTokenProgram: TOKEN })
  );
  const classKey = r.pubkeys.class;
  const creditMint = r.pubkeys.creditMint;
  const cls = await program.account.creditClass.fetch(classKey);
  eq(cls.creditMint, creditMint, "CreditClass.credit_mint");
  eq(cls.creditTokenProgram, T22, "CreditClass.credit_token_program");
  eq(event(r.events, "creditClassCreated").class, classKey, "CreditClassCreated.class");

  // --- the class's feed: seeds ["price_feed", class] everywhere ---------------------------------
  const feedConfig = {
    expo: -8,
    minPublishers: 1,
    maxStalenessSecs: 3_600,
    maxConfidenceBps: 200,
    maxDeviationBps: 2_000,
    deviationWindowSecs: 600,
    pythFeedId: Array(32).fill(0),
  };
  r = await run(
    "create_price_feed",
    program.methods.createPriceFeed({ native: {} }, feedConfig).accounts({ class: classKey })
  );
  const feedKey = r.pubkeys.priceFeed;
  r = await run("add_publisher", program.methods.addPublisher(authority.publicKey).accounts({ priceFeed: feedKey }));
  r = await run(
    "configure_price_feed",
    program.methods.configurePriceFeed({ native: {} }, feedConfig).accounts({ priceFeed: feedKey })
  );
  r = await run(
    "submit_price",
    program.methods.submitPrice(new BN(250_000_000), new BN(100_000)).accounts({ priceFeed: feedKey })
  );
  const feed = await program.account.priceFeed.fetch(feedKey);
  eq(feed.class, classKey, "PriceFeed.class");
  eq(feed.price.toString(), "250000000", "PriceFeed.price");
  r = await run("set_class_price_feed", program.methods.setClassPriceFeed(true).accounts({ class: classKey }));
  eq(r.pubkeys.priceFeed, feedKey, "set_class_price_feed resolves the feed by seeds");

  // --- purchase at the oracle price: mints, token programs (relations), feed (seeds) -----------
  const buyerQuote = await spl.getOrCreateAssociatedTokenAccount(
    connection, authority, quoteMint, authority.publicKey, false, "confirmed", opts, TOKEN);
  const treasuryQuote = await spl.getOrCreateAssociatedTokenAccount(
    connection, authority, quoteMint, treasury.publicKey, false, "confirmed", opts, TOKEN);
  await spl.mintTo(connection, authority, quoteMint, buyerQuote.address, authority, 1_000_000_000_000n, [], opts, TOKEN);
  const traderCredits = await spl.getOrCreateAssociatedTokenAccount(
    connection, authority, creditMint, trader.publicKey, false, "confirmed", opts, T22);
  r = await run(
    "purchase_credits",
    program.methods.purchaseCredits(new BN(100_000_000), new BN(10_000_000)).accounts({
      class: classKey,
      buyerQuote: buyerQuote.address,
      treasuryQuote: treasuryQuote.address,
      recipientCredits: traderCredits.address,
    })
  );
  eq(r.pubkeys.priceFeed, feedKey, "purchase_credits resolves the feed");
  eq(event(r.events, "creditsPurchased").credits.toString(), "100000000", "CreditsPurchased.credits");
  const bought = await spl.getAccount(connection, traderCredits.address, "confirmed", T22);
  eq(bought.amount.toString(), "100000000", "credits received");

  // --- guardian freeze / thaw: freeze_hold ["freeze_hold", account], owner_holds from the
  //     account's owner ------------------------------------------------------------------------
  r = await run(
    "freeze_credits",
    program.methods.freezeCredits(7).accounts({ class: classKey, creditAccount: traderCredits.address })
  );
  const frozen = event(r.events, "creditAccountFreezeChanged");
  check(frozen.frozen === true && frozen.guardianHold === true, "frozen by the guardian");
  const holdKey = r.pubkeys.freezeHold;
  // the hold records were created at the addresses the IDL derived (the program derives them too)
  for (const key of [holdKey, r.pubkeys.ownerHolds]) {
    const info = await connection.getAccountInfo(key, "confirmed");
    check(info && info.owner.equals(program.programId), `hold record ${key} created`);
  }
  eq(frozen.account, traderCredits.address, "CreditAccountFreezeChanged.account");
  eq(frozen.owner, trader.publicKey, "CreditAccountFreezeChanged.owner");
  check((await spl.getAccount(connection, traderCredits.address, "confirmed", T22)).isFrozen, "token-frozen");
  r = await run(
    "thaw_credits",
    program.methods.thawCredits(7).accounts({ class: classKey, creditAccount: traderCredits.address })
  );
  eq(r.pubkeys.freezeHold, holdKey, "thaw resolves the same hold");
  check(!(await spl.getAccount(connection, traderCredits.address, "confirmed", T22)).isFrozen, "thawed");

  // --- provider: registered by seeds from an argument, redemption resolves it -----------------
  r = await run(
    "register_provider",
    program.methods.registerProvider(providerKey.publicKey).accounts({ class: classKey })
  );
  const providerPda = r.pubkeys.provider;
  eq((await program.account.provider.fetch(providerPda)).authority, providerKey.publicKey, "Provider.authority");
  r = await run(
    "redeem_credits",
    program.methods
      .redeemCredits(new BN(1_000_000), Array(32).fill(9))
      .accounts({
        holder: trader.publicKey,
        providerAuthority: providerKey.publicKey,
        class: classKey,
        holderCredits: traderCredits.address,
      }),
    [trader, providerKey]
  );
  eq(r.pubkeys.provider, providerPda, "redeem_credits resolves the provider by seeds");
  eq(event(r.events, "creditsRedeemed").amount.toString(), "1000000", "CreditsRedeemed.amount");

  // --- market v2: the market account is the client's (allocated here); the rest resolves ------
  const market = Keypair.generate();
  const space = 20_848;
  const rent = await connection.getMinimumBalanceForRentExemption(space);
  const allocate = SystemProgram.createAccount({
    fromPubkey: authority.publicKey,
    newAccountPubkey: market.publicKey,
    lamports: rent,
    space,
    programId: program.programId,
  });
  const marketParams = {
    lotSize: new BN(1_000_000),
    tickSize: new BN(10_000),
    minOrderNotional: new BN(1_000_000),
    maxOrdersPerSeat: 16,
    makerFeeBps: 10,
    takerFeeBps: 30,
  };
  r = await run(
    "create_market_v2",
    program.methods
      .createMarketV2(marketParams)
      .accounts({ class: classKey, market: market.publicKey })
      .preInstructions([allocate]),
    [market]
  );
  const m = await program.account.marketV2.fetch(market.publicKey);
  eq(m.class, classKey, "MarketV2.class");
  r = await run("claim_seat", program.methods.claimSeat().accounts({ owner: trader.publicKey, market: market.publicKey }), [trader]);
  const seat = event(r.events, "seatClaimedV2").seat;
  eq(seat, 0, "the first seat");
  r = await run(
    "deposit",
    program.methods.deposit(seat, { credits: {} }, new BN(10_000_000)).accounts({
      trader: trader.publicKey,
      market: market.publicKey,
      traderToken: traderCredits.address,
      vault: m.baseVault,
      mint: m.creditMint,
      tokenProgram: m.creditTokenProgram,
    }),
    [trader]
  );
  eq(r.pubkeys.class, classKey, "deposit resolves the market's class");
  r = await run(
    "place_order_v2",
    program.methods
      .placeOrderV2({
        seat,
        side: { ask: {} },
        orderType: { postOnly: {} },
        priceTicks: new BN(300),
        lots: new BN(2),
        expiry: new BN(0),
        selfTrade: { cancelProvide: {} },
      })
      .accounts({ trader: trader.publicKey, market: market.publicKey }),
    [trader]
  );
  const placed = event(r.events, "orderPlacedV2");
  r = await run(
    "cancel_order_v2",
    program.methods
      .cancelOrderV2(seat, { ask: {} }, new BN(300), placed.orderSeq)
      .accounts({ trader: trader.publicKey, market: market.publicKey }),
    [trader]
  );
  event(r.events, "orderRemovedV2");
  // a seatless taker: every market key (authority, vaults, mints, programs) by relation
  const buyerCredits = await spl.getOrCreateAssociatedTokenAccount(
    connection, authority, creditMint, authority.publicKey, false, "confirmed", opts, T22);
  r = await run(
    "place_order_v2 (rests the ask a swap takes)",
    program.methods
      .placeOrderV2({
        seat,
        side: { ask: {} },
        orderType: { postOnly: {} },
        priceTicks: new BN(300),
        lots: new BN(2),
        expiry: new BN(0),
        selfTrade: { cancelProvide: {} },
      })
      .accounts({ trader: trader.publicKey, market: market.publicKey }),
    [trader]
  );
  r = await run(
    "swap",
    program.methods.swap({ bid: {} }, new BN(4_000_000), new BN(1_000_000), new BN(300)).accounts({
      market: market.publicKey,
      takerCredits: buyerCredits.address,
      takerQuote: buyerQuote.address,
    })
  );
  eq(r.pubkeys.baseVault, m.baseVault, "swap resolves the base vault");
  event(r.events, "fillV2");
  r = await run(
    "withdraw",
    program.methods.withdraw(seat, { credits: {} }, new BN(1_000_000)).accounts({
      trader: trader.publicKey,
      market: market.publicKey,
      traderToken: traderCredits.address,
      vault: m.baseVault,
      mint: m.creditMint,
      tokenProgram: m.creditTokenProgram,
    }),
    [trader]
  );
  r = await run(
    "withdraw_market_fees",
    program.methods.withdrawMarketFees(new BN(1)).accounts({ market: market.publicKey, treasuryQuote: treasuryQuote.address })
  );

  // --- a credit-backed loan offer: the lending config's fixed address ---------------------------
  const lender = authority;
  const terms = {
    loanId: new BN(1),
    borrower: PublicKey.default,
    kind: { creditBacked: {} },
    schedule: 0,
    principal: new BN(100_000_000),
    aprBps: 1_000,
    periods: 12,
    borrowerTier: 0,
    initialBps: 15_000,
    maintenanceBps: 12_000,
    liquidationBps: 11_000,
  };
  r = await run(
    "post_loan_offer",
    program.methods
      .postLoanOffer(terms)
      .accounts({ class: classKey, lenderQuote: buyerQuote.address, approval: null })
  );
  eq(r.pubkeys.lendingConfig, lendingKey, "post_loan_offer resolves the lending config's address");
  const loanKey = r.pubkeys.loan;
  // an offer posted and withdrawn: the cancel names only the loan (its class, quote mint, escrow,
  // vault, the lender's account and both token programs by relation)
  r = await run(
    "post_loan_offer (withdrawn)",
    program.methods
      .postLoanOffer({ ...terms, loanId: new BN(2) })
      .accounts({ class: classKey, lenderQuote: buyerQuote.address, approval: null })
  );
  const withdrawn = r.pubkeys.loan;
  r = await run("cancel_loan_offer", program.methods.cancelLoanOffer().accounts({ loan: withdrawn }));
  eq(r.pubkeys.quoteMint, quoteMint, "cancel_loan_offer resolves the quote mint through the class");
  event(r.events, "loanOfferCancelled");
  eq(await connection.getAccountInfo(withdrawn), null, "the withdrawn offer is closed");
  eq((await program.account.loan.fetch(loanKey)).lender, lender.publicKey, "Loan.lender");
  // the borrower accepts, pledging credits: the feed by seeds from the loan's class
  const borrowerQuote = await spl.getOrCreateAssociatedTokenAccount(
    connection, authority, quoteMint, trader.publicKey, false, "confirmed", opts, TOKEN);
  r = await run(
    "accept_loan",
    program.methods.acceptLoan(new BN(70_000_000), new BN(0)).accounts({
      borrower: trader.publicKey,
      loan: loanKey,
      principalDestination: borrowerQuote.address,
      borrowerCredits: traderCredits.address,
      treasuryQuote: treasuryQuote.address,
      approval: null,
    }),
    [trader]
  );
  eq(r.pubkeys.priceFeed, feedKey, "accept_loan resolves the feed");
  eq(r.pubkeys.class, classKey, "accept_loan resolves the loan's class");
  event(r.events, "loanOriginated");
  r = await run(
    "top_up_collateral",
    program.methods.topUpCollateral(new BN(1_000_000)).accounts({
      borrower: trader.publicKey,
      loan: loanKey,
      borrowerCredits: traderCredits.address,
    }),
    [trader]
  );
  r = await run("update_loan", program.methods.updateLoan().accounts({ loan: loanKey }));
  r = await run(
    "repay_loan",
    program.methods.repayLoan(new BN(1_000_000)).accounts({
      payer: trader.publicKey,
      loan: loanKey,
      payerQuote: borrowerQuote.address,
      lenderQuote: buyerQuote.address,
    }),
    [trader]
  );
  event(r.events, "loanPayment");

  console.log(`idl-check: ${steps} instructions sent with only the accounts the IDL cannot resolve`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e && e.logs ? `${e}\n${e.logs.join("\n")}` : e);
    process.exit(1);
  }
);
