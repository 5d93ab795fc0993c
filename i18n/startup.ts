import { defineMessages } from './define.js';

/** What chot tells the person starting it on the terminal (outside the JSON log). */
export default defineMessages(
  {
    'startup.firstAdmin.title': 'Đã tạo tài khoản quản trị đầu tiên',
    'startup.firstAdmin.url': 'Trang quản trị: {url}',
    'startup.firstAdmin.email': 'Email:    {email}',
    'startup.firstAdmin.password': 'Mật khẩu: {password}',
    'startup.firstAdmin.change': 'Hãy đổi mật khẩu này ngay lần đăng nhập đầu tiên (trang "Tài khoản của tôi").',
    'startup.firstAdmin.once': 'Mật khẩu chỉ hiện một lần này và không được ghi vào nhật ký.',
  },
  {
    'startup.firstAdmin.title': 'The first admin account was created',
    'startup.firstAdmin.url': 'Admin panel: {url}',
    'startup.firstAdmin.email': 'Email:    {email}',
    'startup.firstAdmin.password': 'Password: {password}',
    'startup.firstAdmin.change': 'Change this password at your first login (the "My account" page).',
    'startup.firstAdmin.once': 'It is shown this once only and is not written to the log.',
  },
);
