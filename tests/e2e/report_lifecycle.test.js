// A report's whole way through the web app, as its users click it: each role
// signs in and sees its pages; a submitter fills the generated form, attaches
// evidence by drag and drop, sees a validation message next to the field and
// submits; the county reviewer returns it with a comment; the submitter
// resubmits; the reviewer sees what changed; county and city approve; the
// dashboard counts it; then nomination, vote, results and the CSV export.
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { apiCall, apiLogin, screenshots, useLiveApp } from './harness.js';

const app = useLiveApp();
const as = (username, password) => app.as(username, password);
const done = (opened) => app.done(opened);

const PDF = onePagePdf('Jingsai 2014 summary');

// A valid one-page PDF (with a correct cross-reference table) showing `text`.
function onePagePdf(text) {
  const stream = `BT /F1 24 Tf 40 100 Td (${text}) Tj ET`;
  const objects = [
    '<</Type/Catalog/Pages 2 0 R>>',
    '<</Type/Pages/Kids[3 0 R]/Count 1>>',
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 400 200]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>',
    `<</Length ${stream.length}>>stream\n${stream}\nendstream`,
    '<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>',
  ];
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object, index) => {
    const offset = body.length;
    body += `${index + 1} 0 obj${object}endobj\n`;
    return offset;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer<</Size ${objects.length + 1}/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
const PNG = solidPng(160, 100, [179, 38, 30]);

// A valid PNG of one colour (the server reads the type from the bytes).
function solidPng(width, height, [r, g, b]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(width).fill([r, g, b]).flat())]);
  const pixels = deflateSync(Buffer.concat(Array(height).fill(row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

let reportId;

test('each role signs in and sees the pages of its role', async () => {
  const expected = {
    'jiajiang-submitter': ['待办', '我的填报', '进度看板'],
    'jiajiang-reviewer': ['待办', '进度看板', '评选表决'],
    'city-reviewer': ['待办', '进度看板', '评选表决'],
    voter1: ['待办', '进度看板', '评选表决'],
  };
  for (const [username, nav] of Object.entries(expected)) {
    const opened = await as(username);
    assert.deepEqual(await opened.page.locator('#nav a').allTextContents(), nav, username);
    await done(opened);
  }
  const admin = await as('admin', 'e2e-admin-password');
  assert.deepEqual(await admin.page.locator('#nav a').allTextContents(),
    ['待办', '进度看板', '评选表决', '流程管理', '组织与用户']);
  await done(admin);
});

test('a wrong password is refused in Chinese and the token never enters a URL', async () => {
  const opened = await app.anonymous();
  const { page } = opened;
  await page.goto(`${app.base}/admin/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await page.fill('input[name=username]', 'jiajiang-submitter');
  await page.fill('input[name=password]', 'wrong');
  await page.click('button[type=submit]');
  await page.waitForSelector('.error-summary');
  assert.match(await page.textContent('.error-summary'), /用户名或密码不正确/);
  await screenshots(page, '01-login');
  await page.fill('input[name=password]', 'jingsai-demo');
  await page.click('button[type=submit]');
  await page.waitForSelector('#logout');
  const stored = await page.evaluate(() => sessionStorage.getItem('jingsai.token'));
  assert.ok(stored && stored.length > 10);
  assert.ok(!page.url().includes(stored));
  await done(opened);
});

test('the dashboard before any approval', async () => {
  const opened = await as('city-reviewer');
  await opened.page.click('#nav a:has-text("进度看板")');
  await opened.page.waitForSelector('#progress');
  assert.equal(await opened.page.textContent('[data-actual=proposals_submitted]'), '0');
  assert.equal(await opened.page.locator('tr.no-studio').count(), 13);
  await done(opened);
});

test('a submitter fills the form, attaches evidence, is told what is wrong, and submits', async () => {
  const opened = await as('jiajiang-submitter');
  const { page } = opened;
  await page.click('#nav a:has-text("我的填报")');
  await page.waitForSelector('#new-report');
  await screenshots(page, '02-my-reports-empty');
  await page.click('#new-report');
  await page.waitForSelector('#report-form');
  await page.fill('input[name=title]', '夹江陶瓷2014年劳动竞赛总结');
  await page.fill('[data-indicator=proposals_submitted]', '120');
  await page.fill('[data-indicator=proposals_implemented]', '200');
  await page.fill('[data-indicator=innovation_studios]', '1');
  await page.fill('textarea[name=studios]', '夹江陶瓷劳模创新工作室');
  await page.check('input[value=tech_innovation]');
  await page.fill('textarea[name=narrative]', '本单位开展了职工技术创新活动，合理化建议数量大幅增加，取得了显著成效，创建了劳模创新工作室。');
  assert.equal(await page.textContent('[data-rate=proposal_implementation_rate]'), '166.7%');
  await page.click('#save-report');
  await page.waitForURL(/#\/reports\/\d+\/edit$/);
  reportId = Number(page.url().match(/reports\/(\d+)/)[1]);
  await page.waitForSelector('#dropzone');

  // Drag and drop a PDF onto the zone; choose a photo through the file input.
  await page.evaluate(async (bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], '经验材料.pdf', { type: 'application/pdf' }));
    document.getElementById('dropzone').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, [...PDF]);
  await page.waitForSelector('.evidence-item:has-text("经验材料.pdf")');
  await page.selectOption('#evidence-kind', 'certificate');
  await page.fill('#evidence-ref', '夹江陶瓷劳模创新工作室');
  await page.setInputFiles('#evidence-file', { name: '工作室证书.png', mimeType: 'image/png', buffer: PNG });
  await page.waitForSelector('.evidence-item:has-text("工作室证书.png") img');
  assert.match(await page.textContent('.evidence-item:has-text("经验材料.pdf") .hash'), /^[0-9a-f]{64}$/);

  // Implemented more than submitted: the message sits next to that field.
  await page.click('#submit-report');
  const fieldError = page.locator('[data-path="data.indicators.proposals_implemented"] .field-error');
  await fieldError.waitFor();
  assert.match(await fieldError.textContent(), /不能多于/);
  await screenshots(page, '03-report-form-validation');

  await page.fill('[data-indicator=proposals_implemented]', '80');
  await page.click('#submit-report');
  await page.waitForURL(new RegExp(`#/reports/${reportId}$`));
  await page.waitForSelector('h1');
  assert.match(await page.textContent('.page-head'), /县级审核/);
  await page.click('button:has-text("在浏览器中查看")');
  await page.waitForSelector('iframe.pdf-frame');
  assert.match(await page.getAttribute('iframe.pdf-frame', 'src'), /^blob:/);
  await screenshots(page, '04-report-submitted');
  await done(opened);
});

test('the county reviewer returns it with a comment', async () => {
  const opened = await as('jiajiang-reviewer');
  const { page } = opened;
  await page.waitForSelector(`[data-item="submission-${reportId}"]`);
  assert.match(await page.textContent(`[data-item="submission-${reportId}"]`), /夹江县建筑陶瓷有限公司工会.*县级审核.*0 天/s);
  await screenshots(page, '05-inbox');
  await page.click(`[data-item="submission-${reportId}"] a`);
  await page.waitForSelector('#actions');
  assert.match(await page.textContent('.indicators'), /职工合理化建议120件/);
  await page.waitForSelector('.evidence-item img');
  await page.click('button[data-action=return]');
  await page.waitForSelector('dialog[open]');
  // No comment: the dialog refuses to confirm.
  await page.click('dialog button[type=submit]');
  assert.equal(await page.locator('dialog[open]').count(), 1);
  await page.fill('dialog textarea[name=comment]', '请核实合理化建议数量');
  await screenshots(page, '06-return-dialog');
  await page.click('dialog button[type=submit]');
  await page.waitForSelector('.toast:has-text("已退回")');
  await page.waitForFunction(() => document.querySelector('.page-head').textContent.includes('填报'));
  assert.equal(await page.locator('button[data-action=approve]').count(), 0);
  await done(opened);
});

test('the submitter sees the return, corrects and resubmits', async () => {
  const opened = await as('jiajiang-submitter');
  const { page } = opened;
  await page.goto(`${app.base}/admin/#/inbox`);
  await page.waitForSelector(`[data-item="submission-${reportId}"]`);
  await page.click(`[data-item="submission-${reportId}"] a`);
  await page.waitForSelector('#changes');
  assert.match(await page.textContent('#changes'), /请核实合理化建议数量/);
  await page.click('a:has-text("编辑填报")');
  await page.waitForSelector('#report-form');
  await page.fill('[data-indicator=proposals_submitted]', '150');
  await page.click('#submit-report');
  await page.waitForURL(new RegExp(`#/reports/${reportId}$`));
  await page.waitForFunction(() => document.title === '夹江陶瓷2014年劳动竞赛总结 · 劳动竞赛管理');
  // Withdrawn while at the county, and submitted again from the report page.
  await page.click('button[data-action=withdraw]');
  await page.click('dialog button[type=submit]');
  await page.waitForSelector('.toast:has-text("已撤回")');
  await page.click('button[data-action=submit]');
  await page.click('dialog button[type=submit]');
  await page.waitForSelector('.toast:has-text("已提交")');
  await page.waitForSelector('button[data-action=withdraw]');
  await done(opened);
});

test('the reviewer sees what changed and county and city approve', async () => {
  const county = await as('jiajiang-reviewer');
  await county.page.goto(`${app.base}/admin/#/reports/${reportId}`);
  await county.page.waitForSelector('#changes');
  assert.match(await county.page.textContent('#changes'), /职工合理化建议：120 → 150/);
  await screenshots(county.page, '07-report-changes');
  await county.page.click('button[data-action=approve]');
  await county.page.click('dialog button[type=submit]');
  await county.page.waitForSelector('.toast:has-text("已通过")');
  await county.page.waitForFunction(() => document.querySelector('.page-head').textContent.includes('市级审核'));
  await done(county);

  const city = await as('city-reviewer');
  await city.page.waitForSelector(`[data-item="submission-${reportId}"]`);
  await city.page.click(`[data-item="submission-${reportId}"] a`);
  await city.page.click('button[data-action=approve]');
  await city.page.click('dialog button[type=submit]');
  await city.page.waitForSelector('.toast:has-text("已通过")');
  await city.page.waitForFunction(() => document.querySelector('.page-head').textContent.includes('通过'));
  assert.equal(await city.page.locator('#actions').count(), 0);
  await done(city);
});

test('the dashboard counts the approved report', async () => {
  const opened = await as('city-reviewer');
  const { page } = opened;
  await page.goto(`${app.base}/admin/#/dashboard`);
  await page.waitForSelector('#progress');
  assert.equal(await page.textContent('[data-actual=proposals_submitted]'), '150');
  assert.equal(await page.locator('tr.no-studio').count(), 12);
  assert.equal(await page.locator('tr[data-county=jiajiang].no-studio').count(), 0);
  assert.ok(await page.locator('#county-chart rect').count() >= 13);
  await screenshots(page, '08-dashboard');
  await done(opened);
});

test('nomination, vote session, ballots, close, results and the CSV', async () => {
  const county = await as('jiajiang-reviewer');
  await county.page.click('#nav a:has-text("评选表决")');
  await county.page.waitForSelector('#nomination-form');
  await county.page.fill('#nomination-form textarea[name=citation]', '职工技术创新成效显著');
  await county.page.click('#nomination-form button[type=submit]');
  await county.page.waitForURL(/#\/nominations\/\d+$/);
  const nominationId = Number(county.page.url().match(/nominations\/(\d+)/)[1]);
  await county.page.click('button[data-action=submit]');
  await county.page.click('dialog button[type=submit]');
  await county.page.waitForSelector('.toast:has-text("已提交")');
  await done(county);

  const city = await as('city-reviewer');
  await city.page.waitForSelector(`[data-item="nomination-${nominationId}"]`);
  await city.page.click(`[data-item="nomination-${nominationId}"] a`);
  await city.page.click('button[data-action=approve]');
  await city.page.click('dialog button[type=submit]');
  await city.page.waitForSelector('.toast:has-text("已通过")');
  await city.page.click('#nav a:has-text("评选表决")');
  await city.page.waitForSelector('#vote-form');
  await city.page.fill('#vote-form input[name=members]', 'voter1, voter2, voter3');
  await city.page.click('#vote-form button[type=submit]');
  await city.page.waitForURL(/#\/votes\/\d+$/);
  const voteUrl = city.page.url();
  await screenshots(city.page, '09-vote-open');

  for (const voter of ['voter1', 'voter2']) {
    const member = await as(voter);
    // The nomination awaits the member in the inbox and leads to the ballot.
    await member.page.click(`[data-item="nomination-${nominationId}"] a`);
    await member.page.click('#vote-links a');
    await member.page.waitForURL(voteUrl);
    await member.page.waitForSelector('#ballot-form');
    await member.page.check(`#ballot-form input[name=n${nominationId}][value=for]`);
    if (voter === 'voter1') await screenshots(member.page, '10-ballot');
    await member.page.click('#ballot-form button[type=submit]');
    await member.page.waitForSelector('.toast:has-text("选票已提交")');
    await member.page.waitForSelector(`#ballot-form input[name=n${nominationId}][value=for]:checked`);
    await done(member);
  }

  await city.page.reload();
  await city.page.waitForSelector('#close-vote');
  assert.match(await city.page.textContent('.chips'), /✓ 已投票.*✓ 已投票.*未投票/s);
  await city.page.click('#close-vote');
  await city.page.waitForSelector(`[data-result="${nominationId}"]`);
  assert.match(await city.page.textContent(`[data-result="${nominationId}"]`), /2.*0.*0.*表彰/s);
  await screenshots(city.page, '11-vote-results');
  await city.page.click('#nav a:has-text("评选表决")');
  await city.page.waitForSelector(`[data-commended="${nominationId}"]`);
  assert.match(await city.page.textContent(`[data-commended="${nominationId}"]`), /夹江县建筑陶瓷有限公司工会/);
  const download = city.page.waitForEvent('download');
  await city.page.click('#csv-export');
  const file = await download;
  assert.equal(file.suggestedFilename(), '劳动竞赛表彰名单.csv');
  const csv = await (await import('node:fs/promises')).readFile(await file.path(), 'utf8');
  assert.match(csv, /夹江县建筑陶瓷有限公司工会/);
  await screenshots(city.page, '12-commendation');
  await done(city);

  const token = await apiLogin(app.base, 'city-reviewer');
  const list = await apiCall(app.base, 'GET', '/campaigns/leshan-2014/commendations', null, token);
  assert.equal(list.json.items.length, 1);
});
