// 组织与用户: the organization tree, creating units and users, and roles.
import * as api from './api.js';
import { h, clear, card, table, toast, showErrors, badge, confirmDialog, ROLE_NAMES as ROLE } from './ui.js';

const LEVEL = { city: '市级', county: '县级', unit: '基层' };

function tree(orgs, parent) {
  const children = orgs.filter((o) => (o.parent || null) === parent);
  if (!children.length) return null;
  return h('ul', { class: 'tree' }, children.map((org) => h('li', { 'data-org': org.code },
    h('span', { class: 'tree-node' }, org.name, ' ', h('code', {}, org.code), ' ', badge(LEVEL[org.level] || org.level, 'badge-muted'),
      org.city_direct && org.level === 'unit' ? badge('市直', 'badge-info') : null),
    tree(orgs, org.code))));
}

export async function orgsPage(view) {
  api.forgetOrgs();
  const [orgs, users] = await Promise.all([api.orgs(), api.getAll('/users')]);
  const reload = () => orgsPage(view);
  const parents = orgs.filter((o) => o.level !== 'unit');
  const orgForm = h('form', { class: 'stack', id: 'org-form', novalidate: true },
    h('div', { class: 'field-grid' },
      h('label', { class: 'field', 'data-path': 'code' }, h('span', { class: 'field-label' }, '代码（英文）'), h('input', { name: 'code', required: true })),
      h('label', { class: 'field', 'data-path': 'name' }, h('span', { class: 'field-label' }, '名称'), h('input', { name: 'name', required: true })),
      h('label', { class: 'field', 'data-path': 'level' }, h('span', { class: 'field-label' }, '层级'),
        h('select', { name: 'level' }, h('option', { value: 'unit' }, '基层工会'), h('option', { value: 'county' }, '县级工会'))),
      h('label', { class: 'field', 'data-path': 'parent' }, h('span', { class: 'field-label' }, '上级'),
        h('select', { name: 'parent' }, parents.map((o) => h('option', { value: o.code }, o.name))))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '创建单位')));
  orgForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = orgForm.elements;
    try {
      await api.post('/orgs', { code: f.code.value.trim(), name: f.name.value.trim(), level: f.level.value, parent: f.parent.value });
      toast('单位已创建');
      reload();
    } catch (error) {
      showErrors(orgForm, error);
    }
  });
  const userForm = h('form', { class: 'stack', id: 'user-form', novalidate: true },
    h('div', { class: 'field-grid' },
      h('label', { class: 'field', 'data-path': 'username' }, h('span', { class: 'field-label' }, '用户名'), h('input', { name: 'username', required: true, autocomplete: 'off' })),
      h('label', { class: 'field', 'data-path': 'display_name' }, h('span', { class: 'field-label' }, '姓名'), h('input', { name: 'display_name', required: true })),
      h('label', { class: 'field', 'data-path': 'password' }, h('span', { class: 'field-label' }, '初始密码'), h('input', { name: 'password', type: 'password', required: true, autocomplete: 'new-password' })),
      h('label', { class: 'field', 'data-path': 'roles' }, h('span', { class: 'field-label' }, '角色'),
        h('select', { name: 'role' }, Object.entries(ROLE).map(([k, label]) => h('option', { value: k }, label)))),
      h('label', { class: 'field', 'data-path': 'roles.0.org' }, h('span', { class: 'field-label' }, '所在单位'),
        h('select', { name: 'org' }, orgs.map((o) => h('option', { value: o.code }, o.name))))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '创建用户')));
  userForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = userForm.elements;
    try {
      await api.post('/users', { username: f.username.value.trim(), display_name: f.display_name.value.trim(),
        password: f.password.value, roles: [{ role: f.role.value, org: f.org.value }] });
      toast('用户已创建');
      reload();
    } catch (error) {
      showErrors(userForm, error);
    }
  });
  const userRows = users.map((user) => h('tr', { 'data-user': user.username },
    h('td', {}, h('strong', {}, user.display_name || user.username), h('small', { class: 'muted block' }, user.username)),
    h('td', { 'data-label': '角色' }, user.roles.map((r) => h('span', { class: 'chip' }, `${ROLE[r.role] || r.role} · ${r.org_name || r.org}`))),
    h('td', { 'data-label': '状态' }, user.disabled ? badge('已停用', 'badge-danger') : badge('正常', 'badge-ok')),
    h('td', { 'data-label': '' }, h('button', { type: 'button', class: 'link', 'data-edit-roles': user.username,
      onclick: () => editRoles(user, orgs, reload) }, '角色'), h('button', { type: 'button', class: 'link', onclick: async () => {
      try {
        await api.patch(`/users/${encodeURIComponent(user.username)}`, { disabled: !user.disabled });
        toast(user.disabled ? '已启用' : '已停用');
        reload();
      } catch (error) {
        toast(error.message, 'error');
      }
    } }, user.disabled ? '启用' : '停用'))));
  clear(view,
    h('div', { class: 'page-head' }, h('h1', {}, '组织与用户')),
    h('div', { class: 'split' },
      card(`组织机构（${orgs.length}）`, h('div', { class: 'tree-holder', id: 'org-tree' }, tree(orgs, null))),
      h('div', {}, card('新建单位', orgForm), card('新建用户', userForm))),
    card(`用户（${users.length}）`, table(['用户', '角色', '状态', ''], userRows, 'responsive users')));
}

// The roles of one user: keep or drop each, add one; saved with PATCH.
async function editRoles(user, orgs, reload) {
  const keep = user.roles.map((r) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', checked: true, 'data-role': r.role, 'data-org': r.org }),
    `${ROLE[r.role] || r.role} · ${r.org_name || r.org}`));
  const role = h('select', { name: 'role' }, h('option', { value: '' }, '（不添加）'),
    Object.entries(ROLE).map(([k, label]) => h('option', { value: k }, label)));
  const org = h('select', { name: 'org' }, orgs.map((o) => h('option', { value: o.code }, o.name)));
  const confirmed = await confirmDialog(`${user.display_name || user.username} 的角色`, [
    keep.length ? h('div', {}, keep) : h('p', { class: 'muted' }, '暂无角色'),
    h('label', {}, '添加角色', role), h('label', {}, '在单位', org)], '保存');
  if (!confirmed) return;
  const roles = keep.map((label) => label.querySelector('input')).filter((input) => input.checked)
    .map((input) => ({ role: input.dataset.role, org: input.dataset.org }));
  if (role.value) roles.push({ role: role.value, org: org.value });
  try {
    await api.patch(`/users/${encodeURIComponent(user.username)}`, { roles });
    toast('角色已保存');
    reload();
  } catch (error) {
    toast(error.message, 'error');
  }
}
