// The drawn diagram of a flow definition: stages in columns by their distance
// from the start, arrows for each action (forward moves to the right; returns
// and withdrawals curve back underneath).
import { s } from './svg.js';
import { ROLE_NAMES, SCOPE_NAMES } from './ui.js';

const BOX_W = 150;
const BOX_H = 58;
const COL_GAP = 70;
const ROW_GAP = 34;
const PAD = 24;

const ACTION_NAMES = { submit: '提交', approve: '通过', return: '退回', withdraw: '撤回', pass: '通过', fail: '未通过' };
const KIND_NAMES = { edit: '填报', review: '审核', vote: '表决', end: '结束' };

// "审核人（县级）" for {"role": "reviewer", "scope": "county"}.
function actorName(actor) {
  const role = ROLE_NAMES[actor.role] || actor.role;
  const scope = SCOPE_NAMES[actor.scope] || actor.scope;
  return scope ? `${role}（${scope}）` : role;
}

function targetsOf(action) {
  if (!action || action.to === undefined) return [];
  return Array.isArray(action.to) ? action.to : [action.to];
}

function layout(definition) {
  const stages = (definition.stages || []).filter((stage) => stage && typeof stage.id === 'string');
  const byId = new Map(stages.map((stage) => [stage.id, stage]));
  const depth = new Map();
  const queue = byId.has(definition.start) ? [definition.start] : stages.slice(0, 1).map((st) => st.id);
  if (queue.length) depth.set(queue[0], 0);
  while (queue.length) {
    const id = queue.shift();
    for (const [name, action] of Object.entries(byId.get(id)?.actions || {})) {
      if (name === 'return' || name === 'withdraw') continue;
      for (const to of targetsOf(action)) {
        if (byId.has(to) && !depth.has(to)) {
          depth.set(to, depth.get(id) + 1);
          queue.push(to);
        }
      }
    }
  }
  const lastColumn = Math.max(0, ...depth.values());
  for (const stage of stages) if (!depth.has(stage.id)) depth.set(stage.id, lastColumn + 1);
  const columns = new Map();
  const position = new Map();
  for (const stage of stages) {
    const column = depth.get(stage.id);
    const row = columns.get(column) || 0;
    columns.set(column, row + 1);
    position.set(stage.id, { column, row });
  }
  return { stages, byId, position, columns };
}

export function flowDiagram(definition) {
  const { stages, byId, position, columns } = layout(definition);
  const columnCount = Math.max(1, ...[...columns.keys()].map((c) => c + 1));
  const rowCount = Math.max(1, ...columns.values());
  const width = PAD * 2 + columnCount * BOX_W + (columnCount - 1) * COL_GAP;
  let backEdges = 0;
  for (const stage of stages) {
    for (const [, action] of Object.entries(stage.actions || {})) {
      for (const to of targetsOf(action)) {
        if (byId.has(to) && position.get(to).column <= position.get(stage.id).column) backEdges += 1;
      }
    }
  }
  const height = PAD * 2 + rowCount * BOX_H + (rowCount - 1) * ROW_GAP + 24 + backEdges * 18;
  const at = (id) => {
    const { column, row } = position.get(id);
    return { x: PAD + column * (BOX_W + COL_GAP), y: PAD + row * (BOX_H + ROW_GAP) };
  };
  const svg = s('svg', { class: 'flow-diagram', viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': `流程图：${definition.title || definition.key || ''}`, id: 'flow-diagram' },
  s('defs', {}, ['approve', 'return', 'withdraw', 'other'].map((kind) =>
    s('marker', { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrowhead ${kind}` })))));
  const edges = s('g', { class: 'edges' });
  let backIndex = 0;
  for (const stage of stages) {
    for (const [name, action] of Object.entries(stage.actions || {})) {
      for (const to of targetsOf(action)) {
        if (!byId.has(to)) continue;
        const kind = ['approve', 'submit', 'pass'].includes(name) ? 'approve'
          : name === 'return' ? 'return' : name === 'withdraw' ? 'withdraw' : 'other';
        const from = at(stage.id);
        const target = at(to);
        let d;
        let labelX;
        let labelY;
        if (target.x > from.x) {
          const x1 = from.x + BOX_W;
          const y1 = from.y + BOX_H / 2;
          const x2 = target.x;
          const y2 = target.y + BOX_H / 2;
          d = `M${x1},${y1} C${x1 + COL_GAP / 2},${y1} ${x2 - COL_GAP / 2},${y2} ${x2},${y2}`;
          labelX = (x1 + x2) / 2;
          labelY = (y1 + y2) / 2 - 6;
        } else {
          // Each backward edge dips a little deeper, so labels never overlap.
          backIndex += 1;
          const spread = 10 + (backIndex % 4) * 12;
          const x1 = from.x + BOX_W / 2 - spread;
          const x2 = target.x + BOX_W / 2 + spread;
          const y1 = from.y + BOX_H;
          const y2 = target.y + BOX_H;
          const dip = Math.max(y1, y2) + 8 + backIndex * 18;
          d = `M${x1},${y1} C${x1},${dip} ${x2},${dip} ${x2},${y2}`;
          labelX = (x1 + x2) / 2;
          labelY = dip * 0.75 + Math.max(y1, y2) * 0.25 + 4;
        }
        edges.append(s('path', { d, class: `edge ${kind}`, 'marker-end': `url(#arrow-${kind})`, 'data-action': name, 'data-to': to }),
          s('text', { x: labelX, y: labelY, class: 'edge-label', 'text-anchor': 'middle' }, ACTION_NAMES[name] || name));
      }
    }
  }
  svg.append(edges);
  for (const stage of stages) {
    const { x, y } = at(stage.id);
    const start = stage.id === definition.start;
    svg.append(s('g', { class: `stage ${stage.kind || ''} ${start ? 'start' : ''}`, 'data-stage': stage.id },
      s('rect', { x, y, width: BOX_W, height: BOX_H, rx: stage.kind === 'end' ? 29 : 8 }),
      s('text', { x: x + BOX_W / 2, y: y + 24, 'text-anchor': 'middle', class: 'stage-title' }, stage.title || stage.id),
      s('text', { x: x + BOX_W / 2, y: y + 44, 'text-anchor': 'middle', class: 'stage-sub' },
        `${KIND_NAMES[stage.kind] || stage.kind || ''}${stage.actor ? ` · ${actorName(stage.actor)}` : ''}`)));
  }
  return svg;
}
