// The web console in Chromium (run by console_e2e_test.cc against a running platform):
//   CONSOLE_URL        the gateway, e.g. http://127.0.0.1:8080
//   CONSOLE_ARTIFACTS  where the screenshots go (one per page, numbered in order)
//   CHROMIUM           Debian's chromium; NODE_PATH the console's node_modules
// Exits 0 and prints "console e2e: passed" when every step and every accessibility check passed.
'use strict';
const fs = require('fs');
const path = require('path');
const os = require('os');
const { chromium } = require('playwright-core');

const BASE = process.env.CONSOLE_URL;
const OUT = process.env.CONSOLE_ARTIFACTS;
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Dates as the services count them: China's day (UTC+8).
function today() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}
function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
// A valid ID number (GB 11643) of 340722, born `birth` (YYYYMMDD), with `serial` (3 digits).
function idNumber(birth, serial) {
  const first17 = `340722${birth}${serial}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[sum % 11];
}
function wrongCheck(id) {
  const last = id[17];
  return id.slice(0, 17) + (last === '0' ? '1' : '0');
}

let shot = 0;
const problems = [];

async function check(page, name) {
  shot += 1;
  const file = path.join(OUT, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of serious) problems.push(`${name}: axe ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
  console.log(`page ${name}: screenshot ${path.basename(file)}, axe violations ${result.length} (serious ${serious.length})`);
}

async function signIn(page, subject, role, region) {
  await page.goto(`${BASE}/console/#/signin`);
  await page.getByRole('heading', { name: '开发登录' }).waitFor();
  await page.getByLabel('用户名').fill(subject);
  await page.getByLabel('角色').selectOption(role);
  await page.getByLabel('辖区代码').fill(region);
  await page.getByRole('button', { name: '以此身份登录' }).click();
  await page.getByRole('button', { name: '退出' }).waitFor();
}

async function signOut(page) {
  await page.getByRole('button', { name: '退出' }).click();
  await page.getByRole('heading', { name: '开发登录' }).waitFor();
}

