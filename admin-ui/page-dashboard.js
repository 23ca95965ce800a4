// 进度看板: every indicator of the plan against its target (approved reports
// only), a per-county table and chart, counties without an innovation studio.
import * as api from './api.js';
import { h, clear, card, table, formatNumber, badge } from './ui.js';
import { s } from './svg.js';

const COUNTY_COLUMNS = ['proposals_submitted', 'tech_innovations', 'workers_participating',
  'innovation_studios', 'skill_leaders'];

function progressBar(indicator) {
  const target = Number(indicator.target);
  const actual = Number(indicator.actual || 0);
  const share = target > 0 ? Math.min(1, actual / target) : 0;
  const bar = h('div', { class: 'bar-fill' });
  bar.style.width = `${(share * 100).toFixed(1)}%`;
  return h('div', { class: `progress ${indicator.met ? 'met' : ''}`, 'data-indicator': indicator.key },
    h('div', { class: 'progress-head' },
      h('span', { class: 'progress-label' }, indicator.label),
      h('span', { class: 'progress-value' },
        h('strong', { 'data-actual': indicator.key }, formatNumber(actual, indicator.unit)),
        ` / ${formatNumber(target, indicator.unit)} ${indicator.unit === '%' ? '' : indicator.unit}`,
        indicator.met ? badge('已达标', 'badge-ok') : null)),
    h('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
      'aria-valuenow': Math.round(share * 100), 'aria-label': indicator.label }, bar));
}

function countyChart(progress, key) {
  const rows = progress.by_county.map((county) => ({
    name: county.name.replace(/(管委会)?(总工会|工会)$/, ''),
    value: Number(county.indicators.find((i) => i.key === key)?.actual || 0),
    missing: progress.counties_without_studio.includes(county.org),
  }));
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowHeight = 26;
  const labelWidth = 180;
  const width = 640;
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${rows.length * rowHeight + 10}`,
    role: 'img', 'aria-label': '各县（市、区）对比图', id: 'county-chart' });
  rows.forEach((row, index) => {
    const y = index * rowHeight + 5;
    const barWidth = ((width - labelWidth - 70) * row.value) / max;
    svg.append(
      s('text', { x: labelWidth - 8, y: y + 16, 'text-anchor': 'end', class: row.missing ? 'chart-label missing' : 'chart-label' }, row.name),
      s('rect', { x: labelWidth, y: y + 3, width: Math.max(barWidth, 1), height: rowHeight - 8, rx: 3,
        class: row.missing ? 'chart-bar missing' : 'chart-bar' }),
      s('text', { x: labelWidth + barWidth + 6, y: y + 16, class: 'chart-value' }, row.value.toLocaleString('zh-CN')));
  });
  return svg;
}

export async function dashboardPage(view) {
  const [progress, campaign] = await Promise.all([api.get('/campaigns/leshan-2014/progress'), api.campaign()]);
  const targeted = progress.indicators.filter((i) => i.target !== undefined && i.target !== null);
  const unitOf = (key) => campaign.indicators.find((i) => i.key === key);
  const columns = COUNTY_COLUMNS.filter((key) => unitOf(key));
  const rows = progress.by_county.map((county) => {
    const missing = progress.counties_without_studio.includes(county.org);
    return h('tr', { class: missing ? 'no-studio' : '', 'data-county': county.org },
      h('td', {}, county.name, missing ? badge('无创新工作室', 'badge-warn') : null),
      columns.map((key) => h('td', { class: 'num', 'data-label': unitOf(key).label },
        formatNumber(county.indicators.find((i) => i.key === key)?.actual ?? 0, unitOf(key).unit))));
  });
  const chartHolder = h('div', { class: 'chart-holder' });
  const picker = h('select', { id: 'chart-indicator', 'aria-label': '对比指标' },
    targeted.map((i) => h('option', { value: i.key, selected: i.key === 'proposals_submitted' }, i.label)));
  const drawChart = () => clear(chartHolder, countyChart(progress, picker.value));
  picker.addEventListener('change', drawChart);
  drawChart();
  const metCount = targeted.filter((i) => i.met).length;
  clear(view,
    h('div', { class: 'page-head' }, h('h1', {}, '进度看板'),
      h('p', { class: 'muted' }, `${campaign.title} · 仅统计审核通过的报送 · 已达标 ${metCount}/${targeted.length} 项`)),
    progress.counties_without_studio.length
      ? h('div', { class: 'notice warn', id: 'no-studio' },
        h('strong', {}, `尚无创新工作室的县（市、区）：${progress.counties_without_studio.length} 个`),
        h('p', {}, progress.by_county.filter((c) => progress.counties_without_studio.includes(c.org))
          .map((c) => c.name).join('、')))
      : null,
    card('各项目标完成情况', h('div', { class: 'progress-grid', id: 'progress' }, targeted.map(progressBar))),
    card('各县（市、区）对比', h('div', { class: 'row' }, h('label', {}, '指标 ', picker)), chartHolder),
    card('各县（市、区）明细',
      table(['县（市、区）', ...columns.map((key) => `${unitOf(key).label}（${unitOf(key).unit}）`)], rows, 'counties')));
}
