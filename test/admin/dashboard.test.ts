import { startPanel, Browser, makeUser } from './harness.js';
import { seedNovember, PERIOD } from './dashboardSeed.js';

/**
 * The dashboard's numbers through its HTTP route, as each role asks for them, against a seeded
 * November whose answers are worked out by hand (test/admin/dashboardSeed.ts).
 */
let panel: Awaited<ReturnType<typeof startPanel>>;
let manager: Browser;
let sales: Browser;
let minhName: string;

beforeAll(async () => {
  panel = await startPanel();
  const lan = await makeUser('sales', 'lan@chot.test');
  const minh = await makeUser('sales', 'minh@chot.test');
  minhName = minh.name;
  await makeUser('manager', 'hoa@chot.test');
  await seedNovember(lan, minh);
  manager = new Browser(panel.base);
  sales = new Browser(panel.base);
  expect((await manager.login('hoa@chot.test', 'mat-khau-12345')).status).toBe(302);
  expect((await sales.login('lan@chot.test', 'mat-khau-12345')).status).toBe(302);
}, 60_000);

afterAll(async () => {
  await panel?.stop();
});

const november = (b: Browser) => b.api('GET', `/dashboard?from=${PERIOD.from}&to=${PERIOD.to}`).then((r) => r.data);

describe('the dashboard for a manager (the team)', () => {
  it('counts new customers per local day and source, every day of the period on the axis', async () => {
    const data = await november(manager);
    expect(data.days).toHaveLength(10);
    expect(data.days[0]).toBe('2026-11-01');
    expect(data.days[9]).toBe('2026-11-10');
    // 17:00 UTC on 31 Oct is midnight on 1 Nov in Vietnam; 16:59 UTC on 2 Nov is still the 2nd.
    expect(data.perDay).toEqual([
      { day: '2026-11-01', source: 'Website', count: 2 },
      { day: '2026-11-02', source: 'Website', count: 1 },
      { day: '2026-11-03', source: 'Website', count: 1 },
      { day: '2026-11-04', source: 'Zalo OA', count: 1 },
      { day: '2026-11-06', source: 'Zalo OA', count: 1 },
      { day: '2026-11-09', source: 'Facebook', count: 1 },
    ]);
  });

  it('gives conversion and revenue per source, best rate first', async () => {
    const data = await november(manager);
    expect(data.sources).toEqual([
      { name: 'Zalo OA', total: 2, won: 1, rate: 0.5, deals: 1, revenue: 30_000_000 },
      { name: 'Website', total: 4, won: 1, rate: 0.25, deals: 1, revenue: 10_000_000 },
      { name: 'Facebook', total: 1, won: 0, rate: 0, deals: 0, revenue: 0 },
    ]);
  });

  it('compares with the previous period of the same length', async () => {
    const data = await november(manager);
    expect(data.previousPeriod).toEqual({ from: '2026-10-22', to: '2026-10-31' });
    expect(data.summary.current).toEqual({ newCustomers: 7, wonCustomers: 2, conversionRate: 2 / 7, interactions: 4, wonDeals: 2, revenue: 40_000_000 });
    expect(data.summary.previous).toEqual({ newCustomers: 2, wonCustomers: 0, conversionRate: 0, interactions: 2, wonDeals: 1, revenue: 20_000_000 });
    // A whole month is compared with the same number of days before it, not with the calendar month.
    const month = (await manager.api('GET', '/dashboard?from=2026-11-01&to=2026-11-30')).data;
    expect(month.previousPeriod).toEqual({ from: '2026-10-02', to: '2026-10-31' });
  });

  it('reports who referred customers: how many, how many won, what they bought', async () => {
    const data = await november(manager);
    expect(data.referrers).toEqual([
      { kind: 'user', name: minhName, customers: 1, won: 1, revenue: 30_000_000 },
      { kind: 'customer', name: expect.stringMatching(/^Chị Hoa \(KH\d+\)$/), customers: 2, won: 1, revenue: 10_000_000 },
    ]);
  });

  it('lists each salesperson\'s interactions, won deals and revenue', async () => {
    const data = await november(manager);
    expect(data.people).toEqual([
      { name: minhName, interactions: 1, deals: 1, revenue: 30_000_000 },
      { name: 'sales lan', interactions: 3, deals: 1, revenue: 10_000_000 },
    ]);
    // In the installation's stage order (Getfly's: Nóng before Tiềm năng, Mất before Chốt).
    expect(data.funnel.map((s: { name: string; count: number }) => [s.name, s.count])).toEqual([
      ['Mới', 0], ['Tiếp cận', 6], ['Nóng', 1], ['Tiềm năng', 0], ['Đừng quên', 0], ['Mất', 1], ['Chốt', 2],
    ]);
  });
});

describe('the dashboard for a salesperson (their own customers)', () => {
  it('shows only their customers, interactions, deals and referrals, compared with their own previous period', async () => {
    const data = await november(sales);
    expect(data.scope).toBe('own');
    expect(data.perDay.reduce((n: number, r: { count: number }) => n + r.count, 0)).toBe(5);
    expect(data.sources).toEqual([
      { name: 'Website', total: 4, won: 1, rate: 0.25, deals: 1, revenue: 10_000_000 },
      { name: 'Facebook', total: 1, won: 0, rate: 0, deals: 0, revenue: 0 },
    ]);
    expect(data.summary.current).toEqual({ newCustomers: 5, wonCustomers: 1, conversionRate: 0.2, interactions: 3, wonDeals: 1, revenue: 10_000_000 });
    expect(data.summary.previous).toEqual({ newCustomers: 2, wonCustomers: 0, conversionRate: 0, interactions: 2, wonDeals: 1, revenue: 20_000_000 });
    expect(data.referrers).toEqual([{ kind: 'customer', name: expect.stringMatching(/^Chị Hoa/), customers: 2, won: 1, revenue: 10_000_000 }]);
    expect(data.people).toEqual([{ name: 'sales lan', interactions: 3, deals: 1, revenue: 10_000_000 }]);
    expect(JSON.stringify(data)).not.toContain(minhName);
  });

  it('is refused before login', async () => {
    const anonymous = new Browser(panel.base);
    const res = await anonymous.request('GET', '/admin/api/dashboard');
    expect(res.status).toBe(302);
  });
});

