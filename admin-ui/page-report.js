// One report: what it claims (indicators with labels and units, competitions,
// narrative), its evidence, what changed since it was returned, its history,
// and the buttons for the actions the user may take at its stage.
import * as api from './api.js';
import {
  h, clear, badge, card, table, formatTime, formatNumber, toast, confirmDialog, showErrors,
  stageBadge,
} from './ui.js';
import { flags } from './page-inbox.js';

export const ACTION_LABELS = {
  submit: '提交', approve: '通过', return: '退回', withdraw: '撤回', create: '创建',
  handover: '转办', edit: '修改', migrate: '迁移', object: '异议', close: '表决结束',
  attach: '上传佐证', detach: '删除佐证',
};

// The titles of a flow version's stages, by id (history rows name ids).
export async function stageTitles(flow) {
  try {
    const definition = await api.get(`/flows/${flow.key}/versions/${flow.version}`);
    return new Map(definition.stages.map((stage) => [stage.id, stage.title || stage.id]));
  } catch {
    return new Map();
  }
}

export function historyTable(history, titles) {
  const title = (id) => titles.get(id) || id;
  const rows = history.items.map((row) => h('tr', {},
    h('td', { 'data-label': '时间' }, formatTime(row.at)),
    h('td', { 'data-label': '操作人' }, row.actor),
    h('td', { 'data-label': '操作' }, ACTION_LABELS[row.action] || row.action),
    h('td', { 'data-label': '阶段' }, row.from && row.from !== row.to ? `${title(row.from)} → ${title(row.to)}` : title(row.to)),
    h('td', { 'data-label': '意见' }, row.comment || ''),
    h('td', { 'data-label': '哈希' }, h('code', { class: 'hash', title: row.hash }, (row.hash || '').slice(0, 12)))));
  return table(['时间', '操作人', '操作', '阶段', '意见/说明', '哈希'], rows, 'responsive history');
}

export async function reportPage(view, [id], user) {
  const [report, campaign] = await Promise.all([api.get(`/submissions/${id}`), api.campaign()]);
  const [evidence, history, changes, titles] = await Promise.all([
    api.getAll(`/submissions/${id}/evidence`),
    api.getAll(`/submissions/${id}/history`).then((items) => ({ items })),
    api.get(`/submissions/${id}/changes`).catch(() => null),
    stageTitles(report.flow),
  ]);
  const isSubmitter = user.roles.some((r) => r.role === 'submitter');
  const editable = canEdit(report);
  clear(view,
    h('div', { class: 'page-head' },
      h('div', {}, h('h1', {}, report.title || `报送 #${report.id}`),
        h('p', { class: 'muted' }, `${report.org_name || report.org} · `, stageBadge(report), ' ',
          flags(report))),
      editable && isSubmitter
        ? h('a', { class: 'button secondary', href: `#/reports/${id}/edit` }, '编辑填报') : null),
    actionPanel(`/submissions/${id}`, report, () => reportPage(view, [id], user)),
    changes && changes.returned ? changesCard(changes, campaign) : null,
    reportBody(report, campaign),
    evidenceCard(evidence),
    card('办理记录', historyTable(history, titles)));
}

// A report is edited where its submitter may submit it (the flow's edit stage).
export function canEdit(report) {
  return (report.allowed_actions || []).some((option) => option.action === 'submit');
}

export function reportBody(report, campaign) {
  const data = report.data || {};
  const values = data.indicators || {};
  const rows = campaign.indicators
    .filter((indicator) => values[indicator.key] !== undefined || indicator.numerator)
    .filter((indicator) => !indicator.numerator ||
      (values[indicator.numerator] !== undefined && values[indicator.denominator]))
    .map((indicator) => {
      const value = indicator.numerator
        ? values[indicator.numerator] / values[indicator.denominator] : values[indicator.key];
      return h('tr', {},
        h('td', {}, indicator.label, indicator.numerator ? h('small', { class: 'muted' }, '（按数量计算）') : null),
        h('td', { class: 'num' }, formatNumber(value, indicator.unit)),
        h('td', {}, indicator.unit === '%' ? '' : indicator.unit));
    });
  const competitions = (data.competitions || []).map((key) =>
    campaign.competitions.find((c) => c.key === key)?.label || key);
  return card('报送内容',
    h('p', { class: 'muted' }, `创建于 ${formatTime(report.created_at)}`,
      report.submitted_at ? `，提交于 ${formatTime(report.submitted_at)}` : ''),
    h('h3', {}, '指标'),
    rows.length ? table(['指标', '数值', '单位'], rows, 'indicators') : h('p', { class: 'empty' }, '未填写指标'),
    h('h3', {}, '开展的竞赛活动'),
    competitions.length ? h('ul', { class: 'chips' }, competitions.map((label) => h('li', {}, label)))
      : h('p', { class: 'empty' }, '未选择'),
    h('h3', {}, '经验材料'),
    h('div', { class: 'narrative' }, data.narrative || '（未填写）'));
}