function expect(condition, what) {
  if (!condition) throw new Error(`expected: ${what}`);
}

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'console-chromium-'));
  // A new empty profile (--user-data-dir, which Playwright passes for a persistent context).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    env: { ...process.env, LANG: 'zh_CN.UTF-8', LANGUAGE: 'zh_CN' },
    acceptDownloads: true,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20000);
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // No CDN at run time: everything the console loads comes from the gateway itself.
    const origin = new URL(BASE).origin;
    let requests = 0;
    page.on('request', (r) => {
      const url = r.url();
      if (url.startsWith('data:') || url.startsWith('blob:')) return;
      requests += 1;
      if (new URL(url).origin !== origin) problems.push(`a request left the gateway: ${url}`);
    });

    // 1. The sign-in page.
    await page.goto(`${BASE}/console/`);
    await page.getByRole('heading', { name: '开发登录' }).waitFor();
    await check(page, 'signin');

    // 2. A clerk of township 340722100 signs in and sees the worklists.
    await signIn(page, 'clerk-zhang', 'assistance.clerk', '340722100');
    await page.getByRole('heading', { name: '待入户调查的申请' }).waitFor();
    expect(await page.getByRole('link', { name: '资金发放' }).count() === 0, 'a clerk has no disbursement link');
    await check(page, 'clerk-worklists');
    // Hiding the link is not the protection: a clerk who opens the page anyway is refused by the
    // service.
    await page.goto(`${BASE}/console/#/disbursement`);
    await page.getByRole('button', { name: '执行发放' }).click();
    await page.locator('p.message', { hasText: '无权进行此操作' }).waitFor();

    // 3. Household registration: a wrong check character is flagged as it is typed…
    await page.getByRole('link', { name: '户籍登记' }).click();
    const good = idNumber('19580312', '215');
    await page.getByLabel('所在村(社区)代码').fill('340722100001');
    await page.getByLabel('成员1 姓名').fill('王秀英');
    await page.getByLabel('成员1 身份证号').fill(wrongCheck(good));
    const idError = page.locator(`#${await page.getByLabel('成员1 身份证号').getAttribute('id')}-err`);
    await idError.filter({ hasText: '校验位错误' }).waitFor();
    await check(page, 'household-id-check-as-typed');
    // …and the server, asked anyway, names the field: its error is shown beside it.
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await idError.filter({ hasText: '服务器:校验位错误(members[0].id_number)' }).waitFor();
    expect(await page.getByLabel('成员1 身份证号').getAttribute('aria-invalid') === 'true', 'the field is marked invalid');
    await check(page, 'household-server-error');

    // 4. Corrected, the household is registered and the 低保 application filed.
    await page.getByLabel('成员1 身份证号').fill(good);
    expect((await idError.textContent()) === '', 'no error for a valid ID number');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.locator('p.message', { hasText: '登记成功。' }).waitFor();
    const t = today();
    await page.getByLabel('申请日期').fill(addDays(t, -40));
    await check(page, 'household-registered');
    await page.getByRole('button', { name: '提出低保申请' }).click();
    await page.getByRole('heading', { name: /待入户调查/ }).waitFor();
    const caseUrl = page.url();
    console.log(`case page ${caseUrl.replace(BASE, '')}`);

    // 5. Investigation, then the 7-day notice.
    await page.getByLabel('家庭月收入(元)').fill('120');
    await page.getByLabel('入户调查记录').fill('入户核实,家中无劳动力');
    await page.getByLabel('调查日期').fill(addDays(t, -39));
    await page.getByRole('button', { name: '保存调查结果' }).click();
    await page.getByRole('heading', { name: /待公示/ }).waitFor();
    await page.getByLabel('公示开始日期').fill(addDays(t, -38));
    await page.getByRole('button', { name: '开始公示' }).click();
    await page.getByRole('heading', { name: /公示中/ }).waitFor();
    await page.getByLabel('异议内容').fill('有村民反映家中新购农用车');
    await page.getByLabel('提出日期').fill(addDays(t, -37));
    await page.getByRole('button', { name: '登记异议' }).click();
    await page.getByText('已有异议 1 条', { exact: false }).waitFor();
    const history = await page.locator('table').last().innerText();
    expect(history.includes('入户调查') && history.includes('张榜公示') && history.includes('公示异议'),
      `history shows the steps: ${history}`);
    await check(page, 'case-in-notice');
    await signOut(page);

    // 6. The county reviewer signs in with the keyboard alone, finds the case in the worklist and
    // approves it after the notice.
    await page.getByLabel('用户名').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('reviewer-li');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id) === await page.getByLabel('角色').getAttribute('id'),
      'Tab moves from 用户名 to 角色');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('340722');
    await page.getByLabel('角色').selectOption('assistance.reviewer'); // a select's own keys vary by platform
    await page.getByLabel('辖区代码').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: '退出' }).waitFor();
    await page.getByRole('link', { name: '待办事项' }).click();
    await page.getByRole('heading', { name: '待审批的申请' }).waitFor();
    const caseId = caseUrl.split('/').pop();
    await page.locator(`a[href="#/case/${caseId}"]`).first().waitFor();
    await check(page, 'reviewer-worklists');
    await page.locator(`a[href="#/case/${caseId}"]`).first().click();
    await page.getByLabel('审批日期').fill(addDays(t, -31));
    await page.getByLabel('审批意见 / 不通过理由').fill('符合条件');
    await page.getByRole('button', { name: '审批通过' }).click();
    await page.getByRole('heading', { name: /已批准/ }).waitFor();
    await check(page, 'case-approved');

    // 7. The month's disbursement.
    await page.getByRole('link', { name: '资金发放' }).click();
    await page.getByLabel('救助项目').selectOption('PROGRAMME_DIBAO');
    await page.getByRole('button', { name: '执行发放' }).click();
    await page.locator('p.message', { hasText: '发放完成。' }).waitFor({ timeout: 60000 });
    const payments = Number(await page.getByTestId('payments').innerText());
    expect(payments >= 1, `at least one payment (got ${payments})`);
    await check(page, 'disbursement');

    // 8. The dashboard counts the household and its money.
    await page.getByRole('link', { name: '工作概览' }).click();
    await page.getByTestId('caseload').waitFor({ timeout: 60000 });
    const caseload = Number(await page.getByTestId('caseload').innerText());
    const paid = Number((await page.getByTestId('paid').innerText()).replace(/,/g, ''));
    expect(caseload >= 1, `the dashboard counts the household (caseload ${caseload})`);
    expect(paid > 0, `the dashboard counts the money (paid ${paid} 元)`);
    await page.locator('.chart canvas').first().waitFor();
    await page.getByRole('link', { name: '340722100', exact: true }).first().waitFor({ timeout: 60000 });
    await page.waitForTimeout(500); // let the charts' entry animation finish for the screenshot
    await check(page, 'dashboard');
    // Export: the report as Markdown.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出 Markdown' }).click();
    const md = await download;
    const text = fs.readFileSync(await md.path(), 'utf8');
    expect(text.includes('低保'), 'the Markdown export is the work summary');
    // And as Word: a real .docx (a ZIP holding word/document.xml), not HTML under another name.
    const wordDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出 Word(.docx)' }).click();
    const word = await wordDownload;
    const docx = fs.readFileSync(await word.path());
    expect(docx.subarray(0, 2).toString('latin1') === 'PK', 'the .docx is a ZIP package');
    expect(docx.includes(Buffer.from('word/document.xml')), 'the .docx holds word/document.xml');
    // Drill down to the township.
    await page.getByRole('link', { name: '340722100', exact: true }).first().click();
    await page.getByText('各村(社区)低保、特困户数').waitFor();
    await page.getByTestId('caseload').waitFor();
    expect(Number(await page.getByTestId('caseload').innerText()) >= 1, 'the township counts the household');
    await page.waitForTimeout(500);
    await check(page, 'dashboard-township');
    await signOut(page);

    // 8b. Leadership adds a target of the year; the dashboard counts its progress from the figures.
    await signIn(page, 'leader-wu', 'leadership', '340722');
    await page.getByTestId('caseload').waitFor({ timeout: 60000 });
    await page.getByLabel('目标内容').fill('农村低保应保尽保,新增保障2户');
    await page.getByLabel('计划数').fill('2');
    await page.getByRole('button', { name: '新增目标' }).click();
    await page.getByRole('table', { name: '目标进度' }).waitFor();
    const progress = await page.getByRole('table', { name: '目标进度' }).innerText();
    expect(progress.includes('农村低保应保尽保') && progress.includes('2户') && /\t1\t/.test(progress),
      `the target with 1 done of 2: ${progress}`);
    await page.locator('.chart canvas').nth(3).waitFor();
    await page.waitForTimeout(500); // let the charts' entry animation finish for the screenshot
    await check(page, 'dashboard-leadership-target');
    await signOut(page);

    // 9. A clerk of another township cannot open the case.
    await signIn(page, 'clerk-wang', 'assistance.clerk', '340722101');
    await page.goto(caseUrl);
    await page.getByText('无法打开此案件').waitFor();
    expect(await page.getByText('王秀英').count() === 0, 'nothing of the household is shown');
    await check(page, 'other-township-refused');

    // 10. The other departments' daily records: cremation, marriage, disability subsidy.
    await signIn(page, 'affairs-chen', 'affairs.clerk', '340722100');
    await page.getByRole('link', { name: '火化登记' }).click();
    const deceased = idNumber('19400505', '113');
    await page.getByLabel('逝者姓名').fill('赵德胜');
    await page.getByLabel('逝者身份证号').fill(wrongCheck(deceased));
    const deceasedError = page.locator(`#${await page.getByLabel('逝者身份证号').getAttribute('id')}-err`);
    await deceasedError.filter({ hasText: '校验位错误' }).waitFor();
    await page.getByLabel('逝者身份证号').fill(deceased);
    await page.getByLabel('死亡日期').fill(addDays(t, -3));
    await page.getByLabel('火化日期').fill(addDays(t, -1));
    await page.getByRole('button', { name: '登记火化' }).click();
    await page.locator('p.message', { hasText: '火化登记成功。' }).waitFor();
    await check(page, 'affairs-cremation');

    await page.getByRole('link', { name: '婚姻登记' }).click();
    await page.getByLabel('男方姓名').fill('李建国');
    await page.getByLabel('男方身份证号').fill(idNumber('19900101', '131'));
    await page.getByLabel('女方姓名').fill('周丽华');
    await page.getByLabel('女方身份证号').fill(idNumber('19920202', '242'));
    await page.getByLabel('结婚证字号').fill(`J340722-${t.slice(0, 4)}-001`);
    await page.getByRole('button', { name: '登记结婚' }).click();
    await page.locator('p.message', { hasText: '结婚登记成功。' }).waitFor();
    await check(page, 'affairs-marriage');

    await page.getByRole('link', { name: '残疾人补贴' }).click();
    await page.getByLabel('姓名', { exact: true }).fill('孙志强');
    await page.getByLabel('身份证号', { exact: true }).fill(idNumber('19700101', '357'));
    await page.getByLabel('残疾类别').selectOption('DISABILITY_CATEGORY_PHYSICAL');
    await page.getByLabel('残疾等级(1–4级)').selectOption('1');
    await page.getByLabel('残疾证核发日期').fill(addDays(t, -100));
    await page.getByLabel('需要长期照护').check();
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.locator('p.message', { hasText: '残疾人信息登记成功。' }).waitFor();
    await page.getByLabel('补贴类别').selectOption('SUBSIDY_KIND_CARE');
    await page.getByRole('button', { name: '提交补贴申请' }).click();
    await page.locator('p.message', { hasText: '补贴申请成功。' }).waitFor();
    await page.getByText(/发放中|待社会救助部门核实低保/).waitFor();
    await check(page, 'affairs-disability-subsidy');
    await signOut(page);

    // 11. 高龄津贴: a township clerk enrols an 85-year-old, a county reviewer approves it from the
    // worklist (maker ≠ checker).
    await signIn(page, 'elder-clerk', 'eldercare.clerk', '340722100');
    await page.getByRole('link', { name: '高龄津贴' }).click();
    const born = `${Number(t.slice(0, 4)) - 85}${t.slice(5, 7)}01`;
    await page.getByLabel('老人姓名').fill('钱桂芳');
    await page.getByLabel('老人身份证号').fill(idNumber(born, '426'));
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.locator('p.message', { hasText: '高龄津贴申请成功。' }).waitFor();
    await check(page, 'eldercare-allowance');
    await signOut(page);
    await signIn(page, 'elder-reviewer', 'eldercare.reviewer', '340722');
    await page.getByRole('link', { name: '待办事项' }).click();
    await page.getByRole('heading', { name: '待审核的高龄津贴申请' }).waitFor();
    await page.getByRole('link', { name: '查看 1' }).first().click();
    await page.getByRole('button', { name: '审核通过' }).click();
    await page.getByText('享受中', { exact: true }).waitFor();
    await check(page, 'eldercare-approved');
    await signOut(page);

    // 12. A residents' records file: imported in parts with progress; the bad rows listed by line.
    await signIn(page, 'grid-clerk', 'governance.clerk', '340722100');
    await page.getByRole('link', { name: '居民信息导入' }).click();
    const csv = ['grid_code,name,id_number,address',
      `340722100001901,吴小明,${idNumber('19850606', '517')},一组3号`,
      `340722100001901,郑小红,${wrongCheck(idNumber('19870707', '628'))},二组5号`,
      `340722100001901,孔大力,${idNumber('19650808', '739')},`].join('\n') + '\n';
    await page.getByLabel('CSV 文件').setInputFiles({ name: 'records.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: '开始导入' }).click();
    await page.locator('p.message', { hasText: '导入完成' }).waitFor();
    const report = await page.locator('p.message', { hasText: '导入完成' }).innerText();
    expect(report.includes('读取 3 条') && report.includes('有误 3'), `every row is reported: ${report}`);
    const errorRows = await page.locator('table tbody tr').allInnerTexts();
    expect(JSON.stringify(errorRows) === JSON.stringify(['2\t网格编码\tno such grid', '3\t身份证号\t校验位错误', '4\t地址\t必填']),
      `the bad rows by file line, each with its field: ${JSON.stringify(errorRows)}`);
    console.log(`import errors: ${JSON.stringify(errorRows)}`);
    await check(page, 'governance-import');
    await signOut(page);

    // 13. A tablet: the registration form fits the narrow screen.
    await signIn(page, 'clerk-zhang', 'assistance.clerk', '340722100');
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.goto(`${BASE}/console/#/households/new`);
    await page.getByLabel('成员1 身份证号').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width <= 768, `no horizontal scrolling on a tablet (page is ${width}px wide)`);
    await check(page, 'tablet-household');
    expect(requests > 50, `the browser's requests were seen (${requests})`);
    console.log(`requests: ${requests}, every one to the gateway`);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    for (const p of problems) console.log(`PROBLEM ${p}`);
    process.exit(1);
  }
  console.log(`console e2e: passed (${shot} pages, screenshots in ${OUT})`);
}

main().catch((e) => {
  console.log(`console e2e: FAILED: ${e.stack || e}`);
  for (const p of problems) console.log(`PROBLEM ${p}`);
  process.exit(1);
});
