/* scn_canlog.h: a CAN log from the field replayed onto the simulated bus at
 * its timestamps (the scenario's "can_log" key, docs/replay.md "A CAN log as
 * input"). Reads can-utils candump lines ("(ts) can0 305#0011",
 * "(ts) can0 305 [2] 00 11") and python-can's printed messages
 * ("Timestamp: ts ID: 0305 S Rx DL: 2 00 11 Channel: can0"), one line at a
 * time: the loader checks the whole file once, the runner streams it.
 */
#ifndef GTX_SCN_CANLOG_H
#define GTX_SCN_CANLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gtx/board.h"
#include "gtx/scn_lines.h"

struct sim;

#define SCN_CANLOG_IDS_MAX 32
#define SCN_CANLOG_LINE_MAX 512

struct scn_canlog_spec {
    char file[512];         /* as the scenario writes it */
    char path[1024];        /* as opened */
    bool clock;             /* "align": "clock": timestamps are epoch seconds (UTC) */
    int64_t at_us;          /* "align": "first": the first line lands at this time */
    int64_t utc_offset_us;
    int64_t start_epoch_us; /* the scenario's t = 0 on its local clock */
    int n_ids;              /* 0: every id except the six the BMS sends */
    uint32_t ids[SCN_CANLOG_IDS_MAX];
    uint64_t frames;        /* frames the loader found to replay */
};

struct scn_canlog {
    const struct scn_canlog_spec *spec;
    struct scn_lines in;    /* the file, a line at a time */
    char line[SCN_CANLOG_LINE_MAX + 1];
    bool have_first;
    int64_t first_us;       /* the log's first timestamp */
    int64_t last_us;        /* the previous line's, for order */
    bool have_next, at_end;
    int64_t next_us;        /* the pending frame's time on the scenario's clock */
    struct board_can_frame next;
    int node;               /* its node on the simulated bus */
    uint64_t sent;
};

/* 0, or -1 with "FILE: error: cannot read ..." in err. */
int scn_canlog_open(struct scn_canlog *c, const struct scn_canlog_spec *spec, char *err,
                    size_t err_len);
void scn_canlog_close(struct scn_canlog *c);

/* The next frame to replay (filtered, at or after t = 0): 1, 0 at the end,
 * -1 with "FILE:LINE:COL: error: WHAT (expected WHAT)". */
int scn_canlog_next(struct scn_canlog *c, char *err, size_t err_len);

/* The runner's hook: attaches a node at the first call, then sends every
 * frame due at t_ms. 0, or -1 with the message. */
int scn_canlog_apply(struct scn_canlog *c, struct sim *s, uint64_t t_ms, char *err,
                     size_t err_len);
/* When the next frame is due (UINT64_MAX: none left). */
uint64_t scn_canlog_next_change_ms(const struct scn_canlog *c);

/* The loader's pass: every line checked, the frames counted into spec->frames. */
int scn_canlog_scan(struct scn_canlog_spec *spec, char *err, size_t err_len);

#endif
