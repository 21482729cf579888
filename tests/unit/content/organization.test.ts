import { describe, expect, it } from 'vitest';
import { parseContent, readContentFiles } from '~/features/content/load';
import {
  accentProblem,
  organizationSchema,
  placeholderNames,
  policyText,
  renderDeep,
  renderText,
  type Organization,
} from '~/features/content/organization';

const org = (values: Organization['values'], currency = 'USD', locale = 'en-US'): Organization => ({
  name: 'Test Co.',
  currency,
  locale,
  timeZone: 'UTC',
  values,
});

describe('policy values as readers see them', () => {
  it('formats money in the organisation currency, whole amounts without cents', () => {
    expect(policyText(org({ g: { about: 'g', money: 30 } }), 'g')).toBe('$30');
    expect(policyText(org({ g: { about: 'g', money: 12.5 } }, 'GBP', 'en-GB'), 'g')).toBe('£12.50');
    expect(policyText(org({ g: { about: 'g', money: 1500 } }, 'EUR', 'de-DE'), 'g')).toBe('1.500\u00a0€');
  });

  it('formats numbers with their unit, singular and plural', () => {
    const o = org({
      d: { about: 'd', number: 7, unit: 'day' },
      h: { about: 'h', number: 1, unit: 'hour' },
      w: { about: 'w', number: 1, unit: 'working-day' },
      w3: { about: 'w', number: 3, unit: 'working-day' },
      n: { about: 'n', number: 10 },
      t: { about: 't', text: 'the team lead on duty' },
    });
    expect(['d', 'h', 'w', 'w3', 'n', 't'].map((name) => policyText(o, name))).toEqual([
      '7 days',
      '1 hour',
      '1 working day',
      '3 working days',
      '10',
      'the team lead on duty',
    ]);
    expect(policyText(o, 'missing')).toBeUndefined();
  });

  it('renders every known placeholder in text and nested data, leaving unknown names as written', () => {
    const o = org({ g: { about: 'g', money: 30 }, d: { about: 'd', number: 2, unit: 'hour' } });
    expect(renderText('Up to {{g}} within {{ d }}; not {{nope}}.', o)).toBe('Up to $30 within 2 hours; not {{nope}}.');
    expect(renderDeep({ a: ['{{g}}', { b: '{{d}}' }], n: 3, ok: true }, o)).toEqual({ a: ['$30', { b: '2 hours' }], n: 3, ok: true });
    expect(placeholderNames('{{a}} and {{ b-c }} and {{a}}')).toEqual(['a', 'b-c', 'a']);
  });

  it('refuses values that are ambiguous or malformed', () => {
    const bad = (values: unknown) => organizationSchema.safeParse({ ...org({}), values }).success;
    expect(bad({ x: { about: 'x', money: 1, number: 2 } })).toBe(false);
    expect(bad({ x: { about: 'x' } })).toBe(false);
    expect(bad({ x: { about: 'x', money: 1, unit: 'day' } })).toBe(false);
    expect(bad({ X_y: { about: 'x', money: 1 } })).toBe(false);
    expect(organizationSchema.safeParse({ ...org({}), currency: 'dollars' }).success).toBe(false);
    expect(organizationSchema.safeParse({ ...org({}), timeZone: 'Mars/Olympus' }).success).toBe(false);
    expect(bad({ x: { about: 'x', number: 2, unit: 'day' } })).toBe(true);
  });
});

describe('loading content with an organisation', () => {
  it('gives every consumer the rendered text', async () => {
    const files = await readContentFiles('tests/fixtures/content/valid');
    const withPlaceholder = files.map((f) =>
      f.path === 'cases/greeting-case.yaml' ? { ...f, text: f.text.replace('an overdue bill.', 'an overdue bill and {{goodwill}} of credit.') } : f,
    );
    const content = parseContent(withPlaceholder);
    expect(content.problems).toEqual([]);
    expect(content.cases.get('greeting-case')?.data?.situation).toBe('A customer at a busy counter asks about an overdue bill and £25 of credit.');
  });
});

describe('the brand accent colour', () => {
  it('accepts a colour that keeps AA contrast on every background it is used on', () => {
    expect(accentProblem('#1d4ed8')).toBeUndefined();
    expect(organizationSchema.safeParse({ ...org({}), brand: { accent: '#1d4ed8', logo: '/media/brand/logo.svg' } }).success).toBe(true);
  });
  it('names each background a light colour fails on, with its ratio', () => {
    expect(accentProblem('#2563eb')).toBe(
      'accent #2563eb is too light to read: 4.37:1 on its own info-notice tint (#e5ecfd), 4.23:1 on the bad-notice red (#fee2e2); WCAG AA needs at least 4.5:1 — choose a darker colour',
    );
  });
  it('refuses a colour that is not #rrggbb and a logo that is not an image under /media/', () => {
    expect(organizationSchema.safeParse({ ...org({}), brand: { accent: 'teal' } }).success).toBe(false);
    expect(organizationSchema.safeParse({ ...org({}), brand: { logo: '/media/brand/logo.gif' } }).success).toBe(false);
    expect(organizationSchema.safeParse({ ...org({}), brand: { logo: 'https://example.com/logo.svg' } }).success).toBe(false);
  });
});
