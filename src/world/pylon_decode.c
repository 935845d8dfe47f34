/* pylon_decode.c: the inverter's reading of the BMS frames of docs/spec/CAN.md (Pylontech
 * LV protocol V1.2): bytes to physical values, 0x359 bits to BMS id names, and
 * the reverse encoding used by tests and tools.
 */
#include "gtx/pylon.h"

#include <math.h>
#include <string.h>

/* One row per frame: identifier, the minimum DLC we accept, its seen bit. */
struct frame_row {
    uint32_t id;
    uint8_t min_dlc;
    uint32_t seen;
};

static const struct frame_row frame_table[] = {
    {PYLON_ID_LIMITS, 8, PYLON_SEEN_LIMITS}, {PYLON_ID_SOC, 8, PYLON_SEEN_SOC},
    {PYLON_ID_MEASURE, 8, PYLON_SEEN_MEASURE}, {PYLON_ID_ALARMS, 8, PYLON_SEEN_ALARMS},
    {PYLON_ID_FLAGS, 1, PYLON_SEEN_FLAGS}, {PYLON_ID_NAME, 8, PYLON_SEEN_NAME},
};
#define FRAME_ROWS (sizeof frame_table / sizeof frame_table[0])
_Static_assert(FRAME_ROWS == PYLON_FRAME_COUNT, "struct pylon_heard holds one frame per row");

/* Which BMS ids each 0x359 bit stands for (table A low byte, table B high
 * byte). The protection bytes carry protections and, on table B bit 3, every
 * fault ("BMS system error"); the alarm bytes carry the alarms raised before
 * those protections and, on table B bit 3, the link-bus alarm. Ids not listed
 * (inverter_link, storage_temp, storage_time) have no bit. */
enum bit_word { IN_PROTECT = 1u << 0, IN_ALARM = 1u << 1, IN_BOTH = IN_PROTECT | IN_ALARM };

struct bit_row {
    const char *name;
    uint16_t bit;
    uint8_t in; /* the protection bytes, the alarm bytes or both */
};

/* A protection and the alarm raised before it share their name and their bit. In table
 * order: the protection list and the alarm list each keep this order. */
static const struct bit_row bit_table[] = {
    {"pack_hv", PYLON_A_OVER_VOLTAGE, IN_BOTH},
    {"cell_ov", PYLON_A_OVER_VOLTAGE, IN_BOTH},
    {"pack_lv", PYLON_A_UNDER_VOLTAGE, IN_BOTH},
    {"cell_uv", PYLON_A_UNDER_VOLTAGE, IN_BOTH},
    {"charge_ot", PYLON_A_OVER_TEMP, IN_BOTH},
    {"discharge_ot", PYLON_A_OVER_TEMP, IN_BOTH},
    {"mosfet_ot", PYLON_A_OVER_TEMP, IN_BOTH},
    {"charge_ut", PYLON_A_UNDER_TEMP, IN_BOTH},
    {"discharge_ut", PYLON_A_UNDER_TEMP, IN_BOTH},
    {"overcurrent_discharge", PYLON_A_DISCHARGE_OC, IN_BOTH},
    {"overcurrent_charge", PYLON_B_CHARGE_OC, IN_BOTH},
    {"ntc", PYLON_B_SYSTEM, IN_PROTECT},
    {"sense", PYLON_B_SYSTEM, IN_PROTECT},
    {"fet", PYLON_B_SYSTEM, IN_PROTECT},
    {"overdischarge", PYLON_B_SYSTEM, IN_PROTECT},
    {"coding", PYLON_B_SYSTEM, IN_PROTECT},
    {"link_comm", PYLON_B_INTERNAL_COMM, IN_ALARM},
    {"inverter_link", 0, IN_ALARM},
    {"storage_temp", 0, IN_ALARM},
    {"storage_time", 0, IN_ALARM},
};

/* The protocol's names of the 16 bits (table A bit 0 .. 7, table B bit 0 .. 7),
 * protection and alarm bytes alike except table B bit 3. */
static const char *const bit_name_table[2][16] = {
    {"table A bit 0", "over-voltage", "under-voltage", "over-temperature", "under-temperature",
     "table A bit 5", "table A bit 6", "discharge over-current", "charge over-current",
     "table B bit 1", "table B bit 2", "BMS system error", "table B bit 4", "table B bit 5",
     "table B bit 6", "table B bit 7"},
    {"table A bit 0", "over-voltage", "under-voltage", "over-temperature", "under-temperature",
     "table A bit 5", "table A bit 6", "discharge over-current", "charge over-current",
     "table B bit 1", "table B bit 2", "internal communication failure", "table B bit 4",
     "table B bit 5", "table B bit 6", "table B bit 7"},
};

