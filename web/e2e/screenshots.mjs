// Screenshots of each page (1280x900) against the seeded world ($CREDITS_WORLD), with the
// wallet connected where it shows more: docs/screenshots/{holdings,loans,loan,market,channels,calculator}.png.
// `scripts/screenshots` starts the world and runs this.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAs, goTo, openApp, withBrowser } from './ui.mjs';
import { until, world } from './world.mjs';

const out = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots'));
mkdirSync(out, { recursive: true });

/** Each page: its route, the wallet to connect (or none), and what to wait for before the shot. */
const PAGES = [
  { name: 'holdings', route: '/holdings', role: 'holder', ready: (p) => p.getByTestId('class-row').first().waitFor() },
  { name: 'loans', route: '/loans', role: 'borrower', ready: (p) => until('two loans', async () => (await p.getByTestId('loan-row').count()) >= 2) },
  { name: 'loan', route: `/loans/${world.loans.current}`, role: 'borrower', ready: (p) => p.getByTestId('schedule-row').first().waitFor() },
  { name: 'market', route: '/market', role: 'trader', ready: (p) => until('the book', async () => (await p.getByTestId('trade-row').count()) >= 2 && (await p.getByTestId('ask-level').count()) >= 3) },
  { name: 'channels', route: '/channels', role: 'holder', ready: (p) => until('the batches', async () => (await p.getByTestId('channel-batch').count()) >= 3) },
  {
    name: 'calculator',
    route: '/calculator',
    role: null,
    ready: async (p) => {
      await p.getByTestId('calc-principal').fill('1000000');
      await p.getByTestId('calc-apr').fill('10');
      await p.getByTestId('calc-months').fill('12');
      await p.getByTestId('calc-schedule').selectOption('amortizing');
      await p.getByTestId('calc-spend').fill('100000');
      await until('the figures', async () => ((await p.getByTestId('calc-credits').textContent()) ?? '').startsWith('$'));
    },
  },
];

await withBrowser(async (browser) => {
  for (const { name, route, role, ready } of PAGES) {
    const { page } = await openApp(browser, '/holdings', role ? [role] : []);
    if (role) await connectAs(page, role);
    await goTo(page, route);
    await ready(page);
    // charts and live reads settle
    await page.waitForTimeout(1_000);
    const path = join(out, `${name}.png`);
    await page.screenshot({ path });
    console.log(`wrote ${path}`);
    await page.close();
  }
});
