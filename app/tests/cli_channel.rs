//! `app channel ...` over JSON-RPC, as a holder and a provider run it: the provider names a
//! settlement key; the holder opens a channel (a lifetime cap, an hourly cap, 30 days, an hour's
//! notice); the provider and its settlement key redeem batches alone; a replayed batch, a
//! stranger's batch and a finalize during the notice are refused by name; the holder tops up
//! and asks to close; the provider settles during the notice; time travel past it; anyone
//! finalizes and the rest returns to the holder.
mod common;
#[path = "common/world.rs"]
mod world;

use common::TestNet;
use credit_client::{pda, read};

use world::{balance, World, CREDIT};

#[test]
fn a_channel_from_open_to_finalize_with_batches_and_refusals_by_name() {
    let net = TestNet::start("channel");
    let w = World::new(&net);
    let holder = w.wallet(&net, "holder", 1_000, 100);
    let provider = net.wallet("provider");
    let hot = net.wallet("settlement");
    let stranger = net.wallet("stranger");
    let (h, p) = (holder.pubkey(), provider.pubkey());
    let (ps, hs) = (p.to_string(), h.to_string());
    let rpc = net.rpc();

    // the admin registers the provider; the provider names its gateway's settlement key
    net.ok(&net.authority, &["provider", "register", "0", &ps]);
    let out = net.json(&provider, &["provider", "settlement-key", "0", &hot.pubkey().to_string()]);
    assert_eq!(out["outcome"], "landed", "{out}");
    let show = net.json(&stranger, &["provider", "show", "0", &ps]);
    assert_eq!(show["settlement_key"], hot.pubkey().to_string());

    // the holder escrows 20 credits: at most 15 over the channel's life, 10 an hour
    let out = net.json(
        &holder,
        &[
            "channel",
            "open",
            "--class",
            "0",
            "--provider",
            &ps,
            "--amount",
            "20",
            "--cap",
            "15",
            "--period-cap",
            "10",
            "--period",
            "1h",
            "--expires",
            "30d",
            "--notice",
            "1h",
        ],
    );
    assert_eq!(out["outcome"], "landed", "{out}");
    let channel = pda::channel(&w.class, &h, &p);
    assert_eq!(out["channel"], channel.to_string());
    let ch = channel.to_string();
    let vault = pda::channel_vault(&channel);
    assert_eq!(balance(&net, &vault), 20 * CREDIT);
    assert_eq!(balance(&net, &w.credits_of(&h)), 80 * CREDIT);
    let state = read::channel(&rpc, &channel).unwrap();
    assert!((state.terms.expiry_ts - net.now() - 30 * 86_400).abs() < 120, "30 days from now");

    // batches: the provider, then its settlement key, each with the next sequence number
    let out = net.json(
        &provider,
        &["channel", "redeem", &ch, "--seq", "0", "--amount", "2.5", "--usage-ref", "batch-0"],
    );
    assert_eq!(out["amount"], 2_500_000);
    net.ok(&hot, &["channel", "redeem", &ch, "--seq", "1", "--amount", "3", "--usage-ref", "batch-1"]);
    assert_eq!(balance(&net, &vault), 14_500_000);

    // refusals by name, nothing burned: a replayed batch, a skipped one, a stranger's
    let err = net.fails(
        &provider,
        &["channel", "redeem", &ch, "--seq", "1", "--amount", "3", "--usage-ref", "batch-1"],
    );
    assert!(err.contains("WrongSequence"), "{err}");
    let err = net.fails(
        &provider,
        &["channel", "redeem", &ch, "--seq", "3", "--amount", "1", "--usage-ref", "batch-3"],
    );
    assert!(err.contains("WrongSequence"), "{err}");
    let err =
        net.fails(&stranger, &["channel", "redeem", &ch, "--seq", "2", "--amount", "1", "--usage-ref", "x"]);
    assert!(err.contains("NotProvider"), "{err}");
    // past the hourly cap (5.5 of 10 used)
    let err = net
        .fails(&provider, &["channel", "redeem", &ch, "--seq", "2", "--amount", "5", "--usage-ref", "big"]);
    assert!(err.contains("PeriodCapExceeded"), "{err}");
    assert_eq!(balance(&net, &vault), 14_500_000);

    // read back: the meter, the headroom (the hourly cap's 4.5 binds), the batches' events
    let show = net.json(&stranger, &["channel", "show", &ch]);
    assert_eq!(show["status"], "open", "{show}");
    assert_eq!(show["meter"]["nextSeq"], 2);
    assert_eq!(show["meter"]["redeemed"]["amount"], "5.5");
    assert_eq!(show["vaultBalance"]["amount"], "14.5");
    assert_eq!(show["headroom"]["amount"], "4.5");
    assert_eq!(show["terms"]["cap"]["atoms"], 15 * CREDIT);
    let batches = show["recentBatches"].as_array().unwrap();
    let amounts: Vec<&str> = batches.iter().map(|b| b["amount"]["amount"].as_str().unwrap()).collect();
    assert_eq!(amounts, ["3", "2.5"], "newest first: {show}");
    assert_eq!(batches[1]["usageReference"], "batch-0");
    assert_eq!(show["burn"]["thisPeriod"]["amount"], "5.5", "{show}");
    // named by class, holder and provider: the same channel
    let by_parties =
        net.json(&stranger, &["channel", "show", "--class", "0", "--holder", &hs, "--provider", &ps]);
    assert_eq!(by_parties["channel"], ch);
    let text = net.ok(&stranger, &["channel", "show", &ch]);
    assert!(text.contains("headroom  4.5 now"), "{text}");
    let list = net.json(&stranger, &["channel", "list", "--provider", &ps]);
    assert_eq!(list["channels"].as_array().unwrap().len(), 1);
    assert_eq!(list["channels"][0]["escrowed"]["amount"], "14.5");
    assert!(net.json(&stranger, &["channel", "list", "--holder", &ps])["channels"]
        .as_array()
        .unwrap()
        .is_empty());

    // the holder tops up (named by class and provider; the holder is the signer) and raises the cap
    net.ok(
        &holder,
        &["channel", "top-up", "--class", "0", "--provider", &ps, "--amount", "1", "--cap", "16"],
    );
    assert_eq!(balance(&net, &vault), 15_500_000);
    assert_eq!(read::channel(&rpc, &channel).unwrap().terms.cap.0, 16 * CREDIT);

    // the holder asks to close; finalizing during the notice is refused, the provider settles
    let out = net.json(&holder, &["channel", "close", &ch]);
    assert_eq!(out["outcome"], "landed", "{out}");
    let err = net.fails(&stranger, &["channel", "finalize", &ch]);
    assert!(err.contains("ChannelStillOpen"), "{err}");
    let err = net.fails(&holder, &["channel", "close", &ch]);
    assert!(err.contains("ChannelClosing"), "{err}");
    net.ok(&provider, &["channel", "redeem", &ch, "--seq", "2", "--amount", "1", "--usage-ref", "batch-2"]);
    assert_eq!(net.json(&stranger, &["channel", "show", &ch])["status"], "closing");

    // past the notice: no more batches; anyone finalizes, the rest returns to the holder
    net.time_travel_to(net.now() + 3_600 + 60);
    let show = net.json(&stranger, &["channel", "show", &ch]);
    assert_eq!(show["status"], "closed", "{show}");
    assert_eq!(show["finalizable"], true);
    assert_eq!(show["headroom"]["atoms"], 0);
    let err = net
        .fails(&provider, &["channel", "redeem", &ch, "--seq", "3", "--amount", "1", "--usage-ref", "late"]);
    assert!(err.contains("ChannelClosed"), "{err}");
    let before = balance(&net, &w.credits_of(&h));
    let out = net.json(&stranger, &["channel", "finalize", &ch]);
    assert_eq!(out["refunded"], 14_500_000, "{out}");
    assert_eq!(balance(&net, &w.credits_of(&h)), before + 14_500_000);
    assert!(read::account(&rpc, &channel).unwrap().is_none(), "the channel is closed");
    assert!(read::account(&rpc, &vault).unwrap().is_none(), "its vault is closed");
    // 6.5 credits were metered: the provider's redeemed total, burned from the class's supply
    let record: compute_credits::state::Provider =
        read::program_account(&rpc, &pda::provider(&w.class, &p)).unwrap();
    assert_eq!(record.redeemed, 6_500_000);
    assert_eq!(read::class(&rpc, &w.class).unwrap().burned, 6_500_000);
}

