// What an administrator does in the web app: the flows and their versions,
// the definition editor validating live and drawing the flow, publishing a
// new version; the organization tree, a new unit and a new user who can then
// sign in and report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, screenshots, useLiveApp } from './harness.js';

const app = useLiveApp();
const asAdmin = () => app.as('admin', ADMIN_PASSWORD);

test('the flows page lists the built-in flows', async () => {
  const opened = await asAdmin();
  const { page } = opened;
  await page.click('#nav a:has-text("流程管理")');
  for (const key of ['report-county', 'report-city-direct', 'commendation']) {
    await page.waitForSelector(`[data-flow="${key}"]`);
  }
  assert.match(await page.textContent('[data-flow="report-county"]'), /填报 → 县级审核 → 市级审核/);
  await screenshots(page, '20-flows');
  await app.done(opened);
});

test('the editor shows every problem live, draws the flow and publishes a new version', async () => {
  const opened = await asAdmin();
  const { page } = opened;
  await page.goto(`${app.base}/admin/#/flows/report-county`);
  await page.waitForSelector('#flow-problems .valid');
  assert.equal(await page.locator('#flow-diagram .stage').count(), 4);
  assert.ok(await page.locator('#flow-diagram path.edge.return').count() >= 2);
  assert.equal(await page.locator('#flow-diagram path.edge[data-action=approve][data-to=city_review]').count(), 1);
  // Who acts at a stage, in words: no role or scope codes.
  const actors = await page.locator('#flow-diagram .stage-sub').allTextContents();
  assert.ok(actors.includes('审核 · 审核人（县级）'), actors.join('\n'));
  assert.ok(actors.every((text) => !text.includes('@')), actors.join('\n'));

  const original = await page.inputValue('#flow-editor');
  const definition = JSON.parse(original);
  definition.stages[1].actions.approve.to = 'nowhere';
  definition.stages[2].actor.scope = 'galaxy';
  await page.fill('#flow-editor', JSON.stringify(definition, null, 2));
  await page.waitForSelector('#flow-problems .problem-head');
  const problems = await page.locator('#flow-problems li.problem').allTextContents();
  assert.ok(problems.length >= 2, problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('stages[1].actions.approve.to') || p.includes('nowhere')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('stages[2].actor.scope') || p.includes('galaxy')), problems.join('\n'));
  assert.equal(await page.isDisabled('#publish-flow'), true);
  await screenshots(page, '21-flow-editor-problems');

  await page.fill('#flow-editor', '{ "key": ');
  await page.waitForSelector('#flow-problems .problem:has-text("JSON 格式错误：内容不完整")');
  await page.fill('#flow-editor', '{\n  "key": "x",\n  "title" "y"\n}');
  await page.waitForSelector('#flow-problems .problem:has-text("JSON 格式错误：第 3 行")');

  definition.stages[1].actions.approve.to = 'city_review';
  definition.stages[2].actor.scope = 'city';
  definition.stages[1].title = '县级初审';
  await page.fill('#flow-editor', JSON.stringify(definition, null, 2));
  await page.waitForSelector('#flow-problems .valid');
  await page.waitForSelector('#flow-diagram .stage-title:has-text("县级初审")');
  await page.click('#publish-flow');
  await page.waitForSelector('.toast:has-text("已发布 report-county 第 2 版")');
  await page.waitForSelector('.page-head:has-text("当前第 2 版")');
  // An earlier version loads into the editor.
  await page.click('button[data-version="1"]');
  await page.waitForFunction(() => document.getElementById('flow-editor').value.includes('"县级审核"'));
  await page.waitForSelector('#flow-problems .valid');
  await screenshots(page, '22-flow-editor');
  await app.done(opened);
});

