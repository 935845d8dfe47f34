/* sim_view.h: the only way to look at a running system (struct sim is opaque).
 * Per pack: the firmware's published status, the truth of the plant (cells
 * included), the board's pins and relays, the LCD and console byte streams, the
 * firmware's events by name; for the system: time, bus, cables, inverter,
 * charger, room, what the packs said on CAN, and the configuration values an
 * observer needs. Pack numbers are 0-based. Nothing here changes the system,
 * except that reading a byte stream takes the bytes off its wire.
 */
#ifndef GTX_SIM_VIEW_H
#define GTX_SIM_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtx/bms/status.h"
#include "gtx/charger.h"
#include "gtx/inverter.h"
#include "gtx/pack.h"
#include "gtx/pylon.h"
#include "gtx/sim.h"

/* The firmware's status as it publishes it after every tick, read in place
 * (a pointer into the pack's firmware, valid while the sim lives). */
typedef struct bms_status sim_fw_status;

/* ---- the system ---- */
int sim_view_pack_count(const struct sim *s);
uint64_t sim_view_now_ms(const struct sim *s); /* the time of the next tick */
uint64_t sim_view_ticks(const struct sim *s);  /* ticks run so far */
/* Changes whenever what this view reports of the plants and the bus (the truth:
 * sim_view_observe's plant values, sim_view_current_a, sim_view_bus_v,
 * sim_view_cells) may have changed (a plant step, a bus solve, a MOSFET
 * switching, a fault): an observer that finds it unchanged may keep what it
 * computed from them. */
uint64_t sim_view_plant_gen(const struct sim *s);
double sim_view_bus_v(const struct sim *s);
double sim_view_inverter_a(const struct sim *s); /* into the bus, > 0 charges */
double sim_view_charger_a(const struct sim *s);
double sim_view_room_c(const struct sim *s);     /* the ambient now */
bool sim_view_can_connected(const struct sim *s); /* pack 1 to the inverter */
/* What the packs sent on CAN, decoded as an inverter would. */
const struct pylon_state *sim_view_can_seen(const struct sim *s);
/* Changes at each frame decoded into sim_view_can_seen: an observer that finds it
 * unchanged may keep what it read there. */
uint64_t sim_view_can_gen(const struct sim *s);
const struct inverter *sim_view_inverter(const struct sim *s); /* NULL: none */
const struct charger *sim_view_charger(const struct sim *s);
int sim_view_cable_count(const struct sim *s);
const struct sim_cable *sim_view_cable(const struct sim *s, int i); /* NULL: no such */

/* ---- the firmware ---- */
const sim_fw_status *sim_view_status(const struct sim *s, int pack);
/* What the master (pack 1) reports for the system (R-PA-3). */
const sim_fw_status *sim_view_system_status(const struct sim *s);
/* The count of the pack's firmware ticks that may have changed what it shows (struct bms
 * views_gen), published in place (valid while the sim lives). Its status (and pack 0's
 * system status) changes only in such a tick: an observer that finds the count unchanged
 * may keep what it read of them. A tick that only read and relayed link frames is not
 * counted. */
const uint32_t *sim_view_status_gen(const struct sim *s, int pack);
/* Values of the firmware's configuration table the window shows. */
uint32_t sim_view_button_hold_ms(const struct sim *s); /* R-BT-1 */
/* A protection's or a fault's condition in the firmware's table, for an observer
 * that holds the firmware to it (src/campaign, docs/spec/SAFETY.md). Read whether
 * the row is switched on or not: `--disable-protection` moves no trip. */
struct sim_trip {
    double trip;        /* in SI units: V (cells, battery), A (currents, leak), °C */
    uint32_t delay_ms;  /* how long the condition holds before it trips */
    bool stops_charge, stops_discharge; /* the directions a protection stops */
};
/* protect_id: enum bms_protect_id. False (and *out zeroed) for an unknown id. */
bool sim_view_protect_trip(const struct sim *s, int protect_id, struct sim_trip *out);
/* fault_id: enum bms_fault_id, its first row (a fault stops both directions). */
bool sim_view_fault_trip(const struct sim *s, int fault_id, struct sim_trip *out);
/* R-PR-12 fet: how long a MOSFET is commanded off before a current through it
 * counts as a leak. */
