/** The console's catalogues: every key in both languages, and every literal key the code uses in them. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import en from '../../console/src/locales/en.json';
import zhCN from '../../console/src/locales/zh-CN.json';

const src = join(__dirname, '..', '..', 'console', 'src');

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('console catalogues (en, zh-CN)', () => {
  test('every key of one language is in the other', () => {
    const a = new Set(keys(en));
    const b = new Set(keys(zhCN));
    expect([...a].filter((k) => !b.has(k))).toEqual([]);
    expect([...b].filter((k) => !a.has(k))).toEqual([]);
  });

  test('no empty translation', () => {
    const empty = (o: object) =>
      keys(o).filter(
        (k) =>
          !k
            .split('.')
            .reduce<any>((v, part) => v?.[part], o)
            ?.toString()
            .trim(),
      );
    expect(empty(en)).toEqual([]);
    expect(empty(zhCN)).toEqual([]);
  });

  test('every literal key the console uses, t("…"), is in the catalogues', () => {
    const known = new Set(keys(en));
    const used = sources(src).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([A-Za-z0-9_.-]+)'/g)].map((m) => ({
        file: file.slice(src.length + 1),
        key: m[1]!,
      })),
    );
    expect(used.length).toBeGreaterThan(50);
    expect(used.filter((u) => !known.has(u.key))).toEqual([]);
  });

  test('the language control is labelled "Language" and "语言"', () => {
    expect(en.language).toBe('Language');
    expect(zhCN.language).toBe('语言');
  });
});
