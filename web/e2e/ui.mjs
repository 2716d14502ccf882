// What every scenario does in the app: open it with the test wallets installed, connect (or
// switch to) a role's wallet, follow an action's shared status to its end, and check the page
// was never reloaded (what it shows came by live updates).
import { installWallets } from './wallet.mjs';
import { launch, until, world } from './world.mjs';

export const ROLES = ['holder', 'borrower', 'lender', 'trader'];

/** A browser page on the app at `route` (a hash route) with one test wallet per role. */
export async function openApp(browser, route, roles = ROLES) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const log = await installWallets(page, roles);
  await page.goto(`${world.appUrl}#${route}`);
  // a mark that survives only as long as the document does: gone after any reload
  await page.evaluate(() => {
    window.__creditsNoReload = true;
  });
  return { page, log, errors };
}

export async function notReloaded(page) {
  return page.evaluate(() => window.__creditsNoReload === true);
}

export async function goTo(page, route) {
  await page.evaluate((r) => {
    window.location.hash = r;
  }, route);
}

/** Connects `role`'s test wallet through the wallet list (or switches to it). */
export async function connectAs(page, role) {
  await page.getByTestId('connect-button').click();
  await page.getByTestId('wallet-option').filter({ hasText: `Test Wallet (${role})` }).click();
  const address = world.wallets[role].address;
  await until(`the connected address ${address} (${role})`, async () => {
    return (await page.getByTestId('wallet-address').getAttribute('data-address', { timeout: 1_000 })) === address;
  });
}

/** The shared status element's state, signature and text (nulls when absent). */
export async function txStatus(page) {
  const el = page.getByTestId('tx-status');
  if ((await el.count()) === 0) return { state: null, signature: null, text: '' };
  return {
    state: await el.getAttribute('data-state'),
    signature: await el.getAttribute('data-signature'),
    text: (await el.textContent()) ?? '',
  };
}

/**
 * Clicks `testId` and follows the action to its end: `confirmed` with a new signature, or
 * `failed`. Returns the final status.
 */
export async function act(page, testId, within = page) {
  const before = await txStatus(page);
  await within.getByTestId(testId).click();
  return until(`the action of ${testId} to confirm or fail`, async () => {
    const now = await txStatus(page);
    const confirmed = now.state === 'confirmed' && now.signature && now.signature !== before.signature;
    const failed = now.state === 'failed' && (before.state !== 'failed' || now.text !== before.text);
    return confirmed || failed ? now : null;
  }, 60_000);
}

export async function withBrowser(body) {
  const browser = await launch();
  try {
    return await body(browser);
  } finally {
    await browser.close();
  }
}
