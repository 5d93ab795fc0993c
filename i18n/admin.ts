import { defineMessages } from './define.js';

/** Refusals added for the admin panel's services (catalog editing). */
export default defineMessages(
  {
    'error.inUse': 'Không xoá được: còn {count} khách hàng đang dùng mục này. Hãy chuyển họ sang mục khác hoặc ngừng dùng mục này.',
  },
  {
    'error.inUse': 'Cannot delete: {count} customers still use it. Move them elsewhere or deactivate it instead.',
  },
);
