/* link_rig.c: firmware instances on sim_io boards joined by link cables (see link_rig.h).
 * Bytes move along the cables after every tick, as the simulator moves them. */
#include "link_rig.h"

#include <stdio.h>
#include <string.h>

#include "gtx/lcd_proto.h"

static void log_can(void *ctx, int from, uint64_t t_us, const struct board_can_frame *f)
{
    struct link_rig *r = ctx;
    (void)t_us;
    for (int i = 0; i < r->n; i++) {
        if (r->node[i] != from)
            continue;
        r->log[i].can_frames++;
        if (f->id == 0x359) {
            r->log[i].last_359 = *f;
            r->log[i].has_359 = true;
        }
    }
}

void lr_init(struct link_rig *r, int n, int32_t soc_pptt)
{
    memset(r, 0, sizeof *r);
    r->n = n;
    r->now = 1000;
    r->cfg = bms_config_default;
    can_bus_init(&r->can);
    can_bus_add_listener(&r->can, log_can, r);
    for (int i = 0; i < n; i++) {
        struct sim_io *io = &r->io[i];
        sim_io_init(io);
        for (int c = 0; c < BOARD_CELLS; c++)
            io->afe.cell_mV[c] = 3300;
        for (int t = 0; t < BOARD_NTCS; t++)
            io->afe.temp_ddegC[t] = 250;
        io->afe.battery_mV = io->afe.pack_mV = 16u * 3300u;
        r->node[i] = can_bus_attach(&r->can); /* every pack on one bus: who talks? */
        io->can = &r->can;
        io->can_node = r->node[i];
        bms_init(&r->fw[i], &r->cfg, &io->board);
        bms_set_soc_estimate(&r->fw[i], soc_pptt);
    }
}

void lr_wire(struct link_rig *r, int a, enum lr_port pa, int b, enum lr_port pb)
{
    if (r->n_cables < LR_CABLES)
        r->cable[r->n_cables++] = (struct lr_cable){a, b, pa, pb, false};
}

void lr_unwire(struct link_rig *r, int a, enum lr_port pa)
{
    for (int i = 0; i < r->n_cables; i++) {
        struct lr_cable *c = &r->cable[i];
        if ((c->a == a && c->pa == pa) || (c->b == a && c->pb == pa)) {
            *c = r->cable[--r->n_cables];
            return;
        }
    }
}

void lr_chain(struct link_rig *r, const int *order, int n)
{
    for (int k = 0; k + 1 < n; k++)
        lr_wire(r, order[k], LR_OUT, order[k + 1], LR_IN);
}

void lr_press(struct link_rig *r, int pack, uint32_t hold_ms)
{
    r->io[pack].button = true;
    r->release_at[pack] = r->now + hold_ms;
}

static enum board_uart uart_of(enum lr_port p)
{
    return p == LR_IN ? BOARD_UART_LINK_IN : BOARD_UART_LINK_OUT;
}

static void move(struct sim_io *from, enum lr_port pf, struct sim_io *to, enum lr_port pt,
                 bool broken)
{
    uint8_t buf[256];
    size_t n;
    while ((n = byte_fifo_read(&from->uart_from_fw[uart_of(pf)], buf, sizeof buf)))
        if (!broken)
            byte_fifo_write(&to->uart_to_fw[uart_of(pt)], buf, n);
}

void lr_tick(struct link_rig *r)
{
    r->can.now_us = (uint64_t)r->now * 1000u;
    for (int i = 0; i < r->n; i++) {
        if (r->release_at[i] && r->now >= r->release_at[i]) {
            r->io[i].button = false;
            r->release_at[i] = 0;
        }
        enum bms_state before = r->fw[i].status.state;
        bms_tick(&r->fw[i], r->now);
        const struct bms_status *st = &r->fw[i].status;
        struct lr_pack_log *lg = &r->log[i];
        if (st->state == BMS_STATE_SHUTDOWN && before != BMS_STATE_SHUTDOWN)
            lg->shutdown_ms = r->now;
        if (st->state == BMS_STATE_SHUTDOWN && (st->leds_lit & 1u) && !lg->sweep_ms)
            lg->sweep_ms = r->now;
        /* nobody reads the LCD and console wires unless asked */
        if (byte_fifo_used(&r->io[i].uart_from_fw[BOARD_UART_LCD]) > BYTE_FIFO_SIZE / 2)
            byte_fifo_clear(&r->io[i].uart_from_fw[BOARD_UART_LCD]);
    }
    for (int k = 0; k < r->n_cables; k++) {
        struct lr_cable *c = &r->cable[k];
        move(&r->io[c->a], c->pa, &r->io[c->b], c->pb, c->broken);
        move(&r->io[c->b], c->pb, &r->io[c->a], c->pa, c->broken);
    }
    for (int i = 0; i < r->n; i++) /* an empty port: the bytes go nowhere */
        for (int p = 0; p < 2; p++) {
            bool taken = false;
            for (int k = 0; k < r->n_cables; k++)
                taken |= (r->cable[k].a == i && (int)r->cable[k].pa == p) ||
                         (r->cable[k].b == i && (int)r->cable[k].pb == p);
            if (!taken)
                byte_fifo_clear(&r->io[i].uart_from_fw[uart_of((enum lr_port)p)]);
        }
    r->now += LR_TICK_MS;
}

void lr_run(struct link_rig *r, uint32_t ms)
{
    for (uint32_t t = 0; t < ms; t += LR_TICK_MS)
        lr_tick(r);
}

void lr_run_to(struct link_rig *r, uint32_t t_ms)
{
    while (r->now < t_ms)
        lr_tick(r);
}

const struct bms_status *lr_st(const struct link_rig *r, int pack)
{
    return bms_status(&r->fw[pack]);
}

const char *lr_leds(const struct link_rig *r, int pack, char buf[9])
{
    static const char letter[] = "01abc";
    const struct bms_status *st = lr_st(r, pack);
    for (int k = 0; k < 8; k++)
        buf[k] = letter[st->led_mode[7 - k] % 5];
    buf[8] = '\0';
    return buf;
}

const char *lr_lcd_text(struct link_rig *r, int pack, char out[LR_TEXT_MAX])
{
    struct lcd_decoder d;
    struct bms_lcd_view v;
    memset(&v, 0, sizeof v);
    lcd_decoder_init(&d);
    byte_fifo_clear(&r->io[pack].uart_from_fw[BOARD_UART_LCD]);
    lr_run(r, 1100); /* one frame pair per second */
    uint8_t buf[512];
    size_t n;
    while ((n = byte_fifo_read(&r->io[pack].uart_from_fw[BOARD_UART_LCD], buf, sizeof buf)))
        lcd_decoder_feed(&d, buf, n, &v);
    snprintf(out, LR_TEXT_MAX, "%s", v.text);
    return out;
}

const char *lr_console(struct link_rig *r, int pack, const char *cmd, char *out, size_t cap)
{
    byte_fifo_clear(&r->io[pack].uart_from_fw[BOARD_UART_RS232]);
    byte_fifo_write(&r->io[pack].uart_to_fw[BOARD_UART_RS232], (const uint8_t *)cmd,
                    strlen(cmd));
    byte_fifo_write(&r->io[pack].uart_to_fw[BOARD_UART_RS232], (const uint8_t *)"\r", 1);
    lr_run(r, 200);
    size_t n = byte_fifo_read(&r->io[pack].uart_from_fw[BOARD_UART_RS232], (uint8_t *)out,
                              cap - 1);
    out[n] = '\0';
    return out;
}
