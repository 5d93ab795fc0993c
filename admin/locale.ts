import errors from '../i18n/errors.js';
import adminErrors from '../i18n/admin.js';
import { noticeKey } from './respond.js';
import { mergeTexts, type TextTree } from './locales/merge.js';
import { customerPageTexts } from './locales/customerPage.js';
import { campaignsTexts } from './locales/campaigns.js';
import { dashboardTexts } from './locales/dashboard.js';
import { catalogTexts } from './locales/catalog.js';
import { chatNoDropTexts } from './locales/chatNoDrop.js';
import { opportunitiesTexts } from './locales/opportunities.js';
import { opportunityRemindersTexts } from './locales/opportunityReminders.js';
import { organizationsTexts } from './locales/organizations.js';
import { careTexts } from './locales/care.js';
import { commentsTexts } from './locales/comments.js';
import { quotesTexts } from './locales/quotes.js';
import { attachmentsTexts } from './locales/attachments.js';
import { outreachTexts } from './locales/outreach.js';
import { campaignOutreachTexts } from './locales/campaignOutreach.js';

const areas = [customerPageTexts, campaignsTexts, dashboardTexts, catalogTexts, chatNoDropTexts, organizationsTexts, opportunitiesTexts, opportunityRemindersTexts, careTexts, commentsTexts, quotesTexts, attachmentsTexts, outreachTexts, campaignOutreachTexts];

/**
 * The panel's texts. Vietnamese is the default and complete (AdminJS ships no Vietnamese, so its
 * own strings are translated here too); English is selectable. Enum values are under `labels`
 * (`labels.kind.open`), where AdminJS looks for them, so they do not clash with property names.
 */

/** The crm refusal texts, as AdminJS notice messages (`{x}` → `{{x}}`). */
function crmErrors(lang: 'vi' | 'en'): Record<string, string> {
  const all = { ...errors[lang], ...adminErrors[lang] } as Record<string, string>;
  return Object.fromEntries(
    Object.entries(all).map(([key, text]) => [noticeKey(key.replace(/^error\./, '')), text.replace(/\{(\w+)\}/g, '{{$1}}')]),
  );
}

