import { useTestDatabase } from '../helpers/database.js';
import { seedDemo, demoPhone } from '../../crm/demo/seedDemo.js';
import { normalizePhone } from '../../crm/customers/phone.js';
import { findCustomers } from '../../crm/customers/customers.js';
import { customersByStage } from '../../crm/reports/reports.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { User } from '../../models/user.js';
import { verifyLogin } from '../../crm/users/users.js';

useTestDatabase();

describe('demo data', () => {
  it('demo phones are valid Vietnamese numbers and unique', () => {
    const phones = Array.from({ length: 5000 }, (_, i) => demoPhone(i + 1));
    expect(new Set(phones).size).toBe(5000);
    for (const p of phones.slice(0, 200)) expect(normalizePhone(p)).toBe(p);
  });

  it('loads customers spread over stages, with staff who can log in, and can be run twice', async () => {
    const first = await seedDemo({ customers: 600, salesUsers: 3 });
    expect(first).toMatchObject({ customers: 600, users: 4 });
    await seedDemo({ customers: 100, salesUsers: 3 });
    expect(await Customer.countDocuments()).toBe(700);
    expect(await User.countDocuments()).toBe(4);
    expect(new Set((await Customer.find().select('phones').lean()).map((c) => c.phones[0])).size).toBe(700);
    expect(await Interaction.countDocuments()).toBeGreaterThanOrEqual(700);
    const stages = await customersByStage(SYSTEM);
    expect(stages.filter((s) => s.count > 0).length).toBeGreaterThanOrEqual(6);
    expect(await verifyLogin('demo.sales1@chot.local', 'demo1234')).toMatchObject({ role: 'sales' });
    const any = await Customer.findOne().lean();
    const found = await findCustomers(SYSTEM, any!.name);
    expect(found.customers.length).toBeGreaterThan(0);
  });
});
