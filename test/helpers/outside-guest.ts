/**
 * A ComponentizeJS guest that drives astrid:http, astrid:net, astrid:process
 * and the io streams/pollables by action name with JSON arguments, and
 * answers `{ok}` or `{err: <error-code tag>, detail}`. Handles opened in one
 * call live only until the call ends (the instance resets).
 */
export const OUTSIDE_WORLD = `package test:outside;
world outside {
  import astrid:sys/host@1.0.0;
  import astrid:io/poll@1.0.0;
  import astrid:io/streams@1.0.0;
  import astrid:http/host@1.0.0;
  import astrid:net/host@1.0.0;
  import astrid:process/host@1.0.0;
  use astrid:guest/lifecycle@1.0.0.{capsule-result};
  export astrid-hook-trigger: func(action: string, payload: list<u8>) -> capsule-result;
}
`;

export const OUTSIDE_JS = `import * as http from 'astrid:http/host@1.0.0';
import * as net from 'astrid:net/host@1.0.0';
import * as proc from 'astrid:process/host@1.0.0';
import * as poll from 'astrid:io/poll@1.0.0';
const enc = new TextEncoder();
const dec = new TextDecoder();
// Drawn lazily: randomness is not available while the component is pre-initialised.
let tag;
const big = (v) => (v === undefined || v === null ? undefined : BigInt(v));
const detail = (e) => (e && e.payload && e.payload.val !== undefined && typeof e.payload.val === 'string' ? e.payload.val : (e && e.message) || String(e));
const errTag = (e) => (e && e.payload && e.payload.tag) || ('trap:' + String((e && e.message) || e));
const attempt = (fn) => { try { return { ok: fn() }; } catch (e) { return { err: errTag(e), detail: detail(e) }; } };
const method = (m) => { const l = (m || 'GET').toLowerCase(); return ['get','head','post','put','delete','connect','options','trace','patch'].includes(l) ? { tag: l } : { tag: 'other', val: m }; };
const request = (a) => ({ url: a.url, method: method(a.method), headers: a.headers || [], body: a.body === undefined ? undefined : enc.encode(a.body) });
const spawnReq = (a) => ({
  cmd: a.cmd, args: a.args || [], env: a.env || [], cwd: a.cwd === undefined ? undefined : a.cwd,
  stdin: a.stdin === undefined ? undefined : enc.encode(a.stdin),
  limits: a.limits === undefined ? undefined : { maxMemoryBytes: big(a.limits.maxMemoryBytes), maxCpuSecs: big(a.limits.maxCpuSecs), maxPids: a.limits.maxPids, maxOpenFiles: a.limits.maxOpenFiles },
  label: a.label, keepStdinOpen: a.keepStdinOpen, overflow: a.overflow, logRingBytes: a.logRingBytes,
  maxLifetimeMs: big(a.maxLifetimeMs), idleTimeoutMs: big(a.idleTimeoutMs), exitRetentionMs: big(a.exitRetentionMs),
});
const exit = (e) => (e === undefined ? null : { code: e.exitCode === undefined ? null : e.exitCode, signal: e.signal === undefined ? null : e.signal });
const info = (i) => ({ id: i.id, label: i.label, command: i.command, pid: i.osPid === undefined ? null : i.osPid, phase: i.phase, exit: exit(i.exit), buffered: Number(i.bufferedBytes), dropped: Number(i.bytesDropped), stdinOpen: i.stdinOpen, cpuMs: i.cpuMs === undefined ? null : Number(i.cpuMs), mem: i.memBytesPeak === undefined ? null : Number(i.memBytesPeak) });
const readAll = (s) => { let n = 0; let chunks = 0; for (;;) { const c = s.readChunk(); if (c.length === 0) return { n, chunks }; n += c.length; chunks++; } };
const actions = {
  tag: () => { tag ??= Math.random().toString(36).slice(2); return { ok: tag }; },
  httpGet: (a) => attempt(() => { const r = http.httpRequest(request(a)); return { status: r.status, headers: r.headers.map((h) => h.key + ': ' + h.value), body: dec.decode(r.body) }; }),
  httpStreamCount: (a) => attempt(() => { const s = http.httpStreamStart(request(a)); const r = readAll(s); const again = s.readChunk().length; const status = s.status(); s.close(); let afterClose; try { s.readChunk(); } catch (e) { afterClose = errTag(e); } return { status, bytes: r.n, chunks: r.chunks, again, afterClose, statusAfterClose: s.status() }; }),
  httpBodyStream: (a) => attempt(() => {
    const s = http.httpStreamStart(request(a)); const body = s.bodyStream(); const p = body.subscribe(); let n = 0;
    for (;;) { poll.poll([p]); let c; try { c = body.read(BigInt(65536)); } catch (e) { if (errTag(e) === 'closed') break; throw e; } n += c.length; }
    return { status: s.status(), bytes: n };
  }),
  httpStreamsOpen: (a) => { const kept = []; for (let i = 0; i < a.n; i++) { try { kept.push(http.httpStreamStart(request(a))); } catch (e) { return { ok: kept.length, err: errTag(e) }; } } return { ok: kept.length }; },
  tcpEcho: (a) => attempt(() => { const s = net.connectTcp(a.host, a.port); s.writeBytes(enc.encode(a.data)); const got = dec.decode(s.readBytes(65536)); return { got, peer: s.peerAddr() }; }),
  tcpFrames: (a) => attempt(() => { const s = net.connectTcp(a.host, a.port); for (const f of a.frames) s.write(enc.encode(f)); const out = []; for (let i = 0; i < a.frames.length;) { const r = s.read(); if (r.tag === 'data') { out.push(dec.decode(r.val)); i++; } else if (r.tag === 'closed') break; } return out; }),
  tcpMany: (a) => { const kept = []; for (;;) { try { kept.push(net.connectTcp(a.host, a.port)); } catch (e) { return { ok: kept.length, err: errTag(e) }; } if (kept.length > 20) return { ok: kept.length }; } },
  tcpStreams: (a) => attempt(() => {
    const s = net.connectTcp(a.host, a.port); const out = s.writeStream(); const inp = s.readStream();
    const bytes = enc.encode(a.data); const permit = Number(out.checkWrite()); out.write(bytes.subarray(0, permit)); out.blockingFlush();
    poll.poll([inp.subscribe()]); const got = dec.decode(inp.blockingRead(BigInt(65536)));
    return { permit: permit >= bytes.length, got };
  }),
  tcpOptions: (a) => attempt(() => {
    const s = net.connectTcp(a.host, a.port);
    s.setNodelay(true); s.setKeepalive(BigInt(7)); s.setHopLimit(17); s.setLinger(BigInt(0)); s.setReuseaddr(true); s.setReadTimeout(BigInt(50));
    let timedOut = null; try { s.readBytes(10); } catch (e) { timedOut = errTag(e); }
    return { nodelay: s.nodelay(), keepalive: Number(s.keepalive()), hop: s.hopLimit(), linger: Number(s.linger()), reuse: s.reuseaddr(), readTimeout: Number(s.readTimeout()), timedOut };
  }),
  lookup: (a) => attempt(() => net.lookupHost(a.host)),
  unixServe: (a) => attempt(() => {
    const l = net.bindUnix(); const s = l.pollAccept(BigInt(a.timeoutMs)); if (s === undefined) return null;
    let r = s.read(); const deadline = Date.now() + 5000; while (r.tag === 'pending' && Date.now() < deadline) r = s.read();
    if (r.tag !== 'data') return { status: r.tag };
    s.write(enc.encode(dec.decode(r.val).toUpperCase())); let addr; try { s.peerAddr(); } catch (e) { addr = errTag(e); } return { got: dec.decode(r.val), peerAddr: addr };
  }),
  tcpServe: (a) => attempt(() => {
    const l = net.bindTcp(a.host, a.port); const local = l.localAddr(); const s = l.pollAccept(BigInt(a.timeoutMs)); if (s === undefined) return { local, accepted: false };
    const got = dec.decode(s.readBytes(65536)); s.writeBytes(enc.encode(got.toUpperCase())); s.shutdown('send'); return { local, accepted: true, got };
  }),
  bindTcp: (a) => attempt(() => net.bindTcp(a.host, a.port).localAddr()),
  udpEcho: (a) => attempt(() => {
    const u = net.udpBind(a.host, a.port); u.setReadTimeout(BigInt(a.timeoutMs)); u.sendTo(enc.encode(a.data), a.peerHost, a.peerPort);
    const d = u.recvFrom(65536); return d === undefined ? null : { data: dec.decode(d.data), from: d.peerHost + ':' + d.peerPort };
  }),
  spawn: (a) => attempt(() => { const r = proc.spawn(spawnReq(a)); return { stdout: r.stdout, stderr: r.stderr, exit: exit(r.exit) }; }),
  bgRun: (a) => attempt(() => { const h = proc.spawnBackground(spawnReq(a)); const r = h.waitWithOutput(big(a.timeoutMs)); return { stdout: r.stdout, stderr: r.stderr, exit: exit(r.exit) }; }),
  bgKill: (a) => attempt(() => { const h = proc.spawnBackground(spawnReq(a)); const pid = h.osPid() > 0; const r = h.kill(); let after; try { h.osPid(); } catch (e) { after = errTag(e); } return { pid, killed: r.killed, exit: exit(r.exit), after }; }),
  bgInteract: (a) => attempt(() => {
    const h = proc.spawnBackground(spawnReq({ ...a, keepStdinOpen: true }));
    const wrote = h.writeStdin(enc.encode(a.input)); h.closeStdin();
    const ready = poll.poll([h.subscribeExit()]); const e = h.wait(big(5000)); const logs = h.readLogs();
    let again; try { h.writeStdin(enc.encode('x')); } catch (err) { again = errTag(err); }
    return { wrote, ready: Array.from(ready), exit: exit(e), stdout: logs.stdout, running: logs.running, again };
  }),
  bgWaitTimeout: (a) => attempt(() => { const h = proc.spawnBackground(spawnReq(a)); try { h.wait(big(a.waitMs)); return 'exited'; } catch (e) { return errTag(e); } }),
  bgMany: (a) => { const kept = []; for (let i = 0; i < a.n; i++) { try { kept.push(proc.spawnBackground(spawnReq(a))); } catch (e) { return { ok: kept.length, err: errTag(e) }; } } return { ok: kept.length, pids: kept.map((h) => h.osPid()) }; },
  persist: (a) => attempt(() => proc.spawnPersistent(spawnReq(a))),
  pStatus: (a) => attempt(() => info(proc.status(a.id))),
  pStatusMany: (a) => attempt(() => proc.statusMany(a.ids).map(info)),
  pList: (a) => attempt(() => proc.listProcesses(a.filter === undefined ? undefined : a.filter).map(info)),
  pReadLogs: (a) => attempt(() => { const r = proc.readLogs(a.id); return { stdout: r.stdout, stderr: r.stderr, running: r.running, exit: exit(r.exit) }; }),
  pReadSince: (a) => attempt(() => { const c = proc.readSince(a.id, a.stream || 'stdout', { token: a.token === null || a.token === undefined ? undefined : a.token }, a.max === undefined ? 65536 : a.max); return { data: dec.decode(c.data), next: c.next.token === undefined ? null : c.next.token, dropped: Number(c.bytesDropped), eof: c.drainedEof }; }),
  pWrite: (a) => attempt(() => proc.writeStdin(a.id, enc.encode(a.data))),
  pCloseStdin: (a) => attempt(() => { proc.closeStdin(a.id); return 'ok'; }),
  pSignal: (a) => attempt(() => { proc.signal(a.id, a.sig); return 'ok'; }),
  pWait: (a) => attempt(() => exit(proc.wait(a.id, BigInt(a.ms)))),
  pStop: (a) => attempt(() => exit(proc.stop(a.id, big(a.grace)))),
  pRelease: (a) => attempt(() => { proc.releaseProcess(a.id); return 'ok'; }),
  pWatch: (a) => attempt(() => { proc.watch(a.id, a.suffix === undefined ? undefined : a.suffix); return 'ok'; }),
  tagged: (a) => ({ ok: { tag: actions.tag().ok, out: actions[a.action](a.args) } }),
  pAttach: (a) => attempt(() => { const h = proc.attach(a.id); const logs = h.readLogs(); return { stdout: logs.stdout, running: logs.running, pid: h.osPid() > 0 }; }),
};
export function astridHookTrigger(action, payload) {
  const fn = actions[action];
  const args = payload.length > 0 ? JSON.parse(dec.decode(payload)) : {};
  const out = fn ? fn(args) : { err: 'unknown action ' + action };
  return { action: 'continue', data: JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)) };
}
`;
