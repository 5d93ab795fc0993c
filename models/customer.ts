import { Schema, model, Types, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { CHAT_CHANNELS, perChannel, type ChatChannel } from './channels.js';
import { OUTREACH_CHANNELS, type OutreachChannel } from '../crm/outreach/types.js';

const referrerSchema = new Schema(
  {
    kind: { type: String, enum: ['customer', 'user'], required: true },
    id: { type: Schema.Types.ObjectId, required: true },
  },
  { _id: false },
);

/** One need as the person said it, kept so a second enquiry never overwrites the first. */
const needSchema = new Schema(
  {
    text: { type: String, trim: true, maxlength: 2000, required: true },
    at: { type: Date, required: true },
    /** The channel it came on; `manual`/`import` when staff typed or imported it. */
    channel: { type: String },
  },
  { _id: false },
);

/** A colleague let in to read and comment on someone else's customer (by an @mention). */
const followerSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, required: true },
    addedBy: { type: Schema.Types.ObjectId },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/** What a contact does in an organization's purchase (MISA AMIS's roles). */
export const CONTACT_ROLES = ['decision_maker', 'purchaser', 'user', 'accountant', 'other'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

/** A lead is a customer in an open stage: there is one record for the whole relationship. */
const customerSchema = new Schema(
  {
    /** KH000001…: from a counter, never reused, even when a creation loses a race. */
    code: { type: String, required: true },
    name: { type: String, required: true, trim: true, maxlength: 120 },
    /** Normalized E.164 numbers; the first is the main one. */
    phones: { type: [String], default: [] },
    email: { type: String, trim: true, lowercase: true, maxlength: 200 },
    stage: { type: Schema.Types.ObjectId, ref: 'Stage', required: true },
    /** The open stage to return to when a dormant customer is contacted again. */
    previousStage: { type: Schema.Types.ObjectId, ref: 'Stage' },
    dormantSince: { type: Date },
    /** Set by the don't-forget sweep until the move is audited; a crashed sweep is finished by the next. */
    sweepPending: { type: Boolean },
    owner: { type: Schema.Types.ObjectId, ref: 'User' },
    source: { type: Schema.Types.ObjectId, ref: 'Source' },
    groups: { type: [{ type: Schema.Types.ObjectId, ref: 'Group' }], default: [] },
    referrer: { type: referrerSchema },
    /** B2B: the organization this person works at (a contact), their job title and buying role. */
    // The panel populates every `ref` of a listed record: Organization must stay a panel resource.
    organization: { type: Schema.Types.ObjectId, ref: 'Organization' },
    jobTitle: { type: String, trim: true, maxlength: 120 },
    contactRole: { type: String, enum: CONTACT_ROLES },
    /** The latest need (what most readers want); `needs` keeps every one, oldest first. */
    need: { type: String, trim: true, maxlength: 2000 },
    needs: { type: [needSchema], default: undefined },
    /** Imports append to the notes, dated, so they outgrow one typed note. */
    notes: { type: String, trim: true, maxlength: 20000 },
    /** The customer's account on each chat channel (platform user or chat id). */
    chatIds: perChannel(String),
    /** Campaigns never write to a channel the customer opted out of (chat channels, then email, ZNS, SMS). */
    optedOut: { ...perChannel(Boolean), ...Object.fromEntries(OUTREACH_CHANNELS.map((c) => [c, { type: Boolean }])) } as Record<ChatChannel | OutreachChannel, { type: BooleanConstructor }>,
    /** When the customer asked to stop everything (the email link, /stop): every flag above was set then. */
    optedOutEverywhereAt: { type: Date },
    /** Set when a send failed for good (blocked bot, unfollowed OA). */
    unreachable: perChannel(Boolean),
    language: { type: String, enum: ['vi', 'en'] },
    lastContactAt: { type: Date },
    nextFollowUpAt: { type: Date },
    /** Name, code, email and phone digits without diacritics, for searching Vietnamese text. */
    searchText: { type: String, default: '' },
    deletedAt: { type: Date },
    /** Phones of a deleted customer, kept for the record but freed for new leads. */
    deletedPhones: { type: [String], default: undefined },
    /** For a customer created by a CSV import: the run and the file line, so a resumed run never creates a line twice. */
    // No `ref`: with one to ImportRun (not a panel resource) the panel's customer list came back empty.
    importRun: { type: Schema.Types.ObjectId },
    importLine: { type: Number },
    /** Day and month for the birthday greeting; the year only when known. */
    birthday: { type: new Schema({ day: { type: Number, min: 1, max: 31 }, month: { type: Number, min: 1, max: 12 }, year: { type: Number, min: 1900, max: 2100 } }, { _id: false }) },
    /** Colleagues who may read the card and comment, never change it (see crm/users/actor.ts). */
    // No `ref`: the panel populates refs of listed records, and this list is read by crm/comments.
    followers: { type: [followerSchema], default: undefined },
  },
  { timestamps: true },
);
customerSchema.index({ code: 1 }, { unique: true });
// A phone belongs to one customer: the natural key of de-duplication.
customerSchema.index({ phones: 1 }, { unique: true, partialFilterExpression: { 'phones.0': { $exists: true } } });
for (const channel of CHAT_CHANNELS) {
  customerSchema.index({ [`chatIds.${channel}`]: 1 }, { unique: true, sparse: true });
}
customerSchema.index({ owner: 1, stage: 1 });
customerSchema.index({ organization: 1 }, { sparse: true });
customerSchema.index({ stage: 1, lastContactAt: 1 });
customerSchema.index({ source: 1, createdAt: -1 });
customerSchema.index({ groups: 1 });
customerSchema.index({ createdAt: -1, _id: -1 });
customerSchema.index({ owner: 1, nextFollowUpAt: 1 });
customerSchema.index({ searchText: 1 });
customerSchema.index({ sweepPending: 1 }, { sparse: true });
customerSchema.index({ 'birthday.month': 1, 'birthday.day': 1 }, { sparse: true });
customerSchema.index({ 'followers.user': 1 }, { sparse: true });
customerSchema.index({ importRun: 1, importLine: 1 }, { unique: true, partialFilterExpression: { importRun: { $exists: true } } });
// Every list and count hides deleted customers (`deletedAt: null`): with this index the embedded
// database counts a list page from its postings instead of testing every customer.
customerSchema.index({ deletedAt: 1 });

export type CustomerFields = InferSchemaType<typeof customerSchema>;
export type CustomerDoc = HydratedDocument<CustomerFields>;
export type CustomerId = Types.ObjectId;
export const Customer = model('Customer', customerSchema);
