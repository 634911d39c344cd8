import { describe, expect, it } from 'vitest';
import { parseChangeRate, parseDays, parsePrices } from './report-options.js';

describe('report and forecast options', () => {
  it('reads --price-per-gb as a standard price or per tier', () => {
    // Act & Assess
    expect(parsePrices(undefined)).toEqual({ standard: 0.05, archive: 0.0125 });
    expect(parsePrices('0.045')).toEqual({ standard: 0.045, archive: 0.0125 });
    expect(parsePrices('archive=0.01')).toEqual({ standard: 0.05, archive: 0.01 });
    expect(parsePrices('standard=0.06, archive=0.02')).toEqual({ standard: 0.06, archive: 0.02 });
    expect(() => parsePrices('cheap')).toThrow(/--price-per-gb: "cheap" is not a price/);
    expect(() => parsePrices('glacier=1')).toThrow(/--price-per-gb/);
  });

  it('reads --change-rate as a percentage or a fraction, at most 100% a day', () => {
    // Act & Assess
    expect(parseChangeRate('3%')).toBeCloseTo(0.03, 12);
    expect(parseChangeRate('0.05')).toBe(0.05);
    expect(parseChangeRate('0')).toBe(0);
    expect(() => parseChangeRate('3')).toThrow(/--change-rate: "3" is not a daily rate/);
    expect(() => parseChangeRate('-1%')).toThrow(/--change-rate/);
  });

  it('reads --days as a whole number from 1 to 3650', () => {
    // Act & Assess
    expect(parseDays('365')).toBe(365);
    expect(() => parseDays('0')).toThrow(/--days: "0"/);
    expect(() => parseDays('1.5')).toThrow(/--days/);
    expect(() => parseDays('4000')).toThrow(/--days/);
  });
});
