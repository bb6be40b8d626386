// The console's shell: sign-in, the navigation the caller's roles call for, and hash routes
// (#/dashboard, #/worklists, #/households/new, #/case/<id>, #/disbursement, #/affairs/…).
import './style.css';
import { currentSession, hasRole, ROLE_NAMES, Session, signOut } from './auth';
import { casePage } from './case';
import { dashboardPage } from './dashboard';
import { disbursementPage } from './disbursement';
import { allowancePage, cremationPage, disabilityPage, marriagePage } from './forms';
import { householdPage } from './household';
import { importPage } from './import';
import { recordPage } from './record';
import { signInPage } from './signin';
import { h } from './ui';
import { worklistsPage } from './worklists';

interface NavItem {
  hash: string;
  label: string;
  show: (s: Session) => boolean;
}

const REVIEWERS = ['leadership', 'auditor', 'assistance.reviewer', 'affairs.reviewer', 'eldercare.reviewer',
  'childwelfare.reviewer', 'governance.reviewer', 'socialorg.reviewer'];

const NAV: NavItem[] = [
  { hash: '#/dashboard', label: '工作概览', show: (s) => hasRole(s, ...REVIEWERS) },
  { hash: '#/worklists', label: '待办事项', show: (s) => s.roles.some((r) => r.endsWith('.clerk') || r.endsWith('.reviewer')) || hasRole(s, 'auditor', 'leadership') },
  { hash: '#/households/new', label: '户籍登记', show: (s) => hasRole(s, 'assistance.clerk') },
  { hash: '#/disbursement', label: '资金发放', show: (s) => hasRole(s, 'assistance.reviewer') },
  { hash: '#/affairs/cremation', label: '火化登记', show: (s) => hasRole(s, 'affairs.clerk') },
  { hash: '#/affairs/marriage', label: '婚姻登记', show: (s) => hasRole(s, 'affairs.clerk') },
  { hash: '#/affairs/disability', label: '残疾人补贴', show: (s) => hasRole(s, 'affairs.clerk') },
  { hash: '#/eldercare/allowance', label: '高龄津贴', show: (s) => hasRole(s, 'eldercare.clerk') },
  { hash: '#/governance/import', label: '居民信息导入', show: (s) => hasRole(s, 'governance.clerk') },
];

function renderChrome(s: Session | null): void {
  const nav = document.getElementById('nav')!;
  const who = document.getElementById('who')!;
  nav.replaceChildren();
  who.replaceChildren();
  if (s === null) return;
  const current = location.hash.split('?')[0];
  const list = h('ul', {});
  for (const item of NAV.filter((n) => n.show(s))) {
    list.append(h('li', {}, h('a', { href: item.hash, 'aria-current': current === item.hash ? 'page' : undefined }, item.label)));
  }
  nav.append(list);
  who.append(
    h('span', {}, `${s.subject} · ${s.roles.map((r) => ROLE_NAMES[r] ?? r).join('、')} · 辖区 ${s.region || '—'}`),
    h('button', { type: 'button', class: 'secondary', onclick: () => { signOut(); location.hash = '#/signin'; } }, '退出'));
}

async function route(): Promise<void> {
  const main = document.getElementById('main')!;
  main.replaceChildren();
  const s = currentSession();
  const [path, query] = (location.hash.replace(/^#/, '') || '/').split('?');
  renderChrome(s);
  if (s === null || path === '/signin') {
    await signInPage(main, () => {
      const first = NAV.find((n) => n.show(currentSession()!));
      location.hash = first ? first.hash : '#/worklists';
    });
    return;
  }
  const params = new URLSearchParams(query ?? '');
  const caseMatch = /^\/case\/([0-9a-fA-F-]{36})$/.exec(path);
  if (path === '/dashboard') await dashboardPage(main, s, params);
  else if (path === '/worklists') await worklistsPage(main, s);
  else if (path === '/households/new') householdPage(main, s);
  else if (path === '/disbursement') disbursementPage(main, s);
  else if (path === '/affairs/cremation') cremationPage(main, s.region);
  else if (path === '/affairs/marriage') marriagePage(main, s.region);
  else if (path === '/affairs/disability') disabilityPage(main, s.region);
  else if (path === '/eldercare/allowance') allowancePage(main, s.region);
  else if (path === '/governance/import') importPage(main);
  else if (caseMatch) await casePage(main, s, caseMatch[1]);
  else if (/^\/record\/[a-z-]+\/[^/]+$/.test(path)) await recordPage(main, s, path.split('/')[2], path.split('/')[3]);
  else {
    const first = NAV.find((n) => n.show(s));
    location.hash = first ? first.hash : '#/worklists';
    return;
  }
  main.focus();
}

window.addEventListener('hashchange', () => void route());
void route();
