// 工作概览: the bureau's work summary (GET /v1/reports/work-summary, services/report) of a chosen
// period and region, with charts — money by programme, money by month, caseload by township or
// village (click a bar to drill down county → township → village), targets planned / done — and
// the report itself to download as HTML, Markdown or Word.
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { api, describeError, qs, yuan } from './api';
import { countyOf, hasRole, Session } from './auth';
import { todayInChina } from './idnumber';
import { targetForm } from './forms';
import { announce, field, h, input, messageLine, pageTitle, table } from './ui';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, AriaComponent, CanvasRenderer]);

const DEPARTMENTS: Record<string, string> = {
  assistance: '社会救助',
  affairs: '社会事务',
  eldercare: '养老服务',
  childwelfare: '儿童福利',
  governance: '基层治理',
  socialorg: '社会组织',
};
const WORDS: Record<string, string> = {
  dibao: '低保', tekun: '特困', rural: '农村', urban: '城市', households: '户数', persons: '人数',
  paid: '发放资金', exit: '退出', retired_worker_subsidy: '精减退职老职工补助',
  shanghai_resettled_subsidy: '上海下放居民补助', leprosy_subsidy: '麻风病人补助',
  temporary_relief: '临时救助', cases: '人次', mutual_aid: '互助', cremations: '火化遗体',
  marriages_registered: '结婚登记', divorce_applications: '离婚申请', divorces_completed: '离婚办结',
  money: '资金', vagrant_relief: '流浪乞讨救助', funeral_fees_waived: '免除殡葬费',
  accepted: '已验收', awaiting_acceptance: '待验收', completed: '已完工', planned: '计划', projects: '项目数',
  care_service_pilots: '重度残疾人照护项目', mental_health_rehab_pilots: '精神障碍社区康复试点',
  cemetery_projects: '公墓改扩建', communities: '社区数', communities_with_all_notices: '三项公开齐全的社区',
  de_facto_allowance: '事实无人抚养儿童基本生活费', orphan_allowance: '孤儿基本生活费', university_stipends: '大学生助学金',
  old_age_allowance: '高龄津贴', demands_resolved: '诉求已解决', deregistered: '注销', foundations: '基金会',
  social_groups: '社会团体', private_non_enterprise_units: '民办非企业单位', findings_confirmed: '审计确认问题',
  health_checks: '健康体检', inspections: '检查', marriage_archive_files_digitised: '婚姻档案数字化(份)',
  disability_care_subsidy: '重度残疾人护理补贴', disability_living_subsidy: '困难残疾人生活补贴',
  newly_registered: '新登记', organisations_registered: '登记组织', outreach: '走访', persons_surveyed: '摸排人数',
  party_organisations: '党组织', trade_unions: '工会', youth_leagues: '共青团', womens_organisations: '妇联组织',
  re_election_or_renewal_filings: '换届备案', rectification: '整改', records_reviewed: '已审核信息',
  records_reviewed_in_period: '本期审核信息', records_submitted: '已报送信息', societies_registered: '互助社登记',
};
const STATUS: Record<string, string> = {
  TARGET_STATUS_DONE: '已完成', TARGET_STATUS_ON_TRACK: '按进度', TARGET_STATUS_BEHIND: '滞后',
  TARGET_STATUS_OVERDUE: '逾期', TARGET_STATUS_DATA_MISSING: '数据暂缺',
};

export interface Figure {
  department: string;
  measure: string;
  unit: string;
  value: string | number;
  text?: string;
}

// 低保农村户数 for `dibao.rural.households`; with the department in front for a chart's axis.
export function measureName(f: Figure, withDepartment = true): string {
  const parts = f.measure.split('.').map((p) => WORDS[p] ?? p);
  return withDepartment ? `${DEPARTMENTS[f.department] ?? f.department}·${parts.join('')}` : parts.join('');
}

// The caseload of a summary: households in 低保 and 特困 on the period's last day.
export function caseload(figures: Figure[]): number {
  return figures
    .filter((f) => f.department === 'assistance' && /^(dibao|tekun)\.[a-z]+\.households$/.test(f.measure))
    .reduce((n, f) => n + Number(f.value ?? 0), 0);
}

