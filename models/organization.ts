import { bumpsCacheVersion } from './cacheVersion.js';
import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

/**
 * A company the team sells to (khách hàng tổ chức). People at it are customers linked by
 * `Customer.organization`; its opportunities point at it. B2C teams never create one.
 */
const organizationSchema = new Schema(
  {
    /** TC000001…: a counter of its own, apart from customers' KH codes. */
    code: { type: String, required: true },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    /** Mã số thuế: 10 digits, or 13 for a branch (10 + 3); digits only once normalized. */
    taxCode: { type: String, trim: true },
    address: { type: String, trim: true, maxlength: 500 },
    province: { type: String, trim: true, maxlength: 100 },
    website: { type: String, trim: true, maxlength: 300 },
    /** The website's or the emails' domain, lowercased, no `www.`: how contacts are matched to it. */
    domain: { type: String, trim: true, lowercase: true, maxlength: 200 },
    industry: { type: String, trim: true, maxlength: 120 },
    owner: { type: Schema.Types.ObjectId, ref: 'User' },
    source: { type: Schema.Types.ObjectId, ref: 'Source' },
    groups: { type: [{ type: Schema.Types.ObjectId, ref: 'Group' }], default: [] },
    notes: { type: String, trim: true, maxlength: 5000 },
    /** The name without diacritics, lowercased, legal-form words removed: search and name matching. */
    searchText: { type: String, default: '' },
    deletedAt: { type: Date },
  },
  { timestamps: true },
);
organizationSchema.index({ code: 1 }, { unique: true });
// A tax code belongs to one organization: the natural key of de-duplication.
organizationSchema.index({ taxCode: 1 }, { unique: true, partialFilterExpression: { taxCode: { $type: 'string' } } });
organizationSchema.index({ domain: 1 });
organizationSchema.index({ owner: 1 });
// Typed searches match words of it (`(^| )word`): the embedded database answers them from its word index.
organizationSchema.index({ searchText: 1 });

export type OrganizationFields = InferSchemaType<typeof organizationSchema>;
export type OrganizationDoc = HydratedDocument<OrganizationFields>;
// Whether any organization is left is cached (crm/organizations/organizations.ts): creating and deleting tell it.
bumpsCacheVersion(organizationSchema, 'organizationsInUse', [], ['deletedAt']);
export const Organization = model('Organization', organizationSchema);
