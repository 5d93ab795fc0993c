import type { Reply } from '../../core/types.js';
import { splitText } from './splitText.js';

/** Turns a reply into plain text; Zalo has no buttons, so choices are a numbered list to type from. */
export type ReplyRenderer = (reply: Reply) => string;

/** Every text message one reply becomes on Zalo, each under the length cap. */
export function replyMessages(replies: Reply[], render: ReplyRenderer): string[] {
  return replies.flatMap((reply) => splitText(render(reply)));
}
