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
 * The outreach channels on offer, from the environment the senders are configured by: email and
 * SMS always (without SMTP_URL / an SMS gateway, a log-only sender lets a newcomer watch a campaign
 * "send"), ZNS only with a Zalo OA, whose access token it sends with.
 */
export function outreachChannelChoices(env: NodeJS.ProcessEnv = process.env): CampaignChannelChoice[] {
  const set = (name: string) => Boolean(env[name]?.trim());
  const choices: { channel: OutreachChannel; state: CampaignChannelChoice['state'] }[] = [];
  if (set('ZALO_OA_APP_ID')) choices.push({ channel: 'zns', state: 'up' });
  choices.push({ channel: 'email', state: set('SMTP_URL') ? 'up' : 'log_only' });
  choices.push({ channel: 'sms', state: set('SMS_API_URL') ? 'up' : 'log_only' });
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
