import { Types } from 'mongoose';
import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { makeCustomer, stageId } from './fixtures.js';
import { Campaign } from '../../models/campaign.js';
import { CampaignDelivery } from '../../models/campaignDelivery.js';
import { Group } from '../../models/group.js';
import {
  countRecipients,
  sampleRecipient,
  renderTemplate,
  unknownPlaceholders,
  resolveDeliveries,
  startCampaign,
  pauseCampaign,
  resumeCampaign,
  cancelCampaign,
  scheduleCampaign,
  startDueCampaigns,
  optOutFromCampaigns,
  isOptOutReply,
  CAMPAIGN_TEXT_MAX,
} from '../../crm/index.js';

useTestDatabase();

const DAY = 24 * 60 * 60 * 1000;
const now = new Date('2026-11-23T03:00:00Z');

describe('campaign segment', () => {
  it('keeps only reachable customers of the segment, one channel each', async () => {
    const vip = await Group.findOne({ name: 'VIP' }).lean();
    const nong = await stageId('nong');
    const a = await makeCustomer({ stageCode: 'nong', groups: [vip!._id], lastContactAt: new Date(now.getTime() - 2 * DAY) });
    await makeCustomer({ stageCode: 'nong', groups: [vip!._id], optedOut: { telegram: true } });
    await makeCustomer({ stageCode: 'nong', groups: [vip!._id], unreachable: { telegram: true } });
    await makeCustomer({ stageCode: 'nong', groups: [vip!._id], channels: [] });
    await makeCustomer({ stageCode: 'nong', groups: [vip!._id], deletedAt: now });
    await makeCustomer({ stageCode: 'moi', groups: [vip!._id] });
    await makeCustomer({ stageCode: 'nong' });
    const both = await makeCustomer({ stageCode: 'nong', groups: [vip!._id], channels: ['zalo_oa', 'telegram'], optedOut: { telegram: true } });

    const segment = { stages: [nong], groups: [vip!._id] };
    const count = await countRecipients(segment, ['telegram', 'zalo_oa'], now);
    // The three left out are counted by reason, so the panel can say why; the deleted one is not in the segment at all.
    expect(count).toEqual({ total: 2, byChannel: { telegram: 1, zalo_oa: 1 }, inSegment: 5, notReachable: { no_chat_id: 1, opted_out: 1, unreachable: 1 } });
    expect((await countRecipients(segment, ['telegram'], now)).total).toBe(1);

    const campaign = await Campaign.create({ name: 'Tết', template: 'Chào {ten}', channels: ['telegram', 'zalo_oa'], segment, status: 'running' });
    expect(await resolveDeliveries(campaign._id, now)).toBe(2);
    // A second resolution (after a crash) adds nothing.
    expect(await resolveDeliveries(campaign._id, now)).toBe(2);
    const deliveries = await CampaignDelivery.find({ campaign: campaign._id }).lean();
    expect(deliveries.map((d) => [String(d.customer), d.channel, d.status]).sort()).toEqual(
      [
        [String(a._id), 'telegram', 'pending'],
        [String(both._id), 'zalo_oa', 'pending'],
      ].sort(),
    );
    expect((await Campaign.findById(campaign._id).lean())!.counters).toMatchObject({ targeted: 2, sent: 0 });
  });

  it('filters on contact recency', async () => {
    const recent = await makeCustomer({ lastContactAt: new Date(now.getTime() - 3 * DAY) });
    const old = await makeCustomer({ lastContactAt: new Date(now.getTime() - 40 * DAY) });
    const never = await makeCustomer({});
    const within = await sampleRecipient({ contactedWithinDays: 7 }, ['telegram'], { now, template: 'Hi {name} ({code})' });
    expect(String(within!.customer._id)).toBe(String(recent._id));
    expect(within!.text).toBe(`Hi ${recent.name} (${recent.code})`);
    expect((await countRecipients({ notContactedForDays: 30 }, ['telegram'], now)).total).toBe(2);
    expect((await countRecipients({ contactedWithinDays: 7, notContactedForDays: 30 }, ['telegram'], now)).total).toBe(0);
    void old;
    void never;
  });

  it('refuses malformed ids and channels', async () => {
    await expect(countRecipients({ stages: ['{"$gt":""}'] }, ['telegram'])).rejects.toThrow(/invalid/);
    await expect(countRecipients({}, ['fax'])).rejects.toThrow(/channels/);
  });
});

