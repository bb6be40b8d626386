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

// A list of another department, shown as a table; `open` makes an item's link to its record page.
interface Generic {
  title: string;
  roles: string[];
  path: (s: Session) => string;
  items: string; // the response's repeated field
  columns: [string, (item: any) => string][];
  open?: (item: any) => string;
}

const GENERIC: Generic[] = [
  {
    title: '待复核的低保、特困对象', roles: ['assistance.clerk', 'assistance.reviewer'],
    path: (s) => `/v1/assistance/reviews-due${qs({ regionPrefix: scope(s), pageSize: 100 })}`, items: 'enrolments',
    columns: [['项目', (e) => PROGRAMME_NAMES[e.programme] ?? e.programme], ['村(社区)', (e) => e.regionCode], ['复核到期', (e) => e.reviewDue ?? '']],
    open: (e) => `#/record/assistance-enrolment/${e.enrolmentId}`,
  },
  {
    title: '未处理的审计发现', roles: ['assistance.reviewer', 'auditor'],
    path: (s) => `/v1/assistance/audit-findings${qs({ regionPrefix: scope(s), status: 'FINDING_STATUS_OPEN', pageSize: 100 })}`, items: 'findings',
    columns: [['事项', (f) => f.subject ?? ''], ['村(社区)', (f) => f.regionCode ?? ''], ['期间', (f) => f.period ?? ''], ['详情', (f) => f.detail ?? '']],
  },
  {
    title: '待审核的高龄津贴申请', roles: ['eldercare.clerk', 'eldercare.reviewer'],
    path: (s) => `/v1/eldercare/allowance-enrolments${qs({ regionPrefix: scope(s), status: 'ENROLMENT_STATUS_PENDING_APPROVAL', pageSize: 100 })}`, items: 'enrolments',
    columns: [['老人', (e) => `${e.name ?? ''}(${e.idNumberMasked ?? ''})`], ['村(社区)', (e) => e.regionCode ?? ''], ['申请日期', (e) => e.applicationDate ?? '']],
    open: (e) => `#/record/eldercare-enrolment/${e.enrolmentId}`,
  },
  {
    title: '离婚登记:待领证(领证期将届满)', roles: ['affairs.clerk', 'affairs.reviewer'],
    path: (s) => `/v1/affairs/divorce-applications${qs({ regionPrefix: scope(s), state: 'DIVORCE_STATE_AWAITING_CERTIFICATE', pageSize: 100 })}`, items: 'applications',
    columns: [['申请日期', (a) => a.applicationDate ?? ''], ['领证期', (a) => `${a.windowStartDate ?? ''} 至 ${a.windowEndDate ?? ''}`], ['登记机关', (a) => a.regionCode ?? '']],
    open: (a) => `#/record/divorce/${a.applicationId}`,
  },
  {
    title: '本季度未走访的留守儿童、困境儿童', roles: ['childwelfare.clerk', 'childwelfare.reviewer'],
    path: (s) => `/v1/childwelfare/care-children:not-visited${qs({ regionPrefix: scope(s) })}`, items: 'children',
    columns: [['儿童', (c) => `${c.name ?? ''}(${c.idNumberMasked ?? ''})`], ['村(社区)', (c) => c.regionCode ?? ''], ['上次走访', (c) => c.lastVisitDate ?? '从未']],
  },
  {
    title: '到期的孤儿、事实无人抚养儿童年度复核', roles: ['childwelfare.clerk', 'childwelfare.reviewer'],
    path: (s) => `/v1/childwelfare/reviews-due${qs({ regionPrefix: scope(s), pageSize: 100 })}`, items: 'reviews',
    columns: [['儿童', (c) => `${c.name ?? ''}(${c.idNumberMasked ?? ''})`], ['村(社区)', (c) => c.regionCode ?? ''], ['到期', (c) => `${c.dueDate ?? ''}${c.overdue ? '(已逾期)' : ''}`]],
  },
  {
    title: '待审核的居民基础信息', roles: ['governance.reviewer'],
    path: (s) => `/v1/governance/resident-records${qs({ regionPrefix: scope(s), status: 'RECORD_STATUS_SUBMITTED', pageSize: 100 })}`, items: 'records',
    columns: [['网格', (r) => r.gridCode ?? ''], ['村(社区)', (r) => r.villageCode ?? ''], ['报送日期', (r) => r.submitDate ?? '']],
  },
  {
    title: '逾期未答复的“吹哨”事项', roles: ['governance.clerk', 'governance.reviewer', 'leadership'],
    path: (s) => `/v1/governance/overdue-whistle-items${qs({ regionPrefix: scope(s) })}`, items: 'items',
    columns: [['事项', (w) => w.matter ?? ''], ['报到部门', (w) => w.department ?? ''], ['答复期限', (w) => w.dueDate ?? '']],
  },
  {
    title: '逾期未换届的社会组织', roles: ['socialorg.clerk', 'socialorg.reviewer'],
    path: (s) => `/v1/socialorg/re-elections:overdue${qs({ regionPrefix: scope(s) })}`, items: 'overdue',
    columns: [['组织', (o) => o.name ?? ''], ['届满日期', (o) => o.termEnd ?? ''], ['逾期天数', (o) => String(o.daysOverdue ?? 0)]],
  },
  {
    title: '未年检(待整改)的社会组织', roles: ['socialorg.clerk', 'socialorg.reviewer'],
    path: (s) => `/v1/socialorg/organisations:dormant${qs({ regionPrefix: scope(s) })}`, items: 'organisations',
    columns: [['组织', (o) => o.name ?? ''], ['未年检年度', (o) => (o.missingYears ?? []).join('、')], ['最近年检', (o) => String(o.lastInspectedYear ?? '—')]],
  },
];

function generic(g: Generic, s: Session): Worklist {
  return {
    title: g.title,
    load: async () => {
      const r = await api('GET', g.path(s));
      const items = (r[g.items] ?? []) as any[];
      if (items.length === 0) return h('p', {}, '暂无。');
      return table(g.open ? ['', ...g.columns.map((c) => c[0])] : g.columns.map((c) => c[0]),
        items.map((it, i) => [...(g.open ? [h('a', { href: g.open(it) }, `查看 ${i + 1}`)] : []), ...g.columns.map((c) => c[1](it))]),
        g.title);
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
  for (const g of GENERIC) if (hasRole(s, ...g.roles)) lists.push(generic(g, s));
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
