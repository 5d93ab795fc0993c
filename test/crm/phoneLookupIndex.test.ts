import type { CommandStartedEvent } from 'mongodb';
import { captureLead } from '../../crm/customers/captureLead.js';
import { createCustomer, findCustomerByPhone, findCustomers, updateCustomer } from '../../crm/customers/customers.js';
import { findPhoneHolder } from '../../crm/customers/phoneHolder.js';
import { findReferrer } from '../../crm/customers/referrer.js';
import { useTestDatabase } from '../helpers/database.js';
import { watchCommands } from '../helpers/commands.js';
import { makeStaff } from '../helpers/factories.js';

/**
 * On MongoDB the unique index on `phones` is partial (customers with at least one phone) and is
 * used only by a query that repeats `'phones.0': { $exists: true }`; without it every lookup by
 * phone reads every customer. These are the filters the driver really sends to the database when
 * a lead comes in, a customer is created or edited, and a phone is searched.
 */
const database = useTestDatabase();
const sent = watchCommands(database);

/** Every object in a command's filters that puts a condition on `phones`. */
function phoneConditions(event: CommandStartedEvent): Record<string, unknown>[] {
  const c = event.command as Record<string, unknown>;
  if (c.find !== 'customers' && c.findAndModify !== 'customers' && c.update !== 'customers' && c.aggregate !== 'customers' && c.count !== 'customers' && c.delete !== 'customers') return [];
  const filters = [c.filter, c.query, ...((c.updates as { q: unknown }[] | undefined) ?? []).map((u) => u.q), ...((c.deletes as { q: unknown }[] | undefined) ?? []).map((d) => d.q)];
  for (const stage of (c.pipeline as Record<string, unknown>[] | undefined) ?? []) if (stage.$match) filters.push(stage.$match);
  const found: Record<string, unknown>[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if ('phones' in record) found.push(record);
    for (const [key, inner] of Object.entries(record)) if (key === '$or' || key === '$and' || key === '$nor') visit(inner);
  };
  filters.forEach(visit);
  return found;
}

describe('lookups by phone on the partial unique index', () => {
  it('carry the index filter in every command that looks customers up by phone', async () => {
    const { actor } = await makeStaff('sales');
    sent.length = 0;
    await captureLead({ channel: 'telegram', chatId: '111', name: 'Nguyễn Văn Đức', phone: '0912 345 678' });
    await captureLead({ channel: 'zalo_oa', chatId: 'z-1', name: 'Đức', phone: '+84912345678' });
    const created = await createCustomer(actor, { name: 'Trần Thị Ánh', phones: ['0987 654 321'] });
    await updateCustomer(actor, created._id, { phones: ['0987 654 321', '0911 222 333'] });
    expect((await findCustomerByPhone('+84911222333'))?.name).toBe('Trần Thị Ánh');
    expect((await findCustomers(actor, '0911222333')).customers.map((c) => c.name)).toEqual(['Trần Thị Ánh']);
    await findCustomers(actor, '222333');
    expect(await findPhoneHolder(actor, '+84987654321')).toMatchObject({ name: 'Trần Thị Ánh' });
    expect((await findReferrer('0987654321')).name).toContain('Trần Thị Ánh');

    const lookups = sent.flatMap(phoneConditions);
    expect(lookups.length).toBeGreaterThanOrEqual(8);
    for (const filter of lookups) expect(filter).toMatchObject({ 'phones.0': { $exists: true } });
  });
});
