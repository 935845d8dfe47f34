/* sim: one 10 ms tick of the whole system. The order is docs/spec/ARCHITECTURE.md's:
 * the world asks, the DC bus shares the current, the plant integrates, the
 * board samples, the firmware decides, and its outputs take effect next tick.
 * The plant and the sensor scan run every SIM_PLANT_STEP_MS, and at once
 * after any input or MOSFET change (see docs/simulator.md).
 */
#include "sim_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void can_monitor(void *ctx, int from, uint64_t t_us, const struct board_can_frame *f)
{
    struct sim *s = ctx;
    (void)t_us;
    if (from != s->inv_node) {
        pylon_decode_heard(&s->can_seen, &s->can_heard, f);
        s->can_gen++;
    }
}

static bool cable_valid(const struct sim *s, const struct sim_cable *c)
{
    return c->pack_a >= 0 && c->pack_a < s->n && c->pack_b >= 0 && c->pack_b < s->n &&
           !(c->pack_a == c->pack_b && c->side_a == c->side_b);
}

static bool port_taken(const struct sim *s, int pack, enum sim_port side)
{
    for (int i = 0; i < s->n_cables; i++) {
        const struct sim_cable *c = &s->cable[i];
        if ((c->pack_a == pack && c->side_a == side) || (c->pack_b == pack && c->side_b == side))
            return true;
    }
    return false;
}

/* docs/spec/PRODUCT.md §13: packs running at t = 0 start coded in chain order. A chain is
 * R-PA-1 wiring (Out to the next In, the head's In empty, at most 4) whose packs are
 * all "on"; any other pack starts as its own master, ID 1 of 1. */
static void chain_codes(const struct sim_config *cfg, uint8_t id[], uint8_t count[])
{
    int next[SIM_MAX_PACKS_HELD], prev[SIM_MAX_PACKS_HELD];
    bool bad[SIM_MAX_PACKS_HELD] = {false}, linked[SIM_MAX_PACKS_HELD] = {false};
    for (int i = 0; i < SIM_MAX_PACKS_HELD; i++) {
        next[i] = prev[i] = -1;
        id[i] = count[i] = 1;
    }
    for (int k = 0; k < cfg->n_cables && k < SIM_MAX_CABLES; k++) {
        const struct sim_cable *c = &cfg->cable[k];
        if (c->pack_a < 0 || c->pack_a >= cfg->n_packs || c->pack_b < 0 ||
            c->pack_b >= cfg->n_packs)
            continue;
        linked[c->pack_a] = linked[c->pack_b] = true;
        int from = c->side_a == SIM_PORT_OUT ? c->pack_a : c->pack_b;
        int to = c->side_a == SIM_PORT_OUT ? c->pack_b : c->pack_a;
        if (c->side_a == c->side_b || from == to) /* In-In, Out-Out */
            bad[c->pack_a] = bad[c->pack_b] = true;
        else {
            next[from] = to;
            prev[to] = from;
        }
    }
    for (int h = 0; h < cfg->n_packs; h++) {
        if (!linked[h] || prev[h] >= 0)
            continue; /* not a head */
        int chain[SIM_MAX_PACKS], n = 0;
        bool ok = true;
        for (int p = h; p >= 0 && ok; p = next[p]) {
            ok = n < SIM_MAX_PACKS && !bad[p] && cfg->pack[p].on;
            if (ok)
                chain[n++] = p;
        }
        for (int k = 0; ok && k < n; k++) {
            id[chain[k]] = (uint8_t)(k + 1);
            count[chain[k]] = (uint8_t)n;
        }
    }
}

