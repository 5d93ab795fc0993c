import mongoose from 'mongoose';

/**
 * @adminjs/mongoose 4.1 reads an array path's element type, and a sub-document's schema, from
 * `caster`, which mongoose 9 no longer sets (arrays have `embeddedSchemaType`, sub-documents
 * `schema`). Without it every form with an array or a nested field (phones, groups, the campaign
 * segment) fails. This restores `caster` as a read-only alias, nothing else.
 */
function alias(proto: object, read: (self: any) => unknown) {
  if ('caster' in proto) return;
  Object.defineProperty(proto, 'caster', { configurable: true, get() { return read(this); } });
}

alias(mongoose.Schema.Types.Array.prototype, (self) => self.embeddedSchemaType);
alias(mongoose.Schema.Types.Subdocument.prototype, (self) => ({ schema: self.schema }));
