/* gtx/bms/link.h: the parallel link's instance and configuration structs, as struct bms
 * and struct bms_config embed them (docs/link-protocol.md, R-PA-1..3). The link's
 * functions are the firmware's own (src/bms/bms_link.h).
 */
#ifndef GTX_BMS_PUB_LINK_H
#define GTX_BMS_PUB_LINK_H

#include <stdbool.h>
#include <stdint.h>

#define BMS_LINK_MAX_PACKS 4   /* R-PA-1 */
#define BMS_LINK_FRAME_MAX 56u /* header 6 + payload 48 + CRC 2 */
#define BMS_LINK_PAYLOAD_MAX 48u

/* Timings of the link, one row of the configuration table (bms_config.c). */
struct bms_link_config {
    uint32_t discover_ms;       /* after the wake: slaves announce themselves within this */
    uint32_t round_ms;          /* the master starts a poll round this often (not steady) */
    uint32_t steady_round_ms;   /* steady (every slave online, each answered its last
                                 * poll): one round this often, in step with the 1 s task */
    uint32_t steady_lead_ms;    /* a steady round begins this long before the 1 s task */
    uint32_t reply_ms;          /* a poll not answered within this: next slave */
    uint32_t lost_ms;           /* no valid reply (or no poll, on a slave) this long: lost */
    uint32_t slave_coding_ms;   /* a woken slave not released by RUN within this: fault */
    uint32_t shut_ack_ms;       /* a slave not acknowledging SHUT within this is skipped */
    uint8_t shut_retries;       /* SHUT sent this many times before the skip */
};

/* What a slave reports in its poll reply (the master's copy of its status view). */
struct bms_link_report {
    uint8_t state;
    uint8_t flags;              /* BMS_LINK_REP_* */
    uint8_t soc_pct;
    uint8_t soh_pct;
    uint16_t soc_pptt;
    uint32_t capacity_mAh;
    uint16_t battery_mV;
    int32_t current_mA;
    int16_t temp_mean_ddegC, temp_min_ddegC, temp_max_ddegC;
    uint16_t cell_min_mV, cell_max_mV;
    uint16_t cvl_dV, ccl_dA, dcl_dA, dvl_dV;
    uint16_t protect_mask, alarm_mask, fault_mask;
    uint16_t cycles;
};

#define BMS_LINK_REP_CHARGE_EN 0x01u
#define BMS_LINK_REP_DISCHARGE_EN 0x02u
#define BMS_LINK_REP_FORCE 0x04u
#define BMS_LINK_REP_FULL_REQ 0x08u

/* One port's receiver: bytes until a whole frame with a good CRC. */
struct bms_link_rx {
    uint8_t buf[BMS_LINK_FRAME_MAX];
    uint8_t len;
    uint32_t crc_errors;
};

/* The lowest and highest a set of packs report. */
struct bms_link_extremes {
    int16_t temp_min_ddegC, temp_max_ddegC;
    uint16_t cell_min_mV, cell_max_mV;
    uint16_t cycles;            /* the highest */
};

/* The master's R-PA-3 sums over its online slaves (bms_link_aggregate): kept from one
 * 100 ms task to the next while no REPLY came and the same slaves are online, as a
 * slave's report changes only with a REPLY: once a steady round (a second), at most 4
 * times a second in rounds slave by slave (round_ms). */
struct bms_link_sums {
    bool fresh;                 /* false: recount at the next aggregate (cleared by a
                                 * REPLY, a slave going on- or offline, a new coding) */
    uint8_t online;             /* slaves counted */
    uint32_t w_soc, w_soh, w_sum; /* capacity-weighted, weights in 0.1 Ah */
    uint32_t cap_sum, volt_sum;
    int32_t temp_sum, current_sum;
    uint32_t ccl_count, ccl_min_dA, dcl_count, dcl_min_dA;
    uint16_t protect_mask, alarm_mask, fault_mask;
    bool force_charge, full_charge_request;
    struct bms_link_extremes ext;
};

