import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

// The light theme's entity colours must tell every type apart (numbers and groups were nearly the
// same brown): each pair at least this far apart in RGB.
const MIN_DISTANCE = 90;
const TYPES = ['person', 'organization', 'place', 'group', 'date', 'number'];

interface Colour { id: string; defaults: Record<string, string> }
const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { colors: Colour[] } };

const rgb = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const distance = (a: string, b: string): number => Math.hypot(...rgb(a).map((v, i) => v - rgb(b)[i]));

describe('build: the colour palette', () => {
  it(`in the light theme every entity type has a distinct colour (each pair ≥ ${MIN_DISTANCE} apart)`, () => {
    const colour = (t: string): string => pkg.contributes.colors.find((c) => c.id === `marginalia.${t}Foreground`)!.defaults.light;
    for (let i = 0; i < TYPES.length; i++) {
      for (let j = i + 1; j < TYPES.length; j++) {
        const d = distance(colour(TYPES[i]), colour(TYPES[j]));
        assert.ok(d >= MIN_DISTANCE, `${TYPES[i]} ${colour(TYPES[i])} and ${TYPES[j]} ${colour(TYPES[j])} are only ${d.toFixed(0)} apart`);
      }
    }
  });

  it('every verdict has a themeable colour for dark, light and high-contrast themes', () => {
    for (const v of ['True', 'False', 'Misleading', 'Unverified', 'Other']) {
      const c = pkg.contributes.colors.find((x) => x.id === `marginalia.verdict${v}`);
      assert.ok(c, `marginalia.verdict${v}`);
      for (const k of ['dark', 'light', 'highContrast', 'highContrastLight']) assert.match(c.defaults[k] ?? '', /^#[0-9A-Fa-f]{6}$/, `${c.id} ${k}`);
    }
  });
});
