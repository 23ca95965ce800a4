// 我的填报: a submitter's reports, and the form generated from the campaign's
// indicators to create and edit one, attach evidence and submit it.
import * as api from './api.js';
import {
  h, clear, card, table, formatTime, formatNumber, toast, showErrors, stageBadge, errorBox,
} from './ui.js';
import { flags } from './page-inbox.js';
import { canEdit, evidenceCard, KIND_LABELS } from './page-report.js';

export async function myReportsPage(view) {
  const reports = await api.getAll('/submissions?campaign=leshan-2014');
  const rows = reports.map((report) => h('tr', { 'data-report': report.id },
    h('td', {}, h('a', { href: `#/reports/${report.id}` }, report.title || `报送 #${report.id}`)),
    h('td', { 'data-label': '单位' }, report.org_name || report.org),
    h('td', { 'data-label': '阶段' }, stageBadge(report), ' ', flags(report)),
    h('td', { 'data-label': '更新' }, formatTime(report.updated_at)),
    h('td', { 'data-label': '' }, canEdit(report)
      ? h('a', { class: 'button small secondary', href: `#/reports/${report.id}/edit` }, '编辑') : '')));
  clear(view,
    h('div', { class: 'page-head' }, h('h1', {}, '我的填报'),
      h('a', { class: 'button primary', href: '#/reports/new', id: 'new-report' }, '新建填报')),
    card(null, reports.length ? table(['标题', '单位', '阶段', '更新时间', ''], rows, 'responsive')
      : h('p', { class: 'empty' }, '还没有填报，点击“新建填报”开始')));
}

function indicatorField(indicator, value) {
  return h('label', { class: 'field', 'data-path': `data.indicators.${indicator.key}` },
    h('span', { class: 'field-label' }, indicator.label),
    h('span', { class: 'input-unit' },
      h('input', { type: 'number', min: 0, step: 1, inputmode: 'numeric', name: `indicator.${indicator.key}`,
        'data-indicator': indicator.key, value: value ?? '' }),
      h('span', { class: 'unit' }, indicator.unit)));
}

export async function reportFormPage(view, [id], user) {
  const campaign = await api.campaign();
  const report = id ? await api.get(`/submissions/${id}`) : null;
  if (report && !canEdit(report)) {
    clear(view, errorBox({ message: '该报送已提交，当前阶段不能修改' }),
      h('a', { href: `#/reports/${id}` }, '查看报送'));
    return;
  }
  const units = user.roles.filter((r) => r.role === 'submitter');
  const data = report?.data || {};
  const values = data.indicators || {};
  const counts = campaign.indicators.filter((i) => !i.numerator);
  const rates = campaign.indicators.filter((i) => i.numerator);
  const rateOutputs = new Map(rates.map((rate) => [rate.key, h('output', { 'data-rate': rate.key }, '—')]));

  const form = h('form', { class: 'report-form', id: 'report-form', novalidate: true },
    card('基本信息',
      h('label', { class: 'field', 'data-path': 'org' }, h('span', { class: 'field-label' }, '填报单位'),
        h('select', { name: 'org', disabled: Boolean(report) },
          units.map((r) => h('option', { value: r.org, selected: report?.org === r.org }, r.org_name || r.org)))),
      h('label', { class: 'field', 'data-path': 'title' }, h('span', { class: 'field-label' }, '标题'),
        h('input', { name: 'title', required: true, value: report?.title || '2014年劳动竞赛情况报送' }))),
    card('竞赛指标',
      h('p', { class: 'muted' }, '填写数量；比率由数量自动计算。'),
      h('div', { class: 'field-grid' }, counts.map((i) => indicatorField(i, values[i.key]))),
      h('h3', {}, '自动计算的比率'),
      h('dl', { class: 'rates' }, rates.map((rate) => [h('dt', {}, rate.label), h('dd', {}, rateOutputs.get(rate.key),
        h('small', { class: 'muted' }, ` 目标 ${formatNumber(rate.target, '%')}`))]))),
    card('创新工作室与专利',
      h('p', { class: 'muted' }, '申报的创新工作室和专利须逐一列出；每个工作室上传一份证书（说明填工作室名称），每项专利上传受理回执（说明填申请号）。'),
      h('div', { class: 'field-grid' },
        h('label', { class: 'field', 'data-path': 'data.studios' },
          h('span', { class: 'field-label' }, '创新工作室名称（每行一个）'),
          h('textarea', { name: 'studios', rows: 3, value: (data.studios || []).map((x) => x.name).join('\n') })),
        h('label', { class: 'field', 'data-path': 'data.patents' },
          h('span', { class: 'field-label' }, '专利申请号（每行一个）'),
          h('textarea', { name: 'patents', rows: 3, value: (data.patents || []).map((x) => x.number).join('\n') })))),
    card('开展的竞赛活动',
      h('div', { class: 'checks', 'data-path': 'data.competitions' }, campaign.competitions.map((c) =>
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'competition', value: c.key,
          checked: (data.competitions || []).includes(c.key) }), c.label)))),
    card('经验材料',
      h('label', { class: 'field', 'data-path': 'data.narrative' },
        h('span', { class: 'field-label' }, '经验材料（开展劳动竞赛的做法、成效）'),
        h('textarea', { name: 'narrative', rows: 8, value: data.narrative || '' }))));

  const updateRates = () => {
    const number = (key) => Number(form.querySelector(`[data-indicator="${key}"]`)?.value || NaN);
    for (const rate of rates) {
      const value = number(rate.numerator) / number(rate.denominator);
      rateOutputs.get(rate.key).textContent = Number.isFinite(value) ? formatNumber(value, '%') : '—';
    }
  };
  form.addEventListener('input', updateRates);
  updateRates();

  const readForm = () => {
    const indicators = {};
    for (const input of form.querySelectorAll('[data-indicator]')) {
      if (input.value !== '') indicators[input.dataset.indicator] = Number(input.value);
    }
    const lines = (name) => form.elements[name].value.split('\n').map((x) => x.trim()).filter(Boolean);
    return {
      title: form.elements.title.value.trim(),
      data: {
        ...data,
        studios: lines('studios').map((name) => ({ name })),
        patents: lines('patents').map((number) => ({ number })),
        indicators,
        competitions: [...form.querySelectorAll('[name=competition]:checked')].map((c) => c.value),
        narrative: form.elements.narrative.value,
      },
    };
  };

  let current = report;
  const save = async () => {
    const body = readForm();
    if (!current) {
      current = await api.post('/submissions', { campaign: campaign.key, org: form.elements.org.value, ...body });
    } else {
      current = await api.request('PATCH', `/submissions/${current.id}`,
        { json: body, headers: { 'If-Match': `"${current.version}"` } });
    }
    return current;
  };

  const saveButton = h('button', { type: 'button', class: 'secondary', id: 'save-report' }, '保存草稿');
  const submitButton = h('button', { type: 'button', class: 'primary', id: 'submit-report', disabled: !report }, '提交审核');
  saveButton.addEventListener('click', async () => {
    try {
      const isNew = !report;
      await save();
      showErrors(form, { message: '', details: [] });
      form.querySelector('.error-summary')?.remove();
      toast('草稿已保存');
      if (isNew) location.hash = `#/reports/${current.id}/edit`;
    } catch (error) {
      showErrors(form, error);
    }
  });
  submitButton.addEventListener('click', async () => {
    try {
      await save();
      await api.request('POST', `/submissions/${current.id}/actions`,
        { json: { action: 'submit' }, headers: { 'If-Match': `"${current.version}"` } });
      toast('已提交审核');
      location.hash = `#/reports/${current.id}`;
    } catch (error) {
      showErrors(form, error);
      if (current) current = await api.get(`/submissions/${current.id}`);
    }
  });

  const evidenceSection = h('div', { 'data-path': 'evidence' });
  form.append(evidenceSection,
    h('div', { class: 'actions sticky' }, saveButton, submitButton,
      report ? h('a', { class: 'button link', href: `#/reports/${report.id}` }, '查看') : null));
  clear(view,
    h('div', { class: 'page-head' }, h('h1', {}, report ? `编辑填报 #${report.id}` : '新建填报'),
      h('p', { class: 'muted' }, `${campaign.title} · 截止 ${campaign.deadline}`)),
    form);
  // Evidence changes move the report's version: take the new one, so that
  // the next save's If-Match names it.
  const evidenceChanged = async () => {
    const fresh = await api.get(`/submissions/${report.id}`);
    current = { ...current, version: fresh.version };
  };
  if (report) await renderEvidence(evidenceSection, report.id, evidenceChanged);
  else evidenceSection.append(card('佐证材料', h('p', { class: 'muted' }, '保存草稿后即可上传佐证材料。')));
}