test('organizations and users: a new unit, a new user who signs in', async () => {
  const opened = await asAdmin();
  const { page } = opened;
  await page.click('#nav a:has-text("组织与用户")');
  await page.waitForSelector('#org-tree [data-org=leshan]');
  assert.equal(await page.locator('#org-tree [data-org=leshan] > ul > li').count() >= 13, true);
  await page.fill('#org-form input[name=code]', 'jiajiang-glass');
  await page.fill('#org-form input[name=name]', '夹江县玻璃厂工会');
  await page.selectOption('#org-form select[name=level]', 'unit');
  await page.selectOption('#org-form select[name=parent]', 'jiajiang');
  await page.click('#org-form button[type=submit]');
  await page.waitForSelector('#org-tree [data-org=jiajiang] [data-org=jiajiang-glass]');

  // A code that exists: the message sits next to the form.
  await page.fill('#org-form input[name=code]', 'jiajiang');
  await page.fill('#org-form input[name=name]', '重复');
  await page.click('#org-form button[type=submit]');
  await page.waitForSelector('#org-form .error-summary');

  await page.fill('#user-form input[name=username]', 'glass-submitter');
  await page.fill('#user-form input[name=display_name]', '玻璃厂填报员');
  await page.fill('#user-form input[name=password]', 'glass-password-1');
  await page.selectOption('#user-form select[name=role]', 'submitter');
  await page.selectOption('#user-form select[name=org]', 'jiajiang-glass');
  await page.click('#user-form button[type=submit]');
  await page.waitForSelector('[data-user=glass-submitter]');
  assert.match(await page.textContent('[data-user=glass-submitter]'), /填报人 · 夹江县玻璃厂工会/);
  await page.click('[data-edit-roles=glass-submitter]');
  await page.selectOption('dialog select[name=role]', 'voter');
  await page.selectOption('dialog select[name=org]', 'leshan');
  await page.click('dialog button[type=submit]');
  await page.waitForSelector('[data-user=glass-submitter]:has-text("评审委员 · 乐山市总工会")');
  await screenshots(page, '23-orgs-users');
  await app.done(opened);

  const newcomer = await app.as('glass-submitter', 'glass-password-1');
  await newcomer.page.waitForSelector('#new-report');
  assert.deepEqual(await newcomer.page.locator('#nav a').allTextContents(), ['待办', '我的填报', '进度看板', '评选表决']);
  await app.done(newcomer);
});

test('the nav collapses at phone width', async () => {
  const opened = await asAdmin();
  const { page } = opened;
  await page.setViewportSize({ width: 390, height: 844 });
  assert.equal(await page.isVisible('#nav'), false);
  await page.click('#nav-toggle');
  assert.equal(await page.isVisible('#nav a:has-text("组织与用户")'), true);
  await page.screenshot({ path: `${(await import('./harness.js')).ARTIFACTS}/24-nav-open-390x844.png` });
  await page.click('#nav a:has-text("进度看板")');
  await page.waitForSelector('#progress');
  assert.equal(await page.isVisible('#nav'), false);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await app.done(opened);
});

test('a page left before its answers came never draws over the next one', async () => {
  const opened = await asAdmin();
  const { page } = opened;
  await page.click('#nav a:has-text("流程管理")');
  await page.waitForSelector('[data-flow="report-county"]');
  // The inbox's answer is held back until the flows page has been drawn.
  let releaseInbox;
  const inboxHeld = new Promise((resolve) => { releaseInbox = resolve; });
  let inboxAsked;
  const inboxRequested = new Promise((resolve) => { inboxAsked = resolve; });
  await page.route('**/api/v1/tasks*', async (route) => {
    inboxAsked();
    await inboxHeld;
    await route.continue();
  });
  await page.click('#nav a:has-text("待办")');
  await inboxRequested;
  await page.click('#nav a:has-text("流程管理")');
  await page.waitForSelector('[data-flow="report-county"]');
  releaseInbox();
  await page.waitForResponse('**/api/v1/tasks*');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('[data-flow="report-county"]').count(), 1);
  assert.match(await page.title(), /流程/);
  await page.unroute('**/api/v1/tasks*');
  await app.done(opened);
});
