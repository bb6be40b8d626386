// A record of another department (an enrolment, a divorce application, …): every field as a fact
// and its history or payments as tables. Opened from the worklists.
import { api, describeError } from './api';
import { hasRole, Session } from './auth';
import { todayInChina } from './idnumber';
import { field, h, input, messageLine, pageTitle, showError, table } from './ui';

// A decision the caller may take on the record (the server checks the role and maker ≠ checker).
interface Action {
  label: string;
  role: string;
  when: (record: any) => boolean;
  path: (id: string) => string;
  dateField: [string, string]; // JSON key, server field
}

const KINDS: Record<string, { title: string; path: (id: string) => string; key: string; action?: Action }> = {
  'assistance-enrolment': { title: '救助对象', path: (id) => `/v1/assistance/enrolments/${id}`, key: 'enrolment' },
  'eldercare-enrolment': {
    title: '高龄津贴',
    path: (id) => `/v1/eldercare/allowance-enrolments/${id}`,
    key: 'enrolment',
    action: {
      label: '审核通过',
      role: 'eldercare.reviewer',
      when: (r) => r.status === 'ENROLMENT_STATUS_PENDING_APPROVAL',
      path: (id) => `/v1/eldercare/allowance-enrolments/${id}:approve`,
      dateField: ['decisionDate', 'decision_date'],
    },
  },
  divorce: { title: '离婚登记申请', path: (id) => `/v1/affairs/divorce-applications/${id}`, key: 'application' },
};

// Field and value names in Chinese; a key not listed is shown as sent.
const FIELDS: Record<string, string> = {
  enrolmentId: '编号', applicationId: '申请编号', marriageId: '婚姻登记编号', householdId: '家庭编号',
  name: '姓名', idNumberMasked: '身份证号', birthDate: '出生日期', sex: '性别', regionCode: '村(社区)',
  status: '状态', state: '状态', applicationDate: '申请日期', startMonth: '起始月份', endMonth: '终止月份',
  recordedBy: '经办人', approvedBy: '审核人', approvalDate: '审核日期', updateTime: '更新时间',
  lowIncome: '低收入核实', lowIncomeEnrolmentId: '低保/特困编号', reason: '原因', payments: '发放记录',
  programme: '项目', area: '城乡', monthlyAmountFen: '月金额(分)', members: '成员', careMode: '供养方式',
  reviewDue: '复核到期', exitReason: '退出原因', amountMonth: '核定月份', coolingOffEndDate: '冷静期届满',
  windowStartDate: '领证期开始', windowEndDate: '领证期届满', completedDate: '办结日期', parties: '当事人',
  certificateNumber: '证书字号', month: '月份', amountFen: '金额(分)', tier: '档次', paidOn: '发放日期',
  memberId: '成员编号', createTime: '创建时间', asOf: '截至', lapsedDate: '失效日期', withdrawnDate: '撤回日期',
};
const VALUES: Record<string, string> = {
  ENROLMENT_STATUS_PENDING_APPROVAL: '待审核', ENROLMENT_STATUS_ACTIVE: '享受中', ENROLMENT_STATUS_STOPPED: '已停发',
  ENROLMENT_STATUS_PENDING_ELIGIBILITY: '待核实低收入', ENROLMENT_STATUS_REJECTED: '不符合条件',
  LOW_INCOME_NOT_REQUIRED: '无需核实', M: '男', F: '女', AREA_RURAL: '农村', AREA_URBAN: '城市',
  PROGRAMME_DIBAO: '最低生活保障', PROGRAMME_TEKUN: '特困人员救助供养',
  DIVORCE_STATE_COOLING_OFF: '冷静期', DIVORCE_STATE_AWAITING_CERTIFICATE: '待领证', DIVORCE_STATE_COMPLETED: '已办结',
  DIVORCE_STATE_WITHDRAWN: '已撤回', DIVORCE_STATE_WITHDRAWN_BY_LAW: '视为撤回', DIVORCE_STATE_TERMINATED: '已终止',
};

function text(v: unknown): string {
  if (typeof v === 'string' && v in VALUES) return VALUES[v];
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export async function recordPage(main: HTMLElement, s: Session, kind: string, id: string): Promise<void> {
  const k = KINDS[kind];
  main.append(pageTitle(k ? k.title : '记录'));
  if (!k || !/^[0-9a-fA-F-]{36}$/.test(id)) {
    main.append(h('p', { class: 'message error' }, '无此记录。'));
    return;
  }
  let record: any;
  try {
    record = (await api('GET', k.path(id)))[k.key] ?? {};
  } catch (e) {
    main.append(h('p', { class: 'message error', role: 'alert' }, `无法打开此记录:${describeError(e)}`));
    return;
  }
  const facts = h('dl', { class: 'facts' });
  const lists: HTMLElement[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (Array.isArray(value) && value.length > 0 && typeof value[0] === 'object') {
      const cols = Object.keys(value[0]);
      lists.push(h('section', { class: 'card' },
        table(cols.map((c) => FIELDS[c] ?? c), value.map((row: any) => cols.map((c) => text(row[c]))), FIELDS[key] ?? key)));
    } else {
      facts.append(h('dt', {}, FIELDS[key] ?? key), h('dd', {}, text(value)));
    }
  }
  main.append(h('section', { class: 'card' }, facts));
  const a = k.action;
  if (a && hasRole(s, a.role) && a.when(record)) {
    const on = field('决定日期', input({ type: 'date', value: todayInChina(), max: todayInChina() }), a.dateField[1]);
    const msg = messageLine();
    const form = h('form', { class: 'card', novalidate: true, 'aria-label': a.label }, on.wrap,
      h('button', { type: 'submit' }, a.label), msg);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api('POST', a.path(id), { [a.dateField[0]]: (on.control as HTMLInputElement).value });
        main.replaceChildren();
        await recordPage(main, s, kind, id);
      } catch (err) {
        showError(form, msg, err);
      }
    });
    main.append(form);
  }
  main.append(...lists);
}
