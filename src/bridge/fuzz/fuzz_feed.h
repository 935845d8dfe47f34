/* fuzz_feed.h: what the protocol fuzz targets share: the input fed to one session in
 * chunks whose sizes the input's first byte seeds (so messages are cut anywhere), and the
 * check that a frame a session hands to the bus is a valid CAN frame. */
#ifndef GTX_FUZZ_FEED_H
#define GTX_FUZZ_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "gtx/bridge_proto.h"

/* The session's input: bridge_scd_input or bridge_slcan_input behind a small wrapper that
 * takes the session as void *. */
typedef void (*fuzz_input_fn)(void *session, const uint8_t *data, size_t len,
                              const struct bridge_proto_io *io);

/* The entry point libFuzzer calls, which each target defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Feeds data[1..size) to the session in chunks of 1..max_chunk bytes; its replies go to
 * reply, its frames to frame. */
void fuzz_feed(const uint8_t *data, size_t size, unsigned max_chunk, fuzz_input_fn input,
               void *session, void (*reply)(void *ctx, const char *text, size_t len),
               bool (*frame)(void *ctx, const struct board_can_frame *f, char *err,
                             size_t err_len));
/* Aborts (a finding) unless dlc <= 8 and the id fits its 11 or 29 bits. */
void fuzz_check_frame(const struct board_can_frame *f);
/* A bridge_proto_io.frame that checks the frame and takes it. */
bool fuzz_take_frame(void *ctx, const struct board_can_frame *f, char *err, size_t err_len);

#endif
