// 案件: one 低保/特困 application with its full history and the next step the caller may take
// (入户调查 → 公示 → 审批). The server decides who may take it (roles, region, maker ≠ checker).
import { api, ApiError, describeError, yuan } from './api';
import { hasRole, Session } from './auth';
import { todayInChina } from './idnumber';
import { field, h, input, messageLine, pageTitle, setFieldError, showError, table } from './ui';

export const STATUS_NAMES: Record<string, string> = {
  APPLICATION_STATUS_SUBMITTED: '待入户调查',
  APPLICATION_STATUS_INVESTIGATED: '待公示',
  APPLICATION_STATUS_IN_NOTICE: '公示中/待审批',
  APPLICATION_STATUS_APPROVED: '已批准',
  APPLICATION_STATUS_REJECTED: '未批准',
};
const ACTION_NAMES: Record<string, string> = {
  SUBMITTED: '提交申请',
  INVESTIGATED: '入户调查',
  PUBLISHED: '张榜公示',
  OBJECTION: '公示异议',
  APPROVED: '审批通过',
  REJECTED: '审批不通过',
};
export const PROGRAMME_NAMES: Record<string, string> = {
  PROGRAMME_DIBAO: '最低生活保障',
  PROGRAMME_TEKUN: '特困人员救助供养',
  PROGRAMME_RETIRED_WORKER_SUBSIDY: '精减退职老职工生活补助',
  PROGRAMME_SHANGHAI_RESETTLED_SUBSIDY: '上海下放居民生活补助',
  PROGRAMME_LEPROSY_SUBSIDY: '麻风病人生活补助',
};

export async function casePage(main: HTMLElement, s: Session, id: string): Promise<void> {
  main.append(pageTitle('案件详情'));
  let app: any;
  try {
    app = (await api('GET', `/v1/assistance/applications/${encodeURIComponent(id)}`)).application;
  } catch (e) {
    const denied = e instanceof ApiError && (e.status === 403 || e.status === 404);
    main.append(h('p', { class: 'message error', role: 'alert' },
      denied ? '无法打开此案件:不在您的辖区内或不存在。' : describeError(e)));
    if (denied && e instanceof ApiError) main.append(h('p', { class: 'hint' }, `服务器答复:${e.serverMessage}`));
    return;
  }
  let household: any = null;
  try {
    household = (await api('GET', `/v1/assistance/households/${app.householdId}`)).household;
  } catch {
    household = null;
  }
  const status = String(app.status ?? '');
  main.append(
    h('section', { class: 'card', 'aria-labelledby': 'case-facts' },
      h('h2', { id: 'case-facts', tabindex: -1 }, `${PROGRAMME_NAMES[app.programme] ?? app.programme} · ${STATUS_NAMES[status] ?? status}`),
      h('dl', { class: 'facts' },
        h('dt', {}, '申请编号'), h('dd', { class: 'mono' }, app.applicationId),
        h('dt', {}, '所在村(社区)'), h('dd', {}, app.regionCode),
        h('dt', {}, '家庭成员'), h('dd', {}, household ? (household.members ?? []).map((m: any) => `${m.name}(${m.idNumberMasked})`).join('、') : '—'),
        h('dt', {}, '申请日期'), h('dd', {}, app.submittedOn ?? ''),
        h('dt', {}, '公示期'), h('dd', {}, app.noticeStart ? `${app.noticeStart} 至 ${app.noticeEnd}` : '—'),
        h('dt', {}, '月救助金额'), h('dd', {}, app.monthlyAmountFen ? `${yuan(app.monthlyAmountFen)} 元` : '—'))),
  );
  const step = h('section', { class: 'card', 'aria-labelledby': 'case-step' });
  // After a step the page is drawn again and focus goes to its heading, announced.
  const reload = (): void => {
    main.replaceChildren();
    void casePage(main, s, id).then(() => {
      main.querySelector<HTMLElement>('#case-facts')?.focus();
    });
  };
  if (status === 'APPLICATION_STATUS_SUBMITTED' && hasRole(s, 'assistance.clerk')) {
    step.append(investigateForm(app, reload));
  } else if (status === 'APPLICATION_STATUS_INVESTIGATED' && hasRole(s, 'assistance.clerk')) {
    step.append(publishForm(app, reload));
  } else if (status === 'APPLICATION_STATUS_IN_NOTICE' && hasRole(s, 'assistance.clerk')) {
    step.append(objectionForm(app, reload));
  }
  if (status === 'APPLICATION_STATUS_IN_NOTICE' && hasRole(s, 'assistance.reviewer')) {
    step.append(approveForm(app, reload));
  }
  if (step.childElementCount > 0) main.append(step);
  const history = (app.history ?? []) as any[];
  main.append(h('section', { class: 'card' },
    table(['日期', '步骤', '经办人', '备注'],
      history.map((e) => [e.happenedOn ?? '', ACTION_NAMES[e.action] ?? e.action, e.actor ?? '',
        `${e.note ?? ''}${e.lateEntry ? '(补录)' : ''}`]),
      '办理经过')));
}