async function renderEvidence(section, id, changed) {
  const evidence = await api.getAll(`/submissions/${id}/evidence`);
  const reload = async () => {
    await changed();
    await renderEvidence(section, id, changed);
  };
  const remove = async (file) => {
    try {
      await api.del(`/submissions/${id}/evidence/${file.id}`);
      toast(`已删除 ${file.filename}`);
      reload();
    } catch (error) {
      showErrors(section, error);
    }
  };
  const kind = h('select', { name: 'kind', id: 'evidence-kind' },
    Object.entries(KIND_LABELS).map(([key, label]) => h('option', { value: key, selected: key === 'document' }, label)));
  const ref = h('input', { name: 'ref', id: 'evidence-ref', placeholder: '对应的指标或编号（可选）' });
  const input = h('input', { type: 'file', id: 'evidence-file', multiple: true,
    accept: 'image/*,application/pdf,.doc,.docx,.xls,.xlsx' });
  const upload = async (files) => {
    for (const file of files) {
      const query = new URLSearchParams({ filename: file.name, kind: kind.value });
      if (ref.value.trim()) query.set('ref', ref.value.trim());
      try {
        await api.request('POST', `/submissions/${id}/evidence?${query}`,
          { body: file, contentType: file.type || 'application/octet-stream' });
        toast(`已上传 ${file.name}`);
      } catch (error) {
        showErrors(section, error);
        await changed();
        return;
      }
    }
    await reload();
  };
  input.addEventListener('change', () => upload([...input.files]));
  const zone = h('div', { class: 'dropzone', id: 'dropzone', tabindex: 0 },
    h('p', {}, h('strong', {}, '把文件拖到这里'), '，或', h('label', { class: 'link' }, '选择文件', input)),
    h('p', { class: 'muted' }, '支持图片、PDF 与 Office 文件；每份报送至少需要一份文件类佐证。'));
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    upload([...event.dataTransfer.files]);
  });
  clear(section,
    card('上传佐证材料', h('div', { class: 'field-grid' },
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, '材料类型'), kind),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, '说明'), ref)), zone),
    evidenceCard(evidence, remove));
}
