// 资金发放: the month's disbursement of a programme, run by a county reviewer. A run may take a
// while for a whole county: the page shows that it is going, and the batch when it is done.
import { api, yuan } from './api';
import { Session } from './auth';
import { PROGRAMME_NAMES } from './case';
import { todayInChina } from './idnumber';
import { field, h, input, messageLine, ok, pageTitle, select, showError } from './ui';

export function disbursementPage(main: HTMLElement, s: Session): void {
  main.append(pageTitle('月度资金发放'));
  const programme = field('救助项目', select(Object.entries(PROGRAMME_NAMES)), 'programme');
  const month = field('发放月份', input({ type: 'month', value: todayInChina().slice(0, 7), max: todayInChina().slice(0, 7) }), 'month');
  const region = field('辖区代码', input({ inputmode: 'numeric', value: /^\d+$/.test(s.region) ? s.region : '' }), 'region_prefix',
    '留空为您的全部辖区。');
  const progress = h('progress', { 'aria-label': '发放进度', hidden: true });
  const msg = messageLine();
  const result = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'submit' }, '执行发放');
  const form = h('form', { class: 'card', novalidate: true, 'aria-label': '执行月度发放' },
    programme.wrap, month.wrap, region.wrap, button, progress, msg, result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    progress.hidden = false;
    msg.textContent = '正在发放,请稍候…';
    msg.className = 'message';
    result.replaceChildren();
    try {
      const r = await api('POST', '/v1/assistance/disbursements', {
        programme: (programme.control as HTMLSelectElement).value,
        month: (month.control as HTMLInputElement).value,
        regionPrefix: (region.control as HTMLInputElement).value.trim(),
      });
      const b = r.batch ?? {};
      ok(msg, r.created ? '发放完成。' : '本月已发放过,未重复发放。');
      result.append(h('dl', { class: 'facts' },
        h('dt', {}, '批次'), h('dd', { class: 'mono' }, b.batchId ?? ''),
        h('dt', {}, '月份'), h('dd', {}, b.month ?? ''),
        h('dt', {}, '笔数'), h('dd', { 'data-testid': 'payments' }, String(b.payments ?? 0)),
        h('dt', {}, '金额(元)'), h('dd', { 'data-testid': 'total' }, yuan(b.totalFen))));
    } catch (err) {
      showError(form, msg, err);
    } finally {
      button.disabled = false;
      progress.hidden = true;
    }
  });
  main.append(form);
}
