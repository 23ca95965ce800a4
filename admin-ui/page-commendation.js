// 评选表决: nominations, vote sessions, a member's ballot page, the results
// after the close and the published list (with its CSV export).
import * as api from './api.js';
import { hasRole } from './api.js';
import { h, clear, card, table, formatTime, toast, showErrors, badge, stageBadge } from './ui.js';
import { actionPanel, historyTable, stageTitles } from './page-report.js';

const KIND = { unit: '先进单位', individual: '先进个人' };
const CHOICES = [['for', '赞成'], ['against', '反对'], ['abstain', '弃权']];
const OUTCOME = { commended: '表彰', not_commended: '未表彰', tie: '并列待复决', no_quorum: '未达法定人数' };

export async function commendationPage(view, params, user) {
  const isReviewer = hasRole(user, 'reviewer');
  const canOpen = user.roles.some((r) => (r.role === 'reviewer' && r.org === 'leshan') || r.role === 'admin');
  const [nominations, votes, list] = await Promise.all([
    isReviewer || hasRole(user, 'admin') ? api.getAll('/nominations?campaign=leshan-2014') : [],
    api.getAll('/votes'),
    api.get('/campaigns/leshan-2014/commendations?format=json'),
  ]);
  const sections = [h('div', { class: 'page-head' }, h('h1', {}, '评选表决'))];
  if (isReviewer || hasRole(user, 'admin')) {
    sections.push(card('推荐对象', nominations.length
      ? table(['推荐', '单位', '类别', '阶段'], nominations.map((n) => h('tr', { 'data-nomination': n.id },
        h('td', {}, h('a', { href: `#/nominations/${n.id}` }, n.title || `推荐 #${n.id}`)),
        h('td', { 'data-label': '单位' }, n.org_name || n.org),
        h('td', { 'data-label': '类别' }, KIND[n.data?.kind] || n.data?.kind || ''),
        h('td', { 'data-label': '阶段' }, stageBadge(n)))), 'responsive')
      : h('p', { class: 'empty' }, '暂无推荐')));
  }
  if (isReviewer) sections.push(await nominationForm(view, user));
  sections.push(card('表决会议', votes.length
    ? table(['会议', '状态', '已投票', '开始时间'], votes.map((v) => h('tr', { 'data-vote': v.id },
      h('td', {}, h('a', { href: `#/votes/${v.id}` }, v.title)),
      h('td', { 'data-label': '状态' }, v.status === 'open' ? badge('进行中', 'badge-info') : badge('已结束', 'badge-muted')),
      h('td', { 'data-label': '已投票' }, `${v.members_voted ?? 0} / ${(v.members || []).length}`),
      h('td', { 'data-label': '开始' }, formatTime(v.opened_at)))), 'responsive')
    : h('p', { class: 'empty' }, '暂无表决会议')));
  if (canOpen) sections.push(openSessionForm());
  sections.push(commendationList(list));
  clear(view, sections);
}

async function nominationForm() {
  const approved = await api.getAll('/submissions?campaign=leshan-2014&stage=approved');
  const form = h('form', { class: 'stack', id: 'nomination-form', novalidate: true });
  if (!approved.length) return card('新建推荐', h('p', { class: 'empty' }, '还没有审核通过的报送可作为推荐依据'));
  const basis = h('select', { name: 'basis', id: 'nomination-basis' }, approved.map((r) =>
    h('option', { value: r.id, 'data-org': r.org }, `#${r.id} ${r.org_name || r.org} · ${r.title}`)));
  const kind = h('select', { name: 'kind' }, Object.entries(KIND).map(([k, label]) => h('option', { value: k }, label)));
  const person = h('label', { class: 'field', 'data-path': 'person', hidden: true },
    h('span', { class: 'field-label' }, '个人姓名'), h('input', { name: 'person' }));
  kind.addEventListener('change', () => { person.hidden = kind.value !== 'individual'; });
  form.append(
    h('div', { class: 'field-grid' },
      h('label', { class: 'field', 'data-path': 'basis' }, h('span', { class: 'field-label' }, '推荐依据（审核通过的报送）'), basis),
      h('label', { class: 'field', 'data-path': 'kind' }, h('span', { class: 'field-label' }, '类别'), kind), person),
    h('label', { class: 'field', 'data-path': 'citation' }, h('span', { class: 'field-label' }, '推荐理由'),
      h('textarea', { name: 'citation', rows: 3, required: true })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '创建推荐')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const selected = basis.selectedOptions[0];
    const body = { campaign: 'leshan-2014', kind: kind.value, org: selected.dataset.org,
      basis: [Number(basis.value)], citation: form.elements.citation.value.trim() };
    if (kind.value === 'individual') body.person = { name: form.elements.person.value.trim() };
    try {
      const created = await api.post('/nominations', body);
      toast('推荐已创建');
      location.hash = `#/nominations/${created.id}`;
    } catch (error) {
      showErrors(form, error);
    }
  });
  return card('新建推荐', form);
}

