#ifndef TESSERA_CHIREDIS_SHIM_H
#define TESSERA_CHIREDIS_SHIM_H

#include <hiredis/hiredis.h>

/* Thin, non-variadic entry points for Swift. hiredis is used only as a protocol library: its
   formatter encodes commands and its reader decodes replies; the sockets belong to SwiftNIO.
   Both are pure functions over bytes, so they may run on an event loop. */

/* Encodes argv as one RESP command (binary safe) into a malloc'ed buffer; returns its length,
   or -1 when out of memory. Free the buffer with tsr_free_command. */
static inline int tsr_format_command_argv(char **target, int argc, const char **argv, const size_t *lens) {
    return redisFormatCommandArgv(target, argc, argv, lens);
}

static inline void tsr_free_command(char *command) { redisFreeCommand(command); }

/* A reader with hiredis's default reply functions: replies are redisReply trees, freed with
   tsr_free_reply. */
static inline redisReader *tsr_reader_create(void) { return redisReaderCreate(); }

static inline void tsr_reader_free(redisReader *reader) { redisReaderFree(reader); }

static inline int tsr_reader_feed(redisReader *reader, const char *bytes, size_t length) {
    return redisReaderFeed(reader, bytes, length);
}

/* REDIS_OK with *reply NULL when no complete reply is buffered yet; REDIS_ERR on a protocol
   error, after which the reader is unusable. */
static inline int tsr_reader_get_reply(redisReader *reader, void **reply) {
    return redisReaderGetReply(reader, reply);
}

static inline const char *tsr_reader_errstr(const redisReader *reader) { return reader->errstr; }

static inline void tsr_free_reply(void *reply) { freeReplyObject(reply); }

#endif