function changesCard(changes, campaign) {
  const label = (key) => campaign.indicators.find((i) => i.key === key)?.label || key;
  const unit = (key) => campaign.indicators.find((i) => i.key === key)?.unit;
  const competition = (key) => campaign.competitions.find((c) => c.key === key)?.label || key;
  const since = changes.since || {};
  const items = [];
  for (const change of changes.indicators || []) {
    items.push(h('li', {}, `${change.label || label(change.key)}：`,
      h('del', {}, formatNumber(change.before, unit(change.key))), ' → ',
      h('ins', {}, formatNumber(change.after, unit(change.key)))));
  }
  for (const key of changes.competitions?.added || []) items.push(h('li', {}, `新增竞赛：${competition(key)}`));
  for (const key of changes.competitions?.removed || []) items.push(h('li', {}, `去掉竞赛：${competition(key)}`));
  if (changes.narrative_changed) items.push(h('li', {}, '经验材料已修改'));
  for (const file of changes.evidence?.added || []) items.push(h('li', {}, `新增佐证：${file.filename}`));
  for (const file of changes.evidence?.removed || []) items.push(h('li', {}, `删除佐证：${file.filename}`));
  return h('section', { class: 'card changes', id: 'changes' },
    h('h2', {}, '退回后的修改'),
    h('p', {}, `${formatTime(since.at)} 由 ${since.actor || ''} 退回`,
      since.comment ? h('q', {}, since.comment) : null),
    items.length ? h('ul', {}, items) : h('p', { class: 'empty' }, '退回后没有修改'));
}

export function evidenceCard(evidence, onDelete) {
  const list = h('div', { class: 'evidence-list' }, evidence.map((file) => evidenceItem(file, onDelete)));
  return h('section', { class: 'card', id: 'evidence' },
    h('h2', {}, `佐证材料（${evidence.length}）`),
    evidence.length ? list : h('p', { class: 'empty' }, '尚无佐证材料'));
}

const KIND_LABELS = { photo: '照片', document: '文件', certificate: '证书', patent_receipt: '专利受理通知' };
export { KIND_LABELS };

function evidenceItem(file, onDelete) {
  const preview = h('div', { class: 'evidence-preview' });
  const url = `/evidence/${file.sha256}`;
  const isImage = (file.content_type || '').startsWith('image/');
  const isPdf = file.content_type === 'application/pdf';
  if (isImage) {
    api.blobUrl(url).then((blob) => preview.append(h('img', { src: blob, alt: file.filename })))
      .catch(() => preview.append(h('p', { class: 'muted' }, '图片加载失败')));
  }
  const open = h('button', { type: 'button', class: 'secondary small', onclick: async () => {
    const blob = await api.blobUrl(url);
    if (isPdf) {
      clear(preview, h('iframe', { src: blob, title: file.filename, class: 'pdf-frame' }));
    }
    const link = h('a', { href: blob, target: '_blank', rel: 'noopener', download: isPdf ? null : file.filename },
      isPdf ? '在新窗口打开' : '下载');
    open.replaceWith(link);
  } }, isPdf ? '在浏览器中查看' : '取出文件');
  return h('article', { class: 'evidence-item', 'data-sha256': file.sha256 },
    preview,
    h('div', { class: 'evidence-meta' },
      h('strong', {}, file.filename),
      h('span', {}, `${KIND_LABELS[file.kind] || file.kind} · ${Math.ceil(file.size / 1024)} KB`,
        file.ref ? ` · ${file.ref}` : ''),
      h('code', { class: 'hash', title: 'SHA-256' }, file.sha256),
      h('div', { class: 'row' }, isImage ? null : open,
        onDelete ? h('button', { type: 'button', class: 'link danger', onclick: () => onDelete(file) }, '删除') : null)));
}

// The buttons for item.allowed_actions at `base` (/submissions/1 or /nominations/2).
export function actionPanel(base, item, reload) {
  const allowed = item.allowed_actions || [];
  if (!allowed.length) return null;
  const panel = h('section', { class: 'card action-panel', id: 'actions' },
    h('h2', {}, '办理'));
  const buttons = h('div', { class: 'actions' });
  for (const option of allowed) {
    const kind = option.action === 'return' || option.action === 'withdraw' ? 'danger' : 'primary';
    buttons.append(h('button', { type: 'button', class: kind, 'data-action': option.action,
      onclick: () => act(base, item, option, panel, reload) }, ACTION_LABELS[option.action] || option.action));
  }
  panel.append(buttons);
  return panel;
}

async function act(base, item, option, panel, reload) {
  const label = ACTION_LABELS[option.action] || option.action;
  const targets = option.to || [];
  const body = { action: option.action };
  let confirmed;
  if (option.action === 'return') {
    const comment = h('textarea', { name: 'comment', required: true, rows: 4, placeholder: '请说明退回原因，填报单位将看到此意见' });
    const to = h('select', { name: 'to' }, targets.map((t) => h('option', { value: t.stage }, t.title || t.stage)));
    confirmed = await confirmDialog('退回', [
      h('label', {}, '退回到', to),
      h('label', {}, '退回意见（必填）', comment)], '确认退回', true);
    body.comment = comment.value.trim();
    body.to = to.value;
  } else {
    const next = targets[0] ? `，进入“${targets[0].title || targets[0].stage}”` : '';
    const comment = h('textarea', { name: 'comment', rows: 3, placeholder: '可选' });
    confirmed = await confirmDialog(`确认${label}？`, [
      h('p', {}, `“${item.title || `#${item.id}`}”将${label}${next}。`),
      h('label', {}, '意见', comment)], `确认${label}`);
    if (comment.value.trim()) body.comment = comment.value.trim();
  }
  if (!confirmed) return;
  try {
    await api.request('POST', `${base}/actions`, { json: body, headers: { 'If-Match': `"${item.version}"` } });
    toast(`已${label}`);
    await reload();
  } catch (error) {
    showErrors(panel, error);
  }
}
