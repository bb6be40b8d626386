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

function text(v: unknown): string {
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
      lists.push(h('section', { class: 'card' }, table(cols, value.map((row: any) => cols.map((c) => text(row[c]))), key)));
    } else {
      facts.append(h('dt', {}, key), h('dd', {}, text(value)));
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