function investigateForm(app: any, done: () => void): HTMLElement {
  const income = field('家庭月收入(元)', input({ inputmode: 'decimal', value: '0' }), 'household_monthly_income_fen');
  const assets = h('input', { type: 'checkbox', id: 'assets', checked: true });
  assets.dataset.field = 'assets_within_limits';
  const note = field('入户调查记录', h('textarea', { rows: 2, maxlength: 500 }), 'visit_note');
  const on = field('调查日期', input({ type: 'date', value: todayInChina(), max: todayInChina() }), 'investigated_on');
  const msg = messageLine();
  const form = h('form', { novalidate: true },
    h('h2', { id: 'case-step' }, '入户调查'), income.wrap,
    h('div', { class: 'field check' }, assets, h('label', { for: 'assets' }, '家庭财产符合规定')),
    note.wrap, on.wrap, h('button', { type: 'submit' }, '保存调查结果'), msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const yuanText = (income.control as HTMLInputElement).value.trim();
    if (!/^\d+(\.\d{1,2})?$/.test(yuanText)) {
      setFieldError(income, '请输入金额,如 300 或 300.50');
      income.control.focus();
      return;
    }
    setFieldError(income, '');
    try {
      await api('POST', `/v1/assistance/applications/${app.applicationId}:investigate`, {
        householdMonthlyIncomeFen: String(Math.round(Number(yuanText) * 100)),
        assetsWithinLimits: assets.checked,
        visitNote: (note.control as HTMLTextAreaElement).value,
        investigatedOn: (on.control as HTMLInputElement).value,
      });
      done();
    } catch (err) {
      showError(form, msg, err);
    }
  });
  return form;
}

function publishForm(app: any, done: () => void): HTMLElement {
  const start = field('公示开始日期', input({ type: 'date', value: todayInChina() }), 'notice_start', '公示期 7 天。');
  const msg = messageLine();
  const form = h('form', { novalidate: true }, h('h2', { id: 'case-step' }, '张榜公示'), start.wrap,
    h('button', { type: 'submit' }, '开始公示'), msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api('POST', `/v1/assistance/applications/${app.applicationId}:publish`, {
        noticeStart: (start.control as HTMLInputElement).value,
      });
      done();
    } catch (err) {
      showError(form, msg, err);
    }
  });
  return form;
}

function objectionForm(app: any, done: () => void): HTMLElement {
  const note = field('异议内容', h('textarea', { rows: 2, maxlength: 500 }), 'note');
  const on = field('提出日期', input({ type: 'date', value: todayInChina(), max: todayInChina() }), 'raised_on');
  const msg = messageLine();
  const form = h('form', { novalidate: true }, h('h2', { id: 'case-step' }, '公示期间的异议'),
    h('p', { class: 'hint' }, `公示期 ${app.noticeStart ?? ''} 至 ${app.noticeEnd ?? ''};已有异议 ${app.objections ?? 0} 条。`),
    note.wrap, on.wrap, h('button', { type: 'submit', class: 'secondary' }, '登记异议'), msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api('POST', `/v1/assistance/applications/${app.applicationId}:object`, {
        note: (note.control as HTMLTextAreaElement).value,
        raisedOn: (on.control as HTMLInputElement).value,
      });
      done();
    } catch (err) {
      showError(form, msg, err);
    }
  });
  return form;
}

function approveForm(app: any, done: () => void): HTMLElement {
  const on = field('审批日期', input({ type: 'date', value: todayInChina(), max: todayInChina() }), 'decided_on',
    `公示期满(${app.noticeEnd ?? ''})后方可审批。`);
  const note = field('审批意见 / 不通过理由', h('textarea', { rows: 2, maxlength: 500 }), 'reason');
  const msg = messageLine();
  const form = h('form', { novalidate: true }, h('h2', { id: 'case-step' }, '县级审批'), on.wrap, note.wrap,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', value: 'approve' }, '审批通过'),
      h('button', { type: 'submit', value: 'reject', class: 'danger' }, '不予通过')),
    msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const which = ((e as SubmitEvent).submitter as HTMLButtonElement | null)?.value ?? 'approve';
    const decidedOn = (on.control as HTMLInputElement).value;
    const text = (note.control as HTMLTextAreaElement).value;
    try {
      if (which === 'approve') {
        await api('POST', `/v1/assistance/applications/${app.applicationId}:approve`, { decidedOn, note: text });
      } else {
        await api('POST', `/v1/assistance/applications/${app.applicationId}:reject`, { decidedOn, reason: text });
      }
      done();
    } catch (err) {
      showError(form, msg, err);
    }
  });
  return form;
}
