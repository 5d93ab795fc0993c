import type { Types } from 'mongoose';

/**
 * Channels that reach a customer who never wrote to a bot: by email address or phone number.
 * They sit beside the chat channels (models/channels.ts) wherever a delivery can go.
 */
export const OUTREACH_CHANNELS = ['zns', 'email', 'sms'] as const;
export type OutreachChannel = (typeof OUTREACH_CHANNELS)[number];

/** What one outreach send carries. Each sender reads the parts its channel uses. */
export interface OutreachMessage {
  /** The customer it goes to: for the unsubscribe link, tracking and the interaction log. */
  customerId: Types.ObjectId;
  /** Plain text, placeholders already filled in (email body, SMS text). */
  text: string;
  /** Email only. */
  subject?: string;
  html?: string;
  /** ZNS only: the template registered at Zalo and its parameters, filled from customer fields. */
  zns?: { templateId: string; params: Record<string, string> };
  /** Unique per delivery, so a provider can de-duplicate and its reports can be matched back. */
  trackingId: string;
  /** A bulk message (a campaign): email gets the unsubscribe link and List-Unsubscribe header. */
  bulk?: boolean;
  /** The language of the texts chot adds (the email footer); the customer's own when absent. */
  lang?: 'vi' | 'en';
}

/**
 * The outcome of one outreach send, classified like a chat send (bot/core/types.ts SendResult) so
 * callers react the same way: `code` keeps the provider's own code for the record.
 */
export type OutreachResult =
  | { ok: true; providerId?: string; costVnd?: number }
  | {
      ok: false;
      reason: 'invalid_address' | 'rate_limited' | 'quota' | 'template_rejected' | 'out_of_hours' | 'not_configured' | 'refused' | 'error';
      code?: string;
      detail?: string;
      retryAfterSeconds?: number;
    };

/** The outbound side of one outreach channel. The address is an email or an E.164 phone. */
export interface OutreachSender {
  readonly channel: OutreachChannel;
  send(address: string, message: OutreachMessage): Promise<OutreachResult>;
}
