import { Product } from '../../models/product.js';
import { createProduct, retireProduct, updateProduct } from '../../crm/products/products.js';
import { bool, optional } from '../respond.js';
import { Components } from '../components/index.js';
import { editableThrough, readOnlyForSales } from './catalog.js';

/** The price book: everyone reads it (the chat's quote buttons come from it), managers and admins edit it. */
export function productResource() {
  const input = (p: Record<string, any>) => ({ name: optional(p.name), unit: optional(p.unit) ?? '', price: optional(p.price), active: bool(p.active) });
  return {
    resource: Product,
    options: {
      navigation: { name: 'sales', icon: 'Briefcase' },
      listProperties: ['name', 'unit', 'price', 'active'],
      showProperties: ['name', 'unit', 'price', 'active', 'createdAt', 'updatedAt'],
      editProperties: ['name', 'unit', 'price', 'active'],
      filterProperties: ['name', 'active'],
      sort: { sortBy: 'searchName', direction: 'asc' },
      properties: {
        searchName: { isVisible: false },
        // Typed as text so "1.500.000" or "1,5tr" reach crm/products, which reads them like the chat does.
        price: { type: 'string', components: { list: Components.MoneyValue, show: Components.MoneyValue } },
      },
      actions: {
        ...readOnlyForSales,
        ...editableThrough(input, { create: createProduct, update: updateProduct, remove: retireProduct }),
      },
    },
  };
}