const vi = {
  actions: {
    new: 'Tạo mới', edit: 'Sửa', show: 'Xem', delete: 'Xoá', bulkDelete: 'Xoá tất cả', list: 'Danh sách', search: 'Tìm',
    reorder: 'Sắp xếp thứ tự', importCsv: 'Nhập CSV', exportCsv: 'Xuất CSV', assignOwner: 'Giao người phụ trách', changeStage: 'Đổi giai đoạn',
    addToGroup: 'Thêm vào nhóm', complete: 'Hoàn thành', reschedule: 'Dời lịch', cancel: 'Huỷ lịch', resetPassword: 'Đặt lại mật khẩu',
    linkCode: 'Tạo mã liên kết chat', launch: 'Xem trước & gửi', preview: 'Xem trước', start: 'Bắt đầu', pause: 'Tạm dừng', resume: 'Tiếp tục', schedule: 'Lên lịch',
  },
  buttons: {
    save: 'Lưu', addNewItem: 'Thêm mục', filter: 'Lọc', filterActive: 'Lọc ({{count}})', applyChanges: 'Áp dụng', resetFilter: 'Xoá lọc',
    confirmRemovalMany: 'Xác nhận xoá {{count}} bản ghi', confirmRemovalMany_plural: 'Xác nhận xoá {{count}} bản ghi', logout: 'Đăng xuất',
    login: 'Đăng nhập', seeTheDocumentation: 'Xem: <1>tài liệu</1>', createFirstRecord: 'Tạo bản ghi đầu tiên', cancel: 'Huỷ', confirm: 'Xác nhận',
    contactUs: 'Liên hệ', moveUp: 'Lên', moveDown: 'Xuống', preview: 'Xem trước', importConfirm: 'Xác nhận nhập', apply: 'Áp dụng', download: 'Tải xuống',
    generate: 'Tạo mã', submit: 'Thực hiện', show: 'Xem',
  },
  components: {
    DropZone: {
      placeholder: 'Thả tệp vào đây hoặc bấm để chọn', acceptedSize: 'Tối đa: {{maxSize}}', acceptedType: 'Hỗ trợ: {{mimeTypes}}',
      unsupportedSize: 'Tệp {{fileName}} quá lớn', unsupportedType: 'Tệp {{fileName}} có định dạng không hỗ trợ: {{fileType}}',
    },
    LanguageSelector: { availableLanguages: { vi: 'Tiếng Việt', en: 'English' } },
    Login: {
      welcomeHeader: 'chot', welcomeMessage: 'Quản lý khách hàng, giai đoạn bán hàng và chiến dịch của đội bạn.',
      properties: { email: 'Email', password: 'Mật khẩu' }, loginButton: 'Đăng nhập',
    },
  },
  labels: {
    navigation: 'Điều hướng', pages: 'Trang', selectedRecords: 'Đã chọn ({{selected}})', filters: 'Bộ lọc', adminVersion: 'Admin: {{version}}',
    appVersion: 'Ứng dụng: {{version}}', dashboard: 'Tổng quan', crm: 'Khách hàng', setup: 'Thiết lập', marketing: 'Chiến dịch',
    Customer: 'Khách hàng', Stage: 'Giai đoạn', Source: 'Nguồn', Group: 'Nhóm', Interaction: 'Tương tác', FollowUp: 'Lịch hẹn', Deal: 'Hợp đồng',
    User: 'Nhân viên', Settings: 'Cài đặt', AuditLog: 'Nhật ký thao tác', Campaign: 'Chiến dịch', CampaignDelivery: 'Lượt gửi', account: 'Tài khoản của tôi',
    kind: { open: 'Đang xử lý', won: 'Thành công', lost: 'Thất bại', dormant: 'Đừng quên' },
    role: { admin: 'Quản trị', manager: 'Quản lý', sales: 'Kinh doanh' },
    language: { vi: 'Tiếng Việt', en: 'Tiếng Anh' }, defaultLanguage: { vi: 'Tiếng Việt', en: 'Tiếng Anh' },
    type: { call: 'Gọi điện', meeting: 'Gặp mặt', email: 'Email', sms: 'SMS', note: 'Ghi chú', task: 'Việc cần làm', message_in: 'Tin nhắn đến', message_out: 'Tin nhắn đi' },
    status: {
      scheduled: 'Đã lên lịch', open: 'Đến hạn', completed: 'Đã xong', cancelled: 'Đã huỷ', draft: 'Bản nháp', running: 'Đang gửi', paused: 'Tạm dừng',
      pending: 'Chờ gửi', sending: 'Đang gửi', sent: 'Đã gửi', failed: 'Lỗi', skipped: 'Bỏ qua',
    },
    recurrence: { none: 'Không lặp', daily: 'Hằng ngày', weekly: 'Hằng tuần', monthly: 'Hằng tháng', every_n_days: 'Mỗi N ngày' },
    channel: {
      telegram: 'Telegram', zalo_oa: 'Zalo OA', zalo_bot: 'Zalo Bot', web: 'Web chat', manual: 'Nhập tay', import: 'Nhập tệp', phone: 'Điện thoại',
      email: 'Email', in_person: 'Gặp trực tiếp', other: 'Khác',
    },
    subject: { customer: 'Khách hàng', stage: 'Giai đoạn', source: 'Nguồn', group: 'Nhóm', settings: 'Cài đặt', user: 'Nhân viên', followUp: 'Lịch hẹn', import: 'Nhập CSV', campaign: 'Chiến dịch' },
    yes: 'Có', no: 'Không', selectPlaceholder: 'Chọn…',
  },
  properties: {
    length: 'Số lượng', from: 'Từ', to: 'Đến', code: 'Mã', name: 'Tên', phones: 'Số điện thoại', email: 'Email', stage: 'Giai đoạn', owner: 'Người phụ trách',
    source: 'Nguồn', groups: 'Nhóm', need: 'Nhu cầu', notes: 'Ghi chú', language: 'Ngôn ngữ', lastContactAt: 'Liên hệ lần cuối', nextFollowUpAt: 'Lịch hẹn tới',
    createdAt: 'Ngày tạo', updatedAt: 'Cập nhật', searchText: 'Tìm kiếm (tên, SĐT, mã KH)', color: 'Màu', order: 'Thứ tự', kind: 'Loại', isDefault: 'Mặc định',
    active: 'Đang dùng', channel: 'Kênh', description: 'Mô tả', customer: 'Khách hàng', user: 'Nhân viên', type: 'Loại', text: 'Nội dung', outcome: 'Kết quả',
    occurredAt: 'Thời điểm', countsAsContact: 'Tính là liên hệ', dueAt: 'Hẹn lúc', status: 'Trạng thái', note: 'Ghi chú', recurrence: 'Lặp lại',
    completedAt: 'Hoàn thành lúc', amount: 'Giá trị', closedAt: 'Ngày chốt', by: 'Người chốt', role: 'Vai trò', password: 'Mật khẩu (mới)', currentPassword: 'Mật khẩu hiện tại', takesNewLeads: 'Nhận khách mới',
    'chatIds.telegram': 'Telegram', 'chatIds.zalo_oa': 'Zalo OA', 'chatIds.zalo_bot': 'Zalo Bot', 'chatIds.web': 'Web chat',
    companyName: 'Tên công ty', dontForgetDays: 'Số ngày "Đừng quên"', digestHour: 'Giờ gửi bản tin', timezone: 'Múi giờ', defaultLanguage: 'Ngôn ngữ mặc định',
    roundRobin: 'Chia khách xoay vòng', at: 'Lúc', userName: 'Người thực hiện', subject: 'Đối tượng', action: 'Thao tác', details: 'Chi tiết', recordId: 'Bản ghi',
    template: 'Nội dung tin', segment: 'Nhóm nhận', scheduledAt: 'Lịch gửi', counters: 'Số liệu', channels: 'Kênh', campaign: 'Chiến dịch', reason: 'Lý do',
    attempts: 'Số lần thử', sentAt: 'Gửi lúc', startedAt: 'Bắt đầu lúc', createdBy: 'Người tạo',
    _id: 'Mã bản ghi', id: 'Mã bản ghi', story: 'Thao tác', everyDays: 'Lặp lại sau (ngày)', remindedFor: 'Đã nhắc cho lần hẹn', previous: 'Lịch hẹn trước',
  },
  pages: { account: 'Tài khoản của tôi' },
  resources: {
    // Nested fields are translated per resource: `properties.segment.stages` would clash with `properties.segment`.
    Campaign: {
      actions: { cancel: 'Huỷ chiến dịch' },
      properties: {
        'segment.stages': 'Giai đoạn', 'segment.groups': 'Nhóm', 'segment.sources': 'Nguồn', 'segment.owners': 'Người phụ trách',
        'segment.contactedWithinDays': 'Có liên hệ trong (ngày)', 'segment.notContactedForDays': 'Không liên hệ đã (ngày)',
        'counters.targeted': 'Số người nhận', 'counters.sent': 'Đã gửi', 'counters.failed': 'Lỗi', 'counters.skipped': 'Bỏ qua',
      },
    },
  },
  messages: {
    successfullyBulkDeleted: 'Đã xoá {{count}} bản ghi', successfullyBulkDeleted_plural: 'Đã xoá {{count}} bản ghi', successfullyDeleted: 'Đã xoá',
    successfullyUpdated: 'Đã lưu thay đổi', thereWereValidationErrors: 'Dữ liệu chưa hợp lệ, xem các ô bên dưới', forbiddenError: 'Bạn không có quyền thực hiện thao tác này với bản ghi này',
    anyForbiddenError: 'Bạn không có quyền thực hiện thao tác này', successfullyCreated: 'Đã tạo mới', bulkDeleteError: 'Có lỗi khi xoá', errorFetchingRecords: 'Có lỗi khi tải danh sách',
    errorFetchingRecord: 'Có lỗi khi tải bản ghi', noRecordsSelected: 'Bạn chưa chọn bản ghi nào', theseRecordsWillBeRemoved: 'Bản ghi sau sẽ bị xoá',
    theseRecordsWillBeRemoved_plural: 'Các bản ghi sau sẽ bị xoá', pickSomeFirstToRemove: 'Hãy chọn bản ghi trước khi xoá', error404Resource: 'Không có trang này',
    error404Action: 'Trang này không có hoặc bạn không có quyền mở', error404Record: 'Không tìm thấy bản ghi hoặc bạn không có quyền xem',
    seeConsoleForMore: 'Xem thêm chi tiết trong console', noActionComponent: 'Thao tác này chưa có giao diện', noRecordsInResource: 'Chưa có bản ghi nào', noRecords: 'Không có bản ghi',
    confirmDelete: 'Bạn chắc chắn muốn xoá mục này?', welcomeOnBoard_title: 'Chào mừng!', welcomeOnBoard_subtitle: 'Bắt đầu từ danh sách khách hàng.', invalidCredentials: 'Sai email hoặc mật khẩu',
    keyPlaceholder: 'KHOÁ', valuePlaceholder: 'GIÁ TRỊ', initialKey: 'Khoá-{{number}}', keyInUse: 'Khoá phải khác nhau', keyValuePropertyDefaultDescription: 'Mọi giá trị được lưu dạng văn bản.',
    pageNotFound_title: 'Không tìm thấy trang', pageNotFound_subtitle: 'Trang <strong>"{{pageName}}"</strong> không tồn tại', componentNotFound_title: 'Thiếu giao diện',
    componentNotFound_subtitle: 'Mục này chưa có giao diện hiển thị', tooManyRequests: 'Quá nhiều lần đăng nhập sai. Vui lòng đợi 15 phút rồi thử lại.',
    loginRateLimited: 'Quá nhiều lần đăng nhập sai cho tài khoản này từ địa chỉ của bạn. Vui lòng đợi một lúc rồi thử lại (mỗi lần sai, thời gian chờ tăng gấp đôi, tối đa 15 phút).',
    bulkDone: 'Đã cập nhật {{done}} khách hàng', bulkPartly: 'Đã cập nhật {{done}} khách hàng; {{failed}} khách hàng không đổi được (không có quyền hoặc không hợp lệ)',
    stagesReordered: 'Đã lưu thứ tự giai đoạn', passwordChanged: 'Đã đổi mật khẩu', wrongCurrentPassword: 'Mật khẩu hiện tại không đúng', importDone: 'Đã nhập: {{created}} tạo mới, {{merged}} gộp, {{refused}} bỏ qua',
    importCreate: 'Tạo mới', importMerge: 'Gộp vào {{code}}', importRefuse: 'Bỏ qua', importReason_empty: 'Dòng trống (không tên, không SĐT)', importReason_nameRequired: 'Thiếu tên',
    importReason_phoneInvalid: 'Số điện thoại không hợp lệ', importReason_duplicateInFile: 'Trùng số điện thoại với dòng {{line}}', importReason_unknownSource: 'Nguồn không có trong danh sách',
    importReason_unknownGroup: 'Nhóm không có trong danh sách', importReason_unknownOwner: 'Không tìm thấy người phụ trách', importHelp: 'Tệp CSV UTF-8 (có hoặc không BOM). Cột: Họ tên, Số điện thoại, Email, Nhu cầu, Nguồn, Nhóm, Người phụ trách. Chưa ghi gì cho đến khi bạn xác nhận.',
    importLimit: 'Tệp tối đa {{max}}.', importUnfinished: 'Lần nhập tệp này lúc {{time}} chưa hoàn tất (đã tạo {{created}}/{{total}} khách). Bấm Xác nhận nhập để hoàn tất; các dòng đã ghi không bị ghi lại.', importResumed: 'Đã hoàn tất lần nhập dở trước đó.', importCounts: '{{create}} tạo mới · {{merge}} gộp theo SĐT · {{refuse}} bỏ qua', linkCodeOnce: 'Mã chỉ hiện một lần, dùng được trong 24 giờ.', linkCodeSend: 'Gửi lệnh này cho bot:',
    linkCodeOpen: 'Hoặc mở liên kết Telegram:', exportHelp: 'Tải danh sách khách hàng theo bộ lọc hiện tại.', reorderHelp: 'Kéo thả một dòng đến vị trí mới, hoặc dùng nút Lên / Xuống; thứ tự được lưu ngay và menu chat theo thứ tự mới.',
    dashPeriod: 'Khoảng thời gian', dashFunnel: 'Khách hàng theo giai đoạn', dashNewBySource: 'Khách mới theo nguồn theo ngày', dashConversion: 'Tỉ lệ chốt và doanh thu theo nguồn',
    dashPeople: 'Tương tác và hợp đồng theo nhân viên', dashOverdue: 'Lịch hẹn quá hạn', dashZaloOaAlert: 'Zalo OA đã ngừng gửi tin: không làm mới được token. Cấp quyền lại ứng dụng Zalo và đặt cặp token mới (README, phần Zalo).', dashChannelDegraded: 'Kênh chat tạm thời không kết nối được nền tảng; chot tự thử lại và kênh sẽ hoạt động lại khi nền tảng trả lời. Web chat và trang quản trị vẫn chạy bình thường.', dashDormant: 'Khách "Đừng quên"', dashOwn: 'Số liệu khách hàng của bạn', dashTeam: 'Số liệu cả đội',
    dashTotal: 'Tổng', dashWon: 'Chốt', dashRate: 'Tỉ lệ', dashRevenue: 'Doanh thu', dashDeals: 'Hợp đồng', dashInteractions: 'Tương tác', dashNoData: 'Chưa có số liệu', dashDay: 'Ngày',
    cardHistory: 'Lịch sử giai đoạn', cardInteractions: 'Tương tác gần đây', cardFollowUps: 'Lịch hẹn', cardDeals: 'Hợp đồng', cardSystem: 'Hệ thống', pickTarget: 'Chọn', campaignRecipients: 'Số người nhận', campaignPreview: 'Xem trước tin nhắn (khách mẫu)', campaignNoRecipient: 'Không có khách nào nhận được chiến dịch này',
    campaignUnknown: 'Biến không hiểu', campaignProgress: 'Tiến độ',
    selectNoOptions: 'Không có lựa chọn', selectLoading: 'Đang tải…',
    audit_create: '{{who}} đã tạo {{subject}} {{record}}', audit_edit: '{{who}} đã sửa {{subject}} {{record}}: {{fields}}', auditEditNoFields: '{{who}} đã sửa {{subject}} {{record}}',
    audit_delete: '{{who}} đã xoá {{subject}} {{record}}', audit_reorder: '{{who}} đã sắp xếp lại thứ tự giai đoạn', audit_resetPassword: '{{who}} đã đặt lại mật khẩu của {{record}}',
    audit_linkCode: '{{who}} đã tạo mã liên kết chat cho {{record}}', audit_changeOwnPassword: '{{who}} đã đổi mật khẩu của mình',
    audit_bulkAssignOwner: '{{who}} đã giao {{count}} khách hàng cho {{target}}', audit_bulkChangeStage: '{{who}} đã chuyển {{count}} khách hàng sang giai đoạn {{target}}',
    audit_bulkAddToGroup: '{{who}} đã thêm {{count}} khách hàng vào nhóm {{target}}', audit_commit: '{{who}} đã nhập tệp CSV: {{created}} tạo mới, {{merged}} gộp, {{refused}} bỏ qua',
    auditOther: '{{who}} đã thực hiện "{{action}}" với {{subject}} {{record}}', auditSystem: 'Hệ thống',
    ...crmErrors('vi'),
  },
};

