import { ChannelStatus } from '../../models/channelStatus.js';
import { CHAT_CHANNELS, type ChatChannel } from '../../models/channels.js';
import { CrmError } from '../shared/errors.js';
import { validChannels } from './segment.js';

/** A process touches its channel rows every minute; a row older than this belongs to a process that is gone. */
const LIVE_ROW_MS = 3 * 60_000;

export interface CampaignChannelChoice {
  channel: ChatChannel;
  /** `up`, or `starting`/`degraded` while its platform does not answer (sends may then fail and are recorded). */
  state: 'up' | 'starting' | 'degraded';
}

/**
 * The channels a campaign can go out on: the web chat (it needs no platform, so it always runs)
 * and each channel some live process has configured, as the channel board reports it. A channel
 * with no token anywhere is not offered, so nobody builds a campaign that can only be skipped.
 */
export async function campaignChannelChoices(now = new Date()): Promise<CampaignChannelChoice[]> {
  const rows = await ChannelStatus.find({ seenAt: { $gte: new Date(now.getTime() - LIVE_ROW_MS) } }).select('channel state').lean();
  const best = new Map<ChatChannel, CampaignChannelChoice['state']>([['web', 'up']]);
  for (const row of rows) {
    const channel = row.channel as ChatChannel;
    // Several processes may run a channel: it is up if any of them has it up.
    if (best.get(channel) !== 'up') best.set(channel, row.state as CampaignChannelChoice['state']);
  }
  return CHAT_CHANNELS.filter((c) => best.has(c)).map((channel) => ({ channel, state: best.get(channel)! }));
}

/** Known channel names, each one configured and running somewhere; the refusal names the first that is not. */
export async function assertCampaignChannels(channels: readonly string[] | null | undefined, now = new Date()): Promise<void> {
  const list = validChannels(channels);
  const offered = new Set((await campaignChannelChoices(now)).map((c) => c.channel));
  const missing = list.find((c) => !offered.has(c));
  if (missing) throw new CrmError('invalid', { field: 'channelNotRunning', channel: missing });
}