function openSessionForm() {
  const form = h('form', { class: 'stack', id: 'vote-form', novalidate: true },
    h('div', { class: 'field-grid' },
      h('label', { class: 'field', 'data-path': 'title' }, h('span', { class: 'field-label' }, '会议名称'),
        h('input', { name: 'title', value: '2014年度评选表决', required: true })),
      h('label', { class: 'field', 'data-path': 'members' }, h('span', { class: 'field-label' }, '评审委员（用户名，用逗号分隔）'),
        h('input', { name: 'members', placeholder: 'voter1, voter2, voter3', required: true }))),
    h('p', { class: 'muted' }, '表决范围：本次竞赛中当前处于“表决”阶段的全部推荐。'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '发起表决')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const members = form.elements.members.value.split(/[,，\s]+/).filter(Boolean);
    try {
      const created = await api.post('/votes', { campaign: 'leshan-2014', title: form.elements.title.value.trim(), members });
      toast('表决已发起');
      location.hash = `#/votes/${created.id}`;
    } catch (error) {
      showErrors(form, error);
    }
  });
  return card('发起表决', form);
}

function commendationList(list) {
  const download = h('button', { type: 'button', class: 'secondary', id: 'csv-export', onclick: async () => {
    const url = await api.blobUrl('/campaigns/leshan-2014/commendations?format=csv');
    const link = h('a', { href: url, download: '劳动竞赛表彰名单.csv', id: 'csv-link' }, '下载 CSV');
    download.replaceWith(link);
    link.click();
  } }, '导出 CSV');
  return card('表彰名单',
    list.items.length ? table(['名次', '类别', '单位/个人', '所属县（市、区）', '赞成', '推荐理由'], list.items.map((item) =>
      h('tr', { 'data-commended': item.nomination },
        h('td', { 'data-label': '名次' }, item.rank ?? ''),
        h('td', { 'data-label': '类别' }, item.kind_label || KIND[item.kind] || item.kind),
        h('td', {}, item.person?.name ? `${item.person.name}（${item.org_name}）` : item.org_name),
        h('td', { 'data-label': '县' }, item.county_name || ''),
        h('td', { 'data-label': '赞成' }, item['for']),
        h('td', { 'data-label': '理由' }, item.citation || ''))), 'responsive')
      : h('p', { class: 'empty' }, '名单尚未产生'),
    h('div', { class: 'actions' }, download));
}

export async function nominationPage(view, [id], user) {
  const [nomination, history] = await Promise.all([api.get(`/nominations/${id}`), api.getAll(`/nominations/${id}/history`).then((items) => ({ items }))]);
  const titles = await stageTitles(nomination.flow);
  // In the vote stage the member acts on a session's ballot page, not here.
  const sessions = nomination.stage === 'vote'
    ? (await api.getAll('/votes')).filter((v) => v.status === 'open' && (v.nominations || []).some((n) => n.id === nomination.id))
    : [];
  const data = nomination.data || {};
  clear(view,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, nomination.title || `推荐 #${id}`),
      h('p', { class: 'muted' }, `${nomination.org_name || nomination.org} · `, stageBadge(nomination)))),
    actionPanel(`/nominations/${id}`, nomination, () => nominationPage(view, [id], user)),
    sessions.length ? h('section', { class: 'card action-panel', id: 'vote-links' }, h('h2', {}, '表决'),
      h('div', { class: 'actions' }, sessions.map((v) => h('a', { class: 'button primary', href: `#/votes/${v.id}` }, `前往表决：${v.title}`)))) : null,
    card('推荐内容', h('dl', { class: 'facts' },
      h('dt', {}, '类别'), h('dd', {}, KIND[data.kind] || data.kind || ''),
      data.person?.name ? [h('dt', {}, '个人'), h('dd', {}, data.person.name)] : null,
      h('dt', {}, '推荐依据'), h('dd', {}, (data.basis || []).map((b) => h('a', { href: `#/reports/${b}`, class: 'chip' }, `报送 #${b}`))),
      h('dt', {}, '推荐理由'), h('dd', {}, data.citation || ''))),
    card('办理记录', historyTable(history, titles)));
}

