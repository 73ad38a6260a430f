import * as assert from 'node:assert/strict';
import { BoundedMemo } from '../../../src/core/text/memo';

describe('BoundedMemo', () => {
  it('computes a value once per key and returns it again', () => {
    const memo = new BoundedMemo<string>(10);
    let calls = 0;
    const make = (k: string): string => {
      calls++;
      return k.toUpperCase();
    };
    assert.equal(memo.get('abc', make), 'ABC');
    assert.equal(memo.get('abc', make), 'ABC');
    assert.equal(calls, 1);
    assert.equal(memo.size, 1);
  });

  it('never holds more than its bound: it is emptied when full, and answers stay right', () => {
    const memo = new BoundedMemo<number>(100);
    for (let i = 0; i < 1000; i++) {
      assert.equal(memo.get(`k${i}`, (k) => k.length), String(i).length + 1);
      assert.ok(memo.size <= 100, `size ${memo.size}`);
    }
  });

  it('does not keep keys over the length limit (computed each time)', () => {
    const memo = new BoundedMemo<number>(100, 5);
    let calls = 0;
    const make = (k: string): number => {
      calls++;
      return k.length;
    };
    assert.equal(memo.get('longer than five', make), 16);
    assert.equal(memo.get('longer than five', make), 16);
    assert.equal(calls, 2);
    assert.equal(memo.size, 0);
    memo.get('short', make);
    assert.equal(memo.size, 1);
  });

  it('clear empties it', () => {
    const memo = new BoundedMemo<number>(10);
    memo.get('a', () => 1);
    memo.clear();
    assert.equal(memo.size, 0);
    assert.equal(memo.get('a', () => 2), 2);
  });
});
