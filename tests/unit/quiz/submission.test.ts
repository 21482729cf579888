import { describe, expect, it } from 'vitest';
import { submissionFormSchema } from '~/features/quiz/submission';

function form(entries: [string, string][]): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

describe('submissionFormSchema', () => {
  it('reads the attempt and the answers', () => {
    const r = submissionFormSchema.safeParse(
      form([
        ['attempt', 'a1'],
        ['q.greeting', '2'],
        ['q.order', '1'],
        ['q.order', '0'],
      ]),
    );
    expect(r.success && r.data).toEqual({ attempt: 'a1', answers: { greeting: [2], order: [1, 0] } });
  });

  it.each(['__proto__', 'toString', 'hasOwnProperty'])(
    'refuses q.%s (not a question id) as an unexpected field, not a crash',
    (name) => {
      const r = submissionFormSchema.safeParse(
        form([
          ['attempt', 'a1'],
          [`q.${name}`, '0'],
          [`q.${name}`, '1'],
        ]),
      );
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toContain(`Unexpected field(s): q.${name}`);
      expect(Object.prototype).not.toHaveProperty('0');
    },
  );

  it('reads q.constructor as an answer of its own (the attempt then refuses it as an unknown question)', () => {
    const r = submissionFormSchema.safeParse(
      form([
        ['attempt', 'a1'],
        ['q.constructor', '0'],
        ['q.constructor', '1'],
      ]),
    );
    expect(r.success && Object.hasOwn(r.data.answers, 'constructor') && r.data.answers.constructor).toEqual([0, 1]);
  });
});