uint32_t sim_view_fet_settle_ms(const struct sim *s);
/* R-PR-10: a pack not heard on the link this long is lost (link_comm). */
uint32_t sim_view_link_lost_ms(const struct sim *s);

/* ---- the board's pins and relays, as the firmware last drove them ---- */
struct sim_pins {
    uint8_t leds_lit;          /* bit 0 = L1 */
    bool button;               /* the START button is held down */
    bool prohibit_charge, prohibit_discharge; /* dry contacts 1/2 and 3/4 closed */
    bool fet_charge, fet_discharge;
    uint16_t balance_mask;     /* bit 0 = cell 1 */
    bool power_hold;
    bool power_connected;      /* the pack's power cables are on the bus */
};
void sim_view_pins(const struct sim *s, int pack, struct sim_pins *out);

/* ---- the truth (the plant) ---- */
/* What an observer sees of one pack, truth and firmware. */
struct sim_pack_obs {
    const sim_fw_status *st;
    double true_soc_pct;
    double terminal_v;
    double battery_v;
    double current_a;
    double cell_v_min, cell_v_max;
    double temp_min_c, temp_max_c;
    uint8_t leds_lit;          /* what the board drives, bit 0 = L1 */
    bool prohibit_charge, prohibit_discharge;
    uint16_t balance_mask;
};
void sim_view_observe(const struct sim *s, int pack, struct sim_pack_obs *out);
double sim_view_current_a(const struct sim *s, int pack); /* the plant's, > 0 charges */
struct sim_cells {
    double v[PACK_CELLS];      /* index 0 = cell 1 */
    double temp_c[PACK_CELLS];
};
void sim_view_cells(const struct sim *s, int pack, struct sim_cells *out);
/* The pack's heat network and its NTCs: the case (enclosure) and MOSFET
 * nodes of the plant, and the six NTCs as the AFE gave them to the firmware at
 * its last scan (0.1 °C steps, sensor faults included; index 0 = NTC 1). */
struct sim_thermal {
    double case_c, fet_c;
    double ntc_c[BOARD_NTCS];
};
void sim_view_thermal(const struct sim *s, int pack, struct sim_thermal *out);
/* A copy of the pack's energy books since the start (J; docs/physics-pack.md):
 * pack_energy_residual_j() of it is what they do not explain. */
void sim_view_energy(const struct sim *s, int pack, struct pack_energy *out);

/* ---- byte streams the firmware writes (reading takes them off the wire) ---- */
size_t sim_view_lcd_read(struct sim *s, int pack, uint8_t *buf, size_t cap);
size_t sim_view_console_read(struct sim *s, int pack, uint8_t *buf, size_t cap);

/* ---- the firmware's events, stamped with sim time ---- */
struct sim_event {
    uint64_t t_ms;
    uint8_t kind; /* enum bms_ev_kind */
    uint8_t id;
};
/* A reading position in one pack's events; it survives the oldest events being
 * let go (SIM_EVENTS_MAX kept): it then goes on from the oldest kept. */
struct sim_event_cursor {
    int pack;
    uint64_t seq;              /* events of this pack before the next one to read */
};
#define SIM_EVENT_NAME_MAX 40u /* the longest name + NUL */
/* At the oldest event kept. */
void sim_view_events_begin(const struct sim *s, int pack, struct sim_event_cursor *c);
/* The next event, or false when none is left (yet). */
bool sim_view_event_next(const struct sim *s, struct sim_event_cursor *c, struct sim_event *out);
/* The event's name as docs/spec/SCENARIO.md writes it ("start", "state.charging",
 * "protect.charge_ot"); "?" for an unknown one. Returns its length. */
size_t sim_event_name(const struct sim_event *e, char *buf, size_t cap);

/* The LED word of docs/spec/SCENARIO.md (L8 first) from the firmware's modes; buf >= 9. */
void sim_led_word(const sim_fw_status *st, char *buf);
/* The lit word, 8 characters 0/1, L8 first; buf >= 9. */
void sim_lit_word(uint8_t lit, char *buf);

#endif
