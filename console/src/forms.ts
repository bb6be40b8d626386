// The daily records as declarative forms: each a list of fields (label, the request's JSON path,
// the server's field name for its errors, kind) posted to one route, the answer shown as facts.
// ID numbers are checked as typed (idnumber.ts); the server checks again and names the field.
import { api } from './api';
import { checkIdNumber, todayInChina } from './idnumber';
import { field, Field, h, input, messageLine, ok, pageTitle, select, setFieldError, showError } from './ui';

export interface FieldSpec {
  // Path in the request body, e.g. `partyA.idNumber`.
  key: string;
  label: string;
  // The server's name for the field in its errors, e.g. `party_a.id_number`.
  server: string;
  kind?: 'text' | 'id' | 'date' | 'select' | 'int' | 'checkbox';
  options?: [string, string][];
  value?: string;
  hint?: string;
  // Sent as a JSON number (a select of numbers).
  asNumber?: boolean;
  // A date that may lie ahead (a due date); other dates are never after today.
  future?: boolean;
}

export interface FormSpec {
  title: string;
  intro?: string;
  path: string | ((values: Record<string, string>) => string);
  fields: FieldSpec[];
  submit: string;
  // What to show of the answer: [label, value] pairs.
  facts: (answer: any) => [string, string][];
  // Shown after the facts (e.g. the next step's form).
  then?: (answer: any) => HTMLElement | null;
}

function setPath(body: any, key: string, value: unknown): void {
  const parts = key.split('.');
  let o = body;
  for (const p of parts.slice(0, -1)) o = o[p] ??= {};
  o[parts[parts.length - 1]] = value;
}

