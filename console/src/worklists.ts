// 待办: per role, what is waiting, each item opening its case page.
import { api, describeError, qs, yuan } from './api';
import { hasRole, Session } from './auth';
import { PROGRAMME_NAMES, STATUS_NAMES } from './case';
import { h, pageTitle, table } from './ui';

interface Worklist {
  title: string;
  load: () => Promise<HTMLElement>;
}

function scope(s: Session): string {
  return /^\d+$/.test(s.region) ? s.region : '';
}

function applications(s: Session, status: string, title: string): Worklist {
  return {
    title,
    load: async () => {
      const r = await api('GET', `/v1/assistance/applications${qs({ regionPrefix: scope(s), status, pageSize: 100 })}`);
      const apps = (r.applications ?? []) as any[];
      if (apps.length === 0) return h('p', {}, '暂无。');
      return table(['申请', '项目', '村(社区)', '申请日期', '状态'],
        apps.map((a) => [
          h('a', { href: `#/case/${a.applicationId}` }, `案件 ${String(a.applicationId).slice(0, 8)}`),
          PROGRAMME_NAMES[a.programme] ?? a.programme, a.regionCode, a.submittedOn ?? '',
          STATUS_NAMES[a.status] ?? a.status]),
        title);
    },
  };
}

function overdueRelief(s: Session): Worklist {
  return {
    title: '临时救助逾期案件',
    load: async () => {
      const r = await api('GET', `/v1/assistance/relief-cases:overdue${qs({ regionPrefix: scope(s) })}`);
      const cases = (r.reliefCases ?? []) as any[];
      if (cases.length === 0) return h('p', {}, '暂无。');
      return table(['案件', '当事人', '村(社区)', '发生日期', '金额(元)'],
        cases.map((c) => [String(c.caseId ?? '').slice(0, 8), c.name ?? '', c.regionCode ?? '', c.happenedOn ?? '',
          yuan(c.amountFen)]),
        '临时救助逾期案件');
    },
  };
}

export async function worklistsPage(main: HTMLElement, s: Session): Promise<void> {
  main.append(pageTitle('待办事项'));
  const lists: Worklist[] = [];
  if (hasRole(s, 'assistance.clerk')) {
    lists.push(applications(s, 'APPLICATION_STATUS_SUBMITTED', '待入户调查的申请'));
    lists.push(applications(s, 'APPLICATION_STATUS_INVESTIGATED', '待公示的申请'));
    lists.push(applications(s, 'APPLICATION_STATUS_IN_NOTICE', '公示中的申请'));
  }
  if (hasRole(s, 'assistance.reviewer')) {
    lists.push(applications(s, 'APPLICATION_STATUS_IN_NOTICE', '待审批的申请'));
  }
  if (hasRole(s, 'assistance.clerk', 'assistance.reviewer', 'auditor')) lists.push(overdueRelief(s));
  if (lists.length === 0) {
    main.append(h('p', {}, '您的角色没有待办事项。'));
    return;
  }
  for (const list of lists) {
    const section = h('section', { class: 'card' }, h('h2', {}, list.title), h('p', { class: 'hint' }, '加载中…'));
    main.append(section);
    list.load().then(
      (el) => section.replaceChildren(h('h2', {}, list.title), el),
      (e) => section.replaceChildren(h('h2', {}, list.title), h('p', { class: 'message error' }, describeError(e))),
    );
  }
}
