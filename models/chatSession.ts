import { Schema, model, type InferSchemaType } from 'mongoose';
import { CHAT_CHANNELS } from './channels.js';

/**
 * One chat's conversation state with chot, per channel and chat id: the flow in progress (a
 * half-finished intake, a half-typed follow-up), the choices last offered (so a number typed on a
 * channel without buttons can be matched), and which forwarded messages stand for which customer
 * (so a staff reply to one reaches that customer). Kept in MongoDB so a restart loses nothing.
 */
const relaySchema = new Schema(
  {
    messageId: { type: String, required: true },
    customer: { type: Schema.Types.ObjectId, ref: 'Customer', required: true },
    /** The channel the customer wrote on: the reply goes back there. */
    customerChannel: { type: String, enum: CHAT_CHANNELS },
  },
  { _id: false },
);

const choiceSchema = new Schema({ label: { type: String, required: true }, data: { type: String, required: true } }, { _id: false });

const chatSessionSchema = new Schema(
  {
    channel: { type: String, enum: CHAT_CHANNELS, required: true },
    chatId: { type: String, required: true },
    /** The language a prospect chose with /lang (staff use their user's language). */
    language: { type: String, enum: ['vi', 'en'] },
    /** The flow in progress (`intake`, `new`, `log`, `deal`, `followup`, `reply`, `find`), or none. */
    flow: { type: String },
    step: { type: String },
    /** The flow's answers so far; small, plain values only. */
    data: { type: Schema.Types.Mixed, default: {} },
    lastChoices: { type: [choiceSchema], default: [] },
    relays: { type: [relaySchema], default: [] },
    /**
     * The chat's latest update ids (bot/core/session.ts `claimSession`): claimed in the same write
     * that reads the session, so a redelivered update is recognised without a query of its own.
     */
    seenUpdates: { type: [String], default: undefined },
    /** Which process handles this chat's update now, and until when: one update per chat at a time across processes. */
    leaseHolder: { type: String },
    leaseUntil: { type: Date },
  },
  { timestamps: true, minimize: false },
);
chatSessionSchema.index({ channel: 1, chatId: 1 }, { unique: true });

export type ChatSessionFields = InferSchemaType<typeof chatSessionSchema>;
export const ChatSession = model('ChatSession', chatSessionSchema);
