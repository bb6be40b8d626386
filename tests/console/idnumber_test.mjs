// The console's ID number check (console/src/idnumber.ts) gives the answers of the server's
// (services/common/id_number.cc, tests/common): run by ctest as console_idnumber_test on the
// module bundled by esbuild (CONSOLE_IDNUMBER_MODULE).
import assert from 'node:assert/strict';
import { test } from 'node:test';

const { checkIdNumber, checkChar, problemInChinese, todayInChina } = await import(
  process.env.CONSOLE_IDNUMBER_MODULE
);

const TODAY = '2024-06-30';

test('a valid number passes, with a lower-case x too', () => {
  assert.deepEqual(checkIdNumber('11010519491231002X', TODAY), { ok: true, problem: '' });
  assert.equal(checkIdNumber('11010519491231002x', TODAY).ok, true);
  assert.equal(checkChar('11010519491231002'), 'X');
});

test('each rule in the server order, with its message in Chinese', () => {
  const cases = [
    ['1101051949123100', '须为18位(已输入16位)'],
    ['11010519491231002X1', '须为18位(已输入19位)'],
    ['1101051949123100AX', '前17位须为数字'],
    ['11010519491231002Y', '最后一位须为数字或X'],
    ['110105194912310021', '校验位错误'],
  ];
  for (const [id, problem] of cases) {
    assert.deepEqual(checkIdNumber(id, TODAY), { ok: false, problem }, id);
  }
});

test('the birth date must exist, be after 1900 and not in the future', () => {
  const withCheck = (first17) => first17 + checkChar(first17);
  assert.equal(checkIdNumber(withCheck('11010519490230002'), TODAY).problem, '出生日期不存在');
  assert.equal(checkIdNumber(withCheck('11010518991231002'), TODAY).problem, '出生日期早于1900-01-01');
  assert.equal(checkIdNumber(withCheck('11010520240701002'), TODAY).problem, '出生日期在今天之后');
  assert.equal(checkIdNumber(withCheck('11010520240630002'), TODAY).ok, true);
  assert.equal(checkIdNumber(withCheck('11010520000229002'), TODAY).ok, true);
  assert.equal(checkIdNumber(withCheck('11010519000229002'), TODAY).problem, '出生日期不存在');
});

test('the server problem texts read in Chinese; unknown ones as sent', () => {
  assert.equal(problemInChinese('wrong check character'), '校验位错误');
  assert.equal(problemInChinese('birth date in the future'), '出生日期在今天之后');
  assert.equal(problemInChinese('something new'), 'something new');
});

test("today is China's day (UTC+8)", () => {
  assert.equal(todayInChina(new Date('2024-06-30T15:59:59Z')), '2024-06-30');
  assert.equal(todayInChina(new Date('2024-06-30T16:00:00Z')), '2024-07-01');
});
