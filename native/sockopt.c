/*
 * Socket options Node's `net` module does not expose, for the astrid:net
 * host: the IP hop limit, TCP keep-alive interval and probe count,
 * SO_REUSEADDR, and the peer credentials of a Unix-domain connection.
 * Every function takes the socket's file descriptor and throws a JS Error
 * carrying the errno name on failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <node_api.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

static napi_value throw_errno(napi_env env, const char *what) {
  int err = errno;
  char message[160];
  snprintf(message, sizeof message, "%s: %s", what, strerror(err));
  napi_throw_error(env, NULL, message);
  return NULL;
}

static int read_int(napi_env env, napi_value value, int32_t *out) {
  return napi_get_value_int32(env, value, out) == napi_ok;
}

/* setIntOption(fd, level, name, value) */
static napi_value set_int_option(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  int32_t fd, level, name, value;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 4 || !read_int(env, argv[0], &fd) || !read_int(env, argv[1], &level) ||
      !read_int(env, argv[2], &name) || !read_int(env, argv[3], &value)) {
    napi_throw_type_error(env, NULL, "setIntOption(fd, level, name, value) takes four integers");
    return NULL;
  }
  int v = value;
  if (setsockopt(fd, level, name, &v, sizeof v) != 0) return throw_errno(env, "setsockopt");
  return NULL;
}

/* getIntOption(fd, level, name) -> number */
static napi_value get_int_option(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int32_t fd, level, name;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 3 || !read_int(env, argv[0], &fd) || !read_int(env, argv[1], &level) ||
      !read_int(env, argv[2], &name)) {
    napi_throw_type_error(env, NULL, "getIntOption(fd, level, name) takes three integers");
    return NULL;
  }
  int v = 0;
  socklen_t len = sizeof v;
  if (getsockopt(fd, level, name, &v, &len) != 0) return throw_errno(env, "getsockopt");
  napi_value result;
  napi_create_int32(env, v, &result);
  return result;
}

/* peerCredentials(fd) -> { pid, uid, gid } */
static napi_value peer_credentials(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1 || !read_int(env, argv[0], &fd)) {
    napi_throw_type_error(env, NULL, "peerCredentials(fd) takes an integer");
    return NULL;
  }
  struct ucred cred;
  socklen_t len = sizeof cred;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
    return throw_errno(env, "getsockopt(SO_PEERCRED)");
  napi_value result, pid, uid, gid;
  napi_create_object(env, &result);
  napi_create_int32(env, cred.pid, &pid);
  napi_create_uint32(env, cred.uid, &uid);
  napi_create_uint32(env, cred.gid, &gid);
  napi_set_named_property(env, result, "pid", pid);
  napi_set_named_property(env, result, "uid", uid);
  napi_set_named_property(env, result, "gid", gid);
  return result;
}

static void export_int(napi_env env, napi_value target, const char *name, int value) {
  napi_value v;
  napi_create_int32(env, value, &v);
  napi_set_named_property(env, target, name, v);
}

static void export_fn(napi_env env, napi_value target, const char *name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn);
  napi_set_named_property(env, target, name, fn);
}

static napi_value init(napi_env env, napi_value exports) {
  export_fn(env, exports, "setIntOption", set_int_option);
  export_fn(env, exports, "getIntOption", get_int_option);
  export_fn(env, exports, "peerCredentials", peer_credentials);
  napi_value c;
  napi_create_object(env, &c);
  export_int(env, c, "SOL_SOCKET", SOL_SOCKET);
  export_int(env, c, "SO_REUSEADDR", SO_REUSEADDR);
  export_int(env, c, "IPPROTO_IP", IPPROTO_IP);
  export_int(env, c, "IP_TTL", IP_TTL);
  export_int(env, c, "IPPROTO_IPV6", IPPROTO_IPV6);
  export_int(env, c, "IPV6_UNICAST_HOPS", IPV6_UNICAST_HOPS);
  export_int(env, c, "IPPROTO_TCP", IPPROTO_TCP);
  export_int(env, c, "TCP_KEEPIDLE", TCP_KEEPIDLE);
  export_int(env, c, "TCP_KEEPINTVL", TCP_KEEPINTVL);
  export_int(env, c, "TCP_KEEPCNT", TCP_KEEPCNT);
  napi_set_named_property(env, exports, "constants", c);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
