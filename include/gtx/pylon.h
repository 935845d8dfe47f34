/* pylon.h: the inverter's side of the Pylontech low-voltage CAN protocol of
 * docs/spec/CAN.md: decode the six BMS frames into physical values, map
 * the 0x359 bits back to BMS ids, and build the inverter's 0x305 heartbeat.
 */
#ifndef GTX_PYLON_H
#define GTX_PYLON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtx/board.h"

enum pylon_id {
    PYLON_ID_HEARTBEAT = 0x305, /* inverter -> BMS */
    PYLON_ID_LIMITS = 0x351,
    PYLON_ID_SOC = 0x355,
    PYLON_ID_MEASURE = 0x356,
    PYLON_ID_ALARMS = 0x359,
    PYLON_ID_FLAGS = 0x35C,
    PYLON_ID_NAME = 0x35E,
};

/* Bits of pylon_state.seen: which BMS frames have been decoded. */
enum pylon_seen {
    PYLON_SEEN_LIMITS = 1u << 0,  /* 0x351 */
    PYLON_SEEN_SOC = 1u << 1,     /* 0x355 */
    PYLON_SEEN_MEASURE = 1u << 2, /* 0x356 */
    PYLON_SEEN_ALARMS = 1u << 3,  /* 0x359 */
    PYLON_SEEN_FLAGS = 1u << 4,   /* 0x35C */
    PYLON_SEEN_NAME = 1u << 5,    /* 0x35E */
    PYLON_SEEN_ALL = 0x3fu,
};

/* 0x359 bits. Table A (bytes 0 and 2) and table B (bytes 1 and 3) of docs/spec/CAN.md,
 * combined into one 16-bit word: table A in the low byte, table B in the high. */
#define PYLON_TABLE_A(bit) (1u << (bit))        /* bit of byte 0 (protections) or 2 (alarms) */
#define PYLON_TABLE_B(bit) (1u << (8u + (bit))) /* bit of byte 1 (protections) or 3 (alarms) */
enum pylon_bit {
    PYLON_A_OVER_VOLTAGE = PYLON_TABLE_A(1),  /* cell or pack */
    PYLON_A_UNDER_VOLTAGE = PYLON_TABLE_A(2), /* cell or pack */
    PYLON_A_OVER_TEMP = PYLON_TABLE_A(3),     /* charge or discharge */
    PYLON_A_UNDER_TEMP = PYLON_TABLE_A(4),    /* charge or discharge */
    PYLON_A_DISCHARGE_OC = PYLON_TABLE_A(7),
    PYLON_B_CHARGE_OC = PYLON_TABLE_B(0),
    PYLON_B_SYSTEM = PYLON_TABLE_B(3),        /* protection byte: BMS system error (any fault) */
    PYLON_B_INTERNAL_COMM = PYLON_TABLE_B(3), /* alarm byte: link bus failure */
};

/* 0x35C byte 0, table C. */
enum pylon_flag {
    PYLON_FLAG_FULL_CHARGE = 1u << 3,    /* full charge request (R-LM-4) */
    PYLON_FLAG_FORCE_CHARGE_2 = 1u << 4, /* force charge request II, with I below 8 % (R-LM-3) */
    PYLON_FLAG_FORCE_CHARGE_1 = 1u << 5, /* force charge request I */
    PYLON_FLAG_DISCHARGE_ENABLE = 1u << 6,
    PYLON_FLAG_CHARGE_ENABLE = 1u << 7,
};

/* Everything an inverter knows from the frames it has received so far. A
 * field keeps its last value until its frame comes again. */