const en = {
  actions: {
    reorder: 'Reorder', importCsv: 'Import CSV', exportCsv: 'Export CSV', assignOwner: 'Assign owner', changeStage: 'Change stage', addToGroup: 'Add to group',
    complete: 'Complete', reschedule: 'Reschedule', cancel: 'Cancel follow-up', resetPassword: 'Reset password', linkCode: 'Chat link code', launch: 'Preview & send', preview: 'Preview',
    start: 'Start', pause: 'Pause', resume: 'Resume', schedule: 'Schedule',
  },
  buttons: { moveUp: 'Up', moveDown: 'Down', preview: 'Preview', importConfirm: 'Confirm import', apply: 'Apply', download: 'Download', generate: 'Generate code', submit: 'Submit', show: 'Show' },
  components: {
    LanguageSelector: { availableLanguages: { vi: 'Tiếng Việt', en: 'English' } },
    Login: { welcomeHeader: 'chot', welcomeMessage: "Manage your team's customers, sales stages and campaigns." },
  },
  labels: {
    dashboard: 'Dashboard', crm: 'Customers', setup: 'Setup', marketing: 'Campaigns', Customer: 'Customers', Stage: 'Stages', Source: 'Sources', Group: 'Groups',
    Interaction: 'Interactions', FollowUp: 'Follow-ups', Deal: 'Deals', User: 'Staff', Settings: 'Settings', AuditLog: 'Audit log', Campaign: 'Campaigns',
    CampaignDelivery: 'Deliveries', account: 'My account',
    kind: { open: 'Open', won: 'Won', lost: 'Lost', dormant: "Don't forget" },
    role: { admin: 'Admin', manager: 'Manager', sales: 'Sales' },
    language: { vi: 'Vietnamese', en: 'English' }, defaultLanguage: { vi: 'Vietnamese', en: 'English' },
    type: { call: 'Call', meeting: 'Meeting', email: 'Email', sms: 'SMS', note: 'Note', task: 'Task', message_in: 'Message in', message_out: 'Message out' },
    status: {
      scheduled: 'Scheduled', open: 'Due', completed: 'Done', cancelled: 'Cancelled', draft: 'Draft', running: 'Running', paused: 'Paused', pending: 'Pending',
      sending: 'Sending', sent: 'Sent', failed: 'Failed', skipped: 'Skipped',
    },
    recurrence: { none: 'None', daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly', every_n_days: 'Every N days' },
    channel: { telegram: 'Telegram', zalo_oa: 'Zalo OA', zalo_bot: 'Zalo Bot', web: 'Web chat', manual: 'Manual', import: 'Import', phone: 'Phone', email: 'Email', in_person: 'In person', other: 'Other' },
    subject: { customer: 'Customer', stage: 'Stage', source: 'Source', group: 'Group', settings: 'Settings', user: 'Staff', followUp: 'Follow-up', import: 'CSV import', campaign: 'Campaign' },
    yes: 'Yes', no: 'No', selectPlaceholder: 'Select…',
  },
  properties: {
    code: 'Code', name: 'Name', phones: 'Phones', email: 'Email', stage: 'Stage', owner: 'Owner', source: 'Source', groups: 'Groups', need: 'Need', notes: 'Notes',
    language: 'Language', lastContactAt: 'Last contact', nextFollowUpAt: 'Next follow-up', createdAt: 'Created', updatedAt: 'Updated', searchText: 'Search (name, phone, code)',
    color: 'Colour', order: 'Order', kind: 'Kind', isDefault: 'Default', active: 'Active', channel: 'Channel', description: 'Description', customer: 'Customer', user: 'Staff',
    type: 'Type', text: 'Text', outcome: 'Outcome', occurredAt: 'When', countsAsContact: 'Counts as contact', dueAt: 'Due', status: 'Status', note: 'Note', recurrence: 'Repeat',
    completedAt: 'Completed', amount: 'Amount', closedAt: 'Closed', by: 'Closed by', role: 'Role', password: 'Password (new)', currentPassword: 'Current password', takesNewLeads: 'Takes new leads',
    companyName: 'Company name', dontForgetDays: '"Don\'t forget" days', digestHour: 'Digest hour', timezone: 'Time zone', defaultLanguage: 'Default language',
    roundRobin: 'Round-robin assignment', at: 'At', userName: 'By', subject: 'Subject', action: 'Action', details: 'Details', recordId: 'Record', template: 'Message',
    segment: 'Segment', scheduledAt: 'Scheduled at', counters: 'Counters', channels: 'Channels', campaign: 'Campaign', reason: 'Reason', attempts: 'Attempts', sentAt: 'Sent at',
    startedAt: 'Started', createdBy: 'Created by', _id: 'Record id', id: 'Record id', story: 'What happened', everyDays: 'Every (days)', remindedFor: 'Reminded for', previous: 'Previous follow-up',
  },
  pages: { account: 'My account' },
  resources: {
    Campaign: {
      actions: { cancel: 'Cancel campaign' },
      properties: {
        'segment.stages': 'Stages', 'segment.groups': 'Groups', 'segment.sources': 'Sources', 'segment.owners': 'Owners',
        'segment.contactedWithinDays': 'Contacted within (days)', 'segment.notContactedForDays': 'Not contacted for (days)',
        'counters.targeted': 'Recipients', 'counters.sent': 'Sent', 'counters.failed': 'Failed', 'counters.skipped': 'Skipped',
      },
    },
  },
  messages: {
    forbiddenError: 'You are not allowed to do this with this record', selectNoOptions: 'No options', selectLoading: 'Loading…',
    audit_create: '{{who}} created {{subject}} {{record}}', audit_edit: '{{who}} edited {{subject}} {{record}}: {{fields}}', auditEditNoFields: '{{who}} edited {{subject}} {{record}}',
    audit_delete: '{{who}} deleted {{subject}} {{record}}', audit_reorder: '{{who}} reordered the stages', audit_resetPassword: '{{who}} reset the password of {{record}}',
    audit_linkCode: '{{who}} made a chat link code for {{record}}', audit_changeOwnPassword: '{{who}} changed their own password',
    audit_bulkAssignOwner: '{{who}} assigned {{count}} customers to {{target}}', audit_bulkChangeStage: '{{who}} moved {{count}} customers to stage {{target}}',
    audit_bulkAddToGroup: '{{who}} added {{count}} customers to group {{target}}', audit_commit: '{{who}} imported a CSV file: {{created}} created, {{merged}} merged, {{refused}} skipped',
    auditOther: '{{who}} did "{{action}}" on {{subject}} {{record}}', auditSystem: 'The system',
    tooManyRequests: 'Too many failed logins. Please wait 15 minutes and try again.',
    loginRateLimited: 'Too many failed logins for this account from your address. Please wait a little and try again (each failure doubles the wait, up to 15 minutes).',
    bulkDone: '{{done}} customers updated', bulkPartly: '{{done}} customers updated; {{failed}} could not be changed (not allowed or not valid)',
    stagesReordered: 'Stage order saved', passwordChanged: 'Password changed', wrongCurrentPassword: 'The current password is wrong', importDone: 'Imported: {{created}} created, {{merged}} merged, {{refused}} skipped',
    importCreate: 'Create', importMerge: 'Merge into {{code}}', importRefuse: 'Skip', importReason_empty: 'Empty row (no name, no phone)', importReason_nameRequired: 'Name missing',
    importReason_phoneInvalid: 'Phone number not valid', importReason_duplicateInFile: 'Same phone as line {{line}}', importReason_unknownSource: 'Unknown source',
    importReason_unknownGroup: 'Unknown group', importReason_unknownOwner: 'Owner not found', importHelp: 'UTF-8 CSV (with or without BOM). Columns: Name, Phone, Email, Need, Source, Groups, Owner (Vietnamese headers work too). Nothing is written until you confirm.',
    importLimit: 'Files up to {{max}}.', importUnfinished: 'An import of this file at {{time}} did not finish ({{created}}/{{total}} customers created). Press Confirm import to finish it; lines already written are not written again.', importResumed: 'The earlier unfinished import is now complete.', importCounts: '{{create}} to create · {{merge}} to merge by phone · {{refuse}} skipped', linkCodeOnce: 'The code is shown once and works for 24 hours.', linkCodeSend: 'Send this command to the bot:',
    linkCodeOpen: 'Or open the Telegram link:', exportHelp: 'Download the customer list with the current filters.', reorderHelp: 'Drag a row to its new place, or use Up / Down; the order is saved at once and the chat menus follow it.',
    dashPeriod: 'Period', dashFunnel: 'Customers by stage', dashNewBySource: 'New customers by source per day', dashConversion: 'Conversion and revenue by source',
    dashPeople: 'Interactions and deals per salesperson', dashOverdue: 'Overdue follow-ups', dashZaloOaAlert: 'Zalo OA stopped sending: its token could not be refreshed. Re-authorize the Zalo app and set a new token pair (README, Zalo section).', dashChannelDegraded: 'A chat channel cannot reach its platform for now; chot keeps retrying and the channel comes back by itself when the platform answers. The web chat and the admin panel work as usual.', dashDormant: '"Don\'t forget" customers', dashOwn: 'Figures for your customers', dashTeam: 'Team figures',
    dashTotal: 'Total', dashWon: 'Won', dashRate: 'Rate', dashRevenue: 'Revenue', dashDeals: 'Deals', dashInteractions: 'Interactions', dashNoData: 'No data yet', dashDay: 'Day',
    cardHistory: 'Stage history', cardInteractions: 'Recent interactions', cardFollowUps: 'Follow-ups', cardDeals: 'Deals', cardSystem: 'System', pickTarget: 'Choose', campaignRecipients: 'Recipients', campaignPreview: 'Message preview (sample customer)', campaignNoRecipient: 'No customer would receive this campaign',
    campaignUnknown: 'Unknown placeholders', campaignProgress: 'Progress',
    ...crmErrors('en'),
  },
};

export const locale = {
  language: 'vi',
  availableLanguages: ['vi', 'en'],
  // The choice is remembered in the browser; without one, Vietnamese (not the browser's language).
  localeDetection: true,
  detection: { order: ['localStorage'], caches: ['localStorage'] },
  translations: {
    vi: mergeTexts(vi as TextTree, ...areas.map((a) => a.vi)),
    en: mergeTexts(en as TextTree, ...areas.map((a) => a.en)),
  },
};
