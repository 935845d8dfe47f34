/* gtx/bms/evlog.h: the event log's records and ring state (struct bms embeds it), and
 * its read side: what a service tool (or the simulator) reads out of the NVM ring, and
 * the one formatter of event names ("start", "protect.charge_ot", "fault.coding").
 * Writing the log is the firmware's own (src/bms/bms_evlog.h).
 */
#ifndef GTX_BMS_PUB_EVLOG_H
#define GTX_BMS_PUB_EVLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtx/bms_ids.h"

struct board;

/* X(ENUM_SUFFIX, "name", id list): the name is followed by ".<id name>" when
 * the kind has an id list (STATE: enum bms_state, PROTECT: enum
 * bms_protect_id, ALARM: enum bms_alarm_id, FAULT: enum bms_fault_id,
 * SOC_CAL: enum bms_soc_cal, NONE: no suffix). */
#define BMS_EV_KIND_LIST(X)                                                                 \
    X(BOOT, "boot", NONE)               /* value: boot number */                            \
    X(START, "start", NONE)             /* button start */                                  \
    X(SHUTDOWN, "shutdown", NONE)       /* value: reason (0 button, 1 UVP timeout) */       \
    X(STATE, "state", STATE)            /* value: previous state */                         \
    X(PROTECT, "protect", PROTECT)      /* value: the measured value that tripped */        \
    X(PROTECT_END, "protect_end", PROTECT)                                                  \
    X(ALARM, "alarm", ALARM)                                                                \
    X(ALARM_END, "alarm_end", ALARM)                                                        \
    X(FAULT, "fault", FAULT)                                                                \
    X(FAULT_END, "fault_end", FAULT)                                                        \
    X(CODED, "coded", NONE)             /* value: the pack ID assigned */                   \
    X(CONFIG, "config", NONE)           /* id: which setting, value: new value */           \
    X(SOC_CAL, "soc_cal", SOC_CAL)      /* value: the estimate before, soc_pptt */          \
    X(CAPACITY, "capacity", NONE)       /* value: learned capacity, mAh */                  \
    X(FULL_REQUEST, "full_request", NONE) /* value: 1 raised, 0 cleared */

enum bms_ev_kind {
    BMS_EV_NONE = 0, /* never stored */
#define X(id, name, ids) BMS_EV_##id,
    BMS_EV_KIND_LIST(X)
#undef X
    BMS_EV_COUNT
};

/* Why the SOC estimate was recalibrated (the id of a SOC_CAL event). */
#define BMS_SOC_CAL_LIST(X)                                                                 \
    X(FULL, "full")                                                                         \
    X(EMPTY, "empty")                                                                       \
    X(OCV, "ocv")                                                                           \
    X(SET, "set")

enum bms_soc_cal {
#define X(id, name) BMS_SOC_CAL_##id,
    BMS_SOC_CAL_LIST(X)
#undef X
    BMS_SOC_CAL_COUNT
};

/* One event as read back. */
struct bms_evlog_entry {
    uint32_t seq;       /* +1 per record, never reused */
    uint32_t uptime_ms; /* ms into the uptime day (< 86 400 000) */
    uint16_t day;       /* whole days since the boot (the ms clock wraps at 49.7 d) */
    uint16_t boot;      /* boot number: +1 at each bms_evlog_init */
    uint8_t kind;       /* enum bms_ev_kind */
    uint8_t id;         /* index into the kind's id list */
    int32_t value;
};

#define BMS_EVLOG_BODY_SIZE 18u
#define BMS_EVLOG_RECORD_SIZE (BMS_EVLOG_BODY_SIZE + 3u) /* + CRC + commit byte */
#define BMS_EVLOG_NAME_MAX 40u                           /* longest name + NUL */

struct bms_evlog {
    struct board *board;
    uint32_t base;      /* NVM address of slot 0 */
    uint32_t slots;     /* ring size in records */
    uint32_t head;      /* next slot to write */
    uint32_t count;     /* valid records, newest contiguous back from head */
    uint32_t next_seq;
    uint16_t boot;
    uint16_t day;       /* uptime clock, advanced by append and tick */
    uint32_t day_ms;
    uint32_t last_ms;
    bool clock_started; /* the first now_ms seen is uptime 0 */
    uint32_t write_errors;
};

uint32_t bms_evlog_count(const struct bms_evlog *log);

/* index 0 = newest; false when index >= count or the record no longer reads valid. */
bool bms_evlog_read(const struct bms_evlog *log, uint32_t index, struct bms_evlog_entry *out);

/* Calls fn for each record oldest first (or newest first if newest_first);
 * stops when fn returns false. Returns the number of records visited. */
uint32_t bms_evlog_foreach(const struct bms_evlog *log, bool newest_first,
                           bool (*fn)(void *ctx, const struct bms_evlog_entry *e), void *ctx);

/* "start", "shutdown", "state.charging", "protect.charge_ot", "protect_end.charge_ot",
 * "alarm.inverter_link", "fault.coding", "soc_cal.full". Writes a NUL-terminated
 * name (truncated to cap) and returns its length; unknown kinds/ids give "?". */
size_t bms_evlog_format_name(char *buf, size_t cap, uint8_t kind, uint8_t id);

#endif
