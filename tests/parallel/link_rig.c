/* link_rig.c: packs of a simulated system joined by link cables (see link_rig.h). The
 * sim moves the bytes along the cables; the rig holds the sensors, presses and
 * releases the buttons, and logs what each pack does. */
#include "link_rig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/lcd_proto.h"
#include "gtx/sim_rig.h"

static void log_can(void *ctx, const struct board_can_frame *f)
{
    struct lr_pack_log *lg = ctx;
    lg->can_frames++;
    if (f->id == 0x359) {
        lg->last_359 = *f;
        lg->has_359 = true;
    }
    if (f->id == 0x351)
        lg->last_351 = *f;
}

void lr_init(struct link_rig *r, const struct cell_params *cell, int n,
             const int32_t *soc_pptt)
{
    memset(r, 0, sizeof *r);
    r->n = n;
    struct sim_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.n_packs = n;
    cfg.ambient_c = 25.0;
    for (int i = 0; i < n; i++) {
        struct sim_pack_config *pc = &cfg.pack[i];
        pack_config_default(&pc->plant, cell);
        pc->plant.pack_index = (uint32_t)i;
        pc->plant.bms_running = pc->plant.charge_fet_on = pc->plant.discharge_fet_on = false;
        pc->on = false;
        pc->bms_soc_pct = soc_pptt[i] / 100.0;
    }
    r->sim = sim_new(&cfg);
    if (!r->sim)
        abort();
    for (int i = 0; i < n; i++) {
        struct board_afe *afe = &r->afe[i];
        for (int c = 0; c < BOARD_CELLS; c++)
            afe->cell_mV[c] = 3300;
        for (int t = 0; t < BOARD_NTCS; t++)
            afe->temp_ddegC[t] = 250;
        afe->battery_mV = afe->pack_mV = 16u * 3300u;
        lr_pin(r, i);
        sim_rig_can_tap(r->sim, i, log_can, &r->log[i]);
    }
}

void lr_free(struct link_rig *r)
{
    sim_free(r->sim);
    r->sim = NULL;
}

void lr_wire(struct link_rig *r, int a, enum sim_port pa, int b, enum sim_port pb)
{
    struct sim_cable c = {a, pa, b, pb};
    if (!sim_wire(r->sim, &c))
        abort(); /* a test that wires a taken port is wrong */
}

void lr_unwire_all(struct link_rig *r)
{
    while (sim_view_cable_count(r->sim) > 0) {
        struct sim_cable c = *sim_view_cable(r->sim, 0);
        sim_unwire(r->sim, &c);
    }
}

void lr_unwire(struct link_rig *r, int a, enum sim_port pa)
{
    for (int i = 0; i < sim_view_cable_count(r->sim); i++) {
        struct sim_cable c = *sim_view_cable(r->sim, i);
        if ((c.pack_a == a && c.side_a == pa) ||
            (c.pack_b == a && c.side_b == pa)) {
            sim_unwire(r->sim, &c);
            return;
        }
    }
}

void lr_chain(struct link_rig *r, const int *order, int n)
{
    for (int k = 0; k + 1 < n; k++)
        lr_wire(r, order[k], SIM_PORT_OUT, order[k + 1], SIM_PORT_IN);
}

void lr_break(struct link_rig *r, int pack, bool broken)
{
    struct sim_fault f = {.kind = SIM_FAULT_LINK_BREAK, .pack = pack};
    if (broken)
        sim_inject_fault(r->sim, &f);
    else
        sim_clear_fault(r->sim, &f);
}

void lr_pin(struct link_rig *r, int pack)
{
    sim_rig_pin_sensors(r->sim, pack, &r->afe[pack], r->current_mA[pack]);
}

void lr_press(struct link_rig *r, int pack, uint32_t hold_ms)
{
    sim_set_button(r->sim, pack, true);
    r->release_at[pack] = r->now + hold_ms;
}

void lr_tick(struct link_rig *r)
{
    for (int i = 0; i < r->n; i++)
        if (r->release_at[i] && r->now >= r->release_at[i]) {
            sim_set_button(r->sim, i, false);
            r->release_at[i] = 0;
        }
    enum bms_state before[LR_PACKS];
    for (int i = 0; i < r->n; i++)
        before[i] = lr_st(r, i)->state;
    sim_step(r->sim);
    for (int i = 0; i < r->n; i++) {
        const sim_fw_status *st = lr_st(r, i);
        struct lr_pack_log *lg = &r->log[i];
        if (st->state == BMS_STATE_SHUTDOWN && before[i] != BMS_STATE_SHUTDOWN)
            lg->shutdown_ms = r->now;
        if (st->state == BMS_STATE_SHUTDOWN && (st->leds_lit & 1u) && !lg->sweep_ms)
            lg->sweep_ms = r->now;
    }
    r->now = sim_view_now_ms(r->sim);
}

void lr_run(struct link_rig *r, uint32_t ms)
{
    for (uint32_t t = 0; t < ms; t += LR_TICK_MS)
        lr_tick(r);
}

void lr_run_to(struct link_rig *r, uint64_t t_ms)
{
    while (r->now < t_ms)
        lr_tick(r);
}

const sim_fw_status *lr_st(const struct link_rig *r, int pack)
{
    return sim_view_status(r->sim, pack);
}

const char *lr_leds(const struct link_rig *r, int pack, char buf[9])
{
    sim_led_word(lr_st(r, pack), buf);
    return buf;
}

int lr_event_count(const struct link_rig *r, int pack)
{
    struct sim_event_cursor c;
    struct sim_event e;
    int n = 0;
    sim_view_events_begin(r->sim, pack, &c);
    while (sim_view_event_next(r->sim, &c, &e))
        n++;
    return n;
}

/* Takes what is waiting on the pack's LCD or console wire off it. */
static void drain(struct link_rig *r, int pack,
                  size_t (*read)(struct sim *, int, uint8_t *, size_t))
{
    uint8_t buf[512];
    while (read(r->sim, pack, buf, sizeof buf))
        ;
}

const char *lr_lcd_text(struct link_rig *r, int pack, char out[LR_TEXT_MAX])
{
    struct lcd_decoder d;
    struct bms_lcd_view v;
    memset(&v, 0, sizeof v);
    lcd_decoder_init(&d);
    drain(r, pack, sim_view_lcd_read);
    lr_run(r, 1100); /* one frame pair per second */
    uint8_t buf[512];
    size_t n;
    while ((n = sim_view_lcd_read(r->sim, pack, buf, sizeof buf)))
        lcd_decoder_feed(&d, buf, n, &v);
    snprintf(out, LR_TEXT_MAX, "%s", v.text);
    return out;
}

const char *lr_console(struct link_rig *r, int pack, const char *cmd, char *out, size_t cap)
{
    drain(r, pack, sim_view_console_read);
    sim_console_write(r->sim, pack, (const uint8_t *)cmd, strlen(cmd));
    sim_console_write(r->sim, pack, (const uint8_t *)"\r", 1);
    lr_run(r, 200);
    size_t n = sim_view_console_read(r->sim, pack, (uint8_t *)out, cap - 1);
    out[n] = '\0';
    return out;
}
