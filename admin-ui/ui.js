// Small DOM helpers shared by the pages: element building (no innerHTML of
// data, no inline handlers), messages, confirmation, formatting.

// h('button', {class: 'primary', onclick: fn}, '通过')
// What users call the roles and the scopes of a stage's actor.
export const ROLE_NAMES = { submitter: '填报人', reviewer: '审核人', voter: '评审委员', admin: '管理员' };
export const SCOPE_NAMES = { self: '本单位', county: '县级', city: '市级' };

export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (name === 'text') {
      element.textContent = value;
    } else if (name === 'value') {
      element.value = value;
    } else if (name === 'checked' || name === 'selected' || name === 'disabled') {
      element[name] = Boolean(value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

export function toast(message, kind = 'ok') {
  const box = document.getElementById('toasts');
  const item = h('div', { class: `toast toast-${kind}` }, message);
  box.append(item);
  setTimeout(() => item.remove(), 4000);
}

// A modal confirmation; resolves true when confirmed. `body` may hold inputs.
export function confirmDialog(title, body, confirmLabel = '确定', danger = false) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'dialog' });
    const finish = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    const form = h('form', { method: 'dialog' },
      h('h2', {}, title),
      h('div', { class: 'dialog-body' }, body || ''),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => finish(false) }, '取消'),
        h('button', { type: 'submit', class: danger ? 'danger' : 'primary' }, confirmLabel)));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      finish(true);
    });
    dialog.addEventListener('cancel', () => finish(false));
    dialog.append(form);
    document.body.append(dialog);
    dialog.showModal();
  });
}

// Places an ApiError on a form: each detail next to the field whose
// data-path matches it (or a parent path), the rest in a summary at the top.
export function showErrors(container, error) {
  for (const old of container.querySelectorAll('.field-error, .error-summary')) old.remove();
  for (const field of container.querySelectorAll('.has-error')) field.classList.remove('has-error');
  const unplaced = [];
  for (const detail of error.details || []) {
    const target = findField(container, detail.path || '');
    if (target) {
      target.classList.add('has-error');
      target.append(h('p', { class: 'field-error', role: 'alert' }, detail.message));
    } else {
      unplaced.push(detail);
    }
  }
  const placed = (error.details || []).length - unplaced.length;
  const summary = h('div', { class: 'error-summary', role: 'alert' },
    h('strong', {}, error.message),
    placed ? `：${placed} 处问题已在相应位置标出` : '',
    unplaced.length ? h('ul', {}, unplaced.map((d) =>
      h('li', {}, d.path ? `${d.path}：${d.message}` : d.message))) : null);
  container.prepend(summary);
  summary.scrollIntoView({ block: 'nearest' });
}

function findField(container, path) {
  let candidate = path.replace(/^\//, '').replaceAll('/', '.').replace(/\[(\d+)\]/g, '.$1');
  while (candidate) {
    const found = container.querySelector(`[data-path="${CSS.escape(candidate)}"]`);
    if (found) return found;
    const cut = candidate.lastIndexOf('.');
    if (cut < 0) break;
    candidate = candidate.slice(0, cut);
  }
  return null;
}

export function errorBox(error) {
  return h('div', { class: 'error-summary', role: 'alert' }, error.message || String(error));
}

export function formatTime(text) {
  if (!text) return '';
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return text;
  return date.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

export function daysSince(text) {
  if (!text) return 0;
  return Math.max(0, Math.floor((Date.now() - new Date(text).getTime()) / 86400000));
}

export function formatNumber(value, unit) {
  if (value === null || value === undefined || value === '') return '—';
  if (unit === '%') return `${(Number(value) * 100).toFixed(1)}%`;
  return Number(value).toLocaleString('zh-CN');
}

export function badge(text, kind = '') {
  return h('span', { class: `badge ${kind}` }, text);
}

export function stageBadge(item) {
  const done = ['approved', 'commended'];
  const kind = done.includes(item.status) || done.includes(item.stage) ? 'badge-ok'
    : item.stage === 'draft' || item.stage === 'not_commended' ? 'badge-muted' : 'badge-info';
  return badge(item.stage_title || item.stage, kind);
}

export function loading(view) {
  clear(view, h('p', { class: 'muted' }, '正在加载……'));
}

export function card(title, ...children) {
  return h('section', { class: 'card' }, title ? h('h2', {}, title) : null, ...children);
}

export function table(headers, rows, className = '') {
  return h('div', { class: 'table-wrap' },
    h('table', { class: `table ${className}` },
      h('thead', {}, h('tr', {}, headers.map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, rows)));
}
