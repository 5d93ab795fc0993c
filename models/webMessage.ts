import { Schema, model, type InferSchemaType } from 'mongoose';

const choiceSchema = new Schema(
  {
    label: { type: String, required: true },
    data: { type: String, required: true },
  },
  { _id: false },
);

/**
 * One bubble of a website chat: what the visitor typed, or one reply chot sent. Kept in the
 * database rather than in memory so a visitor who reloads the page, or who is served by another
 * web process, still sees every reply and notification.
 */
const webMessageSchema = new Schema({
  /** The web chat id: `v-<hash of the visitor id>` for visitors, `staff-<userId>` for staff. */
  chatId: { type: String, required: true },
  /** Position in this chat, from an atomic counter: pollers ask for "everything after n". */
  seq: { type: Number, required: true },
  from: { type: String, enum: ['visitor', 'chot'], required: true },
  text: { type: String, default: '' },
  choices: { type: [choiceSchema], default: undefined },
  requestPhone: { type: Boolean },
  /**
   * A file chot sent (a quote's PDF), base64 (the embedded server does not give binary fields back
   * as bytes). Downloaded by its random token: knowing the link is the access, like the chat itself.
   */
  document: {
    type: new Schema({ filename: String, mime: String, data: String, token: String }, { _id: false }),
    default: undefined,
  },
  /** The browser's id for a message it sent: a retried POST is stored and handled once. */
  clientMessageId: { type: String },
  createdAt: { type: Date, required: true, default: () => new Date() },
});
webMessageSchema.index({ chatId: 1, seq: 1 }, { unique: true });
webMessageSchema.index(
  { chatId: 1, clientMessageId: 1 },
  { unique: true, partialFilterExpression: { clientMessageId: { $exists: true } } },
);
// The retention job (crm/maintenance/retention.ts) deletes with the same limit, also on the embedded database.
export const WEB_MESSAGE_RETENTION_DAYS = 30;
webMessageSchema.index({ createdAt: 1 }, { expireAfterSeconds: WEB_MESSAGE_RETENTION_DAYS * 24 * 3600 });

webMessageSchema.index({ 'document.token': 1 }, { sparse: true });

export type WebMessageFields = InferSchemaType<typeof webMessageSchema>;
export const WebMessage = model('WebMessage', webMessageSchema);