static uint16_t get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static int16_t get_s16(const uint8_t *p)
{
    uint16_t u = get_u16(p);
    return (int16_t)(u >= 0x8000u ? (int32_t)u - 0x10000 : (int32_t)u);
}

static void put_u16(uint8_t *p, long v)
{
    if (v < 0)
        v = 0;
    if (v > 0xffff)
        v = 0xffff;
    p[0] = (uint8_t)(v & 0xff);
    p[1] = (uint8_t)((v >> 8) & 0xff);
}

static void put_s16(uint8_t *p, long v)
{
    if (v < -32768)
        v = -32768;
    if (v > 32767)
        v = 32767;
    uint16_t u = (uint16_t)(v < 0 ? v + 0x10000 : v);
    p[0] = (uint8_t)(u & 0xff);
    p[1] = (uint8_t)(u >> 8);
}

void pylon_state_init(struct pylon_state *s)
{
    memset(s, 0, sizeof *s);
}

static const struct frame_row *find_frame(uint32_t id)
{
    for (size_t i = 0; i < FRAME_ROWS; i++)
        if (frame_table[i].id == id)
            return &frame_table[i];
    return NULL;
}

static void decode_flags(struct pylon_state *s, uint8_t flags)
{
    s->flags = flags;
    s->charge_enable = (flags & PYLON_FLAG_CHARGE_ENABLE) != 0;
    s->discharge_enable = (flags & PYLON_FLAG_DISCHARGE_ENABLE) != 0;
    s->force_charge = (flags & (PYLON_FLAG_FORCE_CHARGE_1 | PYLON_FLAG_FORCE_CHARGE_2)) != 0;
    s->full_charge_request = (flags & PYLON_FLAG_FULL_CHARGE) != 0;
}

/* Decodes f, a frame of row's identifier, into s. */
static uint32_t decode_row(struct pylon_state *s, const struct frame_row *row,
                           const struct board_can_frame *f)
{
    const uint8_t *d = f->data;
    switch (row->id) {
    case PYLON_ID_LIMITS:
        s->cvl_v = get_u16(d) * 0.1;
        s->ccl_a = get_s16(d + 2) * 0.1;
        s->dcl_a = get_s16(d + 4) * 0.1;
        s->dvl_v = get_u16(d + 6) * 0.1;
        break;
    case PYLON_ID_SOC:
        s->soc_pct = get_u16(d);
        s->soh_pct = get_u16(d + 2);
        s->soc_hires_pct = get_u16(d + 4) * 0.01;
        s->remaining_ah = get_u16(d + 6) * 0.1;
        break;
    case PYLON_ID_MEASURE:
        s->voltage_v = get_s16(d) * 0.01;
        s->current_a = get_s16(d + 2) * 0.1;
        s->temp_c = get_s16(d + 4) * 0.1;
        s->cycles = get_u16(d + 6);
        break;
    case PYLON_ID_ALARMS:
        s->protect_a = d[0];
        s->protect_b = d[1];
        s->alarm_a = d[2];
        s->alarm_b = d[3];
        s->packs_online = d[4];
        break;
    case PYLON_ID_FLAGS:
        decode_flags(s, d[0]);
        break;
    case PYLON_ID_NAME:
        for (int i = 0; i < 8; i++) {
            /* Keep it printable: a name is ASCII; anything else shows as '?'. */
            uint8_t c = d[i];
            s->manufacturer[i] = (char)(c == 0 ? ' ' : (c < 0x20 || c > 0x7e) ? '?' : c);
        }
        s->manufacturer[8] = '\0';
        break;
    default:
        return 0;
    }
    s->seen |= row->seen;
    return row->seen;
}

/* f's row, when it is one of the six BMS frames with a length we accept. */
static const struct frame_row *accepted_row(const struct board_can_frame *f)
{
    if (f->extended)
        return NULL;
    const struct frame_row *row = find_frame(f->id);
    return row && f->dlc >= row->min_dlc && f->dlc <= 8 ? row : NULL;
}

uint32_t pylon_decode(struct pylon_state *s, const struct board_can_frame *f)
{
    const struct frame_row *row = accepted_row(f);
    return row ? decode_row(s, row, f) : 0;
}

