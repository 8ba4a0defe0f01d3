import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinPersonName, splitPersonName } from './person-name.js';

describe('person names', () => {
  it.each([
    ['Iselin Fox', 'Iselin', 'Fox'],
    ['Anne Marie Hansen', 'Anne Marie', 'Hansen'],
    ['Per-Olav Bjørnstad', 'Per-Olav', 'Bjørnstad'],
    ['Ola van der Berg', 'Ola', 'van der Berg'],
    ['Karen de la Cruz', 'Karen', 'de la Cruz'],
    ['Ingrid av Skarpenord', 'Ingrid', 'av Skarpenord'],
    ['van Gogh', 'van', 'Gogh'],
    ['Madonna', 'Madonna', ''],
    ['Åse Ødegård Ærø', 'Åse Ødegård', 'Ærø'],
  ])('splits %j into %j + %j', (full, first, last) => {
    expect(splitPersonName(full)).toEqual({ firstName: first, lastName: last });
  });

  it('joins first and last name, folding whitespace', () => {
    expect(joinPersonName(' Anne  Marie ', 'Hansen')).toEqual({ ok: true, value: 'Anne Marie Hansen' });
    expect(joinPersonName('', 'Hansen')).toEqual({ ok: true, value: 'Hansen' });
    expect(joinPersonName(null, undefined)).toEqual({ ok: true, value: null });
  });

  it('split → join → split is stable', () => {
    const word = fc.stringMatching(/^[A-Za-zÆØÅæøå-]{1,8}$/);
    const particle = fc.constantFrom('van', 'de', 'av', 'von', 'der');
    fc.assert(
      fc.property(fc.array(fc.oneof(word, particle), { minLength: 1, maxLength: 6 }), (words) => {
        const full = words.join(' ');
        const split = splitPersonName(full);
        const joined = joinPersonName(split.firstName, split.lastName);
        expect(joined).toEqual({ ok: true, value: full });
        expect(splitPersonName(full)).toEqual(split);
      }),
    );
  });
});
