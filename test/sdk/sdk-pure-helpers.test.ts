import { describe, expect, it } from 'vitest';
import { collectBytes, concatBytes } from '../../sdk/src/bytes.js';
import { dispose } from '../../sdk/src/dispose.js';
import { HttpHeaders, headerPairs } from '../../sdk/src/http-headers.js';
import { httpMethod, requestData } from '../../sdk/src/http-request.js';
import { optionalU64, u16, u32, u64 } from '../../sdk/src/numbers.js';
import { exitOf, processInfo, spawnRequest } from '../../sdk/src/process-request.js';

const text = (b: Uint8Array | undefined) =>
  b === undefined ? undefined : new TextDecoder().decode(b);

describe('HttpHeaders', () => {
  const headers = HttpHeaders.create([
    ['Content-Type', 'text/plain'],
    ['X-Multi', 'a'],
    ['x-multi', 'b'],
  ]);

  it('is an array of [name, value] pairs in the order received', () => {
    expect(Array.isArray(headers)).toBe(true);
    expect([...headers]).toEqual([
      ['Content-Type', 'text/plain'],
      ['X-Multi', 'a'],
      ['x-multi', 'b'],
    ]);
    expect(JSON.stringify(headers)).toBe(
      '[["Content-Type","text/plain"],["X-Multi","a"],["x-multi","b"]]',
    );
  });

  it('looks names up case-insensitively and joins repeated headers as fetch does', () => {
    expect(headers.get('content-type')).toBe('text/plain');
    expect(headers.get('X-MULTI')).toBe('a, b');
    expect(headers.getAll('x-multi')).toEqual(['a', 'b']);
    expect(headers.get('missing')).toBeNull();
    expect(headers.getAll('missing')).toEqual([]);
    expect(headers.has('CONTENT-TYPE')).toBe(true);
    expect(headers.has('missing')).toBe(false);
    expect(headers.toRecord()).toEqual({ 'content-type': 'text/plain', 'x-multi': 'a, b' });
  });

  it('gives plain arrays from map and filter', () => {
    const names = headers.map(([n]) => n);
    expect(names).toEqual(['Content-Type', 'X-Multi', 'x-multi']);
    expect(names instanceof HttpHeaders).toBe(false);
    expect(headers.filter(([n]) => n === 'X-Multi') instanceof HttpHeaders).toBe(false);
  });

  it('is built from a record or from pairs', () => {
    expect([...HttpHeaders.create({ a: '1', b: '2' })]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(HttpHeaders.create().length).toBe(0);
    expect(headerPairs(undefined)).toEqual([]);
    expect(headerPairs(new Map([['k', 'v']]))).toEqual([['k', 'v']]);
  });
});

describe('http request records', () => {
  it('maps method names to the contract variant', () => {
    expect(httpMethod('GET')).toEqual({ tag: 'get' });
    expect(httpMethod('Delete')).toEqual({ tag: 'delete' });
    expect(httpMethod('patch')).toEqual({ tag: 'patch' });
    expect(httpMethod('PROPFIND')).toEqual({ tag: 'other', val: 'PROPFIND' });
  });

  it('defaults to GET with no body and keeps header order', () => {
    expect(
      requestData('http://x/', {
        headers: [
          ['B', '1'],
          ['A', '2'],
        ],
      }),
    ).toEqual({
      url: 'http://x/',
      method: { tag: 'get' },
      headers: [
        { key: 'B', value: '1' },
        { key: 'A', value: '2' },
      ],
      body: undefined,
    });
  });

  it('encodes text bodies as UTF-8 and passes bytes through', () => {
    expect(text(requestData('http://x/', { method: 'post', body: 'héllo' }).body)).toBe('héllo');
    const bytes = new Uint8Array([1, 2]);
    expect(requestData('http://x/', { body: bytes }).body).toBe(bytes);
  });

  it('sends a JSON body with a content-type unless one is given', () => {
    const r = requestData('http://x/', { method: 'POST', json: { a: [1] } });
    expect(text(r.body)).toBe('{"a":[1]}');
    expect(r.headers).toEqual([{ key: 'content-type', value: 'application/json' }]);
    const own = requestData('http://x/', {
      json: null,
      headers: { 'Content-Type': 'application/vnd+json' },
    });
    expect(text(own.body)).toBe('null');
    expect(own.headers).toEqual([{ key: 'Content-Type', value: 'application/vnd+json' }]);
  });

  it('refuses a body and a JSON body together', () => {
    expect(() => requestData('http://x/', { body: 'a', json: 1 })).toThrow(
      'give a request either body or json, not both',
    );
  });
});

describe('contract integers', () => {
  it('converts non-negative numbers, dropping fractions', () => {
    expect(u64(0, 'n')).toBe(0n);
    expect(u64(1500.9, 'n')).toBe(1500n);
    expect(u64(Number.MAX_SAFE_INTEGER, 'n')).toBe(BigInt(Number.MAX_SAFE_INTEGER));
    expect(optionalU64(undefined, 'n')).toBeUndefined();
    expect(optionalU64(5, 'n')).toBe(5n);
    expect(u32(0xffff_ffff, 'n')).toBe(0xffff_ffff);
    expect(u16(65535, 'port')).toBe(65535);
  });

  it('refuses negative, non-finite and out-of-range values, naming the argument', () => {
    expect(() => u64(-1, 'timeoutMs')).toThrow(RangeError);
    expect(() => u64(-1, 'timeoutMs')).toThrow('timeoutMs must be a number from 0 to');
    expect(() => u64(Number.NaN, 'n')).toThrow(RangeError);
    expect(() => u64(Number.POSITIVE_INFINITY, 'n')).toThrow(RangeError);
    expect(() => u32(2 ** 32, 'max')).toThrow(RangeError);
    expect(() => u16(65536, 'port')).toThrow('port must be a number from 0 to 65535 (got 65536)');
  });
});

describe('spawn requests', () => {
  it('passes the command, arguments and a minimal request', () => {
    expect(spawnRequest('echo', ['hi'])).toEqual({
      cmd: 'echo',
      args: ['hi'],
      stdin: undefined,
      env: [],
      cwd: undefined,
      limits: undefined,
      label: undefined,
      keepStdinOpen: undefined,
      overflow: undefined,
      logRingBytes: undefined,
      maxLifetimeMs: undefined,
      idleTimeoutMs: undefined,
      exitRetentionMs: undefined,
    });
  });

  it('converts env, stdin, limits and the persistent options', () => {
    const r = spawnRequest('cat', [], {
      env: { A: '1', B: '2' },
      cwd: 'out',
      stdin: 'in',
      limits: { maxMemoryBytes: 1024, maxCpuSecs: 2, maxPids: 3, maxOpenFiles: 4 },
      label: 'l',
      keepStdinOpen: true,
      overflow: 'backpressure',
      logRingBytes: 4096,
      maxLifetimeMs: 10,
      idleTimeoutMs: 20,
      exitRetentionMs: 30,
    });
    expect(r).toEqual({
      cmd: 'cat',
      args: [],
      stdin: new TextEncoder().encode('in'),
      env: [
        { key: 'A', value: '1' },
        { key: 'B', value: '2' },
      ],
      cwd: 'out',
      limits: { maxMemoryBytes: 1024n, maxCpuSecs: 2n, maxPids: 3, maxOpenFiles: 4 },
      label: 'l',
      keepStdinOpen: true,
      overflow: 'backpressure',
      logRingBytes: 4096,
      maxLifetimeMs: 10n,
      idleTimeoutMs: 20n,
      exitRetentionMs: 30n,
    });
  });

  it('refuses a negative limit before calling the host', () => {
    expect(() => spawnRequest('x', [], { limits: { maxPids: -1 } })).toThrow(
      'limits.maxPids must be a number from 0 to',
    );
  });

  it('reports exits and process info with nulls for what is absent', () => {
    expect(exitOf({ exitCode: 3 })).toEqual({ code: 3, signal: null });
    expect(exitOf({ signal: 9 })).toEqual({ code: null, signal: 9 });
    expect(
      processInfo({
        id: 'i',
        label: 'l',
        command: 'c ',
        phase: 'running',
        ageMs: 5n,
        idleMs: 1n,
        bufferedBytes: 10n,
        bytesDropped: 0n,
        stdinOpen: false,
      }),
    ).toEqual({
      id: 'i',
      label: 'l',
      command: 'c ',
      pid: null,
      phase: 'running',
      exit: null,
      ageMs: 5,
      idleMs: 1,
      bufferedBytes: 10,
      bytesDropped: 0,
      stdinOpen: false,
      cpuMs: null,
      memBytesPeak: null,
    });
  });
});

describe('byte helpers', () => {
  it('joins chunks and stops past a limit', () => {
    expect(concatBytes([new Uint8Array([1]), new Uint8Array([]), new Uint8Array([2, 3])])).toEqual(
      new Uint8Array([1, 2, 3]),
    );
    expect(collectBytes([new Uint8Array(2), new Uint8Array(2)], 4, 'the body').length).toBe(4);
    expect(() => collectBytes([new Uint8Array(2), new Uint8Array(3)], 4, 'the body')).toThrow(
      'the body is over 4 bytes',
    );
  });
});

describe('dispose', () => {
  it('runs the destructor the bindings put under Symbol.dispose or Symbol.for("dispose")', () => {
    const key = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('dispose');
    let dropped = 0;
    dispose({
      [key]() {
        dropped++;
      },
    });
    expect(dropped).toBe(1);
    expect(() => dispose({})).not.toThrow();
  });
});