int sim_init(struct sim *s, const struct sim_config *cfg)
{
    memset(s, 0, sizeof *s);
    if (cfg->n_packs < 1 || cfg->n_packs > SIM_MAX_PACKS_HELD)
        return -1;
    s->cfg = *cfg;
    s->n = cfg->n_packs;
    const struct bms_config *bcfg = cfg->bms_cfg ? cfg->bms_cfg : &bms_config_default;
    s->bms_cfg = bcfg;
    uint8_t link_id[SIM_MAX_PACKS_HELD], link_count[SIM_MAX_PACKS_HELD];
    chain_codes(cfg, link_id, link_count);

    can_bus_init(&s->can);
    can_bus_add_listener(&s->can, can_monitor, s);
    pylon_state_init(&s->can_seen);
    room_init(&s->room, cfg->ambient_c);
    chg_init(&s->chg);
    s->has_inverter = cfg->has_inverter;
    s->inv_node = -1;
    s->master_node = -1;
    s->can_connected = true;

    for (int i = 0; i < s->n; i++) {
        struct sim_pack *sp = &s->pack[i];
        const struct sim_pack_config *pc = &cfg->pack[i];
        if (pack_init(&sp->plant, &pc->plant) != 0)
            return -1;
        sp->power_connected = true;
        sp->cable_ohm = pc->cable_ohm;
        sim_io_init(&sp->io);
        if (i == 0) { /* only pack 1 is cabled to the inverter (docs/spec/PRODUCT.md §13) */
            s->master_node = can_bus_attach(&s->can);
            sp->io.can = &s->can;
            sp->io.can_node = s->master_node;
        }
        bms_init(&sp->fw, bcfg, &sp->io.board);
        if (pc->on)
            bms_start_running_linked(&sp->fw, 0, link_id[i], link_count[i]);
        if (!isnan(pc->bms_soc_pct))
            bms_set_soc_estimate(&sp->fw, (int32_t)lround(pc->bms_soc_pct * 100.0));
        sp->evlog_seq_seen = sp->fw.evlog.next_seq;
    }
    if (s->has_inverter) {
        s->inv_node = can_bus_attach(&s->can);
        inv_init(&s->inv, &cfg->inverter, 0);
    }
    for (int i = 0; i < cfg->n_cables && i < SIM_MAX_CABLES; i++)
        if (cable_valid(s, &cfg->cable[i]))
            s->cable[s->n_cables++] = cfg->cable[i];
    sim_route_links(s);
    s->resync = true;
    return 0;
}