#[test]
fn the_provider_releases_a_channel_early() {
    let net = TestNet::start("channel-release");
    let w = World::new(&net);
    let holder = w.wallet(&net, "holder", 1_000, 10);
    let provider = net.wallet("provider");
    let ps = provider.pubkey().to_string();
    net.ok(&net.authority, &["provider", "register", "0", &ps]);
    net.ok(
        &holder,
        &[
            "channel",
            "open",
            "--class",
            "0",
            "--provider",
            &ps,
            "--amount",
            "5",
            "--cap",
            "5",
            "--expires",
            "2030-01-01T00:00:00Z",
            "--notice",
            "1d",
        ],
    );
    let channel = pda::channel(&w.class, &holder.pubkey(), &provider.pubkey()).to_string();
    // the holder is not the provider
    let err = net.fails(&holder, &["channel", "release", &channel]);
    assert!(err.contains("NotProvider"), "{err}");
    net.ok(&provider, &["channel", "release", &channel]);
    assert_eq!(net.json(&holder, &["channel", "show", &channel])["status"], "released");
    // the holder finalizes at once (no notice), named by class and provider
    let out = net.json(&holder, &["channel", "finalize", "--class", "0", "--provider", &ps]);
    assert_eq!(out["refunded"], 5 * CREDIT, "{out}");
    assert_eq!(balance(&net, &w.credits_of(&holder.pubkey())), 10 * CREDIT);
}
