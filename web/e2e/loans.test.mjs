// The defaulted loan: (b) a refused action shows the program's error by name and message and
// changes nothing on chain; (c) the lender freezes the collateral, and the borrower's wallet
// then sees its account frozen by that loan, on Holdings and on the loan's page. In this order:
// (b) reads the loan before the freeze.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { act, connectAs, goTo, notReloaded, openApp, withBrowser } from './ui.mjs';
import { creditAccounts, rawAccount, until, world } from './world.mjs';

const loan = world.loans.defaulted;
const borrower = world.wallets.borrower.address;

/** How the CLI refuses the borrower's withdrawal from the defaulted loan: `Name: message`. */
function cliRefusal() {
  try {
    execFileSync(process.env.APP_BIN, ['-u', world.rpcUrl, '-k', world.wallets.borrower.keypair, 'loan', 'withdraw', loan, '1'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOME: '/nonexistent' },
    });
  } catch (e) {
    const refusal = /failed: (\w+) \(error \d+, 0x[0-9a-f]+\): ([^\n]+)/.exec(e.stderr);
    assert.ok(refusal, `the CLI names the program's error:\n${e.stderr}`);
    return { name: refusal[1], message: refusal[2] };
  }
  assert.fail('the CLI withdrew collateral from a defaulted loan');
}

async function frozenState(owner) {
  return (await creditAccounts(owner)).map((a) => a.state);
}

test("(b) the borrower's withdrawal from the defaulted loan is refused by name, nothing changes", () =>
  withBrowser(async (browser) => {
    const { page, errors } = await openApp(browser, `/loans/${loan}`);
    await connectAs(page, 'borrower');
    await page.getByTestId('page-loan').waitFor();
    await until('the status Defaulted', async () => (await page.getByTestId('loan-status').textContent()) === 'Defaulted');
    const loanBefore = await rawAccount(loan);
    const accountsBefore = await frozenState(borrower);
    assert.deepEqual(accountsBefore, ['initialized']);

    await page.getByTestId('action-amount').fill('1');
    const status = await act(page, 'action-withdraw');
    assert.equal(status.state, 'failed');
    const refusal = cliRefusal();
    assert.ok(status.text.includes(`${refusal.name}: ${refusal.message}`), `the page says "${refusal.name}: ${refusal.message}": ${status.text}`);
    assert.equal(await rawAccount(loan), loanBefore, 'the loan did not change');
    assert.deepEqual(await frozenState(borrower), accountsBefore, "the borrower's account did not change");
    assert.deepEqual(errors, []);
  }));

test("(c) the lender freezes the defaulted loan's collateral; the borrower sees it frozen by the loan", () =>
  withBrowser(async (browser) => {
    const { page, errors } = await openApp(browser, `/loans/${loan}`);
    await connectAs(page, 'lender');
    await page.getByTestId('page-loan').waitFor();
    assert.equal(await page.getByTestId('collateral-frozen').count(), 0, 'nothing frozen yet');
    const status = await act(page, 'action-freeze');
    assert.equal(status.state, 'confirmed', status.text);
    assert.deepEqual(await frozenState(borrower), ['frozen'], "the borrower's credit account is frozen on chain");
    const holds = execFileSync(process.env.APP_BIN, ['-u', world.rpcUrl, 'wallet', borrower, '--output', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, HOME: '/nonexistent' },
    });
    assert.deepEqual(JSON.parse(holds).credits[0].heldBy.loans, [loan], 'held by this loan (the CLI reads the holds)');
    await page.getByTestId('collateral-frozen').waitFor({ timeout: 30_000 });

    // the borrower's wallet, chosen in the list: Holdings says frozen, and by whom
    await connectAs(page, 'borrower');
    await goTo(page, '/holdings');
    const row = page.locator(`[data-testid="class-row"][data-class="${world.class}"]`);
    const frozen = row.getByTestId('frozen');
    await frozen.waitFor({ timeout: 30_000 });
    assert.deepEqual((await frozen.getAttribute('data-holders')).split(','), [`loan ${loan}`]);
    assert.ok((await frozen.textContent()).includes(`loan ${loan}`), await frozen.textContent());
    await goTo(page, `/loans/${loan}`);
    await page.getByTestId('collateral-frozen').waitFor({ timeout: 30_000 });
    assert.ok(await notReloaded(page), 'no reload');
    assert.deepEqual(errors, []);
  }));
