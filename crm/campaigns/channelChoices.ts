import { ChannelStatus } from '../../models/channelStatus.js';
import { CHAT_CHANNELS, type ChatChannel } from '../../models/channels.js';
import { CrmError } from '../shared/errors.js';
import { validChannels } from './segment.js';
import type { CampaignChannel } from '../../models/campaign.js';
import type { OutreachChannel } from '../outreach/types.js';

/** A process touches its channel rows every minute; a row older than this belongs to a process that is gone. */
const LIVE_ROW_MS = 3 * 60_000;

export interface CampaignChannelChoice {
  channel: CampaignChannel;
  /**
   * `up`, or `starting`/`degraded` while its platform does not answer (sends may then fail and are
   * recorded); `log_only` for email or SMS without a provider: the development sender writes them to the log.
   */
  state: 'up' | 'starting' | 'degraded' | 'log_only';
}

/**
 * The outreach channels on offer, from the environment their senders are configured by (see
 * app/outreach.ts): email with SMTP_URL and MAIL_FROM, ZNS when turned on for the Zalo OA, SMS with
 * a provider (the `console` one only writes to the log: offered, and said so).
 */
export function outreachChannelChoices(env: NodeJS.ProcessEnv = process.env): CampaignChannelChoice[] {
  const set = (name: string) => Boolean(env[name]?.trim());
  const choices: { channel: OutreachChannel; state: CampaignChannelChoice['state'] }[] = [];
  if (/^(true|1|on|yes)$/i.test(env.ZALO_ZNS_ENABLED ?? '') && set('ZALO_OA_APP_ID')) choices.push({ channel: 'zns', state: 'up' });
  if (set('SMTP_URL') && set('MAIL_FROM')) choices.push({ channel: 'email', state: 'up' });
  if (set('SMS_PROVIDER')) choices.push({ channel: 'sms', state: /^console$/i.test(env.SMS_PROVIDER!.trim()) ? 'log_only' : 'up' });
  return choices;
}

/**
 * The channels a campaign can go out on: the web chat (it needs no platform, so it always runs)
 * and each channel some live process has configured, as the channel board reports it. A channel
 * with no token anywhere is not offered, so nobody builds a campaign that can only be skipped.
 */
export async function campaignChannelChoices(now = new Date()): Promise<CampaignChannelChoice[]> {
  const rows = await ChannelStatus.find({ seenAt: { $gte: new Date(now.getTime() - LIVE_ROW_MS) } }).select('channel state').lean();
  const best = new Map<ChatChannel, 'up' | 'starting' | 'degraded'>([['web', 'up']]);
  for (const row of rows) {
    const channel = row.channel as ChatChannel;
    // Several processes may run a channel: it is up if any of them has it up.
    if (best.get(channel) !== 'up') best.set(channel, row.state as 'up' | 'starting' | 'degraded');
  }
  const chat = CHAT_CHANNELS.filter((c) => best.has(c)).map((channel) => ({ channel, state: best.get(channel)! }));
  return [...chat, ...outreachChannelChoices()];
}

/** Known channel names, each one configured and running somewhere; the refusal names the first that is not. */
export async function assertCampaignChannels(channels: readonly string[] | null | undefined, now = new Date()): Promise<void> {
  const list = validChannels(channels);
  const offered = new Set((await campaignChannelChoices(now)).map((c) => c.channel));
  const missing = list.find((c) => !offered.has(c));
  if (missing) throw new CrmError('invalid', { field: 'channelNotRunning', channel: missing });
}