function months(start: string, end: string): string[] {
  const out: string[] = [];
  let y = Number(start.slice(0, 4));
  let m = Number(start.slice(5, 7));
  const last = end.slice(0, 7);
  while (out.length < 12) {
    const ym = `${y}-${String(m).padStart(2, '0')}`;
    if (ym > last) break;
    out.push(ym);
    m++;
    if (m > 12) { m = 1; y++; }
  }
  return out;
}

function lastDay(ym: string): string {
  const [y, m] = ym.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

async function summary(start: string, end: string, region: string, format = 'json'): Promise<any> {
  return api('GET', `/v1/reports/work-summary${qs({ period_start: start, period_end: end, region_prefix: region, format })}`);
}

// The townships of a county, or the villages of a township: the governance region tree when the
// caller may read it, else the regions of the households in scope.
async function childrenOf(region: string): Promise<{ code: string; name: string }[]> {
  try {
    const r = await api('GET', `/v1/governance/regions${qs({ parentCode: region, pageSize: 100 })}`);
    const list = ((r.regions ?? []) as any[]).map((x) => ({ code: String(x.code), name: String(x.name ?? x.code) }));
    if (list.length > 0) return list;
  } catch {
    /* not readable with this role: fall back below */
  }
  try {
    const r = await api('GET', `/v1/assistance/households${qs({ regionPrefix: region, pageSize: 500 })}`);
    const len = region.length === 6 ? 9 : 12;
    const codes = new Set<string>();
    for (const hh of (r.households ?? []) as any[]) codes.add(String(hh.regionCode).slice(0, len));
    return [...codes].sort().map((code) => ({ code, name: code }));
  } catch {
    return [];
  }
}

function chartBox(label: string): HTMLElement {
  return h('div', { class: 'chart', role: 'img', 'aria-label': label });
}

function draw(el: HTMLElement, option: any): echarts.ECharts {
  const chart = echarts.init(el, undefined, { renderer: 'canvas' });
  chart.setOption({ aria: { enabled: true }, textStyle: { fontFamily: 'inherit' }, ...option });
  new ResizeObserver(() => chart.resize()).observe(el);
  return chart;
}

function download(name: string, type: string, content: BlobPart): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export async function dashboardPage(main: HTMLElement, s: Session, params: URLSearchParams): Promise<void> {
  main.append(pageTitle('工作概览'));
  if (!hasRole(s, 'leadership', 'auditor', 'assistance.reviewer', 'affairs.reviewer', 'eldercare.reviewer',
    'childwelfare.reviewer', 'governance.reviewer', 'socialorg.reviewer')) {
    main.append(h('p', {}, '工作概览供局领导、审计和各股室审核员查看。'));
    return;
  }
  const today = todayInChina();
  const start = params.get('start') ?? `${today.slice(0, 4)}-01-01`;
  const end = params.get('end') ?? today;
  const region = params.get('region') ?? (/^\d+$/.test(s.region) ? s.region : countyOf(s));

  const startF = field('开始日期', input({ type: 'date', value: start }), 'period_start');
  const endF = field('结束日期', input({ type: 'date', value: end }), 'period_end');
  const regionF = field('辖区代码', input({ inputmode: 'numeric', value: region }), 'region_prefix', '县 6 位、乡镇 9 位、村 12 位。');
  const form = h('form', { class: 'card filters', 'aria-label': '统计范围' }, startF.wrap, endF.wrap, regionF.wrap,
    h('button', { type: 'submit' }, '查询'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams({
      start: (startF.control as HTMLInputElement).value,
      end: (endF.control as HTMLInputElement).value,
      region: (regionF.control as HTMLInputElement).value.trim(),
    });
    location.hash = `#/dashboard?${p}`;
  });
  main.append(form);

  // Breadcrumb of the drill-down: county → township → village.
  const crumbs = h('nav', { class: 'crumbs', 'aria-label': '辖区层级' });
  const levels = [region.slice(0, 6), region.length >= 9 ? region.slice(0, 9) : '', region.length >= 12 ? region : ''].filter(Boolean);
  levels.forEach((code, i) => {
    const p = new URLSearchParams({ start, end, region: code });
    crumbs.append(i === levels.length - 1 ? h('span', { 'aria-current': 'page' }, code) : h('a', { href: `#/dashboard?${p}` }, code));
    if (i < levels.length - 1) crumbs.append(' › ');
  });
  main.append(crumbs);

  const msg = messageLine();
  main.append(msg);
  let report: any;
  try {
    report = await summary(start, end, region);
  } catch (e) {
    msg.textContent = describeError(e);
    msg.className = 'message error';
    return;
  }
  // proto3 JSON leaves out zeros: a figure without `value` is 0.
  const figures = ((report.figures ?? []) as Figure[]).map((f) => ({ ...f, value: Number(f.value ?? 0) }));
  const missing = (report.missingDepartments ?? []) as string[];
  if (missing.length > 0) {
    main.append(h('p', { class: 'message warn' }, `数据暂缺:${missing.map((d) => DEPARTMENTS[d] ?? d).join('、')}`));
  }

  // Key figures.
  const paid = figures.filter((f) => f.unit === 'fen').reduce((n, f) => n + Number(f.value), 0);
  const kpis = h('div', { class: 'kpis' },
    h('div', { class: 'kpi' }, h('span', { class: 'kpi-label' }, '低保、特困在册户数'), h('strong', { 'data-testid': 'caseload' }, String(caseload(figures)))),
    h('div', { class: 'kpi' }, h('span', { class: 'kpi-label' }, '发放资金(元)'), h('strong', { 'data-testid': 'paid' }, yuan(paid))),
    h('div', { class: 'kpi' }, h('span', { class: 'kpi-label' }, '报送部门'), h('strong', {}, `${(report.departments ?? []).filter((d: any) => d.answered).length}/${(report.departments ?? []).length}`)));
  main.append(kpis);

  // Export.
  const exportMsg = messageLine();
  const exporter = (format: 'html' | 'md' | 'docx') => async () => {
    try {
      const r = await summary(start, end, region, format);
      const base = `工作总结_${region}_${start}_${end}`;
      if (format === 'md') download(`${base}.md`, 'text/markdown;charset=utf-8', r.document);
      else if (format === 'html') download(`${base}.html`, 'text/html;charset=utf-8', r.document);
      // The Word file the report service writes (bytes: base64 in JSON).
      else download(`${base}.docx`, r.contentType, Uint8Array.from(atob(r.documentFile ?? ''), (c) => c.charCodeAt(0)));
      exportMsg.textContent = '已导出。';
      exportMsg.className = 'message ok';
    } catch (e) {
      exportMsg.textContent = describeError(e);
      exportMsg.className = 'message error';
    }
  };
  main.append(h('section', { class: 'card', 'aria-labelledby': 'export-title' },
    h('h2', { id: 'export-title' }, '导出工作总结'),
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: exporter('html') }, '导出 HTML(可打印A4)'),
      h('button', { type: 'button', onclick: exporter('md') }, '导出 Markdown'),
      h('button', { type: 'button', onclick: exporter('docx') }, '导出 Word(.docx)')),
    exportMsg));

  const grid = h('div', { class: 'charts' });
  main.append(grid);

  // Money by programme.
  const money = figures.filter((f) => f.unit === 'fen' && Number(f.value) > 0);
  const moneyBox = chartBox('各项目发放资金(元)柱状图,数据见下表');
  grid.append(h('section', { class: 'card' }, h('h2', {}, '各项目发放资金(元)'), money.length ? moneyBox : h('p', {}, '本期无发放。')));
  if (money.length) {
    draw(moneyBox, {
      tooltip: {}, grid: { left: 150, right: 20, top: 10, bottom: 30 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: money.map((f) => measureName(f)) },
      series: [{ type: 'bar', name: '资金(元)', data: money.map((f) => Number(f.value) / 100), itemStyle: { color: '#1f5fa8' } }],
    });
  }

  // Money by month (one summary per month, asked together).
  const monthBox = chartBox('每月发放资金(元)柱状图');
  grid.append(h('section', { class: 'card' }, h('h2', {}, '每月发放资金(元)'), monthBox));
  const ms = months(start, end);
  Promise.all(ms.map((m) => summary(`${m}-01`, lastDay(m) < end ? lastDay(m) : end, region).catch(() => ({ figures: [] }))))
    .then((answers) => {
      const depts = Object.keys(DEPARTMENTS);
      draw(monthBox, {
        tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 60, right: 20, top: 40, bottom: 30 },
        xAxis: { type: 'category', data: ms },
        yAxis: { type: 'value' },
        series: depts.map((d) => ({
          type: 'bar', stack: 'money', name: DEPARTMENTS[d],
          data: answers.map((a: any) => ((a.figures ?? []) as Figure[])
            .filter((f) => f.department === d && f.unit === 'fen').reduce((n, f) => n + Number(f.value ?? 0), 0) / 100),
        })),
      });
    });

  // Caseload by township / village, with drill-down.
  if (region.length < 12) {
    const level = region.length === 6 ? '乡镇' : '村(社区)';
    const caseBox = chartBox(`各${level}低保特困户数柱状图,点击柱条可下钻`);
    const caseTable = h('div');
    grid.append(h('section', { class: 'card' }, h('h2', {}, `各${level}低保、特困户数`), caseBox, caseTable));
    childrenOf(region).then(async (children) => {
      const list = children.slice(0, 20);
      const counts = await Promise.all(list.map((c) => summary(start, end, c.code).then((r) => caseload(r.figures ?? [])).catch(() => 0)));
      if (list.length === 0) {
        caseBox.replaceWith(h('p', {}, '暂无下级辖区数据。'));
        return;
      }
      const chart = draw(caseBox, {
        tooltip: {}, grid: { left: 50, right: 20, top: 10, bottom: 60 },
        xAxis: { type: 'category', data: list.map((c) => c.name), axisLabel: { rotate: 30 } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ type: 'bar', name: '户数', data: counts, itemStyle: { color: '#2e7d32' } }],
      });
      const drill = (code: string) => { location.hash = `#/dashboard?${new URLSearchParams({ start, end, region: code })}`; };
      chart.on('click', (p: any) => drill(list[p.dataIndex].code));
      // The same figures as links: the keyboard's way to drill down.
      caseTable.append(table([level, '户数'], list.map((c, i) => [
        h('a', { href: `#/dashboard?${new URLSearchParams({ start, end, region: c.code })}` }, `${c.name}`), String(counts[i])]),
        `各${level}户数`));
    });
  }

  // Targets: planned / done / status.
  const targets = (report.targets ?? []) as any[];
  const targetBox = chartBox('工作目标计划与完成柱状图');
  grid.append(h('section', { class: 'card' }, h('h2', {}, '下半年工作目标'), targets.length ? targetBox : h('p', {}, '暂无目标。'),
    targets.length ? table(['目标', '计划', '完成', '到期', '状态'], targets.map((t) => [t.target?.description ?? '',
      `${t.target?.planned ?? 0}${t.target?.unit ?? ''}`, t.counted ? String(t.done ?? 0) : '—', t.target?.dueDate ?? '',
      STATUS[t.status] ?? t.status]), '目标进度') : null));
  if (targets.length) {
    draw(targetBox, {
      tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 50, right: 20, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: targets.map((t) => String(t.target?.description ?? '').slice(0, 8)), axisLabel: { rotate: 20 } },
      yAxis: { type: 'value' },
      series: [
        { type: 'bar', name: '计划', data: targets.map((t) => Number(t.target?.planned ?? 0)), itemStyle: { color: '#8a8a8a' } },
        { type: 'bar', name: '完成', data: targets.map((t) => Number(t.done ?? 0)), itemStyle: { color: '#1f5fa8' } },
      ],
    });
  }

  if (hasRole(s, 'leadership')) {
    const again = new URLSearchParams({ start, end, region });
    main.append(targetForm(region, () => {
      // Drawn again with the new target counted.
      main.replaceChildren();
      void dashboardPage(main, s, again).then(() => announce('已新增目标,进度已按本期数据统计。'));
    }));
  }

  // Every figure, as a table (also what a screen reader reads instead of the charts).
  const shown = figures.filter((f) => Number(f.value) !== 0);
  main.append(h('section', { class: 'card' }, table(['部门', '指标', '数值'],
    shown.map((f) => [DEPARTMENTS[f.department] ?? f.department, measureName(f, false), f.text ?? String(f.value)]),
    `全部指标(${start} 至 ${end},${region})`)));
}
