// (a) The holder connects, buys credits, and sees the balance change without a reload; the
// chain agrees.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { act, connectAs, notReloaded, openApp, withBrowser } from './ui.mjs';
import { credits, until, world } from './world.mjs';

const CREDIT = 1_000_000n;

test('the holder buys credits and the balance follows live', () =>
  withBrowser(async (browser) => {
    const { page, log, errors } = await openApp(browser, '/holdings');
    await page.getByTestId('page-holdings').waitFor();
    await connectAs(page, 'holder');
    const holder = world.wallets.holder.address;
    const row = page.locator(`[data-testid="class-row"][data-class="${world.class}"]`);
    assert.equal(await row.getAttribute('data-mint'), world.creditMint);
    assert.equal(await row.getByTestId('class-symbol').textContent(), 'H100H');
    assert.match(await row.getByTestId('class-name').textContent(), /H100 GPU-hour/);
    const shown = async () => BigInt((await row.getByTestId('balance').getAttribute('data-atoms')) ?? '-1');
    const before = await credits(holder);
    await until('the balance the chain holds', async () => (await shown()) === before.atoms);
    assert.equal(before.frozen, false);

    await page.getByTestId('buy-class').selectOption(world.class);
    await page.getByTestId('buy-amount').fill('12.5');
    const status = await act(page, 'buy-submit');
    assert.equal(status.state, 'confirmed', status.text);
    assert.deepEqual(log.at(-1), { role: 'holder', op: 'signTransaction' }, 'the holder signed, the app sent');

    const bought = 12n * CREDIT + CREDIT / 2n;
    await until('the page to show 12.5 more credits', async () => (await shown()) === before.atoms + bought);
    assert.equal((await credits(holder)).atoms, before.atoms + bought, 'the chain holds them');
    assert.ok(await notReloaded(page), 'no reload: the balance came by a live update');
    assert.deepEqual(errors, []);
  }));
