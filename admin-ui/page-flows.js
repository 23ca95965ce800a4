// 流程管理: the flows and their versions, and a definition editor that
// validates live against POST /flows/validate, draws the flow, and publishes
// the definition as a new version.
import * as api from './api.js';
import { h, clear, card, table, toast, badge } from './ui.js';
import { flowDiagram } from './flow-diagram.js';

export async function flowsPage(view) {
  const flows = await api.getAll('/flows');
  clear(view,
    h('div', { class: 'page-head' }, h('h1', {}, '流程管理'),
      h('a', { class: 'button primary', href: '#/flows/new' }, '新建流程')),
    card(null, table(['流程', '标识', '对象', '阶段', '版本'], flows.map((flow) => h('tr', { 'data-flow': flow.key },
      h('td', {}, h('a', { href: `#/flows/${flow.key}` }, flow.title || flow.key)),
      h('td', { 'data-label': '标识' }, h('code', {}, flow.key)),
      h('td', { 'data-label': '对象' }, flow.subject === 'nomination' ? '评选推荐' : '竞赛报送'),
      h('td', { 'data-label': '阶段' }, (flow.stages || []).map((st) => st.title || st.id).join(' → ')),
      h('td', { 'data-label': '版本' }, `第 ${flow.version} 版`, flow.versions > 1 ? h('small', { class: 'muted' }, `（共 ${flow.versions} 版）`) : ''))),
    'responsive')));
}

const TEMPLATE = {
  key: 'report-new',
  title: '新的报送流程',
  subject: 'report',
  start: 'draft',
  stages: [
    { id: 'draft', kind: 'edit', title: '填报', actor: { role: 'submitter', scope: 'self' },
      actions: { submit: { to: 'city_review', validators: ['report.complete'] } } },
    { id: 'city_review', kind: 'review', title: '市级审核', actor: { role: 'reviewer', scope: 'city' },
      actions: { approve: { to: 'approved' }, return: { to: ['draft'] } } },
    { id: 'approved', kind: 'end', title: '通过', outcome: 'approved' },
  ],
};

// The browser's parser explains itself in English; say where, in Chinese.
function jsonProblem(error, text) {
  const at = /position (\d+)/.exec(error.message);
  if (at) {
    const position = Number(at[1]);
    const before = text.slice(0, position);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n');
    return `JSON 格式错误：第 ${line} 行第 ${column} 列附近`;
  }
  if (/end of JSON/i.test(error.message)) return 'JSON 格式错误：内容不完整（结尾缺少括号或引号）';
  return 'JSON 格式错误';
}

export async function flowEditorPage(view, [key]) {
  let definition = TEMPLATE;
  let versions = [];
  if (key) {
    definition = await api.get(`/flows/${key}`);
    versions = await api.getAll(`/flows/${key}/versions`);
  }
  const editable = { ...definition };
  delete editable.version;
  const editor = h('textarea', { class: 'code', id: 'flow-editor', spellcheck: 'false', rows: 26,
    'aria-label': '流程定义（JSON）', value: JSON.stringify(editable, null, 2) });
  const status = h('div', { class: 'validation', id: 'flow-problems', 'aria-live': 'polite' });
  const diagram = h('div', { class: 'diagram-holder', id: 'flow-diagram-holder' });
  const publish = h('button', { type: 'button', class: 'primary', id: 'publish-flow' }, '发布为新版本');

  let sequence = 0;
  const check = async () => {
    const mine = ++sequence;
    let parsed;
    try {
      parsed = JSON.parse(editor.value);
    } catch (error) {
      clear(status, h('p', { class: 'problem' }, jsonProblem(error, editor.value)));
      publish.disabled = true;
      return;
    }
    clear(diagram, flowDiagram(parsed));
    try {
      await api.post('/flows/validate', parsed);
      if (mine !== sequence) return;
      clear(status, h('p', { class: 'valid' }, '✓ 定义有效，可以发布'));
      publish.disabled = false;
    } catch (error) {
      if (mine !== sequence) return;
      publish.disabled = true;
      clear(status, h('p', { class: 'problem-head' }, `${error.message}（${error.details.length} 个问题）`),
        h('ul', { class: 'problems' }, error.details.map((d) =>
          h('li', { class: 'problem' }, h('code', {}, d.path || '/'), ' ', d.message))));
    }
  };
  let timer;
  editor.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
  publish.addEventListener('click', async () => {
    try {
      const published = await api.post('/flows', JSON.parse(editor.value));
      toast(`已发布 ${published.key} 第 ${published.version} 版`);
      location.hash = `#/flows/${published.key}`;
      if (key === published.key) flowEditorPage(view, [key]);
    } catch (error) {
      toast(error.message, 'error');
    }
  });
  clear(view,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, definition.title || '新建流程'),
      h('p', { class: 'muted' }, key ? `${key} · 当前第 ${definition.version} 版` : '编辑后发布')),
      h('a', { class: 'button link', href: '#/flows' }, '返回列表')),
    card('流程图', diagram),
    h('div', { class: 'split' },
      card('流程定义（JSON）', editor),
      card('校验结果', status, h('div', { class: 'actions' }, publish),
        versions.length ? [h('h3', {}, '历史版本'), h('ul', { class: 'versions' }, versions.map((v) =>
          h('li', {}, h('button', { type: 'button', class: 'link', 'data-version': v.version, onclick: async () => {
            const old = await api.get(`/flows/${key}/versions/${v.version}`);
            delete old.version;
            editor.value = JSON.stringify(old, null, 2);
            toast(`已载入第 ${v.version} 版，可在此基础上修改后发布`);
            await check();
          } }, `第 ${v.version} 版`), v.version === definition.version ? badge('当前', 'badge-ok') : null)))] : null)));
  await check();
}
