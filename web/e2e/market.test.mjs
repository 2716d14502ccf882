// (d) The trader places a bid inside the spread: the ladder and the open orders show it without
// a reload, and so does the chain's book; the trader cancels it and it goes from both.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { act, connectAs, notReloaded, openApp, withBrowser } from './ui.mjs';
import { cliJson, until, world } from './world.mjs';

/** The chain's book (the CLI decodes the market): resting bids at `ticks` (cents). */
function chainBidsAt(ticks) {
  const book = cliJson(['market', 'show', world.market]);
  return book.bids.filter((level) => level.ticks === ticks);
}

/** Ladder rows of `side` at a price, compared as numbers (a display string either way). */
async function levelsAt(page, side, price) {
  const rows = page.getByTestId(`${side}-level`);
  const prices = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-price')));
  return prices.filter((p) => Number(p) === price).length;
}

test('(d) the trader places a bid, sees it on the book, cancels it, and it goes', () =>
  withBrowser(async (browser) => {
    const { page, errors } = await openApp(browser, '/market');
    await page.getByTestId('page-market').waitFor();
    await connectAs(page, 'trader');
    // the seeded book: asks from 2.60, bids from 2.40, two trades on the tape
    await until('the seeded ladder', async () => (await levelsAt(page, 'ask', 2.6)) === 1 && (await levelsAt(page, 'bid', 2.4)) === 1);
    await until('the seeded tape', async () => (await page.getByTestId('trade-row').count()) >= 2);
    assert.equal(await levelsAt(page, 'bid', 2.5), 0);
    assert.deepEqual(chainBidsAt(250), []);

    await page.getByTestId('order-side').selectOption('bid');
    await page.getByTestId('order-price').fill('2.50');
    await page.getByTestId('order-size').fill('3');
    await page.getByTestId('order-type').selectOption('limit');
    const placed = await act(page, 'order-submit');
    assert.equal(placed.state, 'confirmed', placed.text);
    const [level] = chainBidsAt(250);
    assert.equal(level?.lots, 3, 'the chain rests 3 lots at 2.50');
    await until('the ladder to show the bid at 2.50', async () => (await levelsAt(page, 'bid', 2.5)) === 1);
    const order = await until('the open order at 2.50', async () => {
      for (const row of await page.getByTestId('open-order').all()) {
        if ((await row.getAttribute('data-side')) === 'bid' && Number(await row.getAttribute('data-price')) === 2.5) return row;
      }
      return null;
    });
    assert.equal(Number(await order.getAttribute('data-size')), 3);

    const cancelled = await act(page, 'cancel-order', order);
    assert.equal(cancelled.state, 'confirmed', cancelled.text);
    assert.deepEqual(chainBidsAt(250), [], 'the chain no longer rests it');
    await until('the bid at 2.50 to leave the ladder', async () => (await levelsAt(page, 'bid', 2.5)) === 0);
    assert.ok(await notReloaded(page), 'no reload: the book came by live updates');
    assert.deepEqual(errors, []);
  }));