export function formSection(spec: FormSpec, level: 'h1' | 'h2' = 'h2'): HTMLElement {
  const section = h('section', { class: 'card' });
  const form = h('form', { novalidate: true, 'aria-label': spec.title });
  const controls: { spec: FieldSpec; f: Field | null; box?: HTMLInputElement }[] = [];
  for (const fs of spec.fields) {
    if (fs.kind === 'checkbox') {
      const box = h('input', { type: 'checkbox', id: `cb-${fs.key.replace(/\W/g, '-')}` });
      box.dataset.field = fs.server;
      form.append(h('div', { class: 'field check' }, box, h('label', { for: box.id }, fs.label)));
      controls.push({ spec: fs, f: null, box });
      continue;
    }
    let control: HTMLInputElement | HTMLSelectElement;
    if (fs.kind === 'select') control = select(fs.options ?? []);
    else if (fs.kind === 'date') control = input({ type: 'date', value: fs.value ?? todayInChina(), max: fs.future ? undefined : todayInChina() });
    else if (fs.kind === 'int') control = input({ inputmode: 'numeric', value: fs.value ?? '' });
    else control = input({ autocomplete: 'off', value: fs.value ?? '', maxlength: fs.kind === 'id' ? 18 : 64, class: fs.kind === 'id' ? 'mono' : undefined });
    if (fs.kind === 'select' && fs.value) (control as HTMLSelectElement).value = fs.value;
    const f = field(fs.label, control, fs.server, fs.hint);
    if (fs.kind === 'id') {
      control.addEventListener('input', () => {
        const v = (control as HTMLInputElement).value.trim();
        setFieldError(f, v === '' ? '' : checkIdNumber(v).problem);
      });
    }
    form.append(f.wrap);
    controls.push({ spec: fs, f });
  }
  const msg = messageLine();
  const result = h('div', { 'aria-live': 'polite' });
  form.append(h('button', { type: 'submit' }, spec.submit), msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body: any = {};
    const values: Record<string, string> = {};
    for (const c of controls) {
      if (c.box) {
        setPath(body, c.spec.key, c.box.checked);
        continue;
      }
      const v = (c.f!.control as HTMLInputElement).value.trim();
      values[c.spec.key] = v;
      if (c.spec.key.startsWith('_')) continue; // in the path, not the body
      if (v !== '') setPath(body, c.spec.key, c.spec.kind === 'int' || c.spec.asNumber ? Number(v) : v);
    }
    try {
      const path = typeof spec.path === 'string' ? spec.path : spec.path(values);
      const answer = await api('POST', path, body);
      for (const c of controls) if (c.f) setFieldError(c.f, '');
      ok(msg, `${spec.title}成功。`);
      result.replaceChildren(h('dl', { class: 'facts' },
        ...spec.facts(answer).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
      const next = spec.then?.(answer);
      if (next) result.append(next);
    } catch (err) {
      showError(form, msg, err);
    }
  });
  section.append(h(level, {}, spec.title));
  if (spec.intro) section.append(h('p', { class: 'hint' }, spec.intro));
  section.append(form, result);
  return section;
}

const village = (region: string): string => (/^\d{9}$/.test(region) ? `${region}001` : /^\d{12}$/.test(region) ? region : '');

export function cremationPage(main: HTMLElement, region: string): void {
  main.append(pageTitle('殡葬服务'));
  main.append(formSection({
    title: '火化登记',
    intro: '登记后,逝者的低保、特困等待遇自次月起停止(社会救助部门据此处理)。',
    path: '/v1/affairs/cremations',
    submit: '登记火化',
    fields: [
      { key: 'name', label: '逝者姓名', server: 'name' },
      { key: 'idNumber', label: '逝者身份证号', server: 'id_number', kind: 'id' },
      { key: 'dateOfDeath', label: '死亡日期', server: 'date_of_death', kind: 'date' },
      { key: 'cremationDate', label: '火化日期', server: 'cremation_date', kind: 'date' },
      { key: 'funeralHome', label: '殡仪馆', server: 'funeral_home', value: '县殡仪馆' },
      { key: 'regionCode', label: '户籍所在村(社区)代码', server: 'region_code', value: village(region) },
    ],
    facts: (r) => [
      ['登记编号', r.cremation?.cremationId ?? ''],
      ['逝者', `${r.cremation?.name ?? ''}(${r.cremation?.idNumberMasked ?? ''})`],
      ['减免殡葬基本服务费', r.cremation?.feesWaived ? `是,${(Number(r.cremation?.waivedFen ?? 0) / 100).toFixed(2)} 元` : '否'],
    ],
  }, 'h2'));
}

export function marriagePage(main: HTMLElement, region: string): void {
  main.append(pageTitle('婚姻登记处'));
  main.append(formSection({
    title: '结婚登记',
    path: '/v1/affairs/marriages',
    submit: '登记结婚',
    fields: [
      { key: 'partyA.name', label: '男方姓名', server: 'party_a.name' },
      { key: 'partyA.idNumber', label: '男方身份证号', server: 'party_a.id_number', kind: 'id' },
      { key: 'partyB.name', label: '女方姓名', server: 'party_b.name' },
      { key: 'partyB.idNumber', label: '女方身份证号', server: 'party_b.id_number', kind: 'id' },
      { key: 'registrationDate', label: '登记日期', server: 'registration_date', kind: 'date' },
      { key: 'certificateNumber', label: '结婚证字号', server: 'certificate_number', hint: '字母、数字和 -,不超过 32 位。' },
      { key: 'regionCode', label: '登记机关辖区代码', server: 'region_code', value: /^\d+$/.test(region) ? region : '' },
    ],
    facts: (r) => [
      ['登记编号', r.marriage?.marriageId ?? ''],
      ['结婚证字号', r.marriage?.certificateNumber ?? ''],
      ['登记日期', r.marriage?.registrationDate ?? ''],
    ],
  }, 'h2'));
}

const CATEGORIES: [string, string][] = [
  ['DISABILITY_CATEGORY_VISUAL', '视力残疾'], ['DISABILITY_CATEGORY_HEARING', '听力残疾'],
  ['DISABILITY_CATEGORY_SPEECH', '言语残疾'], ['DISABILITY_CATEGORY_PHYSICAL', '肢体残疾'],
  ['DISABILITY_CATEGORY_INTELLECTUAL', '智力残疾'], ['DISABILITY_CATEGORY_MENTAL', '精神残疾'],
  ['DISABILITY_CATEGORY_MULTIPLE', '多重残疾'],
];

const SUBSIDY_STATUS: Record<string, string> = {
  SUBSIDY_STATUS_PENDING_ELIGIBILITY: '待社会救助部门核实低保',
  SUBSIDY_STATUS_ACTIVE: '发放中',
  SUBSIDY_STATUS_REJECTED: '不符合条件',
  SUBSIDY_STATUS_STOPPED: '已停发',
};

export function disabilityPage(main: HTMLElement, region: string): void {
  main.append(pageTitle('残疾人两项补贴'));
  main.append(formSection({
    title: '残疾人信息登记',
    path: '/v1/affairs/disabled-persons',
    submit: '登记',
    fields: [
      { key: 'name', label: '姓名', server: 'name' },
      { key: 'idNumber', label: '身份证号', server: 'id_number', kind: 'id' },
      { key: 'regionCode', label: '所在村(社区)代码', server: 'region_code', value: village(region) },
      { key: 'category', label: '残疾类别', server: 'category', kind: 'select', options: CATEGORIES },
      { key: 'grade', label: '残疾等级(1–4级)', server: 'grade', kind: 'select', asNumber: true, options: [['1', '一级'], ['2', '二级'], ['3', '三级'], ['4', '四级']] },
      { key: 'certifiedDate', label: '残疾证核发日期', server: 'certified_date', kind: 'date' },
      { key: 'longTermCare', label: '需要长期照护', server: 'long_term_care', kind: 'checkbox' },
    ],
    facts: (r) => [
      ['人员编号', r.person?.personId ?? ''],
      ['姓名', `${r.person?.name ?? ''}(${r.person?.idNumberMasked ?? ''})`],
    ],
    then: (r) => formSection({
      title: '补贴申请',
      intro: '困难残疾人生活补贴须为低保家庭成员(向社会救助部门核实);重度残疾人护理补贴限一、二级且需长期照护。',
      path: `/v1/affairs/disabled-persons/${r.person?.personId}/subsidies`,
      submit: '提交补贴申请',
      fields: [
        { key: 'kind', label: '补贴类别', server: 'kind', kind: 'select', options: [['SUBSIDY_KIND_LIVING', '困难残疾人生活补贴'], ['SUBSIDY_KIND_CARE', '重度残疾人护理补贴']] },
        { key: 'applicationDate', label: '申请日期', server: 'application_date', kind: 'date' },
      ],
      facts: (s) => [
        ['补贴编号', s.subsidy?.subsidyId ?? ''],
        ['状态', SUBSIDY_STATUS[s.subsidy?.status] ?? String(s.subsidy?.status ?? '')],
      ],
    }),
  }, 'h2'));
}

export function allowancePage(main: HTMLElement, region: string): void {
  main.append(pageTitle('养老服务 · 高龄津贴'));
  main.append(formSection({
    title: '高龄津贴申请',
    intro: '按年龄段发放;仅限低收入家庭的档次向社会救助部门核实。经办与审核须为不同人员。',
    path: '/v1/eldercare/allowance-enrolments',
    submit: '提交申请',
    fields: [
      { key: 'name', label: '老人姓名', server: 'name' },
      { key: 'idNumber', label: '老人身份证号', server: 'id_number', kind: 'id' },
      { key: 'regionCode', label: '所在村(社区)代码', server: 'region_code', value: village(region) },
      { key: 'applicationDate', label: '申请日期', server: 'application_date', kind: 'date' },
    ],
    facts: (r) => [
      ['申请编号', r.enrolment?.enrolmentId ?? ''],
      ['老人', `${r.enrolment?.name ?? ''}(${r.enrolment?.idNumberMasked ?? ''})`],
      ['状态', r.enrolment?.status === 'ENROLMENT_STATUS_PENDING_APPROVAL' ? '待审核' : String(r.enrolment?.status ?? '')],
    ],
  }, 'h2'));
}

// 下半年工作安排的目标 (leadership): what is planned, by when, who owns it; progress is counted
// from the figures by the work summary.
export function targetForm(region: string, done: () => void): HTMLElement {
  return formSection({
    title: '新增工作目标',
    intro: '完成数由工作总结按指标自动统计,例如 dibao.rural.households(农村低保户数)。',
    path: '/v1/reports/targets',
    submit: '新增目标',
    fields: [
      { key: 'department', label: '责任部门', server: 'department', kind: 'select', options: [
        ['assistance', '社会救助'], ['affairs', '社会事务'], ['eldercare', '养老服务'], ['childwelfare', '儿童福利'],
        ['governance', '基层治理'], ['socialorg', '社会组织']] },
      { key: 'measure', label: '统计指标', server: 'measure', value: 'dibao.rural.households' },
      { key: 'description', label: '目标内容', server: 'description' },
      { key: 'unit', label: '单位', server: 'unit', value: '户' },
      { key: 'planned', label: '计划数', server: 'planned', kind: 'int' },
      { key: 'dueDate', label: '完成期限', server: 'due_date', kind: 'date', future: true, value: `${todayInChina().slice(0, 4)}-12-31` },
      { key: 'owner', label: '责任单位', server: 'owner', value: '社会救助股' },
      { key: 'regionPrefix', label: '辖区代码', server: 'region_prefix', value: region },
    ],
    facts: (r) => [['目标编号', r.target?.targetId ?? '']],
    then: () => {
      done();
      return null;
    },
  });
}
