// (e) The holder opens the Channels page and sees the seeded metering channel with the vault
// balance and the burn rate `app channel show --output json` reports (the burn rate falls as
// time passes without batches, so the page's value, computed at its own cluster time, must lie
// between the CLI's read before and after it, and equal it at the same second), its three
// batches; then requests close and sees the status turn "closing" live; the CLI agrees.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { act, connectAs, goTo, notReloaded, openApp, withBrowser } from './ui.mjs';
import { cliJson, until, world } from './world.mjs';

const show = () => cliJson(['channel', 'show', world.channel.address]);
const atoms = (credits) => (credits === null ? null : BigInt(credits.atoms));

test('the holder sees the seeded channel as the CLI does, then requests close', () =>
  withBrowser(async (browser) => {
    const { page, log, errors } = await openApp(browser, '/channels');
    await page.getByTestId('page-channels').waitFor();
    await connectAs(page, 'holder');
    const card = page.locator(`[data-testid="channel-card"][data-channel="${world.channel.address}"]`);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-provider'), world.wallets.provider.address);

    // a fresh read of the page between two reads of the CLI
    const before = show();
    await goTo(page, '/holdings');
    await page.getByTestId('page-holdings').waitFor();
    await goTo(page, '/channels');
    const burn = card.getByTestId('channel-burn-rate');
    const shownNow = await until('the page read at or after the CLI', async () => {
      const now = await burn.getAttribute('data-now', { timeout: 1_000 });
      return now !== null && BigInt(now) >= BigInt(before.now) ? BigInt(now) : null;
    });
    const shownBurn = BigInt(await burn.getAttribute('data-atoms'));
    const shownBalance = BigInt(await card.getByTestId('channel-balance').getAttribute('data-atoms'));
    const after = show();

    assert.equal(shownBalance, atoms(before.vaultBalance));
    assert.equal(shownBalance, atoms(after.vaultBalance));
    assert.ok(shownBalance > 0n && atoms(before.meter.redeemed) > 0n);
    assert.ok(shownNow <= BigInt(after.now), `page at ${shownNow}, CLI after at ${after.now}`);
    const [high, low] = [atoms(before.burn.perHourSinceOpening), atoms(after.burn.perHourSinceOpening)];
    assert.ok(low > 0n && low <= shownBurn && shownBurn <= high, `burn ${shownBurn} outside [${low}, ${high}]`);
    if (shownNow === BigInt(before.now)) assert.equal(shownBurn, high);
    if (shownNow === BigInt(after.now)) assert.equal(shownBurn, low);
    assert.equal(await card.getByTestId('channel-status').textContent(), after.status);
    assert.equal(after.status, 'open');

    const batches = card.getByTestId('channel-batches');
    await until('the three batches', async () => (await batches.getByTestId('channel-batch').count()) === after.recentBatches.length);
    const rows = await batches.getByTestId('channel-batch').evaluateAll((els) => els.map((e) => [e.dataset.usage, e.dataset.amount]));
    assert.deepEqual(rows, after.recentBatches.map((b) => [b.usageReference, String(b.amount.atoms)]));
    assert.deepEqual(rows.map(([usage]) => usage).sort(), ['gw-batch-0001', 'gw-batch-0002', 'gw-batch-0003']);
    assert.equal(await card.getByTestId('channel-finalize').count(), 0, 'nothing to finalize while open');

    const status = await act(page, 'channel-request-close', card);
    assert.equal(status.state, 'confirmed', status.text);
    assert.deepEqual(log.at(-1), { role: 'holder', op: 'signTransaction' });
    await until('the status "closing"', async () => (await card.getByTestId('channel-status').textContent()) === 'closing');
    assert.equal(show().status, 'closing', 'the CLI agrees');
    assert.equal(await card.getByTestId('channel-request-close').count(), 0, 'asked once');
    assert.ok(await notReloaded(page), 'no reload: the status came by a live update');
    assert.deepEqual(errors, []);
  }));
