import { t, type Lang } from '../../i18n/index.js';
import type { Action } from './actions.js';
import type { TypedCommand } from './chatCore.js';
import type { StaffTurn } from './turn.js';
import type { Reply } from './types.js';

export function helpReply(lang: Lang): Reply {
  return { text: t(lang, 'chat.help') };
}

export async function handleStaff(turn: StaffTurn, _action: Action | undefined, _command: TypedCommand | undefined): Promise<Reply[]> {
  return [helpReply(turn.lang)];
}
