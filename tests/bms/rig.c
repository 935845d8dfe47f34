/* rig.c: the test harness of rig.h. */
#include <string.h>

#include "rig.h"

void rig_init(struct rig *r, uint32_t t0)
{
    memset(r, 0, sizeof *r);
    r->now = t0;
    r->cfg = bms_config_default;
    fake_board_init(&r->fb, &r->now);
    bms_init(&r->bms, &r->cfg, &r->fb.board);
}

void rig_start(struct rig *r, int32_t soc_pptt)
{
    bms_start_running(&r->bms, r->now);
    bms_set_soc_estimate(&r->bms, soc_pptt);
}

void rig_running(struct rig *r, uint32_t t0, int32_t soc_pptt)
{
    rig_init(r, t0);
    rig_start(r, soc_pptt);
    rig_tick(r);
}

void rig_tick(struct rig *r)
{
    uint32_t t = r->now;
    if (fake_board_interrupts(&r->fb, t))
        bms_input_changed(&r->bms);
    bms_tick(&r->bms, t);
    r->now = t + TICK_MS;
}

void rig_run(struct rig *r, uint32_t ms)
{
    for (uint32_t i = 0; i < ms / TICK_MS; i++)
        rig_tick(r);
}

enum bms_state rig_run_state(struct rig *r, uint32_t ms)
{
    rig_run(r, ms);
    return rig_st(r)->state;
}

void rig_press(struct rig *r, uint32_t hold_ms)
{
    r->fb.button = true;
    rig_run(r, hold_ms);
    r->fb.button = false;
    rig_tick(r);
}

const struct bms_status *rig_st(const struct rig *r)
{
    return bms_status(&r->bms);
}

const char *rig_leds(const struct rig *r, char buf[9])
{
    const struct bms_status *st = rig_st(r);
    for (int i = 0; i < 8; i++)
        buf[i] = bms_led_mode_name((enum bms_led_mode)st->led_mode[7 - i])[0];
    buf[8] = '\0';
    return buf;
}

bool rig_lit(const struct rig *r, int n)
{
    return (r->fb.leds >> (n - 1)) & 1u;
}

const struct board_can_frame *rig_last_frame(const struct rig *r, uint32_t id)
{
    for (unsigned n = r->fb.sent_count; n-- > 0;) {
        const struct fake_can_sent *s = fake_board_sent(&r->fb, n);
        if (!s)
            break;
        if (s->f.id == id)
            return &s->f;
    }
    return NULL;
}

bool rig_protect(const struct rig *r, enum bms_protect_id id)
{
    return (rig_st(r)->protect_mask >> id) & 1u;
}

bool rig_alarm(const struct rig *r, enum bms_alarm_id id)
{
    return (rig_st(r)->alarm_mask >> id) & 1u;
}

bool rig_fault(const struct rig *r, enum bms_fault_id id)
{
    return (rig_st(r)->fault_mask >> id) & 1u;
}

struct find_ctx {
    const char *name;
    bool found;
};

static bool find_fn(void *ctx, const struct bms_evlog_entry *e)
{
    struct find_ctx *f = ctx;
    char buf[BMS_EVLOG_NAME_MAX];
    bms_evlog_format_name(buf, sizeof buf, e->kind, e->id);
    if (strcmp(buf, f->name) == 0) {
        f->found = true;
        return false;
    }
    return true;
}

bool rig_logged(const struct rig *r, const char *name)
{
    struct find_ctx f = {name, false};
    bms_evlog_foreach(&r->bms.evlog, true, find_fn, &f);
    return f.found;
}
