#ifndef TESSERA_CHIREDIS_SHIM_H
#define TESSERA_CHIREDIS_SHIM_H

#include <hiredis/hiredis.h>
#include <poll.h>
#include <errno.h>

/* Thin, non-variadic entry points for Swift. hiredis's variadic redisCommand is never used. */

static inline redisContext *tsr_redis_connect_tcp(const char *host, int port, long timeout_ms) {
    struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
    return redisConnectWithTimeout(host, port, tv);
}

static inline redisContext *tsr_redis_connect_unix(const char *path, long timeout_ms) {
    struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
    return redisConnectUnixWithTimeout(path, tv);
}

static inline int tsr_redis_set_timeout(redisContext *c, long timeout_ms) {
    struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
    return redisSetTimeout(c, tv);
}

static inline int tsr_redis_err(const redisContext *c) { return c->err; }
static inline const char *tsr_redis_errstr(const redisContext *c) { return c->errstr; }

/* An idle connection has nothing to read; if its socket is readable or hung up, the server
   closed it (restart, timeout, kill) and the connection must not be reused. */
static inline int tsr_redis_idle_is_stale(const redisContext *c) {
    struct pollfd p = { c->fd, POLLIN, 0 };
    int n = poll(&p, 1, 0);
    if (n < 0) return 1;
    return n > 0;
}

static inline void *tsr_redis_command_argv(redisContext *c, int argc, const char **argv, const size_t *lens) {
    return redisCommandArgv(c, argc, argv, lens);
}

static inline int tsr_redis_append_argv(redisContext *c, int argc, const char **argv, const size_t *lens) {
    return redisAppendCommandArgv(c, argc, argv, lens);
}

static inline int tsr_redis_get_reply(redisContext *c, void **reply) {
    return redisGetReply(c, reply);
}

#endif
