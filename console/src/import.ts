// 居民基础信息导入: a CSV file (grid_code, name, id_number, address[, household, tags]) sent in
// parts of 500 records, each part with the header and its row offset so that every bad row keeps
// its line number in the file (ImportRecordsCsv); a progress bar while the parts go, then the
// counts and every bad row with its field.
import { api } from './api';
import { problemInChinese } from './idnumber';
import { field, h, messageLine, ok, pageTitle, showError, table } from './ui';

const PART_ROWS = 500;

const FIELD_NAMES: Record<string, string> = {
  row: '整行', grid_code: '网格编码', name: '姓名', id_number: '身份证号', address: '地址', household: '户', tags: '标签',
};

// Splits CSV text into records, keeping quoted line breaks inside their record (RFC 4180).
export function csvRecords(text: string): string[] {
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) {
      records.push(text.slice(start, i).replace(/\r$/, ''));
      start = i + 1;
    }
  }
  if (start < text.length) records.push(text.slice(start).replace(/\r$/, ''));
  return records.filter((r) => r !== '');
}

export function importPage(main: HTMLElement): void {
  main.append(pageTitle('居民基础信息导入'));
  const file = field('CSV 文件', h('input', { type: 'file', accept: '.csv,text/csv' }), 'csv',
    '首行为列名:grid_code, name, id_number, address,可选 household, tags;UTF-8 编码。重复导入不会产生重复记录。');
  const progress = h('progress', { max: 1, value: 0, 'aria-label': '导入进度', hidden: true });
  const progressText = h('p', { class: 'hint', 'aria-live': 'polite' });
  const msg = messageLine();
  const result = h('div');
  const button = h('button', { type: 'submit' }, '开始导入');
  const form = h('form', { class: 'card', novalidate: true, 'aria-label': '导入居民基础信息' },
    file.wrap, button, progress, progressText, msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = (file.control as HTMLInputElement).files?.[0];
    if (!f) {
      file.error.textContent = '请选择文件';
      file.control.focus();
      return;
    }
    file.error.textContent = '';
    const records = csvRecords(await f.text());
    if (records.length < 2) {
      file.error.textContent = '文件中没有记录(首行为列名)';
      return;
    }
    const [header, ...rows] = records;
    const parts = Math.ceil(rows.length / PART_ROWS);
    const total = { rows: 0, created: 0, resubmitted: 0, unchanged: 0, rejected: 0 };
    const errors: any[] = [];
    button.disabled = true;
    progress.hidden = false;
    progress.max = parts;
    progress.value = 0;
    result.replaceChildren();
    try {
      for (let p = 0; p < parts; p++) {
        progressText.textContent = `正在导入第 ${p + 1}/${parts} 部分(共 ${rows.length} 条)…`;
        const chunk = rows.slice(p * PART_ROWS, (p + 1) * PART_ROWS);
        // The part's first record is on file line p*PART_ROWS + 2 (the header is line 1).
        const r = await api('POST', '/v1/governance/resident-records:importCsv', {
          csv: [header, ...chunk].join('\n') + '\n',
          rowOffset: String(p * PART_ROWS),
        });
        for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += Number(r[k] ?? 0);
        errors.push(...(r.errors ?? []));
        progress.value = p + 1;
      }
      progressText.textContent = `已完成 ${parts}/${parts} 部分。`;
      errors.sort((a, b) => Number(a.row) - Number(b.row));
      ok(msg, `导入完成:读取 ${total.rows} 条,新增 ${total.created},重新提交 ${total.resubmitted},未变 ${total.unchanged},有误 ${total.rejected}。`);
      result.append(h('section', { class: 'card' },
        errors.length === 0 ? h('p', {}, '没有错误行。') :
          table(['行号', '字段', '问题'], errors.map((x) => [String(x.row ?? ''), FIELD_NAMES[x.field] ?? x.field ?? '', problemInChinese(x.problem ?? '')]),
            `有误的行(${errors.length})`)));
    } catch (err) {
      showError(form, msg, err);
    } finally {
      button.disabled = false;
    }
  });
  main.append(form, result);
}
