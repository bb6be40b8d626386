// 登录: a token pasted from the identity provider, or — under `make run` only — the development
// sign-in, which asks the gateway to mint a token for a chosen role and region.
import { api, describeError } from './api';
import { ROLE_NAMES, signIn } from './auth';
import { field, h, input, messageLine, pageTitle, select, setFieldError } from './ui';

export async function signInPage(main: HTMLElement, done: () => void): Promise<void> {
  main.append(pageTitle('登录'));

  const tokenForm = h('form', { class: 'card', 'aria-labelledby': 'token-title' });
  const token = field('访问令牌', h('textarea', { rows: 3, autocomplete: 'off', spellcheck: 'false' }), 'token',
    '粘贴身份认证系统签发的令牌(JWT)。');
  const tokenMsg = messageLine();
  tokenForm.append(h('h2', { id: 'token-title' }, '令牌登录'), token.wrap,
    h('button', { type: 'submit' }, '登录'), tokenMsg);
  tokenForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const s = signIn((token.control as HTMLTextAreaElement).value);
    if (s === null) {
      setFieldError(token, '不是有效的令牌');
      token.control.focus();
      return;
    }
    done();
  });

  let enabled = false;
  try {
    enabled = (await api<{ enabled: boolean }>('GET', '/console/dev-sign-in')).enabled;
  } catch {
    enabled = false;
  }
  if (enabled) {
    const devForm = h('form', { class: 'card dev', 'aria-labelledby': 'dev-title' });
    const subject = field('用户名', input({ value: 'clerk-zhang', autocomplete: 'username' }), 'subject');
    const role = field('角色', select(Object.entries(ROLE_NAMES)), 'roles');
    const region = field('辖区代码', input({ value: '340722100', inputmode: 'numeric' }), 'region',
      '县 6 位、乡镇 9 位、村(社区)12 位,或 * 表示全部。');
    const msg = messageLine();
    devForm.append(
      h('h2', { id: 'dev-title' }, '开发登录'),
      h('p', { class: 'hint' }, '仅供本机开发(make run):由网关用开发密钥签发令牌。生产环境没有此项。'),
      subject.wrap, role.wrap, region.wrap,
      h('button', { type: 'submit' }, '以此身份登录'), msg);
    devForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        const r = await api<{ token: string }>('POST', '/console/dev-sign-in', {
          subject: (subject.control as HTMLInputElement).value,
          roles: [(role.control as HTMLSelectElement).value],
          region: (region.control as HTMLInputElement).value,
        });
        signIn(r.token);
        done();
      } catch (err) {
        msg.textContent = describeError(err);
        msg.className = 'message error';
      }
    });
    main.append(h('div', { class: 'grid2' }, devForm, tokenForm));
  } else {
    main.append(tokenForm);
  }
}
