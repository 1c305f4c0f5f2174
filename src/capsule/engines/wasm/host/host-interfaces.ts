/**
 * Every host interface a capsule may import, as jco presents it to the glue:
 * free functions (lowerCamelCase) and resource classes (PascalCase) with their
 * methods. The worker builds RPC proxies from this table and the kernel
 * dispatches against it; a test keeps it equal to the WIT in `wit/`.
 */
export interface InterfaceShape {
  readonly functions: readonly string[];
  readonly resources: Readonly<Record<string, readonly string[]>>;
}

export const HOST_INTERFACE_SHAPES: Readonly<Record<string, InterfaceShape>> = {
  'astrid:io/error@1.0.0': { functions: [], resources: { Error: ['toDebugString'] } },
  'astrid:io/poll@1.0.0': { functions: ['poll'], resources: { Pollable: ['ready', 'block'] } },
  'astrid:io/streams@1.0.0': {
    functions: [],
    resources: {
      InputStream: ['read', 'blockingRead', 'skip', 'blockingSkip', 'subscribe'],
      OutputStream: [
        'checkWrite',
        'write',
        'blockingWriteAndFlush',
        'flush',
        'blockingFlush',
        'subscribe',
        'writeZeroes',
        'blockingWriteZeroesAndFlush',
        'splice',
        'blockingSplice',
      ],
    },
  },
  'astrid:sys/host@1.0.0': {
    functions: [
      'getConfig',
      'getCaller',
      'log',
      'signalReady',
      'clockMs',
      'clockMonotonicNs',
      'sleepNs',
      'randomBytes',
      'checkCapsuleCapability',
      'enumerateCapabilities',
    ],
    resources: {},
  },
  'astrid:ipc/host@1.0.0': {
    functions: ['publish', 'publishAs', 'subscribe', 'getInterceptorBindings'],
    resources: { Subscription: ['poll', 'recv', 'subscribeReadiness'] },
  },
  'astrid:kv/host@1.0.0': {
    functions: [
      'kvGet',
      'kvSet',
      'kvDelete',
      'kvListKeys',
      'kvListKeysPage',
      'kvClearPrefix',
      'kvCas',
    ],
    resources: {},
  },
  'astrid:fs/host@1.0.0': {
    functions: [
      'fsOpen',
      'fsExists',
      'fsMkdir',
      'fsMkdirAll',
      'fsReaddir',
      'fsStat',
      'fsStatSymlink',
      'fsUnlink',
      'readFile',
      'writeFile',
      'fsAppend',
      'fsCopy',
      'fsRename',
      'fsRemoveDirAll',
      'fsCanonicalize',
      'fsReadLink',
      'fsHardLink',
    ],
    resources: { FileHandle: ['readAt', 'writeAt', 'syncData', 'syncAll', 'stat', 'setLen'] },
  },
  'astrid:http/host@1.0.0': {
    functions: ['httpRequest', 'httpStreamStart'],
    resources: {
      HttpStream: ['status', 'headers', 'readChunk', 'close', 'subscribeReadable', 'bodyStream'],
    },
  },
  'astrid:net/host@1.0.0': {
    functions: ['bindUnix', 'bindTcp', 'connectTcp', 'udpBind', 'lookupHost'],
    resources: {
      UnixListener: ['accept', 'pollAccept', 'subscribeReadiness'],
      TcpListener: ['accept', 'pollAccept', 'localAddr', 'subscribeReadiness'],
      TcpStream: [
        'read',
        'write',
        'readBytes',
        'writeBytes',
        'peek',
        'shutdown',
        'peerAddr',
        'localAddr',
        'setNodelay',
        'nodelay',
        'setReadTimeout',
        'readTimeout',
        'setWriteTimeout',
        'writeTimeout',
        'setHopLimit',
        'hopLimit',
        'setKeepalive',
        'keepalive',
        'setLinger',
        'linger',
        'setReuseaddr',
        'reuseaddr',
        'subscribeReadable',
        'readStream',
        'writeStream',
      ],
      UdpSocket: [
        'sendTo',
        'recvFrom',
        'connect',
        'disconnect',
        'send',
        'recv',
        'peerAddr',
        'setReadTimeout',
        'localAddr',
        'subscribeReadable',
      ],
    },
  },
  'astrid:process/host@1.0.0': {
    functions: [
      'spawn',
      'spawnBackground',
      'spawnPersistent',
      'attach',
      'listProcesses',
      'status',
      'statusMany',
      'readLogs',
      'readSince',
      'writeStdin',
      'closeStdin',
      'signal',
      'wait',
      'stop',
      'releaseProcess',
      'watch',
      'unwatch',
    ],
    resources: {
      ProcessHandle: [
        'readLogs',
        'writeStdin',
        'closeStdin',
        'signal',
        'kill',
        'wait',
        'waitWithOutput',
        'osPid',
        'subscribeExit',
        'subscribeLogs',
      ],
    },
  },
  'astrid:identity/host@1.0.0': {
    functions: [
      'identityResolve',
      'identityLink',
      'identityUnlink',
      'identityCreateUser',
      'identityListLinks',
    ],
    resources: {},
  },
  'astrid:approval/host@1.0.0': { functions: ['requestApproval'], resources: {} },
  'astrid:elicit/host@1.0.0': { functions: ['elicit', 'hasSecret'], resources: {} },
  'astrid:uplink/host@1.0.0': { functions: ['uplinkRegister', 'uplinkSend'], resources: {} },
  'astrid:guest/lifecycle@1.0.0': { functions: [], resources: {} },
};

/** `astrid:ipc/host@1.0.0#publish`, `astrid:ipc/host@1.0.0#Subscription.recv`, `…#Subscription.[drop]`. */
export type HostFunctionKey = string;

export function functionKey(iface: string, fn: string): HostFunctionKey {
  return `${iface}#${fn}`;
}

export function methodKey(iface: string, resource: string, method: string): HostFunctionKey {
  return `${iface}#${resource}.${method}`;
}

export function dropKey(iface: string, resource: string): HostFunctionKey {
  return `${iface}#${resource}.[drop]`;
}