struct sim *sim_new(const struct sim_config *cfg)
{
    struct sim *s = malloc(sizeof *s); /* sim_init clears it */
    if (s && sim_init(s, cfg) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

void sim_free(struct sim *s)
{
    free(s);
}

/* Whether a source or load on the bus works at or near one of its voltage bounds (its
 * CV level while it charges, its cut-off while it draws), where its current follows the
 * cells' voltage; STEADY_LIMIT_MARGIN_V is what the packs move over several lagging
 * steps. Its physics then keeps up with every scan, so that CC turns into CV at the
 * scan the reference mode turns it. */
#define STEADY_LIMIT_MARGIN_V 0.05

static bool port_near_limit(const struct dcbus_port *p, double bus_v)
{
    if (!p->on)
        return false;
    if (p->current_a > 0.0 && bus_v >= p->v_max_v - STEADY_LIMIT_MARGIN_V)
        return true;
    return (p->current_a < 0.0 || p->power_w > 0.0) && bus_v <= p->v_min_v + STEADY_LIMIT_MARGIN_V;
}

/* The world and the DC bus: what every pack carries until the next plant step. */
static void solve_bus(struct sim *s)
{
    struct dcbus_input in;
    memset(&in, 0, sizeof in);
    in.n_packs = s->n;
    for (int i = 0; i < s->n; i++) {
        const struct sim_pack *sp = &s->pack[i];
        struct pack_thevenin th;
        pack_thevenin(&sp->plant, &th);
        struct dcbus_pack *bp = &in.pack[i];
        bp->connected = sp->power_connected;
        bp->charge_on = sp->plant.fet_on[PACK_FET_CHARGE] || sp->plant.fet_stuck[PACK_FET_CHARGE];
        bp->discharge_on =
            sp->plant.fet_on[PACK_FET_DISCHARGE] || sp->plant.fet_stuck[PACK_FET_DISCHARGE];
        bp->emf_v = th.emf_v;
        bp->r_ohm = th.r_ohm;
        bp->cable_ohm = sp->cable_ohm;
        bp->diode_v = DCBUS_DIODE_V;
    }
    int inv_slot = -1, chg_slot = -1;
    if (s->has_inverter) {
        struct inv_request req;
        struct board_can_frame tx;
        double tod = inv_time_of_day_s(s->cfg.start_tod_s, s->now_ms);
        if (inv_step(&s->inv, s->now_ms, tod, s->bus_v, &req, &tx) > 0)
            can_bus_send(&s->can, s->inv_node, &tx);
        inv_slot = in.n_ports++;
        inv_port(&req, &in.port[inv_slot]);
    }
    if (s->chg.on) {
        chg_slot = in.n_ports++;
        chg_port(&s->chg, &in.port[chg_slot]);
    }
    int ext_slot = -1;
    if (s->ext_on) {
        ext_slot = in.n_ports++;
        in.port[ext_slot] = s->ext;
    }
    in.v_hint_v = s->bus_v;
    struct dcbus_result out;
    dcbus_solve(&in, &out);
    s->bus_v = out.bus_v;
    s->bus_near_limit = false;
    for (int k = 0; k < in.n_ports; k++)
        s->bus_near_limit |= port_near_limit(&in.port[k], out.bus_v);
    s->inverter_a = inv_slot >= 0 ? out.port_a[inv_slot] : 0.0;
    s->charger_a = chg_slot >= 0 ? out.port_a[chg_slot] : 0.0;
    s->ext_a = ext_slot >= 0 ? out.port_a[ext_slot] : 0.0;
    s->plant_gen++;
    bool any_connected = false;
    for (int i = 0; i < s->n; i++) {
        struct sim_pack *sp = &s->pack[i];
        sp->current_a = sp->power_connected ? out.pack_a[i] : 0.0;
        any_connected |= sp->power_connected;
        pack_set_bus_voltage(&sp->plant, sp->power_connected && (any_connected || in.n_ports)
                                             ? out.pack_terminal_v[i]
                                             : NAN);
    }
}

/* The AFE and shunt scan: what the firmware reads until the next scan. While the
 * physics lags a steady current, each cell's truth goes on at its last step's rate
 * (the step's error is then of second order: a fraction of steady_drift.cell_v). */
static void sample_sensors(struct sim *s)
{
    double ahead_s = (double)(s->now_ms - s->physics_ms) / 1000.0;
    for (int i = 0; i < s->n; i++) {
        struct sim_pack *sp = &s->pack[i];
        if (sp->sensors_pinned)
            continue; /* a test rig holds them (sim_rig.h) */
        struct sensors_sample smp;
        if (ahead_s > 0.0) {
            double drift_v[PACK_CELLS];
            for (int c = 0; c < PACK_CELLS; c++)
                drift_v[c] = sp->cell_rate_v_per_s[c] * ahead_s;
            pack_sample_drifted_at(&sp->plant, s->now_ms, drift_v, &smp);
        } else {
            pack_sample_at(&sp->plant, s->now_ms, &smp);
        }
        memcpy(sp->io.afe.cell_mV, smp.cell_mV, sizeof smp.cell_mV);
        memcpy(sp->io.afe.temp_ddegC, smp.temp_ddegC, sizeof smp.temp_ddegC);
        sp->io.afe.battery_mV = smp.battery_mV;
        sp->io.afe.pack_mV = smp.pack_mV;
        sp->io.current_mA = smp.current_mA;
    }
}

static bool can_pending(const struct can_bus *bus, int node)
{
    return node >= 0 && bus->rx[node].head != bus->rx[node].tail;
}

/* The inverter hears what arrived on its CAN node (at most instants nothing: a look at
 * its queue). */
static void inverter_receive(struct sim *s)
{
    if (!s->has_inverter || !can_pending(&s->can, s->inv_node))
        return;
    struct board_can_frame f;
    while (can_bus_recv(&s->can, s->inv_node, &f))
        inv_on_can_frame(&s->inv, s->now_ms, &f);
}

/* The FIFOs of a Link Port by enum sim_port. */
static const enum board_uart uart_of_port[2] = {BOARD_UART_LINK_IN, BOARD_UART_LINK_OUT};

void sim_route_links(struct sim *s)
{
    for (int i = 0; i < s->n; i++)
        for (int side = SIM_PORT_IN; side <= SIM_PORT_OUT; side++) {
            s->pack[i].link_peer[side] = NULL;
            s->pack[i].io.link_to[uart_of_port[side]] = NULL;
        }
    for (int i = 0; i < s->n_cables; i++) {
        const struct sim_cable *c = &s->cable[i];
        struct sim_pack *a = &s->pack[c->pack_a], *b = &s->pack[c->pack_b];
        if ((c->side_a == SIM_PORT_OUT && a->link_break) ||
            (c->side_b == SIM_PORT_OUT && b->link_break))
            continue; /* a broken cable carries nothing either way */
        a->link_peer[c->side_a] = b;
        b->link_peer[c->side_b] = a;
        a->io.link_to[uart_of_port[c->side_a]] = &b->io.uart_to_fw[uart_of_port[c->side_b]];
        b->io.link_to[uart_of_port[c->side_b]] = &a->io.uart_to_fw[uart_of_port[c->side_a]];
    }
}

/* What a firmware that ran wrote on its Link Ports (straight into the FIFOs at the other
 * ends, sim_io's link_to) arrives there after every firmware's turn, so that one that
 * runs later in this instant reads it only at the next; it wakes the pack at the other
 * end to read it (the UART's receive interrupt; what a frame says is the firmware's to
 * judge, bms_link_receive, and routine traffic is no news), unless that firmware turned
 * the interrupt off (sim_io rx_quiet: it reads the bytes when it chooses). Only a
 * firmware that ran writes. */
static void deliver_link_bytes(struct sim_pack *sp)
{
    for (int side = SIM_PORT_IN; side <= SIM_PORT_OUT; side++) {
        struct byte_fifo *to = sp->io.link_to[uart_of_port[side]];
        if (to && byte_fifo_arrive(to)) {
            struct sim_pack *peer = sp->link_peer[side];
            if (!peer->io.rx_quiet[to - peer->io.uart_to_fw])
                peer->woken = true;
        }
    }
}

/* New firmware event-log records, copied with the simulated time. */
static void collect_events(struct sim_pack *sp, uint64_t now_ms)
{
    uint32_t next = sp->fw.evlog.next_seq;
    uint32_t fresh = next - sp->evlog_seq_seen;
    if (fresh == 0)
        return;
    if (fresh > bms_evlog_count(&sp->fw.evlog))
        fresh = bms_evlog_count(&sp->fw.evlog);
    for (uint32_t k = fresh; k-- > 0;) { /* oldest of the new ones first */
        struct bms_evlog_entry e;
        if (!bms_evlog_read(&sp->fw.evlog, k, &e))
            continue;
        if (sp->event_count == SIM_EVENTS_MAX) { /* keep the newest: drop the oldest */
            memmove(sp->events, sp->events + 1, sizeof sp->events[0] * (SIM_EVENTS_MAX - 1));
            sp->event_count--;
            sp->events_dropped++;
        }
        sp->events[sp->event_count++] = (struct sim_event){now_ms, e.kind, e.id};
    }
    sp->evlog_seq_seen = next;
}

/* The firmware's outputs reach the plant; a MOSFET change re-syncs the plant. */
static void apply_outputs(struct sim *s, struct sim_pack *sp)
{
    bool chg = sp->io.fet_charge, dsg = sp->io.fet_discharge;
    if (chg != sp->fets_seen[0] || dsg != sp->fets_seen[1] ||
        sp->io.balance_mask != sp->plant.balance_mask ||
        sp->io.power_hold != sp->plant.bms_running)
        sim_physics_catch_up(s);
    if (chg != sp->fets_seen[0] || dsg != sp->fets_seen[1]) {
        pack_set_fets(&sp->plant, chg, dsg);
        sp->fets_seen[0] = chg;
        sp->fets_seen[1] = dsg;
        s->resync = true;
        s->plant_gen++; /* the terminal voltage follows the MOSFETs at once */
    }
    if (sp->io.balance_mask != sp->plant.balance_mask)
        pack_set_balancing(&sp->plant, sp->io.balance_mask);
    if (sp->io.power_hold != sp->plant.bms_running)
        pack_set_bms_running(&sp->plant, sp->io.power_hold);
}

/* ---- the firmware's schedule ---- */

/* When the firmware has work next (simulated ms), after its tick at ran_ms: its
 * own answer on its 32-bit clock, which is the simulated time modulo 2^32. */
static uint64_t fw_wakeup_ms(const struct sim_pack *sp, uint64_t ran_ms)
{
    uint32_t ahead = bms_next_wakeup_ms(&sp->fw) - (uint32_t)ran_ms;
    return ran_ms + (ahead ? ahead : SIM_TICK_MS);
}

/* The HAL's input-changed notification (a pin, a byte or frame, an AFE alert):
 * the firmware works at the next instant. */
static void wake(struct sim_pack *sp)
{
    sp->woken = true;
    bms_input_changed(&sp->fw);
}

/* Before the firmware's turn: a CAN frame that reached pack 1's controller in this
 * instant's world step (the inverter's) wakes it to read it (the CAN controller's receive
 * interrupt): what it says is the firmware's to judge (bms_can_poll). Only pack 1's CAN
 * port is on the bus (sim_init); a frame sent from outside wakes it already
 * (sim_can_send). */
static void wake_on_can_frames(struct sim *s)
{
    struct sim_pack *sp = &s->pack[0];
    if (!sp->woken && can_pending(&s->can, sp->io.can_node))
        sp->woken = true;
}

/* After a firmware's tick: what it left unread wakes it again (a console byte is an
 * input; link bytes and CAN frames only make it read them). Bytes and frames reach a
 * firmware that did not run only through the cables (deliver_link_bytes), the console
 * (sim_console_write) and the world step (wake_on_can_frames), which wake it. */
static void wake_on_unread_input(const struct sim *s, struct sim_pack *sp)
{
    if (byte_fifo_used(&sp->io.uart_to_fw[BOARD_UART_RS232]))
        wake(sp);
    else if ((byte_fifo_used(&sp->io.uart_to_fw[BOARD_UART_LINK_IN]) &&
              !sp->io.rx_quiet[BOARD_UART_LINK_IN]) ||
             (byte_fifo_used(&sp->io.uart_to_fw[BOARD_UART_LINK_OUT]) &&
              !sp->io.rx_quiet[BOARD_UART_LINK_OUT]) ||
             can_pending(&s->can, sp->io.can_node))
        sp->woken = true;
}

/* ---- tickless: the plant's scan period and the inverter between scans ---- */

/* A scan's alerts: a running pack's AFE wakes its firmware when the sample
 * leaves the window it was programmed with (an active watch: every sample). */
static void afe_alerts(struct sim *s)
{
    for (int i = 0; i < s->n; i++) {
        struct sim_pack *sp = &s->pack[i];
        if (sp->io.power_hold &&
            board_afe_watch_alerts(&sp->io.afe_watch, &sp->io.afe, sp->io.current_mA))
            wake(sp);
    }
}

/* The first instant after after_ms on the reference mode's plant grid (every
 * SIM_PLANT_STEP_MS from the last plant step): where the reference mode would
 * next step the world, so tickless world steps land on the same instants. */
static uint64_t plant_grid_after(const struct sim *s, uint64_t after_ms)
{
    if (after_ms < s->plant_ms)
        return s->plant_ms;
    return s->plant_ms + ((after_ms - s->plant_ms) / SIM_PLANT_STEP_MS + 1) * SIM_PLANT_STEP_MS;
}

/* Where the reference mode would send the inverter's next heartbeat: its first
 * plant step at or after the heartbeat's time. */
static uint64_t heartbeat_instant(const struct sim *s)
{
    uint64_t hb = s->inv.next_heartbeat_ms;
    return hb ? plant_grid_after(s, hb - 1) : s->plant_ms;
}

/* What the inverter asks of the bus is the same, its current within tol_a. */
static bool same_request(const struct inv_request *a, const struct inv_request *b,
                         double tol_a)
{
    return fabs(a->current_a - b->current_a) <= tol_a && a->v_max_v == b->v_max_v &&
           a->v_min_v == b->v_min_v && a->standby_w == b->standby_w;
}

/* While the physics lags a steady current, a power set-point's current follows the bus
 * voltage of the last solve, which moves it by µA at each solve without end: less than
 * this (a tenth of the shunt's step) waits for the physics' next step. */
#define REQUEST_SAME_LAGGING_A 0.001

/* The inverter's step between plant steps (its heartbeat, its CAN timeout, the
 * time of day): when what it asks of the bus changes (its current by more than
 * tol_a), the plant re-synchronises. */
static void inverter_step_alone(struct sim *s, double tol_a)
{
    struct inv_request before = s->inv.req, req;
    struct board_can_frame tx;
    double tod = inv_time_of_day_s(s->cfg.start_tod_s, s->now_ms);
    if (inv_step(&s->inv, s->now_ms, tod, s->bus_v, &req, &tx) > 0)
        can_bus_send(&s->can, s->inv_node, &tx);
    if (!same_request(&before, &req, tol_a))
        s->resync = true;
}

/* How far the inverter's current may move before the plant re-synchronises: exactly
 * nothing while the physics keeps up with the scans. */
static double request_tol_a(const struct sim *s)
{
    return s->physics_ms < s->plant_ms ? REQUEST_SAME_LAGGING_A : 0.0;
}

/* After frames reached the inverter: would it ask for something else now? */
static void inverter_reconsider(struct sim *s)
{
    struct inverter probe = s->inv;
    struct inv_request req;
    struct board_can_frame tx;
    double tod = inv_time_of_day_s(s->cfg.start_tod_s, s->now_ms);
    inv_step(&probe, s->now_ms, tod, s->bus_v, &req, &tx);
    /* The reference mode would act on it at its next plant step. */
    uint64_t at = plant_grid_after(s, s->now_ms);
    if (!same_request(&s->inv.req, &req, 0.0) && at < s->next_scan_ms)
        s->next_scan_ms = at;
}

/* Whether the last bus solve moved a pack's current away from the one its plant
 * carried over the last step by more than the shunt resolves (10 mA). */
static bool currents_moved(const struct sim *s)
{
    for (int i = 0; i < s->n; i++)
        if (fabs(s->pack[i].current_a - pack_current_a(&s->pack[i].plant)) > CURRENT_MOVED_A)
            return true;
    return false;
}

/* ---- one instant ---- */

/* Runs what is due at now_ms; every firmware ticks when every_fw. */
static void run_instant(struct sim *s, bool every_fw)
{
    bool fixed = s->mode == SIM_TICK_FIXED_PLANT; /* the plant on the 100 ms grid */
    s->can.now_us = s->now_ms * 1000u; /* what is sent now (the heartbeat too) says now */
    if (!fixed && !s->resync && s->has_inverter && s->now_ms < s->next_scan_ms &&
        s->now_ms >= heartbeat_instant(s))
        inverter_step_alone(s, request_tol_a(s));
    bool world_changed = s->resync;
    bool plant_due = s->resync || (fixed ? s->now_ms - s->plant_ms >= SIM_PLANT_STEP_MS
                                         : s->now_ms >= s->next_scan_ms);
    if (plant_due) {
        enum sim_scan_kind scan = sim_plant_scan(s);
        if (scan != SIM_SCAN_STEP && s->has_inverter) {
            /* The physics lagged and nothing on the bus moved: the last solve stands,
             * unless the inverter (its heartbeat, its time of day) asks for more. */
            inverter_step_alone(s, request_tol_a(s));
            if (s->resync) {
                sim_physics_catch_up(s);
                scan = SIM_SCAN_STEP;
            }
        }
        if (scan == SIM_SCAN_STEP) {
            solve_bus(s);
            sim_lag_limit_by_currents(s);
        }
        if (scan != SIM_SCAN_HOLD)
            sample_sensors(s);
        bool stepped = scan == SIM_SCAN_STEP;
        s->resync = false;
        /* The board's notifications, in both modes (the firmware's tasks are its own
         * business): a changed world makes each firmware look; the AFE alerts. */
        for (int i = 0; world_changed && i < s->n; i++)
            wake(&s->pack[i]);
        if (scan != SIM_SCAN_HOLD) /* a held sample sits deep inside the quiet window */
            afe_alerts(s);
        if (!fixed) {
            s->scan_asked_changed = false;
            s->next_scan_ms = s->now_ms + sim_scan_period_ms(s);
            /* The plant shows (and the sensors read) a new current only from its
             * next step: when the solve moved it, that step comes when the
             * reference's would. */
            s->world_moved = currents_moved(s);
            if (s->world_moved)
                s->next_scan_ms = s->now_ms + SIM_PLANT_STEP_MS;
            else if (s->has_inverter && stepped)
                inverter_reconsider(s); /* it decided on the bus voltage before this solve */
        }
    }
    uint64_t heard = s->has_inverter ? s->inv.frames_rx : 0;
    struct sim_pack *ran[SIM_MAX_PACKS_HELD];
    int n_ran = 0;
    inverter_receive(s);
    wake_on_can_frames(s);
    for (int i = 0; i < s->n; i++) {
        struct sim_pack *sp = &s->pack[i];
        if (!every_fw && !sp->woken && s->now_ms < sp->wake_ms)
            continue;
        uint32_t views = sp->fw.views_gen;
        bms_tick(&sp->fw, (uint32_t)s->now_ms);
        ran[n_ran++] = sp;
        sp->woken = false;
        sp->wake_ms = fw_wakeup_ms(sp, s->now_ms);
        if (sp->fw.views_gen == views)
            continue; /* it read and relayed link frames: no output, pin or event moved */
        apply_outputs(s, sp);
        collect_events(sp, s->now_ms);
        s->scan_asked_changed |= sp->io.scan_asked_changed;
        sp->io.scan_asked_changed = false;
        /* The LCD and console wires have a reader only when one is attached
         * (the window, a pty); keep them from filling meanwhile. */
        if (byte_fifo_used(&sp->io.lcd_out) > BYTE_FIFO_SIZE / 2)
            byte_fifo_clear(&sp->io.lcd_out);
        if (byte_fifo_used(&sp->io.console_out) > BYTE_FIFO_SIZE / 2)
            byte_fifo_clear(&sp->io.console_out);
    }
    for (int k = 0; k < n_ran; k++)
        deliver_link_bytes(ran[k]);
    inverter_receive(s);
    if (!fixed && n_ran && s->scan_asked_changed) {
        /* A firmware that went active changed the scan period it asked for: the next
         * scan follows from the last one. A longer period (quiet, its power let go)
         * waits for the scan already due, so that the scans do not depend on which
         * instants a firmware ran (the reference mode runs them all). With nothing it
         * reads changed since it was last asked, the period and so the scan due stand. */
        s->scan_asked_changed = false;
        uint64_t next = s->plant_ms + sim_scan_period_ms(s);
        if (next < s->next_scan_ms)
            s->next_scan_ms = next > s->now_ms ? next : plant_grid_after(s, s->now_ms);
    }
    for (int k = 0; k < n_ran; k++)
        wake_on_unread_input(s, ran[k]);
    if (!fixed) {
        if (s->has_inverter && s->inv.frames_rx != heard && !s->resync &&
            s->next_scan_ms > s->now_ms + SIM_PLANT_STEP_MS)
            inverter_reconsider(s);
    }
    s->ticks++;
}

void sim_step(struct sim *s)
{
    run_instant(s, s->mode != SIM_TICKLESS);
    s->now_ms += SIM_TICK_MS;
}

static uint64_t tick_ceil(uint64_t t_ms)
{
    return (t_ms + SIM_TICK_MS - 1) / SIM_TICK_MS * SIM_TICK_MS;
}

uint64_t sim_next_event_ms(const struct sim *s)
{
    uint64_t now = s->now_ms;
    if (s->mode != SIM_TICKLESS || s->resync)
        return now;
    uint64_t next = s->next_scan_ms;
    for (int i = 0; i < s->n; i++) {
        if (s->pack[i].woken)
            return now;
        if (s->pack[i].wake_ms < next)
            next = s->pack[i].wake_ms;
    }
    if (s->has_inverter) {
        uint64_t hb = heartbeat_instant(s);
        next = hb < next ? hb : next;
    }
    next = tick_ceil(next);
    return next > now ? next : now;
}

uint64_t sim_advance(struct sim *s, uint64_t limit_ms)
{
    sim_step(s);
    uint64_t next = sim_next_event_ms(s);
    uint64_t limit = tick_ceil(limit_ms);
    if (next > limit)
        next = limit;
    if (next > s->now_ms)
        s->now_ms = next;
    return s->now_ms;
}

void sim_advance_to(struct sim *s, uint64_t t_ms)
{
    while (s->now_ms < t_ms)
        sim_advance(s, t_ms);
}

void sim_run_until(struct sim *s, uint64_t t_ms)
{
    while (s->now_ms < t_ms)
        sim_step(s);
}

void sim_set_tick_mode(struct sim *s, enum sim_tick_mode mode)
{
    s->mode = mode;
}

enum sim_tick_mode sim_get_tick_mode(const struct sim *s)
{
    return s->mode;
}

double sim_time_s(const struct sim *s)
{
    return (double)s->now_ms / 1000.0;
}

void sim_set_button(struct sim *s, int pack, bool pressed)
{
    if (pack >= 0 && pack < s->n) {
        s->pack[pack].io.button = pressed;
        wake(&s->pack[pack]);
    }
}

void sim_set_ambient(struct sim *s, double temp_c, double ramp_s)
{
    room_set(&s->room, sim_time_s(s), temp_c, ramp_s);
    s->resync = true;
}

void sim_set_can_connected(struct sim *s, bool connected)
{
    s->can_connected = connected;
    wake(&s->pack[0]);
    if (s->master_node >= 0)
        can_bus_set_attached(&s->can, s->master_node, connected);
}

void sim_set_power_connected(struct sim *s, int pack, bool connected)
{
    if (pack >= 0 && pack < s->n)
        s->pack[pack].power_connected = connected;
    s->resync = true;
}

void sim_charger_set(struct sim *s, double voltage_v, double current_a)
{
    chg_set(&s->chg, voltage_v, current_a);
    s->resync = true;
}

void sim_external_set(struct sim *s, double current_a, double v_max_v, double v_min_v)
{
    s->ext_on = true;
    s->ext = (struct dcbus_port){.on = true, .current_a = current_a, .v_max_v = v_max_v,
                                 .v_min_v = v_min_v, .power_w = 0.0};
    s->resync = true;
}

void sim_external_off(struct sim *s)
{
    s->ext_on = false;
    s->resync = true;
}

void sim_charger_off(struct sim *s)
{
    chg_off(&s->chg);
    s->resync = true;
}

static bool same_cable(const struct sim_cable *x, const struct sim_cable *y)
{
    return (x->pack_a == y->pack_a && x->side_a == y->side_a && x->pack_b == y->pack_b &&
            x->side_b == y->side_b) ||
           (x->pack_a == y->pack_b && x->side_a == y->side_b && x->pack_b == y->pack_a &&
            x->side_b == y->side_a);
}

bool sim_wire(struct sim *s, const struct sim_cable *c)
{
    if (!cable_valid(s, c) || s->n_cables >= SIM_MAX_CABLES ||
        port_taken(s, c->pack_a, c->side_a) || port_taken(s, c->pack_b, c->side_b))
        return false;
    s->cable[s->n_cables++] = *c;
    sim_route_links(s);
    return true;
}

bool sim_unwire(struct sim *s, const struct sim_cable *c)
{
    for (int i = 0; i < s->n_cables; i++) {
        if (same_cable(&s->cable[i], c)) {
            s->cable[i] = s->cable[--s->n_cables];
            sim_route_links(s);
            return true;
        }
    }
    return false;
}


bool sim_inverter_set(struct sim *s, const struct inv_settings *set, enum sim_demand demand,
                      double value)
{
    if (!s->has_inverter)
        return false;
    if (set)
        inv_configure(&s->inv, set);
    switch (demand) {
    case SIM_DEMAND_POWER: inv_set_power(&s->inv, value); break;
    case SIM_DEMAND_CURRENT: inv_set_current(&s->inv, value); break;
    case SIM_DEMAND_IDLE: inv_set_idle(&s->inv); break;
    case SIM_DEMAND_KEEP: break;
    }
    s->resync = true;
    return true;
}

int sim_can_attach(struct sim *s)
{
    return can_bus_attach(&s->can);
}

bool sim_can_listen(struct sim *s, can_bus_listener_fn fn, void *ctx)
{
    return can_bus_add_listener(&s->can, fn, ctx);
}

bool sim_can_send(struct sim *s, int node, const struct board_can_frame *f)
{
    wake(&s->pack[0]); /* pack 1 is the one on the inverter bus */
    s->can.now_us = s->now_ms * 1000u; /* stamped when it is sent, not at the last instant run */
    return can_bus_send(&s->can, node, f);
}

bool sim_can_recv(struct sim *s, int node, struct board_can_frame *out)
{
    return can_bus_recv(&s->can, node, out);
}

size_t sim_console_room(const struct sim *s, int pack)
{
    if (pack < 0 || pack >= s->n)
        return 0;
    return BYTE_FIFO_SIZE - byte_fifo_used(&s->pack[pack].io.uart_to_fw[BOARD_UART_RS232]);
}

size_t sim_console_write(struct sim *s, int pack, const uint8_t *data, size_t n)
{
    if (pack < 0 || pack >= s->n)
        return 0;
    wake(&s->pack[pack]);
    return byte_fifo_write(&s->pack[pack].io.uart_to_fw[BOARD_UART_RS232], data, n);
}
