/**
 * Stages, pipeline steps, sources, groups and staff names are kept in every process's memory
 * (crm/shared/versionedCache.ts), so a chat update reads none of them. Whoever changes one (the
 * panel, a crm call, another process) must be seen: at once in the writing process, within about
 * a second in the others.
 */
import * as AdminJSMongoose from '@adminjs/mongoose';
import { useTestDatabase } from '../helpers/database.js';
import { Stage } from '../../models/stage.js';
import { Source } from '../../models/source.js';
import { Group } from '../../models/group.js';
import { OpportunityStage } from '../../models/opportunityStage.js';
import { User } from '../../models/user.js';
import { CacheVersion } from '../../models/cacheVersion.js';
import { findStage, getDefaultStage } from '../../crm/stages/stages.js';
import { groupLabels, sourceLabel } from '../../crm/catalog/cachedLabels.js';
import { getOpportunityStage } from '../../crm/opportunities/opportunityStages.js';
import { createUser, staffName } from '../../crm/users/users.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { CACHE_CHECK_MS } from '../../crm/shared/versionedCache.js';

useTestDatabase();

/** What the panel's edit form does: the AdminJS resource's update, through the mongoose model. */
async function panelEdit(model: ConstructorParameters<typeof AdminJSMongoose.Resource>[0], id: unknown, params: Record<string, unknown>): Promise<void> {
  await new AdminJSMongoose.Resource(model).update(String(id), params);
}

it('a stage, a pipeline step, a source, a group and a staff member renamed in the panel show at once', async () => {
  const stage = (await Stage.findOne({ code: 'tiep_can' }).lean())!;
  const step = (await OpportunityStage.findOne({ code: 'tiep_can' }).lean())!;
  const source = (await Source.findOne({ code: 'website' }).lean())!;
  const group = await Group.create({ name: 'Khách VIP' });
  const user = await createUser(SYSTEM, { name: 'Lan Sales', email: 'lan@chot.test', role: 'sales' });
  // Loaded into memory first.
  expect((await findStage(stage._id))?.name).toBe('Tiếp cận');
  expect((await getOpportunityStage(step._id)).name).toBe('Tiếp cận');
  expect((await sourceLabel(source._id))?.name).toBe('Website');
  expect((await groupLabels([group._id])).map((g) => g.name)).toEqual(['Khách VIP']);
  expect((await staffName(user._id))?.name).toBe('Lan Sales');

  await panelEdit(Stage, stage._id, { name: 'Đã gọi' });
  await panelEdit(OpportunityStage, step._id, { name: 'Liên hệ' });
  await panelEdit(Source, source._id, { name: 'Trang web' });
  await panelEdit(Group, group._id, { name: 'Khách thân thiết' });
  await panelEdit(User, user._id, { name: 'Lan Nguyễn' });

  expect((await findStage(stage._id))?.name).toBe('Đã gọi');
  expect((await getOpportunityStage(step._id)).name).toBe('Liên hệ');
  expect((await sourceLabel(source._id))?.name).toBe('Trang web');
  expect((await groupLabels([group._id])).map((g) => g.name)).toEqual(['Khách thân thiết']);
  expect((await staffName(user._id))?.name).toBe('Lan Nguyễn');
  // And every other process is told through the versions.
  const versions = await CacheVersion.find({ name: { $in: ['stages', 'opportunityStages', 'sources', 'groups', 'users'] } }).lean();
  expect(versions).toHaveLength(5);
});

it("another process's change is seen within a second, not before the versions are checked", async () => {
  const stage = (await Stage.findOne({ code: 'moi' }).lean())!;
  expect((await getDefaultStage()).name).toBe('Mới');
  // Another process renames it: the write reaches the database and bumps the version, not this process's listeners.
  await Stage.collection.updateOne({ _id: stage._id }, { $set: { name: 'Khách mới' } });
  await CacheVersion.collection.updateOne({ name: 'stages' }, { $inc: { version: 1 } });
  await new Promise((resolve) => setTimeout(resolve, CACHE_CHECK_MS + 100));
  expect((await getDefaultStage()).name).toBe('Khách mới');
});

it('a caller changing a stage it was given does not change the cached one', async () => {
  const stage = (await getDefaultStage())!;
  stage.name = 'sửa tạm';
  expect((await getDefaultStage()).name).toBe('Mới');
});

it('"the team uses opportunities" follows the first one created and the last one deleted, and no other write bumps it', async () => {
  const { createOpportunity, deleteOpportunity, opportunitiesInUse, touchOpportunitiesOfCustomer } = await import('../../crm/opportunities/opportunities.js');
  const { createCustomer } = await import('../../crm/customers/customers.js');
  const version = async () => (await CacheVersion.findOne({ name: 'opportunitiesInUse' }).lean())?.version ?? 0;
  const customer = await createCustomer(SYSTEM, { name: 'Phạm Văn Cơ', phones: ['0912000333'] });
  expect(await opportunitiesInUse()).toBe(false);
  const opportunity = await createOpportunity(SYSTEM, { name: 'Gói năm', customer: customer._id, value: 1_000_000 });
  expect(await opportunitiesInUse()).toBe(true);
  const before = await version();
  await touchOpportunitiesOfCustomer(customer._id, new Date());
  expect(await version()).toBe(before);
  await deleteOpportunity(SYSTEM, opportunity._id);
  expect(await version()).toBeGreaterThan(before);
  expect(await opportunitiesInUse()).toBe(false);
});

it('"the team has organizations" follows the first one created and the last one deleted, and an edit does not bump it', async () => {
  const { createOrganization, deleteOrganization, organizationsInUse, updateOrganization } = await import('../../crm/organizations/organizations.js');
  const version = async () => (await CacheVersion.findOne({ name: 'organizationsInUse' }).lean())?.version ?? 0;
  expect(await organizationsInUse()).toBe(false);
  const org = await createOrganization(SYSTEM, { name: 'Công ty TNHH Hải Đăng' });
  expect(await organizationsInUse()).toBe(true);
  const before = await version();
  await updateOrganization(SYSTEM, org._id, { notes: 'khách lớn' });
  expect(await version()).toBe(before);
  await deleteOrganization(SYSTEM, org._id);
  expect(await version()).toBeGreaterThan(before);
  expect(await organizationsInUse()).toBe(false);
});

it("another process's first organization is searched for within a second", async () => {
  const { Organization } = await import('../../models/organization.js');
  const { findOrganizations, organizationsInUse } = await import('../../crm/organizations/organizations.js');
  expect(await organizationsInUse()).toBe(false);
  // Written and bumped by another process: this one's listeners hear nothing.
  await Organization.collection.insertOne({ code: 'TC000009', name: 'Công ty Cổ phần Đại Phát', searchText: 'dai phat', owner: null, groups: [], createdAt: new Date(), updatedAt: new Date() });
  await CacheVersion.collection.updateOne({ name: 'organizationsInUse' }, { $inc: { version: 1 } }, { upsert: true });
  await new Promise((resolve) => setTimeout(resolve, CACHE_CHECK_MS + 100));
  expect((await findOrganizations(SYSTEM, 'dai phat')).organizations.map((o) => o.code)).toEqual(['TC000009']);
});