uint32_t pylon_decode_heard(struct pylon_state *s, struct pylon_heard *h,
                            const struct board_can_frame *f)
{
    const struct frame_row *row = accepted_row(f);
    if (!row)
        return 0;
    /* A row h holds no frame of has a zeroed one: DLC 0, which no accepted frame has. */
    struct board_can_frame *last = &h->frame[row - frame_table];
    if (last->dlc == f->dlc && memcmp(last->data, f->data, sizeof f->data) == 0)
        return row->seen;
    *last = *f;
    return decode_row(s, row, f);
}

bool pylon_encode(const struct pylon_state *s, uint32_t id, struct board_can_frame *f)
{
    const struct frame_row *row = find_frame(id);
    if (!row)
        return false;
    memset(f, 0, sizeof *f);
    f->id = id;
    f->dlc = 8;
    uint8_t *d = f->data;
    switch (id) {
    case PYLON_ID_LIMITS:
        put_u16(d, lround(s->cvl_v * 10.0));
        put_s16(d + 2, lround(s->ccl_a * 10.0));
        put_s16(d + 4, lround(s->dcl_a * 10.0));
        put_u16(d + 6, lround(s->dvl_v * 10.0));
        break;
    case PYLON_ID_SOC:
        put_u16(d, s->soc_pct);
        put_u16(d + 2, s->soh_pct);
        put_u16(d + 4, lround(s->soc_hires_pct * 100.0));
        put_u16(d + 6, lround(s->remaining_ah * 10.0));
        break;
    case PYLON_ID_MEASURE:
        put_s16(d, lround(s->voltage_v * 100.0));
        put_s16(d + 2, lround(s->current_a * 10.0));
        put_s16(d + 4, lround(s->temp_c * 10.0));
        put_u16(d + 6, s->cycles);
        break;
    case PYLON_ID_ALARMS:
        d[0] = s->protect_a;
        d[1] = s->protect_b;
        d[2] = s->alarm_a;
        d[3] = s->alarm_b;
        d[4] = (uint8_t)(s->packs_online < 0 ? 0 : s->packs_online > 255 ? 255 : s->packs_online);
        d[5] = 'P';
        d[6] = 'N';
        break;
    case PYLON_ID_FLAGS:
        f->dlc = 2;
        d[0] = s->flags;
        break;
    case PYLON_ID_NAME: {
        const char *end = memchr(s->manufacturer, '\0', 8);
        size_t n = end ? (size_t)(end - s->manufacturer) : 8;
        memset(d, ' ', 8);
        memcpy(d, s->manufacturer, n);
        break;
    }
    default:
        return false;
    }
    return true;
}

void pylon_heartbeat(struct board_can_frame *f)
{
    memset(f, 0, sizeof *f);
    f->id = PYLON_ID_HEARTBEAT;
    f->dlc = 8;
}

#define ROWS(t) (sizeof(t) / sizeof((t)[0]))

static bool bit_of(enum bit_word in, const char *name, uint16_t *bit)
{
    for (size_t i = 0; i < ROWS(bit_table); i++) {
        if ((bit_table[i].in & in) && strcmp(bit_table[i].name, name) == 0) {
            *bit = bit_table[i].bit;
            return true;
        }
    }
    return false;
}

static size_t names_of(enum bit_word in, uint16_t word, const char **names, size_t cap)
{
    size_t count = 0;
    for (size_t i = 0; i < ROWS(bit_table); i++) {
        if ((bit_table[i].in & in) && (bit_table[i].bit & word)) {
            if (count < cap)
                names[count] = bit_table[i].name;
            count++;
        }
    }
    return count;
}

bool pylon_protect_bit_of(const char *name, uint16_t *bit)
{
    return bit_of(IN_PROTECT, name, bit);
}

bool pylon_alarm_bit_of(const char *name, uint16_t *bit)
{
    return bit_of(IN_ALARM, name, bit);
}

size_t pylon_protect_names(uint16_t word, const char **names, size_t cap)
{
    return names_of(IN_PROTECT, word, names, cap);
}

size_t pylon_alarm_names(uint16_t word, const char **names, size_t cap)
{
    return names_of(IN_ALARM, word, names, cap);
}

static size_t bit_names(int kind, uint16_t word, const char **names, size_t cap)
{
    size_t count = 0;
    for (int b = 0; b < 16; b++) {
        if (!(word & (1u << b)))
            continue;
        if (count < cap)
            names[count] = bit_name_table[kind][b];
        count++;
    }
    return count;
}

size_t pylon_protect_bit_names(uint16_t word, const char **names, size_t cap)
{
    return bit_names(0, word, names, cap);
}

size_t pylon_alarm_bit_names(uint16_t word, const char **names, size_t cap)
{
    return bit_names(1, word, names, cap);
}
