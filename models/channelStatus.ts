import { Schema, model } from 'mongoose';
import { CHAT_CHANNELS } from './channels.js';

/**
 * How each process's chat channels are doing, for the admin dashboard: one row per channel and
 * process, written when the state changes and touched every minute while the process lives (so a
 * row left by a process that died stops counting). /readyz shows the process's own view directly.
 */
const channelStatusSchema = new Schema({
  channel: { type: String, enum: CHAT_CHANNELS, required: true },
  /** host:pid:random of the process that reports. */
  instance: { type: String, required: true },
  state: { type: String, enum: ['starting', 'up', 'degraded'], required: true },
  since: { type: Date, required: true },
  lastError: { type: String },
  seenAt: { type: Date, required: true },
});
channelStatusSchema.index({ channel: 1, instance: 1 }, { unique: true });
channelStatusSchema.index({ seenAt: 1 });

export const ChannelStatus = model('ChannelStatus', channelStatusSchema);