/* The master's view of one slave (index = ID - 1; index 0 unused). */
struct bms_link_peer {
    bool online;                /* answered within lost_ms */
    bool seen;                  /* answered at least once since coding / since t = 0 */
    bool coded_seen;            /* answered during the coding roll call */
    bool answered;              /* answered the master's last poll to it */
    uint32_t last_ok_ms;
    struct bms_link_report rep;
};

/* Where a pack is in the link's life. */
enum bms_link_phase {
    BMS_LINK_IDLE,              /* shut down, or running without a link role yet */
    BMS_LINK_DISCOVER,          /* master: woke the chain, collecting announcements */
    BMS_LINK_WAIT_RUN,          /* slave: coded, waiting for the master's RUN */
    BMS_LINK_SERVICE,           /* in service (master polls, slave answers) */
    BMS_LINK_SHUTTING,          /* master: shutting the slaves down, last first */
};

/* The parallel link's state (R-PA-1..3). A single pack codes itself as ID 1,
 * master, alone. */
struct bms_link {
    uint8_t pack_id;            /* 1 = master; 0 = not coded */
    uint8_t pack_count;         /* packs in the chain (coding) */
    bool is_master;
    bool coding_failed;         /* R-PA-2: the coding fault is (to be) raised */
    uint8_t phase;              /* enum bms_link_phase */
    uint8_t up_port;            /* slave: the port its master is on (enum board_uart) */
    bool wake;                  /* a WAKE (or FAIL) asked this shut-down pack to start */
    bool run;                   /* slave: the master's RUN arrived */
    bool shut;                  /* slave: the master asked it to shut down */
    bool sweep_due;             /* master: every slave is down, its own sweep now */
    uint8_t max_id_heard;       /* master, discovery: highest announced ID */
    uint8_t ids_heard;          /* master, discovery: bit per announced ID */
    uint32_t phase_ms;          /* when the phase began */
    /* master polling */
    uint8_t poll_id;            /* the slave being polled, 0xFF: a POLL to all; 0: between
                                 * rounds */
    uint32_t poll_ms;           /* when that poll went out */
    uint32_t round_ms;          /* when this round began */
    bool can_ready;             /* every slave answered once (or was given up) */
    /* The master's next link deadline (a round, a reply's timeout, a slave going offline,
     * the first frames' wait): until then its service has nothing to do. Kept while no
     * frame came from a slave and the state and the 1 s task (the steady slot) are the
     * ones it was computed with; bms_link_start, _preset, the discovery's end and the end of
     * coding drop it. */
    bool due_valid;
    uint8_t due_state;
    uint32_t due_second_ms;
    uint32_t due_ms;
    /* R-PA-3 [decision]: a pack coded but not heard, or heard but not coded, counts as
     * CCL = DCL = 0 A; once every pack is accounted for, the told limits rise at the slew. */
    bool stranger;              /* heard a pack it did not code (until the next coding) */
    bool limits_held;           /* the told limits were held at 0 A and are rising again */
    uint32_t release_ms;        /* when every pack was accounted for again */
    /* master shutdown sequence (R-BT-3) */
    uint8_t shut_id;            /* the slave being shut down; 1: the master's own turn */
    uint8_t shut_tries;
    bool shut_acked;
    uint32_t shut_ms;
    /* slave */
    uint32_t last_poll_ms;      /* the last poll addressed to it or to all */
    uint32_t announce_ms;       /* its last poll, or its last ANNOUNCE while its master is lost */
    struct bms_link_peer peer[BMS_LINK_MAX_PACKS];
    struct bms_link_sums sums;  /* master: the slaves' part of the system status */
    struct bms_link_rx rx[2];   /* Link Port In, Link Port Out */
    bool rx_more;               /* the last tick left bytes unread (read on the next) */
    bool rx_news;               /* this tick's frames changed what the status shows */
    bool out_rx_quiet;          /* master: Link Port Out's receive interrupt is off while a
                                 * steady round's REPLYs wait for its end (uart_rx_wake) */
    uint32_t frames_in, frames_out;
};

#endif
