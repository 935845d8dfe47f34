/* bms_evlog: the event log ring in NVM (docs/event-log.md). Records are written
 * with bms_nvrec_write, so a power cut leaves at most the slot being written
 * unreadable; init finds the newest valid record and continues after it.
 */
#include "bms_evlog.h"

#include <string.h>

#include "bms_crc.h"

#define DAY_MS 86400000u
#define NAME_LEN 24u /* longest id name + NUL */

/* Names as char arrays, not pointers: the tables stay read-only data on every
 * target (no relocations). */
static const char kind_names[BMS_EV_COUNT][NAME_LEN] = {
    "?",
#define X(id, name, ids) name,
    BMS_EV_KIND_LIST(X)
#undef X
};

enum ev_ids { EV_IDS_NONE, EV_IDS_STATE, EV_IDS_PROTECT, EV_IDS_ALARM, EV_IDS_FAULT,
              EV_IDS_SOC_CAL };

static const uint8_t kind_ids[BMS_EV_COUNT] = {
    EV_IDS_NONE,
#define X(id, name, ids) EV_IDS_##ids,
    BMS_EV_KIND_LIST(X)
#undef X
};

#define X(id, name) name,
static const char soc_cal_names[BMS_SOC_CAL_COUNT][NAME_LEN] = {BMS_SOC_CAL_LIST(X)};
#undef X

static void put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v & 0xFFu);
    p[1] = (uint8_t)(v >> 8);
}

static void put_u32(uint8_t *p, uint32_t v)
{
    put_u16(p, (uint16_t)(v & 0xFFFFu));
    put_u16(p + 2, (uint16_t)(v >> 16));
}

static uint16_t get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)get_u16(p) | ((uint32_t)get_u16(p + 2) << 16);
}

/* Body layout (little endian): seq 4, uptime_ms 4, day 2, boot 2, kind 1, id 1, value 4. */
static void encode(const struct bms_evlog_entry *e, uint8_t body[BMS_EVLOG_BODY_SIZE])
{
    put_u32(body + 0, e->seq);
    put_u32(body + 4, e->uptime_ms);
    put_u16(body + 8, e->day);
    put_u16(body + 10, e->boot);
    body[12] = e->kind;
    body[13] = e->id;
    put_u32(body + 14, (uint32_t)e->value);
}

static void decode(const uint8_t body[BMS_EVLOG_BODY_SIZE], struct bms_evlog_entry *e)
{
    e->seq = get_u32(body + 0);
    e->uptime_ms = get_u32(body + 4);
    e->day = get_u16(body + 8);
    e->boot = get_u16(body + 10);
    e->kind = body[12];
    e->id = body[13];
    e->value = (int32_t)get_u32(body + 14);
}

static uint32_t slot_addr(const struct bms_evlog *log, uint32_t slot)
{
    return log->base + slot * BMS_EVLOG_RECORD_SIZE;
}

static bool read_slot(const struct bms_evlog *log, uint32_t slot, struct bms_evlog_entry *e)
{
    uint8_t body[BMS_EVLOG_BODY_SIZE];
    if (!bms_nvrec_read(log->board, slot_addr(log, slot), body, sizeof body))
        return false;
    decode(body, e);
    return e->kind != BMS_EV_NONE && e->kind < BMS_EV_COUNT;
}

void bms_evlog_init(struct bms_evlog *log, struct board *board, uint32_t base, uint32_t size)
{
    memset(log, 0, sizeof *log);
    log->board = board;
    log->base = base;
    log->slots = size / BMS_EVLOG_RECORD_SIZE;
    log->next_seq = 1;
    if (log->slots < 2) {
        log->slots = 0;
        return;
    }
    /* The newest record is the valid one with the highest sequence number. */
    bool found = false;
    uint32_t newest_slot = 0;
    struct bms_evlog_entry e, newest = {0};
    for (uint32_t s = 0; s < log->slots; s++) {
        if (read_slot(log, s, &e) && (!found || e.seq > newest.seq)) {
            found = true;
            newest = e;
            newest_slot = s;
        }
    }
    if (!found)
        return;
    log->head = (newest_slot + 1u) % log->slots;
    log->next_seq = newest.seq + 1u;
    log->boot = (uint16_t)(newest.boot + 1u);
    /* The readable history: consecutive sequence numbers going back from the
     * newest; it ends at a never-written slot or the one a cut left invalid. */
    uint32_t n = 1;
    while (n < log->slots) {
        uint32_t s = (newest_slot + log->slots - n) % log->slots;
        if (!read_slot(log, s, &e) || e.seq != newest.seq - n)
            break;
        n++;
    }
    log->count = n;
}

