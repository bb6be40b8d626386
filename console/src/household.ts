// 户籍登记: a household with its members, each ID number checked as it is typed (the rules of
// services/common/id_number.cc); on success the clerk files the 低保 application at once.
import { api } from './api';
import { Session } from './auth';
import { checkIdNumber, todayInChina } from './idnumber';
import { field, Field, h, input, messageLine, ok, pageTitle, select, setFieldError, showError } from './ui';

const RELATIONS: [string, string][] = [
  ['RELATION_HEAD', '户主'],
  ['RELATION_SPOUSE', '配偶'],
  ['RELATION_CHILD', '子女'],
  ['RELATION_PARENT', '父母'],
  ['RELATION_GRANDCHILD', '孙子女'],
  ['RELATION_GRANDPARENT', '祖父母'],
  ['RELATION_SIBLING', '兄弟姐妹'],
  ['RELATION_OTHER', '其他'],
];

interface MemberRow {
  name: Field;
  id: Field;
  relation: Field;
}

export function householdPage(main: HTMLElement, s: Session): void {
  main.append(pageTitle('户籍登记'));
  const form = h('form', { class: 'card', novalidate: true, 'aria-label': '登记家庭' });
  const region = field('所在村(社区)代码', input({ inputmode: 'numeric', maxlength: 12,
    value: /^\d{9}$/.test(s.region) ? `${s.region}001` : '' }), 'region_code', '12 位村(社区)代码。');
  const area = field('城乡类别', select([['AREA_RURAL', '农村'], ['AREA_URBAN', '城市']]), 'area');
  const members = h('fieldset', { class: 'members' }, h('legend', {}, '家庭成员'));
  const rows: MemberRow[] = [];
  const msg = messageLine();

  const addMember = (): void => {
    const i = rows.length;
    const name = field(`成员${i + 1} 姓名`, input({ autocomplete: 'off', maxlength: 50 }), `members[${i}].name`);
    const id = field(`成员${i + 1} 身份证号`, input({ autocomplete: 'off', maxlength: 18, class: 'mono',
      inputmode: 'text' }), `members[${i}].id_number`);
    const relation = field(`成员${i + 1} 与户主关系`, select(i === 0 ? RELATIONS : RELATIONS.slice(1)),
      `members[${i}].relation`);
    id.control.addEventListener('input', () => {
      const v = (id.control as HTMLInputElement).value.trim();
      setFieldError(id, v === '' ? '' : checkIdNumber(v, todayInChina()).problem);
    });
    rows.push({ name, id, relation });
    members.append(h('div', { class: 'member-row' }, name.wrap, id.wrap, relation.wrap));
  };
  addMember();

  form.append(region.wrap, area.wrap, members,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => { addMember(); rows[rows.length - 1].name.control.focus(); } }, '添加成员'),
      h('button', { type: 'submit' }, '登记')),
    msg);
  const result = h('section', { class: 'card', 'aria-live': 'polite', hidden: true });
  main.append(form, result);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    // The console's own check is advice; the server checks again and its answer is shown.
    try {
      const r = await api('POST', '/v1/assistance/households', {
        regionCode: (region.control as HTMLInputElement).value.trim(),
        area: (area.control as HTMLSelectElement).value,
        members: rows.map((m) => ({
          name: (m.name.control as HTMLInputElement).value.trim(),
          idNumber: (m.id.control as HTMLInputElement).value.trim(),
          relation: (m.relation.control as HTMLSelectElement).value,
        })),
      });
      for (const m of rows) for (const f of [m.name, m.id, m.relation]) setFieldError(f, '');
      ok(msg, '登记成功。');
      showHousehold(result, r.household);
    } catch (err) {
      showError(form, msg, err);
    }
  });
}

function showHousehold(section: HTMLElement, household: any): void {
  section.hidden = false;
  section.replaceChildren();
  const msg = messageLine();
  const submitted = field('申请日期', input({ type: 'date', value: todayInChina(), max: todayInChina() }), 'submitted_on');
  const form = h('form', { 'aria-label': '提出低保申请' }, submitted.wrap,
    h('button', { type: 'submit' }, '提出低保申请'), msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const r = await api('POST', '/v1/assistance/applications', {
        programme: 'PROGRAMME_DIBAO',
        householdId: household.householdId,
        submittedOn: (submitted.control as HTMLInputElement).value,
      });
      location.hash = `#/case/${r.application.applicationId}`;
    } catch (err) {
      showError(form, msg, err);
    }
  });
  section.append(
    h('h2', {}, '已登记家庭'),
    h('dl', { class: 'facts' },
      h('dt', {}, '家庭编号'), h('dd', { class: 'mono' }, household.householdId),
      h('dt', {}, '所在村(社区)'), h('dd', {}, household.regionCode),
      h('dt', {}, '成员'), h('dd', {}, (household.members ?? []).map((m: any) => `${m.name}(${m.idNumberMasked})`).join('、'))),
    form);
}
