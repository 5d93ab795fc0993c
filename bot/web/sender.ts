import type { ChannelSender, Reply, SendResult } from '../core/types.js';
import type { WebConversations } from './conversations.js';

/**
 * The outbound side of the website chat: a "send" is storing the replies in the chat's
 * conversation, which the visitor's (or staff member's) open page picks up by polling. A chat
 * nobody has open simply shows them on the next visit, so a web send never fails for the reader.
 */
export class WebSender implements ChannelSender {
  readonly channel = 'web' as const;

  /** A document becomes a download link in the bubble (WebConversations stores it). */
  readonly sendsDocuments = true;

  constructor(private readonly conversations: WebConversations) {}

  async send(chatId: string, replies: Reply[]): Promise<SendResult> {
    const seqs = await this.conversations.addReplies(chatId, replies);
    return { ok: true, messageIds: seqs.map(String) };
  }
}