describe('campaign template', () => {
  it('fills English and Vietnamese placeholders and leaves unknown ones visible', () => {
    const text = renderTemplate('Chào {ten} ({ma}), {nguoi_phu_trach} gửi bạn ưu đãi. {name}/{code}/{owner} {giam_gia}', { name: 'Nguyễn Văn Á', code: 'KH000042' }, 'Chị Lan');
    expect(text).toBe('Chào Nguyễn Văn Á (KH000042), Chị Lan gửi bạn ưu đãi. Nguyễn Văn Á/KH000042/Chị Lan {giam_gia}');
    expect(unknownPlaceholders('{ten} {giam_gia} {x}')).toEqual(['{giam_gia}', '{x}']);
  });

  it('caps the length', () => {
    const text = renderTemplate('{name}'.repeat(10), { name: 'x'.repeat(500) });
    expect(Array.from(text).length).toBe(CAMPAIGN_TEXT_MAX);
  });
});

describe('campaign lifecycle', () => {
  it('only admins and managers move a campaign, along allowed transitions', async () => {
    const { actor: sales } = await makeStaff('sales');
    const { actor: manager } = await makeStaff('manager');
    const campaign = await Campaign.create({ name: 'Tết', template: 'Chào {ten}', channels: ['telegram'] });
    await expect(startCampaign(sales, campaign._id)).rejects.toThrow(/forbidden/);
    await expect(pauseCampaign(manager, campaign._id)).rejects.toThrow(/status/);
    expect((await startCampaign(manager, campaign._id)).status).toBe('running');
    expect((await pauseCampaign(manager, campaign._id)).status).toBe('paused');
    expect((await resumeCampaign(manager, campaign._id)).status).toBe('running');
    await resolveDeliveries(campaign._id);
    const cancelled = await cancelCampaign(manager, campaign._id);
    expect(cancelled.status).toBe('cancelled');
    await expect(resumeCampaign(manager, campaign._id)).rejects.toThrow(/cancelled/);
    await expect(startCampaign(manager, new Types.ObjectId())).rejects.toThrow(/campaign/);
  });

  it('a scheduled campaign starts when its time comes', async () => {
    const { actor: admin } = await makeStaff('admin');
    const campaign = await Campaign.create({ name: 'Sau', template: 'Chào', channels: ['telegram'] });
    await expect(scheduleCampaign(admin, campaign._id, new Date(now.getTime() - 1000), now)).rejects.toThrow(/scheduledAt/);
    await scheduleCampaign(admin, campaign._id, new Date(now.getTime() + 3600_000), now);
    expect(await startDueCampaigns(now)).toEqual([]);
    expect((await startDueCampaigns(new Date(now.getTime() + 3600_000))).map(String)).toEqual([String(campaign._id)]);
    expect((await Campaign.findById(campaign._id).lean())!.status).toBe('running');
  });
});

describe('opt-out', () => {
  it('recognizes /stop and Hủy', () => {
    for (const text of ['/stop', 'STOP', 'Hủy', 'huỷ', 'HUY.', 'Hủy đăng ký']) expect(isOptOutReply(text)).toBe(true);
    for (const text of ['hủy hẹn mai', 'stop it', '', 'tôi muốn mua']) expect(isOptOutReply(text)).toBe(false);
  });

  it('skips waiting deliveries and keeps the customer out of future segments', async () => {
    const c = await makeCustomer({});
    const campaign = await Campaign.create({ name: 'A', template: 'x', channels: ['telegram'], status: 'running' });
    await resolveDeliveries(campaign._id);
    expect(await optOutFromCampaigns(c._id, 'telegram')).toEqual({ skipped: 1 });
    const d = await CampaignDelivery.findOne({ campaign: campaign._id }).lean();
    expect(d).toMatchObject({ status: 'skipped', reason: 'opted_out' });
    expect((await Campaign.findById(campaign._id).lean())!.counters).toMatchObject({ targeted: 1, skipped: 1 });
    expect((await countRecipients({}, ['telegram'])).total).toBe(0);
  });
});