struct pylon_state {
    uint32_t seen;        /* PYLON_SEEN_* of the frames decoded so far */
    /* 0x351 */
    double cvl_v;         /* charge voltage limit */
    double ccl_a;         /* charge current limit */
    double dcl_a;         /* discharge current limit (sent positive) */
    double dvl_v;         /* discharge cut-off voltage */
    /* 0x355 */
    int soc_pct;          /* the shown SOC, an integer */
    int soh_pct;
    double soc_hires_pct; /* 0.01 % resolution */
    double remaining_ah;
    /* 0x356 */
    double voltage_v;
    double current_a;     /* > 0 charging */
    double temp_c;
    int cycles;
    /* 0x359 */
    uint8_t protect_a, protect_b, alarm_a, alarm_b;
    int packs_online;
    /* 0x35C */
    uint8_t flags;        /* PYLON_FLAG_* */
    bool charge_enable;
    bool discharge_enable;
    bool force_charge;    /* bit 5 or bit 4 */
    bool full_charge_request;
    /* 0x35E */
    char manufacturer[9]; /* NUL-terminated, trailing spaces kept */
};

void pylon_state_init(struct pylon_state *s);

/* Decodes one frame into s. Returns the PYLON_SEEN_* bit of the frame, or 0
 * when it is not one of the six BMS frames, is extended, or is too short
 * (then s is unchanged). */
uint32_t pylon_decode(struct pylon_state *s, const struct board_can_frame *f);

#define PYLON_FRAME_COUNT 6 /* the six BMS frames, PYLON_SEEN_* bits 0-5 */

/* The last frame of each of the six a reader decoded (pylon_decode_heard); a frame not
 * heard yet is all zeros (which frames were is the reader's pylon_state.seen). */
struct pylon_heard {
    struct board_can_frame frame[PYLON_FRAME_COUNT]; /* in PYLON_SEEN_* bit order */
};

/* pylon_decode for a reader that hears the same frames every second (the inverter, the
 * simulator's monitor): a frame with the bytes of the last one of its identifier that h
 * holds says what s holds already, and is not decoded again. s changes only through
 * this call (h starts zeroed, with s from pylon_state_init). */
uint32_t pylon_decode_heard(struct pylon_state *s, struct pylon_heard *h,
                            const struct board_can_frame *f);

/* The reverse, for tests and tools: the frame with identifier id (one of the
 * six) carrying s's values, rounded to nearest. False for another id. */
bool pylon_encode(const struct pylon_state *s, uint32_t id, struct board_can_frame *f);

/* The inverter's heartbeat 0x305: 8 zero bytes. */
void pylon_heartbeat(struct board_can_frame *f);

/* 0x359 as one 16-bit word per kind (table A low byte, table B high byte). */
static inline uint16_t pylon_protect_word(const struct pylon_state *s)
{
    return (uint16_t)(s->protect_a | (s->protect_b << 8));
}
static inline uint16_t pylon_alarm_word(const struct pylon_state *s)
{
    return (uint16_t)(s->alarm_a | (s->alarm_b << 8));
}

/* Which 0x359 bit a BMS id turns on (0 when it has none), by name as in
 * include/gtx/bms_ids.h: for the protection bytes, a protection id or a
 * fault id (every fault is "BMS system error"); for the alarm bytes, an
 * alarm id. Returns false for a name it does not know. A scenario's
 * `can: {protect: [...]}` holds when the frame's word equals the OR of its
 * ids' bits. */
bool pylon_protect_bit_of(const char *name, uint16_t *bit);
bool pylon_alarm_bit_of(const char *name, uint16_t *bit);

/* The reverse: the names a set bit stands for, e.g. bit 1 of table A is
 * "pack_hv cell_ov". Writes up to cap names and returns how many there are. */
size_t pylon_protect_names(uint16_t word, const char **names, size_t cap);
size_t pylon_alarm_names(uint16_t word, const char **names, size_t cap);

/* What an inverter decodes: the protocol's own names of the bits set in a
 * 0x359 word (CAN.md tables A and B), e.g. "over-temperature" for table A bit
 * 3, one name per bit, in bit order; a bit the protocol leaves unassigned is
 * named as such ("table A bit 5"). Writes up to cap names and returns how
 * many bits are set. */
size_t pylon_protect_bit_names(uint16_t word, const char **names, size_t cap);
size_t pylon_alarm_bit_names(uint16_t word, const char **names, size_t cap);

#endif