export async function votePage(view, [id], user) {
  const session = await api.get(`/votes/${id}`);
  const member = session.members.some((m) => m.username === user.username);
  const canClose = session.status === 'open' &&
    user.roles.some((r) => (r.role === 'reviewer' && r.org === 'leshan') || r.role === 'admin');
  const mine = new Map((session.my_ballots || []).map((b) => [b.nomination, b.choice]));
  const sections = [h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, session.title),
    h('p', { class: 'muted' }, session.status === 'open' ? '表决进行中' : `已于 ${formatTime(session.closed_at)} 结束`)))];
  sections.push(card('评审委员', h('ul', { class: 'chips' }, session.members.map((m) =>
    h('li', { class: m.voted ? 'voted' : '' }, `${m.display_name || m.username}${m.voted ? ' ✓ 已投票' : ' · 未投票'}`)))));
  if (member && session.status === 'open') {
    const form = h('form', { class: 'ballot', id: 'ballot-form' });
    for (const n of session.nominations) {
      form.append(h('fieldset', { class: 'ballot-row', disabled: n.recused, 'data-path': `ballots.${n.id}` },
        h('legend', {}, `${n.title || n.org_name}`, n.recused ? badge('须回避', 'badge-muted') : null),
        h('p', { class: 'muted' }, n.citation || ''),
        h('div', { class: 'choices' }, CHOICES.map(([value, label]) => h('label', { class: 'check' },
          h('input', { type: 'radio', name: `n${n.id}`, value, checked: mine.get(n.id) === value }), label)))));
    }
    form.append(h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '提交选票')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const ballots = session.nominations.filter((n) => !n.recused).map((n) => ({
        nomination: n.id, choice: form.querySelector(`[name=n${n.id}]:checked`)?.value })).filter((b) => b.choice);
      try {
        await api.post(`/votes/${id}/ballots`, { ballots });
        toast('选票已提交，结束前可以修改');
        votePage(view, [id], user);
      } catch (error) {
        showErrors(form, error);
      }
    });
    sections.push(card('我的选票', form));
  } else if (session.status === 'open') {
    sections.push(card('表决对象', h('ul', {}, session.nominations.map((n) => h('li', {}, n.title || n.org_name)))),
      h('p', { class: 'muted' }, '表决结束前不公布票数。'));
  }
  if (canClose) {
    sections.push(h('div', { class: 'actions' }, h('button', { type: 'button', class: 'danger', id: 'close-vote',
      onclick: async () => {
        try {
          await api.post(`/votes/${id}/close`, {});
          toast('表决已结束');
          votePage(view, [id], user);
        } catch (error) {
          toast(error.message, 'error');
        }
      } }, '结束表决并计票')));
  }
  if (session.status === 'closed') {
    sections.push(card('表决结果', h('p', {}, session.quorum_met ? '已达到法定人数。' : '未达到法定人数。'),
      table(['推荐', '赞成', '反对', '弃权', '结果'], (session.results || []).map((r) => h('tr', { 'data-result': r.nomination },
        h('td', {}, r.title || r.org_name), h('td', { class: 'num' }, r['for']), h('td', { class: 'num' }, r.against),
        h('td', { class: 'num' }, r.abstain), h('td', {}, badge(OUTCOME[r.outcome] || (r.commended ? '表彰' : '未表彰'),
          r.commended ? 'badge-ok' : 'badge-muted')))), 'results'),
      (session.ties || []).length ? h('p', { class: 'notice warn' }, '名额线上出现并列，相关推荐保留在表决阶段，需另行复决。') : null));
  }
  clear(view, sections);
}
