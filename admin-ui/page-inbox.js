// 待办: the reports and nominations whose current stage the user may act on.
import * as api from './api.js';
import { h, clear, badge, daysSince, formatTime, table, card } from './ui.js';

export function itemLink(item) {
  return item.kind === 'nomination' ? `#/nominations/${item.id}` : `#/reports/${item.id}`;
}

export function flags(item) {
  return [
    item.late ? badge('逾期报送', 'badge-warn') : null,
    item.overdue ? badge('超过办理时限', 'badge-danger') : null,
  ];
}

export async function inboxPage(view) {
  const items = await api.getAll('/tasks');
  const rows = items.map((item) => h('tr', { 'data-item': `${item.kind}-${item.id}` },
    h('td', {}, h('a', { href: itemLink(item) }, item.title || `#${item.id}`),
      h('small', { class: 'muted block' }, item.kind === 'nomination' ? '评选推荐' : '竞赛报送')),
    h('td', { 'data-label': '单位' }, item.org_name || item.org),
    h('td', { 'data-label': '阶段' }, badge(item.stage_title || item.stage, 'badge-info')),
    h('td', { 'data-label': '等待' }, `${daysSince(item.stage_entered_at)} 天`,
      h('small', { class: 'muted block' }, formatTime(item.stage_entered_at))),
    h('td', { 'data-label': '标记' }, flags(item))));
  clear(view,
    h('div', { class: 'page-head' }, h('h1', {}, '待办'),
      h('p', { class: 'muted' }, `共 ${items.length} 项等待您处理`)),
    card(null, items.length
      ? table(['事项', '单位', '阶段', '等待天数', '标记'], rows, 'responsive inbox')
      : h('p', { class: 'empty' }, '暂无待办事项')));
}
