/** The response checker every API test runs through is itself checked: it catches what it should. */
import { buildOpenApi } from '../../api/openapi';
import { contractChecker } from '../contract';

const check = contractChecker(buildOpenApi() as never);
const problem = {
  type: 'urn:xborder:problem:not-found',
  title: 'Not Found',
  status: 404,
  detail: 'no such transfer',
  instance: '/v1/transfers/x',
};

test('a documented problem passes; an undocumented status, path, media type or a wrong body does not', () => {
  const id = '/v1/transfers/00000000-0000-4000-8000-000000000000';
  expect(check('GET', id, 404, 'application/problem+json; charset=utf-8', problem)).toBeNull();
  expect(check('GET', id, 418, 'application/problem+json', problem)).toMatch(/status not documented/);
  expect(check('GET', id, 404, 'text/html', '<p>')).toMatch(/media type/);
  expect(check('GET', id, 404, 'application/problem+json', { ...problem, status: '404' })).toMatch(
    /status must be integer/,
  );
  expect(check('GET', id, 200, 'application/json', { id: 'x' })).toMatch(/must have required property/);
  expect(check('GET', '/v1/nowhere', 200, 'application/json', {})).toMatch(/path not documented/);
  expect(
    check('GET', '/v1/calendar/due?from=x', 200, 'application/json', {
      dueAt: '2026-01-01T00:00:00Z',
      dueDate: '2026-01-01',
      calendarVersion: 'v',
      approximate: false,
    }),
  ).toBeNull();
});
