/* bridge_proto.h: the text protocols of the outside ports as pure byte-stream
 * machines, with no sockets: socketcand (its rawmode subset), SLCAN (LAWICEL)
 * and the test bench's power-stage frame. src/bridge drives them from its
 * sockets and ptys; the tests and the fuzz targets drive them directly.
 */
#ifndef GTX_BRIDGE_PROTO_H
#define GTX_BRIDGE_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtx/board.h"

#define BRIDGE_SCD_MSG_MAX 256u     /* longest socketcand message, '<' to '>' included */
#define BRIDGE_SCD_BUS "can0"       /* the one bus the server offers */
#define BRIDGE_SCD_FRAME_MAX 64u    /* longest formatted frame message, NUL included */
#define BRIDGE_SLCAN_LINE_MAX 32u   /* longest SLCAN command, CR excluded */
#define BRIDGE_SLCAN_FRAME_MAX 32u  /* longest formatted SLCAN frame, NUL included */
#define BRIDGE_ERR_MAX 128u         /* longest error text */

/* What a protocol session asks of its port. */
struct bridge_proto_io {
    void *ctx;
    void (*reply)(void *ctx, const char *text, size_t len);       /* bytes to the client */
    /* A frame for the bus; false with the reason in err when it is refused. */
    bool (*frame)(void *ctx, const struct board_can_frame *f, char *err, size_t err_len);
};

/* n (1..8) hex digits, either case, and nothing else: their value in out; false otherwise.
 * Both protocols and the tools that read candump text use it. */
bool bridge_parse_hex(const char *p, size_t n, uint32_t *out);

/* ---- socketcand ---- */

enum bridge_scd_state {
    BRIDGE_SCD_NO_BUS, /* greeted with < hi >, waiting for < open can0 > */
    BRIDGE_SCD_BCM,    /* bus open (socketcand's default mode); only < send > works */
    BRIDGE_SCD_RAW     /* rawmode: every bus frame goes to the client */
};

enum bridge_scd_cmd {
    BRIDGE_SCD_OPEN, BRIDGE_SCD_RAWMODE, BRIDGE_SCD_BCMMODE, BRIDGE_SCD_SEND,
    BRIDGE_SCD_ECHO
};

struct bridge_scd_req {
    enum bridge_scd_cmd cmd;
    char bus[16];                /* open */
    struct board_can_frame frame; /* send */
};

struct bridge_scd {
    enum bridge_scd_state state;
    char msg[BRIDGE_SCD_MSG_MAX];
    size_t len;
    bool in_msg;   /* between '<' and '>' */
    bool overlong; /* the message outgrew msg: discarding until '>' */
    bool junk;     /* reported stray bytes outside messages already */
    uint32_t messages, errors;
};

void bridge_scd_init(struct bridge_scd *s);

/* Takes bytes from the client: every complete message is parsed and answered
 * through io (< ok >, < echo >, " < error TEXT >"), frames it sends go to
 * io->frame. Never fails: bad input gets an error reply and is skipped. */
void bridge_scd_input(struct bridge_scd *s, const uint8_t *data, size_t len,
                      const struct bridge_proto_io *io);

/* Parses one message's inside (between '<' and '>', spaces around allowed).
 * Returns false with the reason in err (err_len >= 1). */
bool bridge_scd_parse(const char *msg, size_t len, struct bridge_scd_req *req, char *err,
                      size_t err_len);

/* " < frame 351 12.340000 0102030405060708 >" (leading space, see docs/spec/CAN.md).
 * Returns the length (0 when cap is too small; cap >= BRIDGE_SCD_FRAME_MAX is enough). */
size_t bridge_scd_format_frame(char *buf, size_t cap, uint64_t t_us,
                               const struct board_can_frame *f);

/* ---- SLCAN (LAWICEL) ---- */

struct bridge_slcan {
    bool open;       /* between O and C: frames flow both ways */
    bool timestamps; /* Z1: a 4-digit ms timestamp follows each frame */
    char line[BRIDGE_SLCAN_LINE_MAX];
    size_t len;
    bool overlong;   /* discarding until CR */
    bool binary;     /* a byte outside printable ASCII in this line */
    uint32_t lines, errors;
};

void bridge_slcan_init(struct bridge_slcan *s);

/* Takes bytes from the client; each CR ends a command, which is answered with
 * CR (ok), "z\r"/"Z\r" (frame sent) or BEL (error); LF is ignored. */
void bridge_slcan_input(struct bridge_slcan *s, const uint8_t *data, size_t len,
                        const struct bridge_proto_io *io);

/* Parses "t3518..." / "T1F5E00008..." (no CR). Returns false on anything else. */
bool bridge_slcan_parse_frame(const char *line, size_t len, struct board_can_frame *f);

/* "t3518...\r" (with a timestamp when s->timestamps). Returns the length, 0
 * when cap is too small (cap >= BRIDGE_SLCAN_FRAME_MAX is enough). */
size_t bridge_slcan_format_frame(const struct bridge_slcan *s, char *buf, size_t cap,
                                 uint64_t t_us, const struct board_can_frame *f);

/* ---- the test bench's power stage (docs/bridges.md) ---- */

#define BRIDGE_BENCH_ID 0x1F5E0000u /* extended identifier, DLC 8, consumed by the bench */
#define BRIDGE_BENCH_CURRENT_MAX_A 200.0
#define BRIDGE_BENCH_VOLTAGE_MAX_V 100.0

struct bridge_bench_cmd {
    bool on;
    double current_a; /* > 0 charges the battery */
    double v_max_v;   /* charging holds the bus at or below this */
    double v_min_v;   /* discharging stops at this */
};

/* True when f is addressed to the bench (extended BRIDGE_BENCH_ID). */
bool bridge_bench_is_for_bench(const struct board_can_frame *f);
/* Decodes a bench frame; false with the reason in err when it is malformed. */
bool bridge_bench_decode(const struct board_can_frame *f, struct bridge_bench_cmd *out,
                         char *err, size_t err_len);
void bridge_bench_encode(const struct bridge_bench_cmd *c, struct board_can_frame *f);

#endif
