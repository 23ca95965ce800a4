// The shell of the web app: sign-in, the navigation each role sees, and
// hash routing (#/inbox, #/reports/12, ...) to one module per page.
import * as api from './api.js';
import { h, clear, errorBox, loading, ROLE_NAMES } from './ui.js';
import { inboxPage } from './page-inbox.js';
import { reportPage } from './page-report.js';
import { myReportsPage, reportFormPage } from './page-my-reports.js';
import { dashboardPage } from './page-dashboard.js';
import { commendationPage, nominationPage, votePage } from './page-commendation.js';
import { flowsPage, flowEditorPage } from './page-flows.js';
import { orgsPage } from './page-orgs.js';

const { hasRole } = api;


// [hash, label, who may see it]
const NAV = [
  ['#/inbox', '待办', () => true],
  ['#/my', '我的填报', (user) => hasRole(user, 'submitter')],
  ['#/dashboard', '进度看板', () => true],
  ['#/commendation', '评选表决', (user) => hasRole(user, 'reviewer', 'voter', 'admin')],
  ['#/flows', '流程管理', (user) => hasRole(user, 'admin')],
  ['#/orgs', '组织与用户', (user) => hasRole(user, 'admin')],
];

// [pattern, page]; a page is (view, params, user) => Promise.
const ROUTES = [
  [/^#\/inbox$/, inboxPage],
  [/^#\/my$/, myReportsPage],
  [/^#\/reports\/new$/, reportFormPage],
  [/^#\/reports\/(\d+)\/edit$/, reportFormPage],
  [/^#\/reports\/(\d+)$/, reportPage],
  [/^#\/dashboard$/, dashboardPage],
  [/^#\/commendation$/, commendationPage],
  [/^#\/nominations\/(\d+)$/, nominationPage],
  [/^#\/votes\/(\d+)$/, votePage],
  [/^#\/flows$/, flowsPage],
  [/^#\/flows\/new$/, flowEditorPage],
  [/^#\/flows\/([\w-]+)$/, flowEditorPage],
  [/^#\/orgs$/, orgsPage],
];

const view = document.getElementById('view');
const nav = document.getElementById('nav');
const toggle = document.getElementById('nav-toggle');

function renderShell(user) {
  const whoami = document.getElementById('whoami');
  if (!user) {
    clear(nav);
    clear(whoami);
    toggle.hidden = true;
    return;
  }
  toggle.hidden = false;
  clear(nav, NAV.filter(([, , visible]) => visible(user)).map(([hash, label]) =>
    h('a', { href: hash, 'data-nav': hash }, label)));
  const roles = [...new Set(user.roles.map((binding) => ROLE_NAMES[binding.role] || binding.role))];
  clear(whoami,
    h('span', { class: 'who' }, h('strong', {}, user.display_name || user.username),
      h('small', {}, roles.join('、'))),
    h('button', { type: 'button', class: 'link', id: 'logout', onclick: logout }, '退出'));
}

async function logout() {
  try {
    await api.post('/auth/logout', {});
  } catch {
    // the session ends here whatever the server says
  }
  api.clearSession();
  location.hash = '#/login';
}

function loginPage() {
  renderShell(null);
  const form = h('form', { class: 'login card', id: 'login-form', novalidate: true },
    h('h1', {}, '乐山市劳动竞赛管理系统'),
    h('p', { class: 'muted' }, '请使用工会分配的账号登录'),
    h('label', { 'data-path': 'username' }, '用户名',
      h('input', { name: 'username', autocomplete: 'username', required: true })),
    h('label', { 'data-path': 'password' }, '密码',
      h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    h('button', { type: 'submit', class: 'primary wide' }, '登录'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    form.querySelector('.error-summary')?.remove();
    try {
      const answer = await api.post('/auth/login',
        { username: data.get('username'), password: data.get('password') });
      api.saveSession(answer.token, answer.user);
      location.hash = defaultPage(answer.user);
    } catch (error) {
      form.querySelector('label').before(errorBox(error.status === 401 ? { message: '用户名或密码不正确' } : error));
    }
  });
  clear(view, h('div', { class: 'login-wrap' }, form));
  form.querySelector('input').focus();
}

function defaultPage(user) {
  return hasRole(user, 'submitter') && !hasRole(user, 'reviewer') ? '#/my' : '#/inbox';
}

async function route() {
  const user = api.currentUser();
  const hash = location.hash || '#/';
  if (!user || !api.token()) {
    if (hash !== '#/login') location.hash = '#/login';
    return loginPage();
  }
  if (hash === '#/login' || hash === '#/' || hash === '#') {
    location.hash = defaultPage(user);
    return;
  }
  renderShell(user);
  document.body.classList.remove('nav-open');
  toggle.setAttribute('aria-expanded', 'false');
  for (const link of nav.querySelectorAll('a')) {
    link.classList.toggle('active', hash.startsWith(link.dataset.nav));
  }
  const match = ROUTES.map(([pattern, page]) => [hash.match(pattern), page]).find(([m]) => m);
  // Each visit draws into its own element: a page the user already left
  // (its answers still on the way) then draws where nobody sees it, never
  // over the page the user went to.
  const pageView = h('div', { class: 'page' });
  clear(view, pageView);
  loading(pageView);
  if (!match) {
    clear(pageView, errorBox({ message: '没有这个页面' }));
    return;
  }
  const [found, page] = match;
  try {
    await page(pageView, found.slice(1), user);
  } catch (error) {
    console.warn(error);
    clear(pageView, errorBox(error));
  }
  if (!pageView.isConnected) return;
  const heading = pageView.querySelector('h1');
  document.title = `${heading ? `${heading.textContent} · ` : ''}劳动竞赛管理`;
  view.focus({ preventScroll: true });
}

toggle.addEventListener('click', () => {
  const open = document.body.classList.toggle('nav-open');
  toggle.setAttribute('aria-expanded', String(open));
});
api.setUnauthenticatedHandler(() => {
  location.hash = '#/login';
});
window.addEventListener('hashchange', route);
route();
