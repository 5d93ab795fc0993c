import type { PanelTexts } from './merge.js';

/** The customer page (its forms, conversation and notices) and the follow-up forms, merged over admin/locale.ts. */
export const customerPageTexts: PanelTexts = {
  vi: {
    actions: { logInteraction: 'Ghi tương tác', setStage: 'Đổi giai đoạn', scheduleFollowUp: 'Hẹn lịch', reassign: 'Giao người phụ trách', addGroup: 'Thêm vào nhóm', reply: 'Trả lời' },
    properties: { everyDays: 'Số ngày', referrer: 'Người giới thiệu' },
    labels: {
      outcome: { reached: 'Đã liên lạc được', interested: 'Quan tâm', not_interested: 'Không quan tâm', no_answer: 'Không nghe máy', call_back: 'Hẹn gọi lại' },
      referrerKind: { customer: 'Khách hàng', user: 'Nhân viên', staff: 'Nhân viên' },
    },
    messages: {
      cpEdit: 'Sửa', cpDelete: 'Xoá', cpDetails: 'Thông tin', cpWork: 'Thao tác', cpConversation: 'Hội thoại', cpNoMessages: 'Chưa có tin nhắn nào với khách này.',
      cpCustomer: 'Khách', cpChot: 'chot', cpReplyPlaceholder: 'Nhập tin trả lời khách…', cpSend: 'Gửi', cpSending: 'Đang gửi…',
      cpReplyHelp: 'Tin được gửi qua kênh khách nhắn gần nhất và được lưu vào lịch sử tương tác.',
      cpLog: 'Ghi tương tác', cpLogText: 'Nội dung', cpOutcomeNone: '— Kết quả —', cpSave: 'Lưu',
      cpStage: 'Đổi giai đoạn', cpStagePick: '— Chọn giai đoạn —', cpAmount: 'Giá trị hợp đồng (VNĐ)', cpAmountHelp: 'Ví dụ: 50tr, 1,5 tỷ, 50.000.000. Để trống nếu chưa có hợp đồng.',
      cpFollowUp: 'Hẹn lịch', cpFollowUpWhen: 'Thời gian (giờ công ty: {{timezone}})', cpFollowUpType: 'Việc', cpRecurrence: 'Lặp lại', cpEveryDays: 'Cứ mỗi (ngày)', cpFollowUpNote: 'Ghi chú',
      cpReassign: 'Giao cho', cpOwnerPick: '— Chọn nhân viên —', cpGroup: 'Thêm vào nhóm', cpGroupPick: '— Chọn nhóm —', cpApply: 'Áp dụng',
      cpCustomerSearch: 'Tìm khách (tên, SĐT, mã KH)', cpCustomerPick: '— Chọn khách —', cpNewFollowUp: 'Tạo lịch hẹn',
      // The panel picks the time in a date-time box: the chat's typed examples would not help here.
      crmError_followUp_dueInvalid: 'Thời gian hẹn không hợp lệ hoặc đã qua. Hãy chọn một thời điểm sắp tới.',
      customerPageLogged: 'Đã ghi tương tác với {{name}}', customerPageLoggedRevived: 'Đã ghi tương tác với {{name}}; khách đã ra khỏi "Đừng quên"',
      customerPageStage: 'Đã chuyển {{name}} sang {{stage}}', customerPageStageWithDeal: 'Đã chuyển {{name}} sang {{stage}} và ghi nhận hợp đồng',
      customerPageFollowUp: 'Đã hẹn lịch', customerPageReassigned: 'Đã giao {{name}} cho {{owner}}', customerPageGrouped: 'Đã thêm vào nhóm {{group}}',
      customerPageReply_sent: 'Đã gửi cho {{name}}',
      customerPageReply_noChannel: '{{name}} chưa nhắn qua kênh chat nào nên không gửi được tin. Hãy gọi {{phones}}.',
      customerPageReply_blocked: 'Không gửi được: {{name}} đã chặn hoặc bỏ theo dõi kênh chat.',
      customerPageReply_rate_limited: 'Chưa gửi được: kênh đang giới hạn tốc độ. Thử lại sau {{seconds}} giây.',
      customerPageReply_quota: 'Không gửi được: đã hết hạn mức tin nhắn miễn phí cho {{name}} trên kênh này.{{detail}}',
      customerPageReply_not_configured: 'Không gửi được: kênh chat của {{name}} chưa được bật.',
      customerPageReply_error: 'Không gửi được tin cho {{name}}: kênh chat đang lỗi. Thử lại sau ít phút.{{detail}}',
    },
  },
  en: {
    actions: { logInteraction: 'Log interaction', setStage: 'Change stage', scheduleFollowUp: 'Follow up', reassign: 'Reassign', addGroup: 'Add to group', reply: 'Reply' },
    properties: { everyDays: 'Days', referrer: 'Referred by' },
    labels: {
      outcome: { reached: 'Reached', interested: 'Interested', not_interested: 'Not interested', no_answer: 'No answer', call_back: 'Call back later' },
      referrerKind: { customer: 'Customer', user: 'Staff', staff: 'Staff' },
    },
    messages: {
      cpEdit: 'Edit', cpDelete: 'Delete', cpDetails: 'Details', cpWork: 'Actions', cpConversation: 'Conversation', cpNoMessages: 'No messages with this customer yet.',
      cpCustomer: 'Customer', cpChot: 'chot', cpReplyPlaceholder: 'Type a reply to the customer…', cpSend: 'Send', cpSending: 'Sending…',
      cpReplyHelp: 'The message goes out on the channel the customer last wrote on and is kept in the interaction history.',
      cpLog: 'Log interaction', cpLogText: 'Text', cpOutcomeNone: '— Outcome —', cpSave: 'Save',
      cpStage: 'Change stage', cpStagePick: '— Choose a stage —', cpAmount: 'Deal amount (VND)', cpAmountHelp: 'For example 50tr, 1.5 tỷ, 50,000,000. Leave empty if there is no deal yet.',
      cpFollowUp: 'Follow up', cpFollowUpWhen: 'Time (company time: {{timezone}})', cpFollowUpType: 'Task', cpRecurrence: 'Repeat', cpEveryDays: 'Every (days)', cpFollowUpNote: 'Note',
      cpReassign: 'Give to', cpOwnerPick: '— Choose a person —', cpGroup: 'Add to group', cpGroupPick: '— Choose a group —', cpApply: 'Apply',
      cpCustomerSearch: 'Find a customer (name, phone, code)', cpCustomerPick: '— Choose a customer —', cpNewFollowUp: 'New follow-up',
      crmError_followUp_dueInvalid: 'That time is not valid or already past. Pick a time ahead.',
      customerPageLogged: 'Interaction with {{name}} logged', customerPageLoggedRevived: 'Interaction with {{name}} logged; the customer left "Don\'t forget"',
      customerPageStage: '{{name}} moved to {{stage}}', customerPageStageWithDeal: '{{name}} moved to {{stage}} and the deal recorded',
      customerPageFollowUp: 'Follow-up scheduled', customerPageReassigned: '{{name}} given to {{owner}}', customerPageGrouped: 'Added to group {{group}}',
      customerPageReply_sent: 'Sent to {{name}}',
      customerPageReply_noChannel: '{{name}} has not written on any chat channel, so no message can be sent. Call {{phones}} instead.',
      customerPageReply_blocked: 'Not sent: {{name}} blocked or unfollowed the chat channel.',
      customerPageReply_rate_limited: 'Not sent yet: the channel is rate limited. Try again in {{seconds}} seconds.',
      customerPageReply_quota: 'Not sent: the free message quota for {{name}} on this channel is used up.{{detail}}',
      customerPageReply_not_configured: 'Not sent: the chat channel of {{name}} is not running.',
      customerPageReply_error: 'Could not send the message to {{name}}: the chat channel is failing. Try again in a few minutes.{{detail}}',
    },
  },
};