void bms_evlog_tick(struct bms_evlog *log, uint32_t now_ms)
{
    if (!log->clock_started) {
        log->clock_started = true;
        log->last_ms = now_ms;
        return;
    }
    uint32_t elapsed_ms = now_ms - log->last_ms; /* wraps correctly */
    log->last_ms = now_ms;
    while (elapsed_ms >= DAY_MS) {
        elapsed_ms -= DAY_MS;
        log->day++;
    }
    log->day_ms += elapsed_ms;
    if (log->day_ms >= DAY_MS) {
        log->day_ms -= DAY_MS;
        log->day++;
    }
}

bool bms_evlog_append(struct bms_evlog *log, uint32_t now_ms, enum bms_ev_kind kind, uint8_t id,
                      int32_t value)
{
    bms_evlog_tick(log, now_ms);
    if (log->slots == 0 || kind == BMS_EV_NONE || kind >= BMS_EV_COUNT)
        return false;
    struct bms_evlog_entry e = {
        .seq = log->next_seq,
        .uptime_ms = log->day_ms,
        .day = log->day,
        .boot = log->boot,
        .kind = (uint8_t)kind,
        .id = id,
        .value = value,
    };
    uint8_t body[BMS_EVLOG_BODY_SIZE];
    encode(&e, body);
    /* Once the write starts, the slot at head (the oldest when full) is gone. */
    if (log->count > log->slots - 1u)
        log->count = log->slots - 1u;
    if (!bms_nvrec_write(log->board, slot_addr(log, log->head), body, sizeof body)) {
        log->write_errors++;
        return false;
    }
    log->head = (log->head + 1u) % log->slots;
    log->next_seq++;
    log->count++;
    return true;
}

uint32_t bms_evlog_count(const struct bms_evlog *log)
{
    return log->count;
}

bool bms_evlog_read(const struct bms_evlog *log, uint32_t index, struct bms_evlog_entry *out)
{
    if (index >= log->count)
        return false;
    uint32_t slot = (log->head + log->slots - 1u - index) % log->slots;
    struct bms_evlog_entry e;
    if (!read_slot(log, slot, &e) || e.seq != log->next_seq - 1u - index)
        return false;
    *out = e;
    return true;
}

uint32_t bms_evlog_foreach(const struct bms_evlog *log, bool newest_first,
                           bool (*fn)(void *ctx, const struct bms_evlog_entry *e), void *ctx)
{
    uint32_t visited = 0;
    for (uint32_t i = 0; i < log->count; i++) {
        struct bms_evlog_entry e;
        uint32_t index = newest_first ? i : log->count - 1u - i;
        if (!bms_evlog_read(log, index, &e))
            continue;
        visited++;
        if (!fn(ctx, &e))
            break;
    }
    return visited;
}

static size_t append_str(char *buf, size_t cap, size_t len, const char *s)
{
    while (*s != '\0' && len + 1u < cap)
        buf[len++] = *s++;
    if (cap > 0)
        buf[len] = '\0';
    return len;
}

size_t bms_evlog_format_name(char *buf, size_t cap, uint8_t kind, uint8_t id)
{
    if (cap == 0)
        return 0;
    buf[0] = '\0';
    if (kind == BMS_EV_NONE || kind >= BMS_EV_COUNT)
        return append_str(buf, cap, 0, "?");
    size_t len = append_str(buf, cap, 0, kind_names[kind]);
    const char *idname;
    switch (kind_ids[kind]) {
    case EV_IDS_STATE: idname = bms_state_name((enum bms_state)id); break;
    case EV_IDS_PROTECT: idname = bms_protect_name((enum bms_protect_id)id); break;
    case EV_IDS_ALARM: idname = bms_alarm_name((enum bms_alarm_id)id); break;
    case EV_IDS_FAULT: idname = bms_fault_name((enum bms_fault_id)id); break;
    case EV_IDS_SOC_CAL: idname = id < BMS_SOC_CAL_COUNT ? soc_cal_names[id] : "?"; break;
    default: return len;
    }
    len = append_str(buf, cap, len, ".");
    return append_str(buf, cap, len, idname);
}
